import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { GateFailure, InputError } from "../../../workflows-lib/errors.ts";
import { buildHttpSummary } from "../../../workflows-lib/loadgate/http-summary.ts";
import { deliver } from "../../../workflows-lib/rollout/deliver.ts";
import { planRollout } from "../../../workflows-lib/rollout/plan-rollout.ts";
import { createFileLedger, ledgerPath } from "../../../workflows-lib/local/ledger-file.ts";
import { fromCheckRun, type CommitCheck } from "../../../workflows-lib/promote/checks.ts";
import { liveOn, stateOf } from "../../../workflows-lib/promote/ledger.ts";
import type { DeployRequest, PromotionPorts } from "../../../workflows-lib/promote/ports.ts";
import {
  executePromotion,
  failureMessage,
  planPromotion,
  type PromotionOptions,
  type PromotionRequest,
} from "../../../workflows-lib/promote/run-promotion.ts";
import { switchOver } from "../../../workflows-lib/promote/switch-over.ts";

const A = "a".repeat(40);
const B = "b".repeat(40);

const options: PromotionOptions = {
  stages: { production: "prod" },
  envFilePattern: ".env.{environment}",
  appDir: ".",
  appEntry: "alchemy.run.ts",
  autoRollback: true,
  requiredChecks: [],
  ignoreChecks: [],
};

/**
 * A world of environments: `running[stage]` is the build each stage runs; `unhealthy` lists "sha@stage"
 * pairs whose health check fails (like an app missing a production setting).
 */
async function world(t: TestContext) {
  const dir = await mkdtemp(join(tmpdir(), "alchkit-promote-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const running: Record<string, string> = {};
  const deploys: DeployRequest[] = [];
  const unhealthy = new Set<string>();
  const broken = new Set<string>();
  const checks: Record<string, CommitCheck[]> = {};
  /** SHAs that are not on the default branch (e.g. a feature branch's commit). */
  const offMain = new Set<string>();
  const log: string[] = [];
  let clock = 0;
  const ports: PromotionPorts = {
    ledger: createFileLedger(ledgerPath(dir)),
    source: {
      async resolve(ref) {
        if (/^[0-9a-f]{40}$/.test(ref)) return ref;
        if (ref === "HEAD") return A;
        throw new InputError("sha", "a commit", ref);
      },
      async checkout(sha) {
        return join(dir, "worktrees", sha);
      },
    },
    runtime: {
      async deploy(request) {
        clock += 1000;
        deploys.push(request);
        if (broken.has(request.sha)) throw new Error("build failed");
        running[request.stage] = request.buildId;
        return { url: `http://${request.stage}.local`, urls: { api: `http://${request.stage}.local` } };
      },
    },
    health: {
      async probe(url) {
        clock += 500;
        const stage = new URL(url).hostname.split(".")[0]!;
        const healthy = !unhealthy.has(`${running[stage]}@${stage}`);
        return { healthy, attempts: healthy ? 1 : 3, detail: healthy ? "200" : "expected status 200, got 503" };
      },
    },
    lock: { acquire: async () => async () => {} },
    branches: { defaultBranchContains: async (sha) => ({ branch: "main", contains: !offMain.has(sha) }) },
    checks: { list: async (sha) => checks[sha] ?? [] },
    compare: { compare: async (_base, _head) => ({ commits: [{ sha: B, message: "Add orders" }], aheadBy: 1, behindBy: 0 }) },
    now: () => clock,
    log: (line) => log.push(line),
  };
  const run = async (request: PromotionRequest, extra: Partial<PromotionOptions> = {}) => {
    const plan = await planPromotion(request, { ...options, ...extra }, ports);
    return executePromotion(plan, { ...options, ...extra }, ports);
  };
  return { ports, running, deploys, unhealthy, broken, checks, offMain, run, log };
}

test("promotion: deploy, promote the SHA live on staging, and roll back automatically when production is unhealthy", async (t) => {
  const w = await world(t);
  const first = await w.run({ operation: "deploy", environment: "staging", ref: A });
  assert.equal(first.outcome, "deployed");
  assert.equal(w.deploys[0]!.envFile, ".env.staging");
  const promoted = await w.run({ operation: "promote", from: "staging", environment: "production" });
  assert.equal(promoted.outcome, "deployed");
  assert.equal(promoted.plan.sha, A, "the candidate is the SHA live on staging");
  assert.equal(w.running.prod, A);
  assert.deepEqual(w.deploys[1]!.stage, "prod");

  await w.run({ operation: "deploy", environment: "staging", ref: B });
  w.unhealthy.add(`${B}@prod`);
  const result = await w.run({ operation: "promote", from: "staging", environment: "production" });
  assert.equal(result.outcome, "rolled-back");
  assert.equal(result.plan.changes?.aheadBy, 1);
  assert.equal(result.rollback?.sha, A);
  assert.equal(w.running.prod, A, "production runs A again");
  assert.equal(w.deploys.at(-1)!.buildId, A);
  assert.equal((await liveOn(w.ports.ledger, "production"))?.sha, A);
  const history = await w.ports.ledger.history("production");
  assert.deepEqual(
    history.map((entry) => [entry.kind, entry.sha, stateOf(entry)]),
    [["auto-rollback", A, "success"], ["promote", A, "inactive"], ["promote", B, "failure"]],
    "each operation is its own entry: the first promotion (live until the rollback), the failed one, the automatic rollback",
  );
  assert.equal(history[0]!.about, history[2]!.id, "the automatic rollback is about the failed promotion");
  assert.equal(history[2]!.kind === "promote" && history[2]!.from, "staging");
  const message = failureMessage(result);
  assert.match(message, /rolled back to aaaaaaa/);
  assert.match(message, /health check failed after 3 attempt\(s\): expected status 200, got 503/);
  assert.match(message, /aaaaaaa is live again on production/);
  // Staging is untouched by production's trouble.
  assert.equal((await liveOn(w.ports.ledger, "staging"))?.sha, B);
});

test("promotion: a red required check refuses the promotion by name, before anything is deployed", async (t) => {
  const w = await world(t);
  await w.run({ operation: "deploy", environment: "staging", ref: A });
  w.checks[A] = [
    fromCheckRun({ name: "test", status: "completed", conclusion: "success" }),
    fromCheckRun({ name: "e2e", status: "completed", conclusion: "failure" }),
  ];
  const deploysBefore = w.deploys.length;
  await assert.rejects(
    w.run({ operation: "promote", from: "staging", environment: "production" }),
    (error: unknown) => error instanceof GateFailure && /required checks are not green: e2e \(failure\)/.test(error.message),
  );
  assert.equal(w.deploys.length, deploysBefore);
  assert.equal((await w.ports.ledger.history("production")).length, 0, "nothing recorded");
  // Only the named checks count when a list is given.
  const ok = await w.run({ operation: "promote", from: "staging", environment: "production" }, { requiredChecks: ["test"] });
  assert.equal(ok.outcome, "deployed");
});

test("promotion: manual rollback goes to the previous good SHA or a named one, and refuses unknown ones", async (t) => {
  const w = await world(t);
  await w.run({ operation: "deploy", environment: "production", ref: A });
  await w.run({ operation: "deploy", environment: "production", ref: B });
  const back = await w.run({ operation: "rollback", environment: "production" });
  assert.equal(back.outcome, "deployed");
  assert.equal(back.plan.sha, A);
  assert.equal(back.entry.kind, "rollback");
  assert.deepEqual(
    (await w.ports.ledger.history("production")).map((entry) => [entry.kind, entry.sha]),
    [["rollback", A], ["deploy", B], ["deploy", A]],
    "the rollback does not rewrite the deploy it restores",
  );
  assert.equal(w.running.prod, A);
  await assert.rejects(w.run({ operation: "rollback", environment: "production", ref: A }), /already live/);
  await assert.rejects(w.run({ operation: "rollback", environment: "production", ref: "c".repeat(40) }), InputError);
  await assert.rejects(w.run({ operation: "rollback", environment: "staging" }), /no earlier good deployment/);
});

test("promotion: a failed deploy with nothing to restore fails with its reason; auto-rollback off leaves it", async (t) => {
  const w = await world(t);
  w.broken.add(A);
  const result = await w.run({ operation: "deploy", environment: "production", ref: A });
  assert.equal(result.outcome, "failed");
  assert.match(result.error!, /build failed/);
  assert.match(failureMessage(result), /no earlier good deployment of production to restore/);
  w.broken.clear();
  await w.run({ operation: "deploy", environment: "production", ref: A });
  w.unhealthy.add(`${B}@prod`);
  const off = await w.run({ operation: "deploy", environment: "production", ref: B }, { autoRollback: false });
  assert.equal(off.outcome, "failed");
  assert.equal(off.rollback, undefined);
  assert.equal(w.running.prod, B);
  assert.equal((await liveOn(w.ports.ledger, "production"))?.sha, A, "the ledger still names the last healthy SHA");
});

test("promotion: a re-run of the same job continues its entry; a new job adds one, and earlier failures stay", async (t) => {
  const w = await world(t);
  await w.run({ operation: "deploy", environment: "production", ref: A, run: "github:1:deploy" });
  w.broken.add(B);
  const failed = await w.run({ operation: "deploy", environment: "production", ref: B, run: "github:2:deploy" }, { autoRollback: false });
  assert.equal(failed.outcome, "failed");
  w.broken.clear();
  // GitHub's "Re-run failed jobs": same run id and job.
  const rerun = await w.run({ operation: "deploy", environment: "production", ref: B, run: "github:2:deploy" });
  assert.equal(rerun.entry.id, failed.entry.id, "no duplicate for a re-run");
  assert.deepEqual(rerun.entry.statuses.map((status) => status.state), ["in_progress", "failure", "in_progress", "success"]);
  // A new run is a new entry.
  const again = await w.run({ operation: "deploy", environment: "production", ref: B, run: "github:3:deploy" });
  assert.notEqual(again.entry.id, failed.entry.id);
  assert.equal((await w.ports.ledger.history("production")).length, 3);
});

test("promotion: production-like environments only take SHAs on the default branch, for every operation", async (t) => {
  const w = await world(t);
  await w.run({ operation: "deploy", environment: "production", ref: A });
  w.offMain.add(B);
  const deploysBefore = w.deploys.length;
  await assert.rejects(
    w.run({ operation: "deploy", environment: "production", ref: B }),
    (error: unknown) => error instanceof GateFailure && /not on the default branch main/.test(error.message) && /merge it into main first/.test(error.message),
  );
  await w.run({ operation: "deploy", environment: "staging", ref: B });
  assert.equal(w.running.staging, B, "other environments take any SHA");
  await assert.rejects(w.run({ operation: "promote", from: "staging", environment: "production" }), /not on the default branch/);
  assert.equal(w.deploys.length, deploysBefore + 1, "nothing was deployed to production");
  assert.equal((await w.ports.ledger.history("production")).length, 1, "nothing recorded");
  // An older production deployment whose SHA left the default branch (a force-push) is no rollback target.
  w.offMain.delete(B);
  await w.run({ operation: "deploy", environment: "production", ref: B });
  w.offMain.add(A);
  await assert.rejects(w.run({ operation: "rollback", environment: "production" }), /aaaaaaa to production: it is not on the default branch/);
  // Nor does an automatic rollback restore it.
  const C = "c".repeat(40);
  w.unhealthy.add(`${C}@prod`);
  const result = await w.run({ operation: "deploy", environment: "production", ref: C });
  assert.equal(result.outcome, "rolled-back");
  assert.equal(result.rollback?.sha, B);
});

test("promotion: with an exclusive lock, an operation left in progress by a killed process is settled as error", async (t) => {
  const w = await world(t);
  const stale = await w.ports.ledger.append({ kind: "deploy", key: "local:dead:deploy:production:x", environment: "production", sha: A, ref: "main", payload: { stage: "prod", buildId: A, appEntry: "alchemy.run.ts", appDir: "." } });
  await w.ports.ledger.mark(stale, "in_progress");
  w.ports.lock.exclusive = true;
  await w.run({ operation: "deploy", environment: "production", ref: B });
  const entry = (await w.ports.ledger.history("production")).find((candidate) => candidate.id === stale.id)!;
  assert.equal(stateOf(entry), "error");
  assert.match(entry.statuses.at(-1)!.description!, /Abandoned/);
  assert.ok(w.log.some((line) => /was abandoned mid-deploy/.test(line)));
});

/** Workers versions for a world: the split serving now, every route taken, the versions the platform keeps. */
function withVersions(w: Awaited<ReturnType<typeof world>>, candidateStatus: () => number) {
  const summary = (status: number) => buildHttpSummary({ durationsByStatus: new Map([[status, [10, 11, 12]]]), errors: 0, bytesSent: 0, bytesReceived: 0, connections: [1], durationMs: 100 });
  const state = { serving: [{ versionId: "v-a", percentage: 100 }] as Array<{ versionId: string; percentage: number }> };
  const routes: string[] = [];
  const versions = new Set(["v-a"]);
  let clock = 0;
  const platform = {
    active: async () => ({ versions: state.serving }),
    durableObjectClasses: async () => [],
    route: async (_script: string, split: { versions: Array<{ versionId: string; percentage: number }> }) => {
      state.serving = split.versions;
      routes.push(split.versions.map((v) => `${v.versionId}:${v.percentage}`).join(" "));
    },
    restore: async (_script: string, versionId: string) => {
      if (!versions.has(versionId)) return false;
      state.serving = [{ versionId, percentage: 100 }];
      routes.push(`${versionId}:100`);
      return true;
    },
  };
  w.ports.delivery = {
    versions: platform,
    deliver: (plan, request, events) =>
      deliver(plan, { environment: request.environment, sha: request.sha }, {
        candidate: { upload: async () => (versions.add("v-b"), { script: "shop", url: "http://prod.local", candidate: "v-b" }) },
        versions: { ...platform, restore: async () => assert.fail("a rollout does not restore") },
        measure: { measure: async (target) => summary(target.versionId === "v-b" ? candidateStatus() : 200) },
        clock: { now: () => clock, sleep: async (ms) => void (clock += ms) },
        events,
        log: () => {},
      }),
  };
  return { state, routes, versions, platform };
}

test("a canary whose candidate breaches at 10 % is a rollout-abort entry with the numbers, the stable SHA live, nothing redeployed; a pruned version is redeployed", async (t) => {
  const w = await world(t);
  const { routes, versions } = withVersions(w, () => 500);
  // A is live with its version recorded (as the Cloudflare deployer records it).
  const deployA = w.ports.runtime.deploy;
  w.ports.runtime = { deploy: async (request) => ({ ...(await deployA(request)), versionId: "v-a", script: "shop" }) };
  assert.equal((await w.run({ operation: "deploy", environment: "production", ref: A })).outcome, "deployed");
  const deploysBefore = w.deploys.length;
  const rollout = planRollout({ strategy: "canary", traffic: 10, duration: "2m", metrics: ["error_rate"] }, "strategy")!;
  const result = await w.run({ operation: "deploy", environment: "production", ref: B }, { rollout });
  assert.equal(result.outcome, "failed");
  assert.match(result.error!, /rollout aborted at 10 %: http_req_failed/);
  assert.equal(w.deploys.length, deploysBefore, "nothing was redeployed: the stable version already serves");
  assert.deepEqual(routes, ["v-a:90 v-b:10", "v-a:100"]);
  const history = await w.ports.ledger.history("production");
  const abort = history.find((entry) => entry.kind === "rollout-abort")!;
  assert.equal(abort.sha, A, "the abort gives the stable SHA all traffic back");
  assert.equal(stateOf(abort), "success");
  assert.equal(abort.data?.traffic, 10);
  assert.equal((abort.data?.figures as { candidate: { errorRate: number } }).candidate.errorRate, 1);
  assert.equal((abort.data?.figures as { stable: { errorRate: number } }).stable.errorRate, 0);
  const step = history.find((entry) => entry.kind === "rollout-step")!;
  assert.equal(step.kind === "rollout-step" && step.payload.traffic, 10);
  assert.equal(stateOf(step), "failure");
  assert.equal((await liveOn(w.ports.ledger, "production"))?.sha, A);

  // B all at once, then a rollback to A: A's recorded version is re-pointed to; once pruned, A is redeployed.
  assert.equal((await w.run({ operation: "deploy", environment: "production", ref: B })).outcome, "deployed");
  const repointed = await w.run({ operation: "rollback", environment: "production", ref: A });
  assert.equal(repointed.outcome, "deployed");
  assert.equal(repointed.restoreMethod, "re-point");
  assert.equal(routes.at(-1), "v-a:100");
  assert.equal(w.deploys.at(-1)!.sha, B, "no rebuild of A");
  assert.equal((await w.run({ operation: "deploy", environment: "production", ref: B })).outcome, "deployed");
  versions.delete("v-a");
  const redeployed = await w.run({ operation: "rollback", environment: "production", ref: A });
  assert.equal(redeployed.restoreMethod, "redeploy");
  assert.equal(w.deploys.at(-1)!.sha, A);
  assert.ok(w.log.some((line) => /Cloudflare no longer has version v-a of shop; redeploying/.test(line)), w.log.join("\n"));
});

test("a manual blue-green verifies the idle version and waits; only this run's verified version is switched, and only while nothing changed", async (t) => {
  const w = await world(t);
  const { state, routes, platform } = withVersions(w, () => 200);
  const deployA = w.ports.runtime.deploy;
  w.ports.runtime = { deploy: async (request) => ({ ...(await deployA(request)), versionId: "v-a", script: "shop" }) };
  assert.equal((await w.run({ operation: "deploy", environment: "production", ref: A })).outcome, "deployed");
  const told: number[] = [];
  w.ports.steps = { passed: async (step) => void told.push(step.traffic) };
  const rollout = planRollout({ strategy: "blue-green", switchover: "manual", metrics: ["error_rate"] }, "strategy")!;
  const verified = await w.run({ operation: "deploy", environment: "production", ref: B, run: "github:77:deploy" }, { rollout });
  assert.equal(verified.outcome, "verified", verified.error);
  assert.deepEqual(told, [0], "the passed idle step is told as it passes");
  assert.deepEqual(routes, ["v-a:100 v-b:0"], "idle: in the deployment at 0 %, no traffic moved");
  assert.equal(stateOf(verified.entry), "queued", "the operation waits for the switch");
  assert.equal((await liveOn(w.ports.ledger, "production"))?.sha, A);
  const idle = (await w.ports.ledger.history("production")).find((e) => e.kind === "rollout-step")!;
  assert.equal(idle.kind === "rollout-step" && idle.payload.traffic, 0);
  assert.equal(idle.data?.verdict, "passed");

  const ports = { ...w.ports, versions: platform };
  const request = { environment: "production", sha: B, versionId: "v-b", verifiedBy: "github:77:", run: "github:77:switch" };
  await assert.rejects(switchOver({ ...request, versionId: "v-evil" }, { autoRollback: true }, ports), /version v-evil: this run verified bbbbbbb idle as version v-b .*only that version is switched/);
  await assert.rejects(switchOver({ ...request, verifiedBy: "github:78:" }, { autoRollback: true }, ports), /no idle version of bbbbbbb was verified by this run \(entries \d+ are another run's/);
  state.serving = [{ versionId: "v-c", percentage: 100 }];
  await assert.rejects(switchOver(request, { autoRollback: true }, ports), /serves v-c at 100 % now, not the stable version v-a .*changed since/);
  state.serving = [{ versionId: "v-a", percentage: 100 }, { versionId: "v-b", percentage: 0 }];
  assert.equal(routes.length, 1, "a refused switch moves nothing");

  const switched = await switchOver(request, { autoRollback: true }, ports);
  assert.equal(switched.outcome, "deployed", switched.error);
  assert.equal(routes.at(-1), "v-b:100", "all traffic in one deployment");
  assert.equal((await liveOn(w.ports.ledger, "production"))?.sha, B);
  const steps = (await w.ports.ledger.history("production")).filter((e) => e.kind === "rollout-step");
  assert.deepEqual(steps.map((e) => e.kind === "rollout-step" && e.payload.traffic).sort(), [0, 100]);
  assert.equal((await switchOver(request, { autoRollback: true }, ports)).outcome, "deployed", "a re-run of the switch changes nothing");
  assert.equal(routes.length, 2);

  // Switch back: the rollback re-points to A's recorded version.
  const back = await w.run({ operation: "rollback", environment: "production" });
  assert.equal(back.restoreMethod, "re-point");
  assert.equal(routes.at(-1), "v-a:100");

  // Unhealthy once switched: the stable version takes all traffic back at once.
  state.serving = [{ versionId: "v-a", percentage: 100 }];
  assert.equal((await w.run({ operation: "deploy", environment: "production", ref: B, run: "github:79:deploy" }, { rollout })).outcome, "verified");
  const sick = { ...ports, health: { probe: async () => ({ healthy: false, attempts: 3, detail: "expected status 200, got 503" }) } };
  const failed = await switchOver({ ...request, verifiedBy: "github:79:", run: "github:79:switch" }, { autoRollback: true }, sick);
  assert.equal(failed.outcome, "rolled-back");
  assert.deepEqual(routes.slice(-2), ["v-b:100", "v-a:100"]);
  assert.equal((await liveOn(w.ports.ledger, "production"))?.sha, A);
  assert.ok((await w.ports.ledger.history("production")).some((e) => e.kind === "rollout-abort" && e.sha === A && stateOf(e) === "success"));

  // A switch never made is superseded by the next operation, and can no longer be made.
  const waiting = await w.run({ operation: "deploy", environment: "production", ref: B, run: "github:80:deploy" }, { rollout });
  assert.equal(waiting.outcome, "verified");
  await w.run({ operation: "deploy", environment: "production", ref: A, run: "github:81:deploy" });
  assert.equal(stateOf((await w.ports.ledger.history("production")).find((e) => e.id === waiting.entry.id)!), "inactive");
  await assert.rejects(switchOver({ ...request, verifiedBy: "github:80:", run: "github:80:switch" }, { autoRollback: true }, ports), /is inactive, not waiting for a switch/);
});
