// Public entry of the Cloudflare stand-in: start one, point a process at it with `env`, read what happened.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { AssertionError } from "node:assert";
import { randomBytes } from "node:crypto";
import { Faults } from "../github/faults.ts";
import { CloudflareAccount, type AccountInventory } from "./account.ts";
import { API_PREFIX, CallLog, handleApi, type Violation } from "./api-server.ts";
import { createRunCa } from "./ca.ts";
import { Edge, type EdgeRecord } from "./edge.ts";
import { answerGraphql } from "./graphql.ts";
import { IDLE_KEEP_ALIVE_MS, startProxy, type EgressAttempt } from "./proxy.ts";
import { WorkerRuntime } from "./runtime.ts";
import { storageHandlers } from "./storage-handlers.ts";
import { workersHandlers } from "./workers-handlers.ts";

export type { AccountInventory, Violation, EdgeRecord, EgressAttempt };
export { CloudflareAccount } from "./account.ts";

export interface CloudflareStandInOptions {
  /** The only API token accepted (default random). */
  token?: string;
  /** 32 hexadecimal characters (default random). */
  accountId?: string;
  /** The account's workers.dev subdomain (default `alchkit-<6 hex>`). */
  subdomain?: string;
  /** Seed of the fault RNG and of traffic splitting. */
  seed?: number;
  /** Receives what the Workers print. */
  onWorkerLog?: (text: string) => void;
}

export interface VersionTraffic {
  script: string;
  versionId: string;
  number: number;
  requests: number;
  errors: number;
}

export interface CloudflareStandIn {
  /** `http://127.0.0.1:<port>/client/v4`: CLOUDFLARE_BASE_URL. */
  baseUrl: string;
  accountId: string;
  apiToken: string;
  subdomain: string;
  /** The proxy (HTTPS_PROXY) and the CA file (NODE_EXTRA_CA_CERTS). */
  proxyUrl: string;
  caFile: string;
  /** Everything a process needs to deploy to the stand-in and reach what it serves. */
  env: Record<string, string>;
  /** `https://<script>.<subdomain>.workers.dev` */
  workerUrl(script: string): string;
  account: CloudflareAccount;
  calls: CallLog;
  violations: Violation[];
  faults: Faults;
  /** Requests the workers.dev edge answered, in order. */
  edgeLog: EdgeRecord[];
  /** Connections the proxy refused (hosts outside the stand-in). */
  egress: EgressAttempt[];
  /** What is in the account (names), as Cloudflare's list endpoints report it. */
  inventory(): AccountInventory;
  /** Requests (and 5xx answers) per version of every script, newest version last. */
  traffic(script?: string): VersionTraffic[];
  /**
   * A request from this process the way another process reaches the stand-in: through the proxy, trusting
   * the run's CA (a test's own `fetch` ignores HTTPS_PROXY: Node reads NODE_USE_ENV_PROXY at start).
   */
  request(url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>;
  /** Re-seeds faults and traffic splitting (a campaign replays exactly). */
  reseed(seed: number): void;
  close(): Promise<void>;
}

export async function startCloudflareStandIn(options: CloudflareStandInOptions = {}): Promise<CloudflareStandIn> {
  const accountId = options.accountId ?? randomBytes(16).toString("hex");
  const apiToken = options.token ?? `cfst_${randomBytes(20).toString("base64url")}`;
  const subdomain = options.subdomain ?? `alchkit-${randomBytes(3).toString("hex")}`;
  const seed = options.seed ?? 1;
  const account = new CloudflareAccount(accountId, subdomain);
  const runtime = new WorkerRuntime(account, { ...(options.onWorkerLog ? { onLog: options.onWorkerLog } : {}) });
  const edge = new Edge(account, runtime, seed);
  const faults = new Faults(seed);
  const calls = new CallLog();
  const violations: Violation[] = [];
  const api = { token: apiToken, account, runtime, edge, handlers: { ...workersHandlers, ...storageHandlers, graphql: answerGraphql }, faults, calls, violations };

  const apiRequest = (req: IncomingMessage, res: ServerResponse) => {
    readBody(req).then(
      (body) => handleApi(api, req, res, body),
      () => res.destroy(),
    ).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500).end(String(error.stack));
    });
  };
  const server = http.createServer(apiRequest);
  server.keepAliveTimeout = IDLE_KEEP_ALIVE_MS;
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const apiOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const ca = await createRunCa();
  const proxy = await startProxy(ca, {
    serves: (host) => host === "api.cloudflare.com" || edge.serves(host),
    handle(req, res, scheme) {
      const host = (req.headers.host ?? "").split(":")[0]!.toLowerCase();
      if (host === "api.cloudflare.com") return apiRequest(req, res);
      readBody(req).then(async (body) => {
        const headers: [string, string][] = [];
        for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
        const response = await edge.handle({
          method: req.method ?? "GET",
          url: `${scheme}://${req.headers.host}${req.url}`,
          headers,
          ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
        });
        const out: Record<string, string | string[]> = {};
        response.headers.forEach((value, key) => {
          if (key === "content-length" || key === "transfer-encoding" || key === "content-encoding") return;
          out[key] = value;
        });
        const cookies = response.headers.getSetCookie();
        if (cookies.length > 0) out["set-cookie"] = cookies;
        const payload = Buffer.from(await response.arrayBuffer());
        res.writeHead(response.status, { ...out, "content-length": String(payload.length) });
        res.end(req.method === "HEAD" ? undefined : payload);
      }).catch((error: Error) => {
        if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" }).end(`stand-in edge error: ${error.message}\n`);
        else res.destroy();
      });
    },
  });

  const dir = mkdtempSync(path.join(tmpdir(), "cf-stand-in-"));
  const caFile = path.join(dir, "ca.pem");
  writeFileSync(caFile, ca.certPem);
  const baseUrl = `${apiOrigin}${API_PREFIX}`;
  const env: Record<string, string> = {
    CLOUDFLARE_BASE_URL: baseUrl,
    CLOUDFLARE_API_TOKEN: apiToken,
    CLOUDFLARE_ACCOUNT_ID: accountId,
    HTTPS_PROXY: proxy.url,
    HTTP_PROXY: proxy.url,
    NO_PROXY: "127.0.0.1,localhost,::1",
    NODE_USE_ENV_PROXY: "1",
    NODE_EXTRA_CA_CERTS: caFile,
    // For Node clients that connect by themselves (Alchemy's state store, autocannon): see network-shim.mjs.
    NODE_OPTIONS: `--import=${pathToFileURL(path.join(import.meta.dirname, "network-shim.mjs")).href}`,
    CLOUDFLARE_STAND_IN_HOSTS: `api.cloudflare.com,.${edge.domain}`,
    CLOUDFLARE_STAND_IN_TLS: `127.0.0.1:${proxy.tlsPort}`,
  };

  let closed = false;
  const agent = new https.Agent({ proxyEnv: { HTTPS_PROXY: proxy.url, NO_PROXY: env.NO_PROXY! }, ca: ca.certPem, keepAlive: false } as https.AgentOptions);
  const plainAgent = new http.Agent({ proxyEnv: { HTTP_PROXY: proxy.url, NO_PROXY: env.NO_PROXY! }, keepAlive: false } as http.AgentOptions);
  return {
    baseUrl,
    accountId,
    apiToken,
    subdomain,
    proxyUrl: proxy.url,
    caFile,
    env,
    workerUrl: (script) => `https://${script}.${subdomain}.workers.dev`,
    account,
    calls,
    violations,
    faults,
    edgeLog: edge.log,
    egress: proxy.egress,
    inventory: () => account.inventory(),
    traffic(script) {
      const out: VersionTraffic[] = [];
      for (const record of account.scripts.values()) {
        if (script && record.name !== script) continue;
        for (const v of record.versions) out.push({ script: record.name, versionId: v.id, number: v.number, requests: v.requests, errors: v.errors });
      }
      return out;
    },
    request(url, init = {}) {
      const target = new URL(url);
      const client = target.protocol === "https:" ? https : http;
      return new Promise((resolve, reject) => {
        const req = client.request(target, { method: init.method ?? "GET", headers: init.headers ?? {}, agent: target.protocol === "https:" ? agent : plainAgent }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        });
        req.on("error", reject);
        req.end(init.body);
      });
    },
    reseed(next) {
      faults.reseed(next);
      edge.reseed(next);
    },
    async close() {
      if (closed) return;
      closed = true;
      agent.destroy();
      plainAgent.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await proxy.close();
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fails with every violation listed (the Cloudflare twin of the GitHub stand-in's check). */
export function assertNoViolations(standIn: Pick<CloudflareStandIn, "violations">): void {
  if (standIn.violations.length === 0) return;
  throw new AssertionError({ message: `Cloudflare stand-in recorded ${standIn.violations.length} violation(s):\n${formatViolations(standIn.violations)}` });
}

export function formatViolations(list: readonly Violation[]): string {
  return list.map((v) => `- ${v.kind} ${v.method} ${v.path}${v.operationId ? ` (${v.operationId})` : ""} → ${v.status}: ${v.message}`).join("\n");
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
