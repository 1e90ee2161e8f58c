/**
 * The `AccountInventory` port: what a Cloudflare account holds, by kind and name, as Cloudflare's list
 * endpoints report it. The teardown check and `alchkit sweep` read the account through it, so they see what
 * is really left — not only what Alchemy's state remembers.
 */

export interface AccountResources {
  workers: string[];
  kvNamespaces: string[];
  d1Databases: string[];
  r2Buckets: string[];
  queues: string[];
}

export type ResourceKind = keyof AccountResources;

export interface AccountInventory {
  list(): Promise<AccountResources>;
}
