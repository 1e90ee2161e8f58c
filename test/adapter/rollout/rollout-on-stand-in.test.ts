// Progressive delivery on the Cloudflare stand-in: real Workers versions and percentage deployments, the kit's
// Workers client, the load engine measuring each version through the version-override header, and the edge
// splitting real requests. The step clock is virtual (a "30m" step takes no time); traffic is real.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createWorkerVersions } from "../../../workflows-lib/cloudflare/worker-versions.ts";
import { autocannonEngine } from "../../../workflows-lib/loadgate/engines/index.ts";
import { parseScenario } from "../../../workflows-lib/loadgate/scenario.ts";
import { rollBack } from "../../../workflows-lib/rollout/rollback.ts";
import { planRollout } from "../../../workflows-lib/rollout/plan-rollout.ts";
import { runRollout, type RolloutPorts, type RolloutTarget } from "../../../workflows-lib/rollout/run-rollout.ts";
import { engineMeasure } from "../../../workflows-lib/wiring/rollout-ports.ts";
import { assertNoViolations, startCloudflareStandIn, type CloudflareStandIn } from "../../cloudflare/index.ts";
import { joinStandInNetwork } from "../../support/stand-in-network.ts";

/** A Worker that says which build it is; a failing build answers 500 on everything but /health. */
const worker = (build: string, failing = false) => `export default { fetch(request) {
  const path = new URL(request.url).pathname;
  if (path === "/version") return Response.json({ build: ${JSON.stringify(build)} });
  if (${failing} && path !== "/health") return new Response("boom", { status: 500 });
  return new Response("ok ${build}");
} };`;

let cf: CloudflareStandIn;
before(async () => {
  cf = await startCloudflareStandIn({ seed: 16 });
  await joinStandInNetwork(cf);
});
after(() => cf?.close());

const auth = () => ({ authorization: `Bearer ${cf.apiToken}` });
const scriptPath = (script: string) => `${cf.baseUrl}/accounts/${cf.accountId}/workers/scripts/${script}`;

function upload(source: string): FormData {
  const form = new FormData();
  form.append("metadata", new Blob([JSON.stringify({ main_module: "worker.js", compatibility_date: "2025-01-01" })], { type: "application/json" }));
  form.append("worker.js", new Blob([source], { type: "application/javascript+module" }), "worker.js");
  return form;
}

/** A script whose stable version serves 100 %, and a candidate uploaded as a version without traffic. */
async function stableAndCandidate(script: string, candidateFailing = false): Promise<{ stable: string; candidate: string }> {
  const put = await fetch(scriptPath(script), { method: "PUT", headers: auth(), body: upload(worker("stable")) });
  assert.equal(put.status, 200);
  await fetch(`${scriptPath(script)}/subdomain`, { method: "POST", headers: { ...auth(), "content-type": "application/json" }, body: JSON.stringify({ enabled: true }) });
  const version = (await (await fetch(`${scriptPath(script)}/versions`, { method: "POST", headers: auth(), body: upload(worker("candidate", candidateFailing)) })).json()) as { result: { id: string } };
  const stable = cf.account.scripts.get(script)!.versions[0]!.id;
  return { stable, candidate: version.result.id };
}

function ports(hooks: { onSleep?: (ms: number) => Promise<void>; onStep?: (traffic: number) => void } = {}): RolloutPorts & { log: (line: string) => void; lines: string[]; now: () => number } {
  let clock = Date.UTC(2026, 11, 1);
  const lines: string[] = [];
  return {
    versions: createWorkerVersions({ apiToken: cf.apiToken, accountId: cf.accountId, baseUrl: cf.baseUrl }),
    measure: engineMeasure(),
    clock: {
      now: () => clock,
      async sleep(ms) {
        await hooks.onSleep?.(ms);
        clock += ms;
      },
    },
    events: { stepStarted: async (step) => hooks.onStep?.(step.traffic) },
    log: (line) => lines.push(line),
    lines,
    now: () => clock,
  };
}

const served = (script: string) => Object.fromEntries(cf.traffic(script).map((v) => [v.versionId, v.requests]));

/** Users' requests, without the override header: the edge draws a version for each by the deployment's shares. */
async function users(url: string, count: number): Promise<void> {
  const scenario = parseScenario({ name: "users", requests: [{ path: "/" }], connections: 10, amount: count, timeout: "10s" }, "users");
  const run = await autocannonEngine(url, scenario).run({ shouldAbort: () => false });
  const failed = run.summary.metrics.http_req_failed?.values;
  assert.equal((failed?.passes ?? 0) + (failed?.fails ?? 0), count, "every user request was answered");
}

// The gate here is the error rate: latency on a shared, loaded machine says nothing about the versions.
const GATE = { metrics: ["error_rate"], settle: "5s" } as const;

test("a healthy candidate goes 10 → 50 → 100 and ends at 100 %; of 2,000 requests during the 10 % step it serves 10 % ± 3 %", async () => {
  const script = "shop-progressive";
  const versions = await stableAndCandidate(script);
  const target: RolloutTarget = { environment: "production", sha: "a".repeat(40), url: cf.workerUrl(script), script, ...versions };
  const plan = planRollout({ ...GATE, strategy: "progressive", stages: [{ traffic: 10, duration: "30m" }, { traffic: 50, duration: "1h" }, { traffic: 100 }], interval: "30m", requests: 20 }, "rollout.production")!;
  let step = -1;
  let share: { candidate: number; stable: number } | undefined;
  const p = ports({
    onStep: (traffic) => void (step = traffic),
    async onSleep() {
      if (step !== 10 || share) return;
      // Users' traffic while the 10 % step holds: the edge draws each request by the deployment's percentages.
      const beforeTraffic = served(script);
      await users(target.url, 2000);
      const afterTraffic = served(script);
      share = {
        candidate: afterTraffic[versions.candidate]! - (beforeTraffic[versions.candidate] ?? 0),
        stable: afterTraffic[versions.stable]! - (beforeTraffic[versions.stable] ?? 0),
      };
    },
  });
  const result = await runRollout(plan, target, p);
  assert.equal(result.outcome, "completed", p.lines.join("\n"));
  assert.deepEqual(result.steps.map((s) => s.traffic), [10, 50, 100]);
  assert.ok(share, "users' requests were sent during the 10 % step");
  assert.equal(share.candidate + share.stable, 2000);
  assert.ok(Math.abs(share.candidate / 2000 - 0.1) <= 0.03, `the candidate served ${share.candidate} of 2,000 (${((share.candidate / 20)).toFixed(1)} %)`);
  // Each measurement reached the version it named: the override header, not the split, chose it.
  for (const measurement of result.steps.flatMap((s) => s.measurements)) {
    assert.equal(measurement.candidate.requests, 20);
    assert.equal(measurement.candidate.failed, 0);
  }
  assert.deepEqual((await createWorkerVersions({ apiToken: cf.apiToken, accountId: cf.accountId, baseUrl: cf.baseUrl }).active(script)).versions, [{ versionId: versions.candidate, percentage: 100 }]);
  const answers = await Promise.all(Array.from({ length: 20 }, () => cf.request(`${target.url}/version`)));
  assert.ok(answers.every((a) => JSON.parse(a.text).build === "candidate"), "the candidate serves everything");
  assertNoViolations(cf);
});

test("a candidate whose error rate breaches at 10 % is aborted: the stable version serves 100 % within one step interval", async () => {
  const script = "shop-breach";
  const versions = await stableAndCandidate(script, true);
  const target: RolloutTarget = { environment: "production", sha: "b".repeat(40), url: cf.workerUrl(script), script, ...versions };
  const plan = planRollout({ ...GATE, strategy: "canary", traffic: 10, duration: "30m", interval: "1m", requests: 40, thresholds: { http_req_failed: ["rate<0.05"] } }, "rollout.production")!;
  const deploymentsBefore = cf.calls.count("workers.scripts.deployments.create");
  const p = ports();
  const startedAt = p.now();
  const result = await runRollout(plan, target, p);
  assert.equal(result.outcome, "aborted", p.lines.join("\n"));
  assert.equal(result.abort?.traffic, 10);
  assert.match(result.abort!.reason, /^http_req_failed rate=1 breached rate<0\.05$/);
  assert.equal(result.abort!.measurement!.candidate.failed, 40);
  assert.equal(result.abort!.measurement!.stable.failed, 0, "the stable version, measured side by side, is fine");
  assert.ok(result.abort!.restoredAt! <= plan.gate.intervalMs, `stable took all traffic back ${result.abort!.restoredAt} ms (virtual) into the step`);
  assert.ok(p.now() - startedAt <= plan.gate.intervalMs);
  assert.equal(cf.calls.count("workers.scripts.deployments.create") - deploymentsBefore, 2, "one deployment for the step, one for the abort");
  const active = cf.account.scripts.get(script)!.deployments.at(-1)!;
  assert.deepEqual(active.versions, [{ versionId: versions.stable, percentage: 100 }]);
  const beforeUsers = served(script);
  await users(target.url, 200);
  const afterUsers = served(script);
  assert.equal((afterUsers[versions.candidate] ?? 0) - (beforeUsers[versions.candidate] ?? 0), 0, "no user reaches the candidate after the abort");
  assertNoViolations(cf);
});

test("blue-green: the idle version is verified through the override header alone, then 100 % switches; switching back is one deployment", async () => {
  const script = "shop-blue-green";
  const versions = await stableAndCandidate(script);
  const target: RolloutTarget = { environment: "production", sha: "c".repeat(40), url: cf.workerUrl(script), script, ...versions };
  const plan = planRollout({ ...GATE, strategy: "blue-green", duration: "10m", interval: "5m", settle: "0s", requests: 30 }, "rollout.production")!;
  let idleShare: number | undefined;
  let step = -1;
  const p = ports({
    onStep: (traffic) => void (step = traffic),
    async onSleep() {
      if (step !== 0 || idleShare !== undefined) return;
      const beforeUsers = served(script);
      await users(target.url, 200);
      idleShare = (served(script)[versions.candidate] ?? 0) - (beforeUsers[versions.candidate] ?? 0);
    },
  });
  const result = await runRollout(plan, target, p);
  assert.equal(result.outcome, "completed", p.lines.join("\n"));
  assert.equal(idleShare, 0, "while idle, no user request reaches the candidate");
  assert.equal(result.steps[0]!.measurements.length, 3);
  assert.ok(result.steps[0]!.measurements.every((m) => m.candidate.requests === 30 && m.candidate.failed === 0));
  assert.equal(JSON.parse((await cf.request(`${target.url}/version`)).text).build, "candidate");

  const client = createWorkerVersions({ apiToken: cf.apiToken, accountId: cf.accountId, baseUrl: cf.baseUrl });
  const calls = cf.calls.length;
  await client.route(script, { versions: [{ versionId: versions.stable, percentage: 100 }] }, "switch back");
  assert.deepEqual(cf.calls.slice(calls).map((c) => c.operationId), ["workers.scripts.deployments.create"], "switching back is one API call");
  const answers = await Promise.all(Array.from({ length: 10 }, () => cf.request(`${target.url}/version`)));
  assert.ok(answers.every((a) => JSON.parse(a.text).build === "stable"));
  assertNoViolations(cf);
});

test("rollback re-points to the recorded version in one API call, and /version proves it; a pruned version is redeployed", async () => {
  const script = "shop-rollback";
  const versions = await stableAndCandidate(script);
  const client = createWorkerVersions({ apiToken: cf.apiToken, accountId: cf.accountId, baseUrl: cf.baseUrl });
  await client.route(script, { versions: [{ versionId: versions.candidate, percentage: 100 }] }, "candidate live");
  assert.equal(JSON.parse((await cf.request(`${cf.workerUrl(script)}/version`)).text).build, "candidate");

  let redeploys = 0;
  const rollbackPorts = { versions: client, redeploy: async () => void redeploys++, clock: { now: () => Date.now() }, log: () => {} };
  const calls = cf.calls.length;
  const outcome = await rollBack({ environment: "production", sha: "d".repeat(40), script, versionId: versions.stable }, rollbackPorts);
  assert.equal(outcome.method, "re-point");
  assert.deepEqual(cf.calls.slice(calls).map((c) => `${c.operationId} ${c.status}`), ["workers.scripts.deployments.create 200"], "one API call");
  assert.equal(redeploys, 0);
  const answers = await Promise.all(Array.from({ length: 10 }, () => cf.request(`${cf.workerUrl(script)}/version`)));
  assert.ok(answers.every((a) => JSON.parse(a.text).build === "stable"), "every request is served by the stable build again");

  // A version Cloudflare no longer has: nothing moves, the SHA is redeployed.
  const gone = await rollBack({ environment: "production", sha: "d".repeat(40), script, versionId: "00000000-0000-4000-8000-000000000000" }, rollbackPorts);
  assert.equal(gone.method, "redeploy");
  assert.match(gone.why!, /no longer has version 00000000/);
  assert.equal(redeploys, 1);
  assert.deepEqual((await client.active(script)).versions, [{ versionId: versions.stable, percentage: 100 }]);
  assertNoViolations(cf);
});
