import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { GateFailure, InputError } from "../../../workflows-lib/errors.ts";
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
    checks: { list: async (sha) => checks[sha] ?? [] },
    compare: { compare: async (_base, _head) => ({ commits: [{ sha: B, message: "Add orders" }], aheadBy: 1, behindBy: 0 }) },
    now: () => clock,
    log: (line) => log.push(line),
  };
  const run = async (request: PromotionRequest, extra: Partial<PromotionOptions> = {}) => {
    const plan = await planPromotion(request, { ...options, ...extra }, ports);
    return executePromotion(plan, { ...options, ...extra }, ports);
  };
  return { ports, running, deploys, unhealthy, broken, checks, run, log };
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
  const states = Object.fromEntries((await w.ports.ledger.history("production")).map((e) => [e.sha, stateOf(e)]));
  assert.deepEqual(states, { [A]: "success", [B]: "failure" });
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
  assert.equal(back.plan.payload.operation, "rollback");
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
