// Fault campaign on the Cloudflare path: the example app (Worker + KV) deployed as a preview stage on the
// Cloudflare stand-in with the real Alchemy CLI (state in CloudflareStateStore, CI=true), then updated N times
// while a share of Cloudflare API calls fail (500, 503, 429 with retry-after, a dropped connection before the
// write, and one after it — the write happens, the answer is lost). Each update must either succeed (the Worker
// answers /version with the new build) or fail with an error; the account must never hold duplicates; after the
// final destroy (faults off) nothing of the stage may be left, and the stand-in records no violation.
//   node bench/cloudflare-faults.ts [--updates 30] [--rate 0.2] [--seed 7]
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { accountInventoryFor } from "../workflows-lib/cloudflare/account-from-env.ts";
import { resourcesOfStage } from "../workflows-lib/teardown/stage-resources.ts";
import { startCloudflareStandIn } from "../test/cloudflare/index.ts";
import type { FaultKind } from "../test/github/faults.ts";
import { cloudflareApp } from "../test/support/cloudflare-app.ts";

const { values } = parseArgs({ options: { updates: { type: "string", default: "30" }, rate: { type: "string", default: "0.2" }, seed: { type: "string", default: "7" } } });
const updates = Math.max(1, Number(values.updates));
const rate = Number(values.rate);
const seed = Number(values.seed);
if (!(rate >= 0 && rate < 1)) throw new Error(`--rate: a share of calls within 0..1, got ${values.rate}`);

const KINDS: FaultKind[] = [500, 503, 429, "reset", "reset-after-write"];
const cf = await startCloudflareStandIn({ seed });
const app = cloudflareApp(cf, { env: { CI: "true", ALCHEMY_STATE_TOKEN: "bench-state-token", ALCHEMY_PASSWORD: "bench-password" }, stage: `pr-${process.pid % 10_000}` });
const url = cf.workerUrl(app.script);
const started = performance.now();
let ok = 0;
let failed = 0;
let duplicates = 0;
const errors = new Map<string, number>();
let leftovers: string[] = [];
let injected = 0;
let calls = 0;
try {
  // The first deploy without faults: the campaign measures updates of a stage that exists, as a PR's pushes do.
  await app.runtime.up({ stage: app.stage, vars: { BUILD_ID: "build-0" } });
  const inventory = (await accountInventoryFor(app.env, undefined))!;
  const baseline = resourcesOfStage(await inventory.list(), app.stage).length;
  // One rule per kind, each at rate/kinds: a call is faulted with about `rate` (first rule that fires wins).
  const perKind = 1 - Math.pow(1 - rate, 1 / KINDS.length);
  const rules = KINDS.map((kind) => cf.faults.add({ route: "*", kind, probability: perKind, retryAfter: 1 }));
  cf.calls.reset();
  for (let i = 1; i <= updates; i++) {
    const build = `build-${i}`;
    try {
      await app.runtime.up({ stage: app.stage, vars: { BUILD_ID: build } });
      const answer = await cf.request(`${url}/version`);
      if (answer.status !== 200 || !answer.text.includes(build)) throw new Error(`deployed, but /version answers ${answer.status} ${answer.text.slice(0, 80)}`);
      ok++;
    } catch (error) {
      failed++;
      const line = ((error as Error).message.split("\n").find((l) => l.trim()) ?? "").slice(0, 120);
      errors.set(line, (errors.get(line) ?? 0) + 1);
    }
    const now = resourcesOfStage(await inventory.list(), app.stage).length;
    if (now > baseline) duplicates += now - baseline;
    process.stderr.write(`update ${i}/${updates}: ${ok} ok, ${failed} failed\n`);
  }
  injected = rules.reduce((n, rule) => n + rule.hits, 0);
  calls = cf.calls.length;
  cf.faults.clear();
  await app.runtime.down({ stage: app.stage });
  leftovers = resourcesOfStage(await inventory.list(), app.stage).map((r) => `${r.kind} ${r.name}`);
} finally {
  app.cleanup();
  await cf.close();
}

console.log(`command: node bench/cloudflare-faults.ts --updates ${updates} --rate ${rate} --seed ${seed}`);
console.log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}; ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
console.log(`faults injected: ${injected} of ${calls} Cloudflare API calls (${((100 * injected) / Math.max(1, calls)).toFixed(1)} %), kinds ${KINDS.join(", ")}`);
console.log(`updates: ${ok} succeeded (new build live), ${failed} failed with an error, 0 hung`);
for (const [line, n] of errors) console.log(`  ${n}× ${line}`);
console.log(`duplicate resources seen after an update: ${duplicates}`);
console.log(`left in the account after the final destroy: ${leftovers.length}${leftovers.length ? ` (${leftovers.join(", ")})` : ""}`);
console.log(`violations: ${cf.violations.length}`);
if (duplicates > 0 || leftovers.length > 0 || cf.violations.length > 0) process.exitCode = 1;
