// A pull request's life through actions/preview, as GitHub would run it: built dist through the runner
// harness, GitHub played by the stand-in, the example app really running on workerd (runtime: local).
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { assertNoViolations, startGitHubStandIn } from "../../github/index.ts";
import { runActionDist } from "../../harness/run-action.ts";
import { pullRequestEvent } from "../../support/pr-event.ts";
import { CONSUMER_APP_DIR } from "../../support/local-app.ts";
import { isListening } from "../../../workflows-lib/alchemy/process-group.ts";

type Deployment = { id: number; sha: string; environment: string; statuses: Array<{ state: string; environment_url?: string }> };

test("opened → synchronize → re-run → closed: one comment, one deployment per SHA, all inactive, stage gone", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const prefix = `pv${randomBytes(2).toString("hex")}-`;
  const stage = `${prefix}1`;
  const repo = gh.state.repo("octo/app")!;
  const shaA = gh.defaults!.headSha;
  const run = (action: string, headSha: string, runAttempt = 1) =>
    runActionDist({
      action: "preview",
      inputs: { runtime: "local", "working-directory": CONSUMER_APP_DIR, "stage-prefix": prefix, "health-path": "/health" },
      event: pullRequestEvent(gh, { action, headSha }),
      github: { url: gh.url, token: gh.token },
      runAttempt,
      timeoutMs: 150_000,
    });
  let port: number | undefined;
  t.after(async () => {
    // Whatever happened above, leave no app running.
    await run("closed", shaA).catch(() => undefined);
  });

  const opened = await run("opened", shaA);
  assert.equal(opened.exitCode, 0, opened.log);
  assert.equal(opened.outputs.status, "deployed");
  assert.equal(opened.outputs.stage, stage);
  const urlA = opened.outputs.url!;
  port = Number(new URL(urlA).port);
  assert.deepEqual(await (await fetch(new URL("version", urlA))).json(), { build: shaA, variant: "standard" });
  assert.match(opened.summary, /Preview ready/);

  // Second push, with 50 comments by people in between.
  const shaB = gh.seed.commit("octo/app", { branch: "feature/orders", message: "feat: more orders", files: { "src/more.ts": "export {}\n" } }).sha;
  for (let i = 0; i < 50; i++) gh.seed.comment("octo/app", 1, `Looks good ${i}`);
  gh.calls.reset();
  const pushed = await run("synchronize", shaB);
  assert.equal(pushed.exitCode, 0, pushed.log);
  const updateCalls = gh.calls.length;
  console.log(`GitHub calls for one preview update on a PR with 50 other comments: ${updateCalls} (${gh.calls.all.map((c) => c.operationId).join(", ")})`);
  // Identity of the token (GraphQL viewer) and the check that the replaced deployment is this preview's cost one call each.
  assert.ok(updateCalls <= 8, `${updateCalls} calls`);
  assert.deepEqual(await (await fetch(new URL("version", pushed.outputs.url!))).json(), { build: shaB, variant: "standard" });

  // GitHub re-runs the same job: same SHA, attempt 2.
  const rerun = await run("synchronize", shaB, 2);
  assert.equal(rerun.exitCode, 0, rerun.log);
  assert.equal(rerun.outputs["deployment-id"], pushed.outputs["deployment-id"], "a re-run reuses the deployment of its SHA");

  const marked = () => [...repo.comments.values()].filter((c) => (c as { body: string }).body.includes("alchkit:sticky:preview")) as Array<{ body: string; id: number }>;
  assert.equal(marked().length, 1);
  assert.match(marked()[0]!.body, /Preview ready/);
  assert.match(marked()[0]!.body, /History \(1 earlier deploy\)/);

  const closed = await run("closed", shaB);
  assert.equal(closed.exitCode, 0, closed.log);
  assert.equal(closed.outputs.status, "destroyed");

  const comments = marked();
  assert.equal(comments.length, 1, "exactly one sticky comment");
  assert.equal(comments[0]!.id, Number(opened.outputs["comment-id"]), "updated in place every time");
  assert.match(comments[0]!.body, /Preview destroyed/);
  assert.match(comments[0]!.body, /Teardown verified: the stage's state is empty/);

  const deployments = [...repo.deployments.values()] as unknown as Deployment[];
  assert.deepEqual(deployments.map((d) => d.sha).sort(), [shaA, shaB].sort(), "one deployment per pushed SHA");
  for (const d of deployments) {
    assert.equal(d.environment, `preview/${stage}`);
    const states = d.statuses.map((s) => s.state);
    assert.equal(states[states.length - 1], "inactive", `deployment of ${d.sha} ends inactive: ${states}`);
    assert.ok(states.includes("in_progress") && states.includes("success"), `${d.sha}: ${states}`);
  }
  assert.equal(await isListening(port!), false, "nothing listens on the preview's port any more");
  assertNoViolations(gh);
});

test("a fork PR gets no deploy, an explanatory comment, and exit 0", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const result = await runActionDist({
    action: "preview",
    inputs: { runtime: "local", "working-directory": CONSUMER_APP_DIR },
    event: pullRequestEvent(gh, { action: "opened", fork: "mallory" }),
    github: { url: gh.url, token: gh.token },
  });
  assert.equal(result.exitCode, 0, result.log);
  assert.equal(result.outputs.status, "skipped-fork");
  const bodies = [...gh.state.repo("octo/app")!.comments.values()].map((c) => (c as { body: string }).body);
  assert.equal(bodies.length, 1);
  assert.match(bodies[0]!, /comes from the fork `mallory\/app`/);
  assert.equal(gh.calls.count("repos/create-deployment"), 0);
  assert.ok(result.annotations.some((a) => a.level === "notice" && /fork/.test(a.message)));
  assertNoViolations(gh);
});

test("bad input: a push event has no pull request to preview", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const result = await runActionDist({ action: "preview", eventName: "push", event: { ref: "refs/heads/main" }, github: { url: gh.url, token: gh.token } });
  assert.equal(result.exitCode, 1);
  assert.deepEqual(result.annotations.filter((a) => a.level === "error").map((a) => a.message), [
    "Input event: expected a pull_request or pull_request_target event (previews are per pull request)",
  ]);
  assert.equal(gh.calls.length, 0);
});
