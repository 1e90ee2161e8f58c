// The load gate guide's workflow (docs/load-gate.md, `pr.yml`: preview, load, baseline) under act. A push to
// main load-tests staging (a running app, the repository variable STAGING_URL) in the default-branch job, which
// records the baseline on the data branch and reports through workflow_call; the pull-request jobs are
// skipped. A closed pull request destroys its preview and skips the load test.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { tool } from "../../support/tools.ts";
import { documentedWorkflow } from "../../support/markdown-blocks.ts";
import { startLocalApp, type RunningLocalApp } from "../../support/local-app.ts";
import { CONSUMER } from "../../act/consumer-repo.ts";
import { pullRequestEvent, pushEvent } from "../../act/events.ts";
import { resultsOf } from "../../act/run-act.ts";
import { assertNoViolations, assertPassed, startActStory, type ActStory } from "../../act/story.ts";

const act = tool("act", "running the kit's workflows");

let story: ActStory;
let staging: RunningLocalApp;
before(async () => {
  if (act.skip) return;
  story = await startActStory(act.require());
  staging = await startLocalApp({ buildId: "staging" });
});
after(async () => {
  await staging?.stop();
  await story?.close();
});

test("a push to main load-tests staging: the default-branch job records the baseline, the PR jobs are skipped", { skip: act.skip }, async () => {
  const { repo, gh } = story;
  const before = repo.work.git("rev-parse", "main");
  const sha = repo.commit("main", "Gate pull requests on load", { ".github/workflows/pr.yml": documentedWorkflow("docs/load-gate.md", "pr.yml") });
  const run = await story.run("pr.yml", await pushEvent(gh, CONSUMER, "refs/heads/main", before, sha), sha, {
    vars: { STAGING_URL: staging.baseUrl.replace(/\/$/, "") },
  });
  assertPassed(run, "push to main");
  assert.equal(run.needs.preview?.result, "skipped", "no preview on a push");
  assert.equal(run.needs.load?.result, "skipped", "no pull request load test on a push");
  assert.equal(run.needs.baseline?.result, "success");
  assert.deepEqual(resultsOf(run, "baseline/default-branch"), ["success"]);
  assert.deepEqual(resultsOf(run, "baseline/pull-request"), ["skipped"], "the workflow's PR job is skipped on a push");
  const outputs = run.needs.baseline?.outputs ?? {};
  assert.equal(outputs.passed, "true", "`passed` flows out of workflow_call from whichever job ran");
  const result = JSON.parse(outputs.result ?? "{}") as { passed?: boolean; thresholds?: Array<{ metric: string; ok: boolean }> };
  assert.equal(result.passed, true);
  assert.ok((result.thresholds ?? []).some((t) => t.metric === "http_req_duration" && t.ok), "the thresholds of load/thresholds.json were judged");
  const data = gh.state.repo(CONSUMER)!;
  const head = data.refs.get("refs/heads/alchkit-data");
  assert.ok(head, "the baseline branch exists");
  assert.ok([...data.commits.get(head)!.tree.keys()].some((f) => f.includes("load-gate")), "and holds this gate's baseline");
  assert.deepEqual(run.artifacts, ["load-gate-load-gate-1"], "the summary, verdict and report as an artifact");
  assertNoViolations(gh);
});

test("a closed pull request destroys its preview and skips the load test", { skip: act.skip }, async () => {
  const { repo, gh } = story;
  repo.commit("feature/notes", "Orders: notes", { "NOTES.md": "Orders may carry a note.\n" });
  const pr = repo.pullRequest(1, "feature/notes");
  pr.pull.state = "closed";
  pr.pull.closedAt = new Date().toISOString();
  const run = await story.run("pr.yml", await pullRequestEvent(gh, CONSUMER, 1, "closed"), pr.merge);
  assertPassed(run, "closed pull request");
  assert.equal(run.needs.preview?.result, "success", "closing runs the preview job: it destroys the stage");
  assert.equal(run.needs.load?.result, "skipped", "nothing to load-test on a closed pull request");
  assert.equal(run.needs.baseline?.result, "skipped");
  assert.deepEqual(resultsOf(run, "load/pull-request"), [], "the load workflow is not even called");
  assertNoViolations(gh);
});
