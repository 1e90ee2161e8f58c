// The pull request story as GitHub runs it: init's preview.yml calls the kit's preview.yml for `pull_request`
// opened → synchronize → closed, under act on this machine, against the GitHub stand-in, the example app on
// workerd (ALCHKIT_RUNTIME=local). What the stand-in records is what the preview action's own tests expect.
// A local app lives as long as its job, as on a GitHub runner (act removes the job's folder when it ends): its
// health is what the job's probe saw, in the comment.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { tool } from "../../support/tools.ts";
import { CONSUMER } from "../../act/consumer-repo.ts";
import { pullRequestEvent } from "../../act/events.ts";
import { resultsOf } from "../../act/run-act.ts";
import { assertNoViolations, assertPassed, startActStory, type ActStory } from "../../act/story.ts";

const act = tool("act", "running the kit's workflows");



let story: ActStory;
before(async () => {
  if (!act.skip) story = await startActStory(act.require());
});
after(() => story?.close());

const stickyComments = () =>
  [...story.gh.state.repo(CONSUMER)!.comments.values()].filter((c) => c.body.includes("alchkit:sticky:preview"));
const deployments = () => [...story.gh.state.repo(CONSUMER)!.deployments.values()];

test("opened → synchronize → closed: one sticky comment, one deployment per SHA, the URL and stage out of workflow_call", { skip: act.skip }, async () => {
  const { repo, gh } = story;
  const shaA = repo.commit("feature/notes", "Orders: a note on each order", { "NOTES.md": "Orders may carry a note.\n" });
  let pr = repo.pullRequest(1, "feature/notes");

  const opened = await story.run("preview.yml", await pullRequestEvent(gh, CONSUMER, 1, "opened"), pr.merge);
  assertPassed(opened, "opened");
  assert.deepEqual(resultsOf(opened, "preview/preview"), ["success"]);
  assert.equal(opened.needs.preview?.result, "success");
  assert.equal(opened.needs.preview?.outputs?.stage, "pr-1", "the stage flows out of workflow_call");
  const urlA = opened.needs.preview?.outputs?.url ?? "";
  assert.match(urlA, /^http:\/\/(localhost|127\.0\.0\.1):\d+\/$/, "the URL flows out of workflow_call");
  assert.equal(stickyComments().length, 1);
  const first = stickyComments()[0]!.body;
  assert.match(first, /Preview ready/);
  assert.ok(first.includes(urlA) && first.includes(shaA.slice(0, 7)), "the comment links the URL and the PR's head commit");
  assert.match(first, /200 on `\/health`/, "the job's health probe reached the app");
  const commentId = stickyComments()[0]!.id;

  const shaB = repo.commit("feature/notes", "Orders: notes are optional", { "NOTES.md": "Orders may carry an optional note.\n" });
  pr = repo.pullRequest(1, "feature/notes");
  const pushed = await story.run("preview.yml", await pullRequestEvent(gh, CONSUMER, 1, "synchronize", { before: shaA }), pr.merge);
  assertPassed(pushed, "synchronize");
  const urlB = pushed.needs.preview?.outputs?.url ?? "";
  assert.ok(stickyComments()[0]?.body.includes(urlB) && stickyComments()[0]!.body.includes(shaB.slice(0, 7)));
  assert.equal(stickyComments().length, 1, "still one comment");
  assert.equal(stickyComments()[0]!.id, commentId, "edited in place");
  assert.match(stickyComments()[0]!.body, /History \(1 earlier deploy\)/);

  pr.pull.state = "closed";
  pr.pull.closedAt = new Date().toISOString();
  const closed = await story.run("preview.yml", await pullRequestEvent(gh, CONSUMER, 1, "closed"), pr.merge);
  assertPassed(closed, "closed");
  assert.deepEqual(resultsOf(closed, "preview/preview"), ["success"], "closing runs the job: it destroys the stage");
  assert.equal(closed.needs.preview?.outputs?.url, "", "a destroyed preview has no URL");
  assert.equal(stickyComments().length, 1);
  assert.match(stickyComments()[0]!.body, /Preview destroyed/);
  assert.match(stickyComments()[0]!.body, /Teardown verified/);

  assert.deepEqual(deployments().map((d) => d.sha).sort(), [shaA, shaB].sort(), "one deployment per pushed SHA");
  const successUrl = (sha: string) => deployments().find((d) => d.sha === sha)?.statuses.find((s) => s.state === "success")?.environmentUrl;
  assert.equal(successUrl(shaA), urlA, '"View deployment" opens the preview of that push');
  assert.equal(successUrl(shaB), urlB);
  for (const d of deployments()) {
    assert.equal(d.environment, "preview/pr-1");
    const states = d.statuses.map((s) => s.state);
    assert.ok(states.includes("in_progress") && states.includes("success"), `${d.sha}: ${states}`);
    assert.equal(states.at(-1), "inactive", `the deployment of ${d.sha.slice(0, 7)} ends inactive: ${states}`);
  }
  assertNoViolations(gh);
});

test("a pull request from a fork deploys nothing and says why", { skip: act.skip }, async () => {
  const { repo, gh } = story;
  repo.commit("patch-1", "Typo", { "NOTES.md": "Typo fixed.\n" }, { push: false });
  const pr = repo.pullRequest(2, "patch-1", { fork: "mallory" });
  const before = deployments().length;
  // GitHub gives pull_request runs from forks no secrets.
  const run = await story.run("preview.yml", await pullRequestEvent(gh, CONSUMER, 2, "opened"), pr.merge, { secrets: {} });
  assertPassed(run, "fork pull request");
  assert.equal(run.needs.preview?.outputs?.url, "");
  assert.equal(deployments().length, before, "no deployment for a fork");
  const comments = [...gh.state.repo(CONSUMER)!.comments.values()].filter((c) => c.issueNumber === 2);
  assert.equal(comments.length, 1);
  assert.match(comments[0]!.body, /comes from the fork `mallory\/app`/);
  assertNoViolations(gh);
});
