// The watch's Workers analytics on the Cloudflare stand-in: a Worker serves real traffic (most of it failing, as
// users would see it), the watch's own probe path is healthy, and the analytics threshold is what breaches.
import assert from "node:assert/strict";
import { test } from "node:test";
import { workersInvocations } from "../../../workflows-lib/cloudflare/workers-analytics.ts";
import { runWatch } from "../../../workflows-lib/watch/run-watch.ts";
import { watchSettings } from "../../../workflows-lib/watch/watch-config.ts";
import { assertNoViolations, startCloudflareStandIn } from "../../cloudflare/index.ts";

const WORKER = `export default { fetch(request) {
  const path = new URL(request.url).pathname;
  return path === "/checkout" ? new Response("down", { status: 503 }) : new Response("ok");
} };`;

test("a watch with analytics: the platform's error count breaches while the probed path stays healthy", async (t) => {
  const cf = await startCloudflareStandIn({ seed: 3 });
  t.after(() => cf.close());
  const form = new FormData();
  form.append("metadata", new Blob([JSON.stringify({ main_module: "worker.js", compatibility_date: "2025-01-01" })], { type: "application/json" }));
  form.append("worker.js", new Blob([WORKER], { type: "application/javascript+module" }), "worker.js");
  const auth = { authorization: `Bearer ${cf.apiToken}` };
  assert.equal((await fetch(`${cf.baseUrl}/accounts/${cf.accountId}/workers/scripts/shop`, { method: "PUT", headers: auth, body: form })).status, 200);
  await fetch(`${cf.baseUrl}/accounts/${cf.accountId}/workers/scripts/shop/subdomain`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ enabled: true }) });
  const url = cf.workerUrl("shop");
  const before = Date.now();
  // Users' traffic: 8 of 10 checkouts fail.
  for (let i = 0; i < 10; i++) await cf.request(`${url}/${i < 8 ? "checkout" : ""}`);

  const api = { baseUrl: cf.baseUrl, apiToken: cf.apiToken, accountId: cf.accountId };
  assert.deepEqual(await workersInvocations(api, { script: "shop", since: before - 1000, until: Date.now() + 1000 }), { requests: 10, errors: 8 });

  const settings = watchSettings({ duration: "1m", interval: "10s", minRequests: 1, analytics: true, thresholds: { http_req_failed: ["rate<0.01"], workers_requests_failed: ["rate<0.05"] } });
  let clock = Date.now();
  const result = await runWatch(url, settings, {
    request: async (target) => ({ status: (await cf.request(target)).status }),
    now: () => clock,
    sleep: async (ms) => void (clock += ms),
    elapsed: () => performance.now(),
    analytics: (since, until) => workersInvocations(api, { script: "shop", since: since - 60_000, until: Math.max(until, Date.now()) + 1000 }),
    log: () => {},
  });
  assert.equal(result.verdict, "breached");
  assert.match(result.reason!, /workers_requests_failed rate=0\.5\d* breached rate<0\.05/, "the probes' own /health requests count too: 8 of 15 failed");
  assert.ok(result.thresholds.find((r) => r.metric === "http_req_failed")!.ok, "the probed path itself is healthy");
  assertNoViolations(cf);
});
