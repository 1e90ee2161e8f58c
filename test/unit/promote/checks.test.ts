import assert from "node:assert/strict";
import { test } from "node:test";
import { evaluateChecks, fromCheckRun, fromStatuses, describeFailing } from "../../../workflows-lib/promote/checks.ts";

const run = (name: string, status: string, conclusion: string | null) =>
  fromCheckRun({ name, status, conclusion, html_url: `https://github.example/runs/${name}` });

test("checks: by default every check run and status on the SHA must be green, and the red ones are named", () => {
  const checks = [
    run("test", "completed", "success"),
    run("lint", "completed", "skipped"),
    run("e2e", "completed", "timed_out"),
    run("deploy-preview", "in_progress", null),
    ...fromStatuses([
      { context: "ci/legacy", state: "failure" },
      { context: "ci/legacy", state: "success" }, // older: the newest status of a context wins
      { context: "coverage", state: "success" },
    ]),
  ];
  const verdict = evaluateChecks(checks, []);
  assert.equal(verdict.ok, false);
  assert.deepEqual(verdict.failing.map((check) => check.name), ["e2e", "deploy-preview", "ci/legacy"]);
  assert.equal(describeFailing(verdict), "e2e (timed_out), deploy-preview (in_progress), ci/legacy (failure)");
  assert.deepEqual(verdict.passing, ["test", "lint", "coverage"]);
});

test("checks: a required list counts only the named checks, and a missing one fails", () => {
  const checks = [run("test", "completed", "success"), run("e2e", "completed", "failure")];
  assert.equal(evaluateChecks(checks, ["test"]).ok, true);
  const verdict = evaluateChecks(checks, ["test", "security"]);
  assert.deepEqual(verdict.failing, [{ name: "security", detail: "not reported on this commit" }]);
  // A name reported both ways must be green both ways.
  const both = [run("ci", "completed", "success"), ...fromStatuses([{ context: "ci", state: "error" }])];
  assert.deepEqual(evaluateChecks(both, ["ci"]).failing.map((check) => check.detail), ["error"]);
  // The promotion's own job is ignored.
  assert.equal(evaluateChecks([run("promote / plan", "in_progress", null)], [], ["promote / plan"]).ok, true);
});
