// The Cloudflare stand-in on its own, driven the way Cloudflare's API is (multipart uploads, the v4
// envelope), with Workers reached through its proxy: strictness, versions and deployments, traffic split and
// overrides, analytics, storage bindings, faults, and the serve command.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { test } from "node:test";
import { assertNoViolations, startCloudflareStandIn, type CloudflareStandIn } from "../../cloudflare/index.ts";
import { findOperation } from "../../cloudflare/catalogue.ts";
import { storageHandlers } from "../../cloudflare/storage-handlers.ts";
import { workersHandlers } from "../../cloudflare/workers-handlers.ts";

const REPO = path.resolve(import.meta.dirname, "../../..");

const WORKER = `
export class Counter {
  constructor(state) { this.state = state; }
  async fetch() {
    const n = ((await this.state.storage.get("n")) ?? 0) + 1;
    await this.state.storage.put("n", n);
    return new Response(String(n));
  }
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/kv") return new Response((await env.KV.get("greeting")) ?? "none");
    if (url.pathname === "/d1") return Response.json((await env.DB.prepare("select name from t").all()).results);
    if (url.pathname === "/count") return env.COUNTER.get(env.COUNTER.idFromName("a")).fetch(request);
    if (url.pathname === "/fail") return new Response("down", { status: 503 });
    return Response.json({ label: env.LABEL, host: url.host });
  },
};`;

async function api(cf: CloudflareStandIn, method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { authorization: `Bearer ${cf.apiToken}`, ...headers } };
  if (body instanceof FormData || typeof body === "string") init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] = "application/json";
  }
  const res = await fetch(`${cf.baseUrl}${route.replace("{account}", `accounts/${cf.accountId}`)}`, init);
  const text = await res.text();
  return { status: res.status, json: text.startsWith("{") ? (JSON.parse(text) as { success: boolean; errors: { code: number; message: string }[]; result: any }) : undefined, text };
}

function upload(metadata: Record<string, unknown>, source = WORKER): FormData {
  const form = new FormData();
  form.append("metadata", new Blob([JSON.stringify({ main_module: "worker.js", compatibility_date: "2025-01-01", ...metadata })], { type: "application/json" }));
  form.append("worker.js", new Blob([source], { type: "application/javascript+module" }), "worker.js");
  return form;
}

const label = (text: string) => ({ type: "plain_text", name: "LABEL", text });

test("a script upload runs at its workers.dev URL; versions, percentage deployments, overrides and analytics", async (t) => {
  const cf = await startCloudflareStandIn({ seed: 7 });
  t.after(() => cf.close());
  const kv = await api(cf, "POST", "/{account}/storage/kv/namespaces", { title: "greetings" });
  const db = await api(cf, "POST", "/{account}/d1/database", { name: "orders" });
  const nsId = kv.json!.result.id as string;
  const dbId = db.json!.result.uuid as string;
  const bindings = [label("one"), { type: "kv_namespace", name: "KV", namespace_id: nsId }, { type: "d1", name: "DB", id: dbId }, { type: "durable_object_namespace", name: "COUNTER", class_name: "Counter" }];
  const first = await api(cf, "PUT", "/{account}/workers/scripts/shop", upload({ bindings, migrations: { new_tag: "v1", new_sqlite_classes: ["Counter"] } }));
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json!.result.id, "shop");
  assert.equal((await api(cf, "POST", "/{account}/workers/scripts/shop/subdomain", { enabled: true, previews_enabled: true })).status, 200);
  const url = cf.workerUrl("shop");
  assert.deepEqual(JSON.parse((await cf.request(url)).text), { label: "one", host: `shop.${cf.subdomain}.workers.dev` });

  // Storage written through the API is what the Worker reads.
  await api(cf, "PUT", `/{account}/storage/kv/namespaces/${nsId}/values/greeting`, "hello", { "content-type": "text/plain" });
  assert.equal((await cf.request(`${url}/kv`)).text, "hello");
  const created = await api(cf, "POST", `/{account}/d1/database/${dbId}/query`, { sql: "create table t (name text); insert into t values ('ada')" });
  assert.equal(created.status, 200, created.text);
  assert.deepEqual(JSON.parse((await cf.request(`${url}/d1`)).text), [{ name: "ada" }]);
  assert.equal((await cf.request(`${url}/count`)).text, "1");

  // A version uploaded without traffic keeps the Durable Object's storage once deployed.
  const refused = await api(cf, "POST", "/{account}/workers/scripts/shop/versions", upload({ bindings, migrations: { new_tag: "v2", new_sqlite_classes: ["Other"] } }));
  assert.equal(refused.status, 400);
  assert.equal(refused.json!.errors[0]!.code, 10211);
  const v2 = await api(cf, "POST", "/{account}/workers/scripts/shop/versions", upload({ bindings: [label("two"), ...bindings.slice(1)], annotations: { "workers/tag": "two" } }));
  assert.equal(v2.status, 200, v2.text);
  const v1Id = cf.account.scripts.get("shop")!.versions[0]!.id;
  const v2Id = v2.json!.result.id as string;
  assert.equal(JSON.parse((await cf.request(url)).text).label, "one", "an uploaded version takes no traffic");
  assert.equal((await cf.request(`https://${v2Id.slice(0, 8)}-shop.${cf.subdomain}.workers.dev/`)).status, 404, "no preview URLs for a Worker with Durable Objects");

  const split = await api(cf, "POST", "/{account}/workers/scripts/shop/deployments", { strategy: "percentage", versions: [{ version_id: v1Id, percentage: 70 }, { version_id: v2Id, percentage: 30 }] });
  assert.equal(split.status, 200, split.text);
  assert.equal((await api(cf, "POST", "/{account}/workers/scripts/shop/deployments", { strategy: "percentage", versions: [{ version_id: v1Id, percentage: 70 }] })).status, 400, "percentages must add up to 100");
  const labels: string[] = [];
  for (let i = 0; i < 40; i++) labels.push(JSON.parse((await cf.request(url)).text).label as string);
  const twos = labels.filter((l) => l === "two").length;
  assert.ok(twos > 4 && twos < 24, `30 % of 40 requests went to version two: ${twos}`);
  const pinned = await cf.request(url, { headers: { "Cloudflare-Workers-Version-Overrides": `shop="${v2Id}"` } });
  assert.equal(JSON.parse(pinned.text).label, "two");
  assert.equal((await cf.request(`${url}/count`)).text, "2", "both versions reach the same Durable Object storage");

  const traffic = Object.fromEntries(cf.traffic("shop").map((v) => [v.versionId, v.requests]));
  const query = `query Invocations($account: string!, $since: Time!) {
    viewer { accounts(filter: { accountTag: $account }) {
      workersInvocationsAdaptive(limit: 100, filter: { scriptName: "shop", datetime_geq: $since }) {
        sum { requests errors } dimensions { scriptVersion }
      } } } }`;
  const analytics = await api(cf, "POST", "/graphql", { query, variables: { account: cf.accountId, since: new Date(Date.now() - 600_000).toISOString() } });
  const rows = JSON.parse(analytics.text).data.viewer.accounts[0].workersInvocationsAdaptive as { sum: { requests: number; errors: number }; dimensions: { scriptVersion: string } }[];
  assert.deepEqual(Object.fromEntries(rows.map((r) => [r.dimensions.scriptVersion, r.sum.requests])), traffic);

  // Deleting the script stops it.
  assert.equal((await api(cf, "DELETE", "/{account}/workers/scripts/shop?force=true")).status, 200);
  assert.equal((await cf.request(url)).status, 404);
  assert.deepEqual(cf.inventory(), { workers: [], kvNamespaces: ["greetings"], d1Databases: ["orders"], r2Buckets: [], queues: [] });
  assertNoViolations(cf);
});

test("strict like Cloudflare: unknown routes, bad bodies, bad tokens and faults", async (t) => {
  // Every endpoint the stand-in serves is one of Cloudflare's (its SDK's catalogue, or the few it documents elsewhere).
  for (const id of [...Object.keys(workersHandlers), ...Object.keys(storageHandlers)]) assert.ok(findOperation(id), `${id} is not a Cloudflare route`);
  const cf = await startCloudflareStandIn();
  t.after(() => cf.close());
  const unknown = await api(cf, "GET", "/{account}/workers/scriptz");
  assert.equal(unknown.status, 400);
  assert.deepEqual(unknown.json!.errors.map((e) => e.code), [7003, 7000]);
  const missing = await api(cf, "GET", "/{account}/workers/scripts/nope/settings");
  assert.deepEqual([missing.status, missing.json!.errors[0]!.code, missing.json!.success], [404, 10007, false]);
  const badBody = await api(cf, "POST", "/{account}/storage/kv/namespaces", { name: "no-title" });
  assert.equal(badBody.status, 400);
  const unimplemented = await api(cf, "GET", "/{account}/workers/dispatch/namespaces");
  assert.equal(unimplemented.status, 501);
  assert.deepEqual(cf.violations.map((v) => v.kind), ["unknown-route", "request", "unimplemented"]);
  cf.violations.length = 0;

  const wrongToken = await fetch(`${cf.baseUrl}/accounts/${cf.accountId}/workers/scripts`, { headers: { authorization: "Bearer nope" } });
  assert.equal(wrongToken.status, 403);
  assert.equal(((await wrongToken.json()) as { errors: { code: number }[] }).errors[0]!.code, 10000);
  assert.equal((await api(cf, "GET", "/accounts/not-an-id/workers/scripts")).status, 400);

  cf.faults.add({ route: "workers.scripts.list", kind: 503, times: 1 });
  cf.faults.add({ route: "GET /accounts/{account_id}/storage/kv/namespaces", kind: 429, times: 1, retryAfter: 2 });
  assert.equal((await api(cf, "GET", "/{account}/workers/scripts")).status, 503);
  assert.equal((await api(cf, "GET", "/{account}/workers/scripts")).status, 200);
  const limited = await fetch(`${cf.baseUrl}/accounts/${cf.accountId}/storage/kv/namespaces`, { headers: { authorization: `Bearer ${cf.apiToken}` } });
  assert.deepEqual([limited.status, limited.headers.get("retry-after")], [429, "2"]);
  assert.equal(cf.calls.filter((c) => c.faulted).length, 2, JSON.stringify(cf.calls.filter((c) => c.faulted)));
  assert.equal(cf.calls.count("workers.scripts.list"), 4, "every call is logged, refused and faulted ones too");
  await assert.rejects(cf.request("https://example.com/"), /502 Bad Gateway/, "no host outside the stand-in is reached");
  assert.deepEqual(cf.egress.map((e) => e.host), ["example.com"]);
  assertNoViolations(cf);
});

test("npm run cloudflare-stand-in prints one JSON line with what a process needs, and stops on SIGTERM", async () => {
  const child = spawn(process.execPath, [path.join(REPO, "test/cloudflare/serve.ts")], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  while (!out.includes("\n")) await once(child.stdout, "data");
  const line = JSON.parse(out.split("\n")[0]!) as { baseUrl: string; accountId: string; apiToken: string; env: Record<string, string> };
  assert.match(line.accountId, /^[0-9a-f]{32}$/);
  assert.equal(line.env.CLOUDFLARE_BASE_URL, line.baseUrl);
  assert.deepEqual(Object.keys(line.env).sort(), ["CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN", "CLOUDFLARE_BASE_URL", "CLOUDFLARE_STAND_IN_HOSTS", "CLOUDFLARE_STAND_IN_TLS", "HTTPS_PROXY", "HTTP_PROXY", "NODE_EXTRA_CA_CERTS", "NODE_OPTIONS", "NODE_USE_ENV_PROXY", "NO_PROXY"]);
  const res = await fetch(`${line.baseUrl}/accounts/${line.accountId}/workers/subdomain`, { headers: { authorization: `Bearer ${line.apiToken}` } });
  assert.equal(res.status, 200);
  child.kill("SIGTERM");
  const [code] = (await once(child, "exit")) as [number | null];
  assert.equal(code, 0);
});
