import { stripAnsi } from "./alchemy-errors.ts";

/**
 * What `alchemy dev` has said so far: the app name, the URL each Worker is ready at, and which resources are
 * still being created or updated. The app is up when it printed at least one URL and has nothing pending.
 *
 * Alchemy names a child resource by its chain, `api > jobs-consumer` (a Worker's queue consumer, created after
 * the Worker printed its URL but before the Worker itself is "created"): the whole chain is the resource, so
 * `[created] api > jobs-consumer` never counts as `api` being done.
 */
export interface DevProgress {
  app?: string;
  ready: Record<string, string>;
  pending: string[];
  /** Resources this run printed as done (created, updated, replaced or skipped), by chain. */
  settled: string[];
  /** alchemy.run.ts crashed; `node --watch` keeps waiting for file changes instead of exiting. */
  failed: boolean;
}

const STATUSES = "creating|updating|created|updated|replaced|skipped|deleting|deleted|dev";
// `[status]  <resource>[ > <child>…] <message>`; resource ids never hold spaces.
const TASK = new RegExp(`^\\[(${STATUSES})\\]\\s+(\\S+(?:\\s+>\\s+\\S+)*)\\s+(.*)$`);

export function parseDevOutput(output: string): DevProgress {
  const pending = new Set<string>();
  const settled = new Set<string>();
  const ready: Record<string, string> = {};
  let app: string | undefined;
  let failed = false;
  for (const raw of stripAnsi(output).split("\n")) {
    const line = raw.trim();
    const appMatch = line.match(/^App: (\S+)/);
    if (appMatch) app = appMatch[1];
    if (/^Failed running '/.test(line)) failed = true;
    const task = line.match(TASK);
    if (!task) continue;
    const [, status, chain, message] = task as unknown as [string, string, string, string];
    const resource = chain.split(/\s+>\s+/).join(" > ");
    if (status === "creating" || status === "updating") pending.add(resource);
    else if (status === "created" || status === "updated" || status === "replaced" || status === "skipped") {
      pending.delete(resource);
      settled.add(resource);
    }
    else if (status === "dev") {
      const url = message.match(/^Ready at (\S+)/);
      if (url) ready[resource] = url[1]!;
    }
  }
  return { ...(app ? { app } : {}), ready, pending: [...pending], settled: [...settled], failed };
}

export function isDevReady(progress: DevProgress): boolean {
  return !progress.failed && Object.keys(progress.ready).length > 0 && progress.pending.length === 0;
}

/**
 * Whether nothing is pending and something is done, though no Worker printed `Ready at`: a website Alchemy
 * serves through the framework's own dev server (`Vite`, `ReactRouter`, … run `vite dev`, whose Worker runs on
 * workerd inside Vite) prints only `[created] website`; its URL is in its state (see `websiteUrls`).
 */
export function isDevSettled(progress: DevProgress): boolean {
  return !progress.failed && progress.pending.length === 0 && progress.settled.length > 0;
}

/**
 * The URLs of the resources this run settled, from their state (`{fqn, url}`, fqn `<app>/<stage>/<id>[/<child>]`):
 * only those, so the previous run's URL of a resource not yet started again is never taken.
 */
export function settledUrls(progress: DevProgress, resources: ReadonlyArray<{ fqn: string; url?: string }>): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const resource of resources) {
    const chain = resource.fqn.split("/").slice(2).join(" > ");
    if (resource.url && progress.settled.includes(chain)) urls[chain] = resource.url;
  }
  return urls;
}

/** The port a `Ready at http://host:port/` URL names (what the app really listens on), or undefined. */
export function portOfUrl(url: string): number | undefined {
  try {
    const parsed = new URL(url);
    const port = Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}
