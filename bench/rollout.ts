// Progressive delivery on the Cloudflare stand-in, in one run:
// 1. rollback of the example app by re-pointing traffic to the previous Workers version (one deployments call)
//    beside today's rollback by redeploying the previous SHA (`alchemy deploy`, state in CloudflareStateStore
//    as in CI), each timed until every request answers with the restored build's /version;
// 2. time from a breach at the 10 % canary step to the stable version serving 100 % (the wall clock, real
//    probes through the version-override header).
//   node_modules/.bin/node bench/rollout.ts [--runs 3]
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { createWorkerVersions } from "../workflows-lib/cloudflare/worker-versions.ts";
import { planRollout } from "../workflows-lib/rollout/plan-rollout.ts";
import { runRollout } from "../workflows-lib/rollout/run-rollout.ts";
import { engineMeasure, systemClock } from "../workflows-lib/wiring/rollout-ports.ts";
import { startCloudflareStandIn } from "../test/cloudflare/index.ts";
import { cloudflareApp } from "../test/support/cloudflare-app.ts";
import { joinStandInNetwork } from "../test/support/stand-in-network.ts";
import { median } from "./median.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const runs = Math.max(1, Number(values.runs));
const ms = (value: number) => (value < 1000 ? `${value.toFixed(0)} ms` : `${(value / 1000).toFixed(2)} s`);
const STATE = { CI: "true", ALCHEMY_STATE_TOKEN: "bench-state-token", ALCHEMY_PASSWORD: "bench-password" };

const cf = await startCloudflareStandIn({ seed: 16 });
await joinStandInNetwork(cf);
const versions = createWorkerVersions({ apiToken: cf.apiToken, accountId: cf.accountId, baseUrl: cf.baseUrl });

/** Until 10 requests in a row answer with `build`. */
async function serves(url: string, build: string): Promise<void> {
  for (let inARow = 0; inARow < 10; ) {
    const answer = await cf.request(`${url}/version`);
    inARow = answer.status === 200 && answer.text.includes(`"build":${JSON.stringify(build)}`) ? inARow + 1 : 0;
  }
}

const repoint: number[] = [];
const redeploy: number[] = [];
const repointCalls: number[] = [];
const redeployCalls: number[] = [];
const breachToStable: number[] = [];
try {
  const app = cloudflareApp(cf, { env: STATE, stage: `bench-rollout-${process.pid}` });
  try {
    const url = cf.workerUrl(app.script);
    await app.runtime.up({ stage: app.stage, vars: { BUILD_ID: "good" } });
    const good = (await versions.active(app.script)).versions[0]!.versionId;
    for (let i = 0; i < runs; i++) {
      await app.runtime.up({ stage: app.stage, vars: { BUILD_ID: `bad-${i}` } });
      await serves(url, `bad-${i}`);
      // Re-point: the good build's version is still in the account.
      let calls = cf.calls.length;
      let started = performance.now();
      if (!(await versions.restore(app.script, good, "bench: roll back"))) throw new Error("the good version is gone");
      await serves(url, "good");
      repoint.push(performance.now() - started);
      repointCalls.push(cf.calls.length - calls);
      // Redeploy: what a rollback does without a version to go back to.
      await versions.route(app.script, { versions: [{ versionId: (await versions.list(app.script, 1))[0]!.id, percentage: 100 }] }, "bench: bad again");
      await serves(url, `bad-${i}`);
      calls = cf.calls.length;
      started = performance.now();
      await app.runtime.up({ stage: app.stage, vars: { BUILD_ID: "good" } });
      await serves(url, "good");
      redeploy.push(performance.now() - started);
      redeployCalls.push(cf.calls.length - calls);
    }
    await app.runtime.down({ stage: app.stage });
  } finally {
    app.cleanup();
  }

  // A breach at 10 %: a candidate answering 500, uploaded as a version next to a healthy stable one.
  const auth = { authorization: `Bearer ${cf.apiToken}` };
  const form = (source: string) => {
    const body = new FormData();
    body.append("metadata", new Blob([JSON.stringify({ main_module: "worker.js", compatibility_date: "2025-01-01" })], { type: "application/json" }));
    body.append("worker.js", new Blob([source], { type: "application/javascript+module" }), "worker.js");
    return body;
  };
  const script = "bench-breach";
  const base = `${cf.baseUrl}/accounts/${cf.accountId}/workers/scripts/${script}`;
  await fetch(base, { method: "PUT", headers: auth, body: form(`export default { fetch() { return Response.json({ build: "stable" }) } }`) });
  await fetch(`${base}/subdomain`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ enabled: true }) });
  const stable = (await versions.active(script)).versions[0]!.versionId;
  const plan = planRollout({ strategy: "canary", traffic: 10, duration: "10m", interval: "1s", settle: "0s", requests: 20, metrics: ["error_rate"] }, "rollout.production")!;
  for (let i = 0; i < runs; i++) {
    const upload = await fetch(`${base}/versions`, { method: "POST", headers: auth, body: form(`export default { fetch() { return new Response("boom ${i}", { status: 500 }) } }`) });
    const candidate = ((await upload.json()) as { result: { id: string } }).result.id;
    const started = Date.now();
    const result = await runRollout(plan, { environment: "production", sha: "b".repeat(40), url: cf.workerUrl(script), script, stable, candidate }, { versions, measure: engineMeasure(), clock: systemClock, log: () => {} });
    if (result.outcome !== "aborted" || result.abort?.restoredAt === undefined) throw new Error(`expected an abort, got ${result.outcome}`);
    await serves(cf.workerUrl(script), "stable");
    // From the breaching measurement's verdict to users seeing only the stable version (the clock started with the rollout).
    breachToStable.push(Date.now() - started - result.abort.detectedAt);
  }
} finally {
  await cf.close();
}

console.log(`command: node_modules/.bin/node bench/rollout.ts --runs ${runs}`);
console.log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}; violations: ${cf.violations.length}`);
console.log("median of each figure (until 10 requests in a row answer the restored build's /version):");
console.log(`  rollback by re-pointing to the previous version: ${ms(median(repoint))}, ${median(repointCalls)} Cloudflare API call(s)`);
console.log(`  rollback by redeploying the previous SHA (alchemy deploy): ${ms(median(redeploy))}, ${median(redeployCalls)} Cloudflare API call(s)`);
console.log(`  ratio redeploy / re-point: ${(median(redeploy) / median(repoint)).toFixed(1)}× (goal ≥ 5×)`);
console.log(`  breach at 10 % → stable serves 100 % (one deployment after the breaching measurement): ${ms(median(breachToStable))}`);
