// The reusable ci.yml keeps the promises its guide makes: one summary check that always runs and sees every
// result, an empty matrix that is skipped rather than rejected, least privilege, and inputs wired through.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../../harness/run-action.ts";

type Step = { uses?: string; with?: Record<string, unknown>; if?: string; id?: string; run?: string };
type Job = { name?: string; needs?: string | string[]; if?: string; permissions?: Record<string, string>; strategy?: { matrix?: unknown; "fail-fast"?: unknown }; steps: Step[]; outputs?: Record<string, string> };
const workflow = parse(readFileSync(join(repoRoot, ".github/workflows/ci.yml"), "utf8")) as {
  on: { workflow_call: { inputs: Record<string, unknown> } };
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
};
const { plan, test: matrixJob, summary } = workflow.jobs as { plan: Job; test: Job; summary: Job };
const matrixStep = (job: Job, command: string) => job.steps.find((s) => s.uses?.startsWith("alchkit/alchkit/actions/matrix@") && s.with?.command === command);

test("ci.yml: the summary job always runs, needs every job and reads their results", () => {
  assert.equal(summary.name, "summary", "the check name users require is '<caller> / summary'");
  assert.equal(summary.if, "always()");
  assert.deepEqual([summary.needs].flat().sort(), ["plan", "test"]);
  const step = matrixStep(summary, "summary");
  assert.ok(step);
  assert.equal(step.with!["plan-result"], "${{ needs.plan.result }}");
  assert.equal(step.with!["test-result"], "${{ needs.test.result }}");
  assert.equal(step.with!.matrix, undefined, "the matrix comes as an artifact: a large one does not fit an input");
  const planUpload = plan.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
  assert.equal(planUpload?.with?.path, "${{ steps.plan.outputs.matrix-path }}");
  assert.match(String(planUpload?.with?.name), /^alchkit-matrix-/, "the summary's download pattern picks it up");
});

test("ci.yml: the matrix comes from the plan and an empty one is skipped", () => {
  assert.equal(matrixJob.strategy?.matrix, "${{ fromJSON(needs.plan.outputs.matrix) }}");
  assert.match(matrixJob.if ?? "", /needs\.plan\.outputs\.count != '0'/);
  assert.equal(matrixJob.name, "${{ matrix.name }}");
  const run = matrixStep(matrixJob, "run");
  assert.equal(run?.with?.entry, "${{ toJSON(matrix) }}");
  assert.equal(run?.with?.["package-manager"], "${{ needs.plan.outputs.package-manager }}");
  const upload = matrixJob.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
  assert.ok(upload?.if?.includes("always()"), "a failed package still uploads its report");
  const download = summary.steps.find((s) => s.uses?.startsWith("actions/download-artifact@"));
  assert.equal(download?.with?.pattern, "alchkit-matrix-*");
  assert.match(String(upload?.with?.name), /^alchkit-matrix-/);
  assert.equal(download?.with?.path, matrixStep(summary, "summary")?.with?.["reports-dir"]);
});

test("ci.yml: least privilege", () => {
  assert.deepEqual(workflow.permissions, {});
  assert.deepEqual(plan.permissions, { contents: "read" });
  assert.deepEqual(matrixJob.permissions, { contents: "read" });
  assert.deepEqual(summary.permissions, {});
  for (const job of [plan, matrixJob]) {
    const checkout = job.steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    assert.equal(checkout?.with?.["persist-credentials"], false, "no token left in .git/config for package scripts");
  }
});

test("ci.yml: every workflow input reaches the action", () => {
  const text = readFileSync(join(repoRoot, ".github/workflows/ci.yml"), "utf8");
  for (const name of Object.keys(workflow.on.workflow_call.inputs)) {
    assert.ok(text.includes(`inputs.${name} }}`), `input ${name} is used`);
  }
});
