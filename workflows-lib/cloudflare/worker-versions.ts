/**
 * Workers versions and deployments (API v4): which versions serve a script and in which shares, the versions
 * uploaded without traffic, their bindings, and deployments that split traffic between one or two versions by
 * percentage. One `route` is one API call, which is what makes a rollback by re-pointing instant.
 */
import type { TrafficSplit, VersionsPort, VersionsReader } from "../rollout/ports.ts";
import { CloudflareApiError, createCloudflareClient, type CloudflareClientOptions } from "./cloudflare-request.ts";

export interface WorkerVersion {
  id: string;
  number: number;
  /** `workers/tag` annotation (Alchemy's `version` label), when the upload had one. */
  tag?: string;
  createdOn?: string;
}

export interface VersionBinding {
  type: string;
  name: string;
  class_name?: string;
  script_name?: string;
}

export interface WorkerVersionsClient extends VersionsPort, VersionsReader {
  /** The active deployment's split (the newest deployment serves the script's traffic). */
  active(script: string): Promise<TrafficSplit>;
  /** Versions, newest first (at most `limit`, default 100: Cloudflare keeps the 100 newest). */
  list(script: string, limit?: number): Promise<WorkerVersion[]>;
  /** The newest version whose `workers/tag` is `tag` (what Alchemy's `version` property uploads). */
  tagged(script: string, tag: string): Promise<WorkerVersion | undefined>;
  /** One version's bindings; undefined when Cloudflare no longer has it. */
  bindings(script: string, versionId: string): Promise<VersionBinding[] | undefined>;
}

/** Cloudflare's codes for a version or a script it does not have. */
const GONE = [10007, 10237];

/** Whether an error says the version (or its script) is gone, so a re-point cannot work. */
export function isVersionGone(error: unknown): boolean {
  return error instanceof CloudflareApiError && (error.codes.some((code) => GONE.includes(code)) || error.status === 404);
}

export function createWorkerVersions(options: Omit<CloudflareClientOptions, "authHint">): WorkerVersionsClient {
  const client = createCloudflareClient({
    ...options,
    authHint: "moving traffic needs the Workers Scripts: Edit permission on the account in CLOUDFLARE_ACCOUNT_ID",
  });
  const script = (name: string) => `${client.account}/workers/scripts/${encodeURIComponent(name)}`;
  async function route(name: string, split: TrafficSplit, message: string): Promise<void> {
    await client(`${script(name)}/deployments`, {
      method: "POST",
      body: {
        strategy: "percentage",
        versions: split.versions.map((v) => ({ version_id: v.versionId, percentage: v.percentage })),
        annotations: { "workers/message": message.slice(0, 100) },
      },
    });
  }
  async function list(name: string, limit = 100): Promise<WorkerVersion[]> {
    const out: WorkerVersion[] = [];
    for (let page = 1; out.length < limit; page++) {
      const body = await client<{ items: Array<{ id: string; number: number; metadata?: { created_on?: string }; annotations?: Record<string, string> }> }>(
        `${script(name)}/versions?page=${page}&per_page=100`,
      );
      const items = body.result.items ?? [];
      for (const item of items) {
        const tag = item.annotations?.["workers/tag"];
        out.push({ id: item.id, number: item.number, ...(tag ? { tag } : {}), ...(item.metadata?.created_on ? { createdOn: item.metadata.created_on } : {}) });
      }
      const total = body.result_info?.total_pages;
      if (items.length < 100 || (total !== undefined && page >= total)) break;
    }
    return out.sort((a, b) => b.number - a.number).slice(0, limit);
  }
  async function bindings(name: string, versionId: string): Promise<VersionBinding[] | undefined> {
    try {
      const body = await client<{ resources?: { bindings?: VersionBinding[] } }>(`${script(name)}/versions/${encodeURIComponent(versionId)}`);
      return body.result.resources?.bindings ?? [];
    } catch (error) {
      if (isVersionGone(error)) return undefined;
      throw error;
    }
  }
  return {
    async active(name) {
      const body = await client<{ deployments: Array<{ versions: Array<{ version_id: string; percentage: number }> }> }>(`${script(name)}/deployments`);
      const latest = body.result.deployments[0];
      return { versions: (latest?.versions ?? []).map((v) => ({ versionId: v.version_id, percentage: v.percentage })) };
    },
    route,
    async restore(name, versionId, message) {
      try {
        await route(name, { versions: [{ versionId, percentage: 100 }] }, message);
        return true;
      } catch (error) {
        if (isVersionGone(error)) return false;
        throw error;
      }
    },
    list,
    async tagged(name, tag) {
      return (await list(name)).find((version) => version.tag === tag);
    },
    async durableObjectClasses(name, versionId) {
      const found = await bindings(name, versionId);
      return found && ownDurableObjectClasses(found, name);
    },
    bindings,
  };
}

/** The Durable Object classes a version implements itself (bindings to classes of other scripts excluded). */
export function ownDurableObjectClasses(bindings: readonly VersionBinding[], script: string): string[] {
  return bindings
    .filter((b) => b.type === "durable_object_namespace" && b.class_name && (b.script_name === undefined || b.script_name === script))
    .map((b) => b.class_name!)
    .sort();
}
