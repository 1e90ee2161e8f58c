import type { AccountInventory, AccountResources, ResourceKind } from "../platform/account-inventory.ts";
import { CLOUDFLARE_API, CloudflareApiError, createCloudflareClient, type CloudflareClientOptions, type Envelope } from "./cloudflare-request.ts";

/**
 * The account-inventory client: Cloudflare's list endpoints for Workers scripts, KV namespaces, D1 databases,
 * R2 buckets and Queues (API v4, every page), with retries and backoff on 429, 5xx and dropped connections.
 * Read-only: an API token with read access to Workers, KV, D1, R2 and Queues is enough.
 */

export { CLOUDFLARE_API, CloudflareApiError };

export type AccountInventoryOptions = Omit<CloudflareClientOptions, "authHint">;

export interface AccountClient extends AccountInventory {
  /** Deletes one resource by kind and name (Workers with force, so queue consumers go with them). */
  remove(resource: { kind: ResourceKind; name: string }): Promise<void>;
}

export function createAccountInventory(options: AccountInventoryOptions): AccountClient {
  const client = createCloudflareClient({
    ...options,
    authHint: "listing the account needs read access to Workers Scripts, KV, D1, R2 and Queues of the account in CLOUDFLARE_ACCOUNT_ID",
  });
  const account = client.account;
  const get = <T>(path: string, method: "GET" | "DELETE" = "GET"): Promise<Envelope<T>> =>
    client<T>(path, { method, ...(method === "DELETE" ? { allowNotFound: true } : {}) });

  /** Page-numbered lists (KV, D1): every page. */
  async function pages<T>(path: string, perPage: number): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; ; page++) {
      const body = await get<T[]>(`${path}${path.includes("?") ? "&" : "?"}page=${page}&per_page=${perPage}`);
      all.push(...body.result);
      const total = body.result_info?.total_pages;
      if (body.result.length < perPage || (total !== undefined && page >= total)) return all;
    }
  }

  return {
    async remove({ kind, name }) {
      const enc = encodeURIComponent;
      switch (kind) {
        case "workers":
          await get(`${account}/workers/scripts/${enc(name)}?force=true`, "DELETE");
          return;
        case "r2Buckets":
          await get(`${account}/r2/buckets/${enc(name)}`, "DELETE");
          return;
        case "kvNamespaces": {
          const id = await idOf(`${account}/storage/kv/namespaces`, 100, (n) => n.title === name, "id");
          if (id) await get(`${account}/storage/kv/namespaces/${id}`, "DELETE");
          return;
        }
        case "d1Databases": {
          const id = await idOf(`${account}/d1/database`, 100, (d) => d.name === name, "uuid");
          if (id) await get(`${account}/d1/database/${id}`, "DELETE");
          return;
        }
        case "queues": {
          const queues = (await get<{ queue_id: string; queue_name: string }[]>(`${account}/queues`)).result;
          const id = queues.find((q) => q.queue_name === name)?.queue_id;
          if (id) await get(`${account}/queues/${id}`, "DELETE");
          return;
        }
      }
    },
    async list(): Promise<AccountResources> {
      const [scripts, kv, d1, r2, queues] = await Promise.all([
        get<{ id: string }[]>(`${account}/workers/scripts`).then((b) => b.result),
        pages<{ title: string }>(`${account}/storage/kv/namespaces`, 100),
        pages<{ name: string }>(`${account}/d1/database`, 100),
        r2Buckets(),
        get<{ queue_name: string }[]>(`${account}/queues`).then((b) => b.result),
      ]);
      return {
        workers: scripts.map((s) => s.id).sort(),
        kvNamespaces: kv.map((n) => n.title).sort(),
        d1Databases: d1.map((d) => d.name).sort(),
        r2Buckets: r2.sort(),
        queues: queues.map((q) => q.queue_name).sort(),
      };
    },
  };

  async function idOf(listPath: string, perPage: number, match: (item: Record<string, string>) => boolean, id: string): Promise<string | undefined> {
    const items = await pages<Record<string, string>>(listPath, perPage);
    return items.find(match)?.[id];
  }

  /** R2 lists by cursor. */
  async function r2Buckets(): Promise<string[]> {
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const body = await get<{ buckets: { name: string }[] }>(`${account}/r2/buckets?per_page=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      names.push(...body.result.buckets.map((b) => b.name));
      cursor = body.result_info?.cursor || undefined;
    } while (cursor);
    return names;
  }
}
