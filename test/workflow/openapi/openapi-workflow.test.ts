// The reusable OpenAPI workflow's promises that actionlint cannot see: the least privilege, the base commit
// checked out beside the PR and handed to the action, no secrets (fork PRs run it too), artifacts uploaded
// even when the check fails.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { repoRoot } from "../../harness/run-action.ts";

type Step = { name?: string; id?: string; if?: string; uses?: string; run?: string; with?: Record<string, string> };
const text = readFileSync(join(repoRoot, ".github/workflows/openapi.yml"), "utf8");
const workflow = parse(text) as {
  on: { workflow_call: { inputs: Record<string, { default?: unknown }>; secrets?: unknown } };
  permissions: Record<string, string>;
  jobs: Record<string, { permissions?: unknown; env: Record<string, string>; steps: Step[] }>;
};
const job = workflow.jobs.openapi!;
const step = (uses: string, index = 0) => job.steps.filter((s) => s.uses?.startsWith(uses))[index]!;

test("least privilege and no secrets: read the code, write the PR comment, nothing else", () => {
  // Granted per job (the refuse job gets none).
  assert.deepEqual(workflow.permissions, {});
  assert.deepEqual(job.permissions, { contents: "read", "pull-requests": "write" });
  assert.equal(workflow.on.workflow_call.secrets, undefined);
  assert.doesNotMatch(text, /secrets\./);
  assert.ok(job.steps.every((s) => s.run === undefined), "no shell step: inputs reach code only through `with:`");
  for (const checkout of job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) {
    assert.equal(checkout.with?.["persist-credentials"], false as unknown as string);
  }
});

test("the base commit is checked out beside the PR and is the action's base-dir", () => {
  const base = step("actions/checkout@", 1);
  assert.equal(base.with?.ref, "${{ github.event.pull_request.base.sha }}");
  assert.equal(base.with?.path, ".alchkit-base");
  assert.match(job.env.BASE_DIR!, /github\.event\.pull_request && inputs\.url == '' && format\('\.alchkit-base\/\{0\}', inputs\.working-directory\)/);
  assert.equal(base.if, "env.BASE_DIR != ''", "no base checkout when both sides come from URLs");
  const check = step("alchkit/alchkit/actions/openapi@");
  assert.equal(check.with?.["base-dir"], "${{ env.BASE_DIR }}");
  assert.equal(step("actions/checkout@", 0).with?.ref, "${{ github.event.pull_request.head.sha || github.sha }}");
  const installs = job.steps.filter((s) => s.uses === "alchkit/alchkit@main");
  assert.deepEqual(installs.map((s) => s.with?.["working-directory"]), ["${{ inputs.working-directory }}", "${{ env.BASE_DIR }}"]);
});

test("every option reaches the action, with the label override defaulting to api-breaking-ok", () => {
  const check = step("alchkit/alchkit/actions/openapi@");
  for (const input of ["module", "export", "file", "command", "title", "api-version", "openapi", "fail-on", "override-label", "ignore", "working-directory", "url", "base-url"]) {
    assert.equal(check.with?.[input], `\${{ inputs.${input} }}`, input);
  }
  assert.equal(workflow.on.workflow_call.inputs["override-label"]?.default, "api-breaking-ok");
  assert.equal(workflow.on.workflow_call.inputs["fail-on"]?.default, "error");
});

test("the descriptions and the docs are uploaded even when the check fails", () => {
  const [specs, docs] = job.steps.filter((s) => s.uses?.startsWith("actions/upload-artifact@"));
  assert.match(specs!.if!, /^always\(\) && steps\.check\.outputs\.spec != ''$/);
  assert.equal(specs!.with?.path, "${{ runner.temp }}/alchkit-openapi");
  assert.match(step("alchkit/alchkit/actions/openapi@").with?.["spec-output"] ?? "", /^\$\{\{ runner\.temp \}\}\/alchkit-openapi\//);
  assert.match(docs!.if!, /always\(\) && inputs\.docs/);
});
