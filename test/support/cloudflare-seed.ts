// Resources put into the Cloudflare stand-in's account through its API, as something outside the kit left them
// there (a crashed deploy, a resource made by hand): a minimal Worker, a KV namespace.
import assert from "node:assert/strict";
import type { CloudflareStandIn } from "../cloudflare/index.ts";

async function call(cf: CloudflareStandIn, route: string, init: RequestInit): Promise<void> {
  const res = await fetch(`${cf.baseUrl}/accounts/${cf.accountId}${route}`, { ...init, headers: { authorization: `Bearer ${cf.apiToken}`, ...(init.headers as Record<string, string>) } });
  assert.ok(res.ok, await res.text());
}

export async function seedWorker(cf: CloudflareStandIn, name: string): Promise<void> {
  const form = new FormData();
  form.append("metadata", new Blob([JSON.stringify({ main_module: "w.js", compatibility_date: "2025-01-01" })], { type: "application/json" }));
  form.append("w.js", new Blob(["export default { fetch() { return new Response('ok'); } };"], { type: "application/javascript+module" }), "w.js");
  await call(cf, `/workers/scripts/${name}`, { method: "PUT", body: form });
}

export const seedKvNamespace = (cf: CloudflareStandIn, title: string): Promise<void> =>
  call(cf, "/storage/kv/namespaces", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title }) });
