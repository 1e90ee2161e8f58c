// actions/preview checks a fork's opt-in again against the event, whatever its caller computed: a push to an
// opted-in fork pull request is not deployed, and the opt-in label is withdrawn so the new commits get a review.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertNoViolations, startGitHubStandIn } from "../../github/index.ts";
import { runActionDist } from "../../harness/run-action.ts";
import { pullRequestEvent } from "../../support/pr-event.ts";
import { decideFork } from "../../../workflows-lib/preview/fork-policy.ts";

test("a push to an opted-in fork PR: no deployment, the label withdrawn, the comment says why", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const pull = gh.seed.pull("octo/app", { head: "patch-1", fork: "mallory", title: "Typo", labels: ["preview", "docs"] });
  const event = pullRequestEvent(gh, { number: pull.number, action: "synchronize", fork: "mallory", labels: ["preview", "docs"] });
  // A caller that decides from the label alone (the mistake the reusable workflow no longer makes).
  const result = await runActionDist({
    action: "preview",
    eventName: "pull_request_target",
    inputs: { "allow-fork": "true", "fork-label": "preview" },
    event,
    github: { url: gh.url, token: gh.token },
  });
  assert.equal(result.exitCode, 0, result.log);
  assert.equal(result.outputs.status, "skipped-fork");
  assert.equal(gh.calls.count("repos/create-deployment"), 0);
  assert.deepEqual(pull.labels, ["docs"], "the stale opt-in label is removed");
  const body = [...gh.state.repo("octo/app")!.comments.values()].map((c) => (c as { body: string }).body).join("\n");
  assert.match(body, /New commits were pushed .* after it was opted in/);
  assertNoViolations(gh);
});

test("the fork policy: only the labeled event of the opt-in label, only on pull_request_target; closing destroys", () => {
  const base = { isFork: true, mode: "deploy" as const, allowFork: true, forkLabel: "preview" };
  const target = (action: string, label?: string, labels = ["preview"]) => ({ eventName: "pull_request_target", action, ...(label ? { label } : {}), labels });
  assert.deepEqual(decideFork({ ...base, trigger: target("labeled", "preview") }), { kind: "opted-in" });
  assert.deepEqual(decideFork({ ...base, trigger: target("synchronize") }), { kind: "refused", reason: "new-commits", withdrawLabel: true });
  assert.deepEqual(decideFork({ ...base, trigger: target("labeled", "bug") }), { kind: "refused", reason: "not-opted-in", withdrawLabel: false });
  assert.deepEqual(decideFork({ ...base, trigger: target("opened") }), { kind: "refused", reason: "not-opted-in", withdrawLabel: false });
  assert.deepEqual(decideFork({ ...base, trigger: { eventName: "pull_request", action: "labeled", label: "preview", labels: ["preview"] } }), { kind: "refused", reason: "no-secrets-event", withdrawLabel: false });
  assert.deepEqual(decideFork({ ...base, mode: "destroy", trigger: target("closed") }), { kind: "destroy" });
  assert.deepEqual(decideFork({ ...base, allowFork: false, trigger: target("synchronize") }), { kind: "refused", reason: "new-commits", withdrawLabel: true });
  assert.deepEqual(decideFork({ ...base, isFork: false, allowFork: false, trigger: target("synchronize") }), { kind: "same-repository" });
});
