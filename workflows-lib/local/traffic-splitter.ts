import http from "node:http";
import type { AddressInfo } from "node:net";
import { GateFailure } from "../errors.ts";
import type { TrafficSplit, VersionsPort, VersionsReader } from "../rollout/ports.ts";
import { OVERRIDE_HEADER, overriddenVersion } from "../rollout/version-override.ts";

/*
 * The local stand-in for a Worker's versions and deployments: an HTTP server on 127.0.0.1 in front of one local
 * stage per version (each an `alchemy dev` process on workerd, which runs one build per stage and splits nothing).
 * A deployment (`route`) sets the percentages for every new request at once; the request header
 * `Cloudflare-Workers-Version-Overrides: <script>="<version id>"` reaches one version directly, as on Cloudflare.
 * Each version keeps the data of its own stage, where Cloudflare's versions share the script's: this is for apps
 * whose versions hold no data of their own (alchkit demo's example app), not a local runtime for every app.
 */

export interface LocalVersion {
  id: string;
  /** Origin of the local stage serving this version. */
  url: string;
}

export interface TrafficSplitter extends VersionsPort, VersionsReader {
  /** The environment's URL: every request goes through the split. */
  url: string;
  /** A version that takes no traffic until a deployment gives it some (the "upload"). */
  add(version: LocalVersion): void;
  /** Requests answered per version since the start. */
  served(): Record<string, number>;
  close(): Promise<void>;
}

export interface SplitterOptions {
  script: string;
  /** The version serving 100 % at the start. */
  stable: LocalVersion;
  /** Picks a version for a request (tests pass a seeded one); default Math.random. */
  random?: () => number;
}

// The headers a proxy must not pass on (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);

export async function startTrafficSplitter(options: SplitterOptions): Promise<TrafficSplitter> {
  const random = options.random ?? Math.random;
  const versions = new Map<string, LocalVersion>([[options.stable.id, options.stable]]);
  const counts = new Map<string, number>();
  let split: TrafficSplit = { versions: [{ versionId: options.stable.id, percentage: 100 }] };
  const agent = new http.Agent({ keepAlive: true });

  const pick = (request: http.IncomingMessage): LocalVersion => {
    const named = overriddenVersion(request.headers[OVERRIDE_HEADER.toLowerCase()], options.script);
    if (named && versions.has(named)) return versions.get(named)!;
    // Cloudflare ignores an override naming a version outside the deployment; so does this.
    let roll = random() * 100;
    for (const share of split.versions) {
      roll -= share.percentage;
      if (roll < 0) return versions.get(share.versionId)!;
    }
    return versions.get(split.versions.at(-1)!.versionId)!;
  };

  const server = http.createServer((request, response) => {
    const version = pick(request);
    const target = new URL(request.url ?? "/", version.url);
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
    const upstream = http.request(target, { method: request.method, headers: { ...headers, host: target.host }, agent }, (answer) => {
      counts.set(version.id, (counts.get(version.id) ?? 0) + 1);
      const passed = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      response.writeHead(answer.statusCode ?? 502, { ...passed, "x-alchkit-version": version.id });
      answer.pipe(response);
    });
    upstream.on("error", (error) => {
      if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
      response.end(`version ${version.id} did not answer: ${error.message}\n`);
    });
    request.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const checkScript = (script: string) => {
    if (script !== options.script) throw new GateFailure(`the local split serves ${options.script}, not ${script}`);
  };

  return {
    url,
    add(version) {
      versions.set(version.id, version);
    },
    served: () => Object.fromEntries(counts),
    async route(script, next) {
      checkScript(script);
      const unknown = next.versions.find((v) => !versions.has(v.versionId));
      if (unknown) throw new GateFailure(`no local version ${unknown.versionId} of ${script}`);
      const total = next.versions.reduce((sum, v) => sum + v.percentage, 0);
      if (next.versions.length === 0 || next.versions.length > 2 || total !== 100 || next.versions.some((v) => v.percentage < 0)) {
        throw new GateFailure(`a deployment of ${script} takes one or two versions whose percentages add up to 100 (got ${JSON.stringify(next.versions)})`);
      }
      split = { versions: next.versions.map((v) => ({ ...v })) };
    },
    async restore(script, versionId) {
      checkScript(script);
      if (!versions.has(versionId)) return false;
      split = { versions: [{ versionId, percentage: 100 }] };
      return true;
    },
    async active(script) {
      checkScript(script);
      return { versions: split.versions.map((v) => ({ ...v })) };
    },
    // A local stage does not say which Durable Object classes its build implements.
    durableObjectClasses: async () => undefined,
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
