// The policy gate in deploy.yml and promote.yml: a job of its own before the deploy job (outside the target
// environment, so it runs before any approval and reviewers see its summary), on the exact SHA that is deployed,
// and the deploy job runs only when it passed (or was turned off).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

const root = path.resolve(import.meta.dirname, "../../..");
type Step = { uses?: string; with?: Record<string, unknown> };
type Job = { needs?: string | string[]; if?: string; environment?: unknown; permissions: Record<string, string>; steps: Step[] };
const load = (file: string) => parse(readFileSync(path.join(root, ".github/workflows", file), "utf8")) as { on: { workflow_call: { inputs: Record<string, { default?: unknown }> } }; jobs: Record<string, Job> };

for (const [file, sha, stageInput] of [
  ["promote.yml", "${{ needs.plan.outputs.sha }}", ["from", "${{ inputs.from }}"]],
  ["deploy.yml", "${{ inputs.sha || github.sha }}", ["stage", "${{ inputs.policy-stage }}"]],
] as const) {
  test(`${file}: the policy gate runs before the deploy job and its approval, on the SHA deployed`, () => {
    const workflow = load(file);
    assert.equal(workflow.on.workflow_call.inputs.policy!.default, true, "on unless turned off");
    const policy = workflow.jobs.policy!;
    assert.equal(policy.environment, undefined, "outside the target environment: no approval holds it");
    assert.equal(policy.if, "inputs.policy");
    assert.deepEqual(policy.permissions, { contents: "read", statuses: "read", checks: "read" });
    const checkout = policy.steps.find((s) => s.uses?.startsWith("actions/checkout@"))!;
    assert.equal(checkout.with!.ref, sha);
    assert.equal(checkout.with!["persist-credentials"], false);
    const gate = policy.steps.find((s) => s.uses === "alchkit/alchkit/actions/policy@main")!;
    assert.equal(gate.with!.sha, sha);
    assert.equal(gate.with![stageInput[0]], stageInput[1]);
    assert.equal(gate.with!.environment, file === "promote.yml" ? "${{ inputs.to }}" : "${{ inputs.environment }}");

    const deploy = workflow.jobs.deploy!;
    assert.ok(deploy.environment, "the deploy job is the one the environment's protection rules hold");
    assert.ok([deploy.needs].flat().includes("policy"));
    assert.match(deploy.if ?? "", /needs\.policy\.result == 'success' \|\| needs\.policy\.result == 'skipped'/, "a denied or failed gate deploys nothing");
    assert.match(deploy.if ?? "", /!cancelled\(\)/);
  });
}
