// The workers.dev edge: a request for `https://<script>.<subdomain>.workers.dev` goes to a version of the
// script's active deployment, drawn by the deployment's percentages (seeded, so a test replays exactly);
// `Cloudflare-Workers-Version-Overrides: <script>="<version id>"` picks a version of that deployment;
// `https://<first 8 of the version id>-<script>.<subdomain>.workers.dev` reaches one version directly
// (preview URLs, when the script's subdomain has previews enabled). Each version counts the requests it
// answered and its 5xx answers — what Cloudflare's analytics report per `scriptVersion`.
import { seededRandom } from "../github/faults.ts";
import type { CloudflareAccount, ScriptRecord, VersionRecord } from "./account.ts";
import type { WorkerRuntime } from "./runtime.ts";

export interface EdgeRequest {
  method: string;
  /** `https://host/path?query` as the client asked for it. */
  url: string;
  headers: [string, string][];
  body?: Uint8Array<ArrayBuffer>;
}

export interface EdgeRecord {
  host: string;
  method: string;
  path: string;
  script?: string;
  versionId?: string;
  status: number;
  /** When the request arrived (ms since the epoch). */
  at: number;
}

export const OVERRIDE_HEADER = "cloudflare-workers-version-overrides";

export class Edge {
  private random: () => number;
  /** Every request the edge answered, in order. */
  readonly log: EdgeRecord[] = [];

  private readonly account: CloudflareAccount;
  private readonly runtime: WorkerRuntime;

  constructor(account: CloudflareAccount, runtime: WorkerRuntime, seed: number) {
    this.account = account;
    this.runtime = runtime;
    this.random = seededRandom(seed);
  }

  reseed(seed: number): void {
    this.random = seededRandom(seed);
  }

  /** The domain every Worker URL of the account ends with. */
  get domain(): string {
    return `${this.account.subdomain}.workers.dev`;
  }

  serves(host: string): boolean {
    return host === this.domain || host.endsWith(`.${this.domain}`);
  }

  async handle(request: EdgeRequest): Promise<Response> {
    const url = new URL(request.url);
    const host = url.hostname;
    const target = this.route(host, request.headers);
    const record: EdgeRecord = { host, method: request.method, path: url.pathname + url.search, status: 404, at: Date.now() };
    if (!target) {
      this.log.push(record);
      return nothingHere();
    }
    record.script = target.script.name;
    record.versionId = target.version.id;
    let response: Response;
    try {
      response = await this.runtime.fetch(target.script.name, target.version, request.url, {
        method: request.method,
        headers: request.headers.filter(([k]) => k.toLowerCase() !== OVERRIDE_HEADER),
        ...(request.body ? { body: request.body } : {}),
      });
    } catch (error) {
      // Deleted between routing and answering, or workerd failed: what Cloudflare shows is a 5xx page.
      response = new Response(`error code: 1101\n${(error as Error).message}\n`, { status: 500, headers: { "content-type": "text/plain" } });
    }
    target.version.requests += 1;
    if (response.status >= 500) target.version.errors += 1;
    record.status = response.status;
    this.log.push(record);
    const headers = new Headers(response.headers);
    headers.set("cf-ray", `${Math.floor(this.random() * 0xffffffff).toString(16).padStart(8, "0")}-SJC`);
    headers.set("server", "cloudflare");
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }

  /** Which script and version a request for `host` goes to; undefined when nothing answers there. */
  route(host: string, headers: [string, string][]): { script: ScriptRecord; version: VersionRecord } | undefined {
    if (!host.endsWith(`.${this.domain}`)) return undefined;
    const label = host.slice(0, -(this.domain.length + 1));
    if (label.includes(".")) return undefined;
    const script = this.account.scripts.get(label);
    if (script) {
      if (!script.subdomain.enabled) return undefined;
      const version = this.pick(script, headers);
      return version ? { script, version } : undefined;
    }
    // `<id8>-<script>`: a version's own URL.
    const match = /^([0-9a-f]{8})-(.+)$/.exec(label);
    if (!match) return undefined;
    const [, prefix, name] = match;
    const owner = this.account.scripts.get(name!);
    // No preview URLs for a Worker that implements Durable Objects (Cloudflare's documented limitation).
    if (!owner || !owner.subdomain.enabled || !owner.subdomain.previewsEnabled || owner.durableObjectClasses.size > 0) return undefined;
    const version = this.account.runningVersions(owner).find((v) => v.id.startsWith(prefix!));
    return version ? { script: owner, version } : undefined;
  }

  private pick(script: ScriptRecord, headers: [string, string][]): VersionRecord | undefined {
    const deployment = this.account.activeDeployment(script);
    if (!deployment || deployment.versions.length === 0) return undefined;
    const override = overrideFor(script.name, headers);
    if (override && deployment.versions.some((v) => v.versionId === override)) {
      return this.account.findVersion(script, override);
    }
    let draw = this.random() * 100;
    for (const entry of deployment.versions) {
      draw -= entry.percentage;
      if (draw < 0) return this.account.findVersion(script, entry.versionId);
    }
    return this.account.findVersion(script, deployment.versions.at(-1)!.versionId);
  }
}

/** Parses the structured-header dictionary `name="version-id", other="…"` and returns this script's entry. */
export function overrideFor(script: string, headers: [string, string][]): string | undefined {
  const value = headers.find(([k]) => k.toLowerCase() === OVERRIDE_HEADER)?.[1];
  if (!value) return undefined;
  for (const member of value.split(",")) {
    const eq = member.indexOf("=");
    if (eq < 0) continue;
    const key = member.slice(0, eq).trim();
    const raw = member.slice(eq + 1).trim();
    if (key === script) return raw.replace(/^"(.*)"$/, "$1");
  }
  return undefined;
}

function nothingHere(): Response {
  return new Response("<!DOCTYPE html><title>There is nothing here yet</title><h1>There is nothing here yet</h1>\n", {
    status: 404,
    headers: { "content-type": "text/html; charset=utf-8", server: "cloudflare" },
  });
}
