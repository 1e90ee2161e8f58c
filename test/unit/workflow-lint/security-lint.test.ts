import { test } from "node:test";
import assert from "node:assert/strict";
import { lintWorkflowSecurity } from "../../../workflows-lib/workflow-lint/security-lint.ts";
import { checkActionManifest, checkUsesContracts, ownActionName, ownWorkflowFile } from "../../../workflows-lib/workflow-lint/contracts.ts";

const good = `name: ok
on: pull_request
permissions:
  contents: read
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@08eba0b27e820071cde6df949e0beb9ba4906955 # v4.3.0
      - uses: alchkit/alchkit/actions/comment@main
      - run: echo "$TITLE"
        env:
          TITLE: \${{ github.event.pull_request.title }}
`;

test("a careful workflow passes", () => {
  assert.deepEqual(lintWorkflowSecurity("ok.yml", good), []);
});

test("missing top-level permissions is reported", () => {
  const f = lintWorkflowSecurity("w.yml", good.replace("permissions:\n  contents: read\n", ""));
  assert.deepEqual(f.map((x) => x.rule), ["permissions"]);
});

test("tags, branches and SHAs without a version comment are reported", () => {
  for (const uses of ["actions/checkout@v4", "actions/checkout@main", "actions/checkout@08eba0b27e820071cde6df949e0beb9ba4906955"]) {
    const f = lintWorkflowSecurity("w.yml", good.replace("actions/checkout@08eba0b27e820071cde6df949e0beb9ba4906955 # v4.3.0", uses));
    assert.deepEqual(f.map((x) => x.rule), ["pinning"], uses);
    assert.equal(f[0]!.line, 9);
  }
});

test("event data, head_ref and inputs inside run: are script injection", () => {
  for (const expr of ["github.event.pull_request.title", "github.head_ref", "inputs.stage"]) {
    const text = good.replace('run: echo "$TITLE"', `run: echo "\${{ ${expr} }}"`);
    const f = lintWorkflowSecurity("w.yml", text);
    assert.deepEqual(f.map((x) => x.rule), ["script-injection"], expr);
  }
  assert.deepEqual(lintWorkflowSecurity("w.yml", good.replace('run: echo "$TITLE"', 'run: echo "${{ github.sha }}"')), []);
});

test("action manifests must describe themselves and run on node24 or composite", () => {
  assert.deepEqual(checkActionManifest("a.yml", { name: "n", description: "d", inputs: { x: { description: "x" } }, runs: { using: "node24", main: "dist/index.js" } }), []);
  const problems = checkActionManifest("a.yml", { inputs: { x: {} }, outputs: { y: null }, runs: { using: "node20", main: "x" } }).map((p) => p.message);
  assert.deepEqual(problems, ["has no `name`", "has no `description`", "input `x` has no description", "output `y` has no description", "runs.using is `node20`; expected `node24` or `composite`"]);
});

test("action manifests: an expression in a description fails the action's loading on the runner", () => {
  const manifest = {
    name: "n",
    description: "d",
    inputs: { token: { description: "e.g. `${{ secrets.TOKEN }}`" }, entry: { description: "the entry, `toJSON(matrix)`" } },
    outputs: { url: { description: "${{ github.server_url }}/x" } },
    runs: { using: "node24", main: "dist/index.js" },
  };
  assert.deepEqual(
    checkActionManifest("a.yml", manifest).map((p) => p.message),
    [
      "input `token`'s description holds `${{ }}`, which the runner evaluates with no context: the action fails to load",
      "output `url`'s description holds `${{ }}`, which the runner evaluates with no context: the action fails to load",
    ],
  );
});

test("uses: contracts: undeclared and missing required inputs", () => {
  const manifest = { inputs: { body: { description: "", required: true }, mode: { description: "", default: "upsert" } } };
  const doc = { jobs: { a: { steps: [{ uses: "alchkit/alchkit/actions/comment@main", with: { bdy: "x" } }] } } };
  const problems = checkUsesContracts("w.yml", doc, (u) => (ownActionName(u) === "comment" ? manifest : undefined), () => undefined).map((p) => p.message);
  assert.deepEqual(problems, [
    "jobs.a.steps[0]: `alchkit/alchkit/actions/comment@main` has no input `bdy`",
    "jobs.a.steps[0]: `alchkit/alchkit/actions/comment@main` needs input `body`",
  ]);
  const workflow = { on: { workflow_call: { inputs: { stage: { required: true } }, secrets: { TOKEN: {} } } } };
  const call = { jobs: { p: { uses: "alchkit/alchkit/.github/workflows/preview.yml@v1", with: { stag: 1 }, secrets: { TOKN: "x" } } } };
  const wp = checkUsesContracts("w.yml", call, () => undefined, (u) => (ownWorkflowFile(u) === "preview.yml" ? workflow : undefined)).map((p) => p.message);
  assert.equal(wp.length, 3);
});
