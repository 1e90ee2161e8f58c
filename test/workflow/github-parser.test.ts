// GitHub's own parser (@actions/workflow-parser) over everything the kit ships or writes: its workflows, its
// action manifests, every file `alchkit init` writes and every complete workflow the guides show. Zero errors,
// including the contracts of the reusable workflows the callers use (required inputs and secrets, unknown
// ones, types), which the parser checks by reading the called workflow.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { repoRoot } from "../harness/run-action.ts";
import { yamlBlocks } from "../support/markdown-blocks.ts";
import { parseActionFile, parseWorkflowFile } from "../support/workflow-parser.ts";
import { planInit } from "../../workflows-lib/init/plan-init.ts";

const workflows = readdirSync(path.join(repoRoot, ".github/workflows")).filter((f) => /\.ya?ml$/.test(f));
const manifests = [
  "action.yml",
  ...readdirSync(path.join(repoRoot, "actions"), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(repoRoot, "actions", d.name, "action.yml")))
    .map((d) => `actions/${d.name}/action.yml`),
];

test("every workflow of the kit parses with no error", async () => {
  assert.ok(workflows.length >= 10);
  const errors: string[] = [];
  for (const file of workflows) errors.push(...(await parseWorkflowFile(file, readFileSync(path.join(repoRoot, ".github/workflows", file), "utf8"))).errors);
  assert.deepEqual(errors, []);
});

test("every action manifest parses with no error", () => {
  const errors = manifests.flatMap((file) => parseActionFile(file, readFileSync(path.join(repoRoot, file), "utf8")).errors);
  assert.deepEqual(errors, []);
});

test("every workflow alchkit init writes parses with no error, calls included", async () => {
  const layouts = [
    { appDirectory: ".", entry: "alchemy.run.ts", packageManager: "npm" as const },
    { appDirectory: "apps/web", entry: "alchemy.run.mts", packageManager: "pnpm" as const },
  ];
  const errors: string[] = [];
  let files = 0;
  for (const layout of layouts) {
    for (const file of planInit({ ...layout, existing: {} }, "v1").filter((f) => f.path.startsWith(".github/workflows/"))) {
      files++;
      errors.push(...(await parseWorkflowFile(file.path, file.content)).errors);
    }
  }
  assert.equal(files, 12, "init writes six workflows");
  assert.deepEqual(errors, []);
});

test("every complete workflow the guides show parses with no error", async () => {
  const guides = ["README.md", ...readdirSync(path.join(repoRoot, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  const errors: string[] = [];
  let found = 0;
  for (const guide of guides) {
    for (const block of yamlBlocks(readFileSync(path.join(repoRoot, guide), "utf8"))) {
      let doc: unknown;
      try {
        doc = parse(block.text);
      } catch {
        continue; // not YAML on its own; the docs contract test reports it
      }
      if (!doc || typeof doc !== "object" || !("on" in doc) || !("jobs" in doc)) continue;
      found++;
      for (const error of (await parseWorkflowFile(`${guide}:${block.line}`, block.text)).errors) errors.push(error);
    }
  }
  assert.ok(found >= 5, `only ${found} complete workflows in the guides`);
  assert.deepEqual(errors, []);
});

test("the parser refuses what GitHub refuses: a broken call contract, a job cycle, an unknown context, an expression in a manifest description", async () => {
  const call = "on: push\njobs:\n  deploy:\n    uses: alchkit/alchkit/.github/workflows/deploy.yml@v1\n    with:\n      enviroment: staging\n";
  assert.deepEqual((await parseWorkflowFile("call.yml", call)).errors, [
    "call.yml (Line: 4, Col: 11): Input environment is required, but not provided while calling.",
    "call.yml (Line: 6, Col: 19): Invalid input, enviroment is not defined in the referenced workflow.",
  ]);
  const cycle = "on: push\njobs:\n  a:\n    needs: b\n    runs-on: ubuntu-latest\n    steps: [{ run: echo }]\n  b:\n    needs: a\n    runs-on: ubuntu-latest\n    steps: [{ run: echo }]\n";
  assert.match((await parseWorkflowFile("cycle.yml", cycle)).errors.join("\n"), /at least one job with no dependencies/);
  const context = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{ run: 'echo ${{ matrx.name }}' }]\n";
  assert.match((await parseWorkflowFile("context.yml", context)).errors.join("\n"), /Unrecognized named-value: 'matrx'/);
  const manifest = "name: x\ndescription: y\ninputs:\n  token:\n    description: 'e.g. ${{ secrets.TOKEN }}'\nruns:\n  using: node24\n  main: index.js\n";
  assert.match(parseActionFile("action.yml", manifest).errors.join("\n"), /Unrecognized named-value: 'secrets'/);
});
