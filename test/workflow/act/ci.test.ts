// init's ci.yml calling the kit's ci.yml under act for pull requests: the plan's matrix reaches the package
// jobs and the workflow's outputs, a docs-only change skips the package jobs and passes, and `ci / summary`
// — the one check a branch rule requires — fails when a package job fails. Planted defects in a copy of ci.yml
// that actionlint and GitHub's parser accept fail these same checks.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { tool } from "../../support/tools.ts";
import { CONSUMER } from "../../act/consumer-repo.ts";
import { pullRequestEvent } from "../../act/events.ts";
import { plantDefect, defectiveWorkflow, type PlantedDefect } from "../../act/planted-defects.ts";
import { resultsOf, type ActRun } from "../../act/run-act.ts";
import { assertNoViolations, assertPassed, startActStory, type ActStory } from "../../act/story.ts";
import { parseWorkflowFile } from "../../support/workflow-parser.ts";
import { actionlint } from "../../../workflows-lib/workflow-lint/actionlint.ts";

const act = tool("act", "running the kit's workflows");

let story: ActStory;
before(async () => {
  if (act.skip) return;
  story = await startActStory(act.require());
  const { repo } = story;
  repo.commit("greet-politely", "greet: politer", {
    "packages/greet/index.js": 'export const greet = (name) => `Hello, ${name}`;\nexport const polite = (name) => `${greet(name)}, welcome`;\n',
  });
  repo.commit("docs-only", "README: how to run the tests", { "README.md": "# orders\n\nRun `npm test` in a package.\n" });
  repo.commit("shout-quietly", "shout: quieter", {
    "packages/shout/shout.test.js": 'import { test } from "node:test";\nimport assert from "node:assert/strict";\nimport { shout } from "./index.js";\n\ntest("shouts", () => assert.equal(shout("Ada"), "hello, ada"));\n',
  });
});
after(() => story?.close());

/** Runs init's ci.yml for pull request `number` from `branch` opened now. */
async function ciRun(number: number, branch: string, rewriteUses?: (uses: string) => string): Promise<ActRun> {
  const pr = story.repo.pullRequest(number, branch);
  return story.run("ci.yml", await pullRequestEvent(story.gh, CONSUMER, number, "opened"), pr.merge, rewriteUses ? { rewriteUses } : {});
}

function assertAffectedBothPackages(run: ActRun): void {
  assertPassed(run, "a change to packages/greet");
  assert.deepEqual(resultsOf(run, "ci/plan"), ["success"]);
  assert.deepEqual(resultsOf(run, "ci/@orders/greet"), ["success"], "greet changed");
  assert.deepEqual(resultsOf(run, "ci/@orders/shout"), ["success"], "shout depends on greet");
  assert.deepEqual(resultsOf(run, "ci/summary"), ["success"]);
  const outputs = run.needs.ci?.outputs ?? {};
  assert.equal(outputs.count, "2", "the plan's count flows out of workflow_call");
  assert.deepEqual((JSON.parse(outputs.matrix ?? "{}") as { include: Array<{ name: string }> }).include.map((e) => e.name).sort(), ["@orders/greet", "@orders/shout"]);
  assert.equal(outputs.ok, "true", "the summary's verdict flows out");
}

function assertDocsOnlySkipsPackages(run: ActRun): void {
  assertPassed(run, "a docs-only change");
  assert.deepEqual(resultsOf(run, "ci/plan"), ["success"]);
  assert.deepEqual(resultsOf(run, "ci/test"), ["skipped"], "no package job for a docs-only change");
  assert.deepEqual(resultsOf(run, "ci/summary"), ["success"], "and the required check passes");
  assert.equal(run.needs.ci?.outputs?.count, "0");
  assert.equal(run.needs.ci?.outputs?.ok, "true");
}

function assertSummaryFailsWithPackage(run: ActRun): void {
  assert.notEqual(run.exitCode, 0, "the run fails");
  assert.deepEqual(resultsOf(run, "ci/@orders/shout"), ["failure"]);
  assert.deepEqual(resultsOf(run, "ci/@orders/greet"), [], "greet does not depend on shout: not in the matrix");
  assert.deepEqual(resultsOf(run, "ci/summary"), ["failure"], "ci / summary fails when a package job fails");
  assert.match(run.log, /CI matrix: 1 of 1 packages? failed: @orders\/shout/);
}

test("a change to one package runs it and its dependents; the matrix and the verdict flow out of workflow_call", { skip: act.skip }, async () => {
  story.gh.calls.reset();
  assertAffectedBothPackages(await ciRun(1, "greet-politely"));
  assert.deepEqual(story.gh.calls.all.filter((c) => c.method !== "GET").map((c) => c.operationId), [], "CI writes nothing to GitHub (contents: read): its verdict is the jobs' results");
  assertNoViolations(story.gh);
});

test("a docs-only change skips the package jobs and ci / summary passes", { skip: act.skip }, async () => {
  assertDocsOnlySkipsPackages(await ciRun(2, "docs-only"));
});

test("ci / summary fails when a package job fails", { skip: act.skip }, async () => {
  assertSummaryFailsWithPackage(await ciRun(3, "shout-quietly"));
});

const defects: Array<PlantedDefect & { run: [number, string]; check: (run: ActRun) => void; fails: RegExp }> = [
  {
    workflow: "ci.yml",
    what: "a misspelt step output in the plan job's outputs",
    replace: ["count: ${{ steps.plan.outputs.count }}", "count: ${{ steps.plan.outputs.cuont }}"],
    run: [4, "docs-only"],
    check: assertDocsOnlySkipsPackages,
    fails: /'' !== '0'|Expected values to be strictly equal/,
  },
  {
    workflow: "ci.yml",
    what: "a summary that no longer runs when a job it needs did not succeed (its `if: always()` dropped)",
    replace: ["    needs: [plan, test]\n    if: always()\n", "    needs: [plan, test]\n"],
    // The cheapest run that shows it: the package jobs are skipped, so the required check is skipped too —
    // and after a failing package job it would be skipped just the same, which GitHub counts as passing.
    run: [5, "docs-only"],
    check: assertDocsOnlySkipsPackages,
    fails: /the required check passes/,
  },
];

for (const defect of defects) {
  test(`planted defect, ${defect.what}: lint and GitHub's parser accept it, the run fails the check`, { skip: act.skip }, async () => {
    const text = defectiveWorkflow(defect);
    assert.deepEqual(await actionlint(defect.workflow, text), [], "actionlint sees nothing wrong");
    assert.deepEqual((await parseWorkflowFile(defect.workflow, text)).errors, [], "nor does GitHub's workflow parser");
    const run = await ciRun(defect.run[0], defect.run[1], plantDefect(story.repo.work.dir, defect));
    assert.throws(() => defect.check(run), defect.fails);
  });
}
