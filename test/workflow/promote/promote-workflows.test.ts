// What the promotion workflows promise their callers: approval where GitHub shows "Review deployments",
// one operation per environment at a time (queued, never cancelled), least privilege, our own actions.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const load = (name: string) => parse(readFileSync(path.join(root, ".github/workflows", name), "utf8")) as Record<string, any>;

const deploying = { "deploy.yml": ["deploy", "environment"], "promote.yml": ["deploy", "to"], "rollback.yml": ["rollback", "environment"] } as const;

for (const [file, [job, input]] of Object.entries(deploying)) {
  test(`${file}: the deploying job runs in the target environment with its URL, serialized per environment`, () => {
    const workflow = load(file);
    assert.deepEqual(Object.keys(workflow.on), ["workflow_call"]);
    assert.deepEqual(workflow.permissions, {}, "nothing at workflow level: each job asks for what it needs");
    const deploy = workflow.jobs[job];
    assert.equal(deploy.environment.name, `\${{ inputs.${input} }}`);
    assert.match(deploy.environment.url, /^\$\{\{ steps\.\w+\.outputs\.url \}\}$/);
    assert.equal(deploy.concurrency.group, `alchkit-environment-\${{ github.repository }}-\${{ inputs.${input} }}`);
    assert.equal(deploy.concurrency["cancel-in-progress"], false);
    assert.deepEqual(deploy.permissions, { contents: "read", deployments: "write", statuses: "read", checks: "read" });
    const steps = deploy.steps as Array<{ uses?: string; with?: Record<string, unknown> }>;
    assert.ok(steps.some((step) => step.uses === "alchkit/alchkit@main"), "the setup action installs the app");
    const action = steps.find((step) => step.uses === "alchkit/alchkit/actions/promote@main");
    assert.ok(action, "our promote action does the work");
    const checkout = steps.find((step) => step.uses?.startsWith("actions/checkout@"))!;
    assert.equal(checkout.with!["fetch-depth"], 0, "the previous good SHA must be reachable for a rollback");
    assert.equal(checkout.with!["persist-credentials"], false);
  });
}

test("promote.yml and rollback.yml: a read-only plan job comes first, and the deploy job uses exactly its SHA", () => {
  for (const [file, job] of [["promote.yml", "deploy"], ["rollback.yml", "rollback"]] as const) {
    const workflow = load(file);
    const plan = workflow.jobs.plan;
    assert.equal(plan.environment, undefined, "planning needs no approval");
    assert.equal(plan.permissions.deployments, "read");
    const planStep = plan.steps.find((step: { id?: string }) => step.id === "plan");
    assert.equal(planStep.with["plan-only"], true);
    const deploy = workflow.jobs[job];
    assert.ok([deploy.needs].flat().includes("plan"), `${file}: ${job} needs the plan`);
    const checkout = deploy.steps.find((step: { uses?: string }) => step.uses?.startsWith("actions/checkout@"));
    assert.equal(checkout.with.ref, "${{ needs.plan.outputs.sha }}");
    const action = deploy.steps.find((step: { uses?: string }) => step.uses === "alchkit/alchkit/actions/promote@main");
    assert.equal(action.with.sha, "${{ needs.plan.outputs.sha }}");
  }
});

test("deploy.yml and promote.yml: a manual blue-green's switch is its own job, approved in its environment, switching the version the deploy job verified", () => {
  for (const [file, input, sha] of [["deploy.yml", "environment", "needs.deploy.outputs.sha"], ["promote.yml", "to", "needs.plan.outputs.sha"]] as const) {
    const workflow = load(file);
    const job = workflow.jobs.switch;
    assert.ok([job.needs].flat().includes("deploy"), `${file}: the switch follows the deploy job`);
    assert.equal(job.if, "${{ !cancelled() && needs.deploy.outputs.outcome == 'verified' }}", `${file}: only after a verified idle version`);
    assert.equal(job.environment.name, `\${{ inputs.switch-environment || inputs.${input} }}`, `${file}: the environment's reviewers approve the switch`);
    assert.deepEqual(job.permissions, { deployments: "write" }, `${file}: nothing but the ledger`);
    assert.equal(job.concurrency.group, `alchkit-environment-\${{ github.repository }}-\${{ inputs.${input} }}`);
    assert.equal(workflow.jobs.deploy.outputs["version-id"], `\${{ steps.${file === "deploy.yml" ? "deploy" : "promote"}.outputs.version-id }}`);
    const steps = job.steps as Array<{ uses?: string; with?: Record<string, unknown>; env?: Record<string, string> }>;
    assert.ok(!steps.some((step) => step.uses?.startsWith("actions/checkout@")), `${file}: no checkout, nothing built`);
    const action = steps.find((step) => step.uses === "alchkit/alchkit/actions/promote@main")!;
    assert.equal(action.with!.operation, "switch");
    assert.equal(action.with!.sha, `\${{ ${sha} }}`);
    assert.equal(action.with!.version, "${{ needs.deploy.outputs.version-id }}");
    assert.deepEqual(Object.keys(action.env!).sort(), ["CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN"]);
  }
});
