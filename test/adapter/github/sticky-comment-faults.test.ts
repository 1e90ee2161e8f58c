import { test } from "node:test";
import assert from "node:assert/strict";
import { assertNoViolations, startGitHubStandIn, type GitHubStandIn } from "../../github/index.ts";
import { createGitHubClient } from "../../../workflows-lib/github/client.ts";
import { upsertStickyComment } from "../../../workflows-lib/github/sticky-comment.ts";
import { commentFaultCampaign } from "../../support/comment-fault-campaign.ts";

async function setup(t: { after(fn: () => Promise<void>): void }) {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = createGitHubClient({ token: gh.token, baseUrl: gh.url, timeScale: 0.005 });
  const upsert = (body: string) =>
    upsertStickyComment(octokit, { owner: "octo", repo: "app", issueNumber: 1, purpose: "faults", body, backoffMs: 5 });
  return { gh, upsert };
}

const marked = (gh: GitHubStandIn) =>
  [...gh.state.repo("octo/app")!.comments.values()].filter((c) => (c as { body: string }).body.includes("alchkit:sticky:faults"));

test("three 502s on create, then success: exactly one comment", async (t) => {
  const { gh, upsert } = await setup(t);
  const rule = gh.faults.add({ route: "issues/create-comment", kind: 502, times: 3 });
  const result = await upsert("hello");
  assert.equal(result.outcome, "created");
  assert.equal(rule.hits, 3);
  assert.equal(marked(gh).length, 1);
  assertNoViolations(gh);
});

test("a secondary rate limit with retry-after is waited out: exactly one comment", async (t) => {
  const { gh, upsert } = await setup(t);
  const rule = gh.faults.add({ route: "issues/create-comment", kind: "secondary-rate-limit", times: 1, retryAfter: 2 });
  const result = await upsert("hello");
  assert.equal(result.outcome, "created");
  assert.equal(rule.hits, 1);
  assert.equal(gh.calls.count("issues/create-comment"), 2);
  assert.equal(marked(gh).length, 1);
  assertNoViolations(gh);
});

test("a connection dropped after the write happened does not duplicate the comment", async (t) => {
  const { gh, upsert } = await setup(t);
  gh.faults.add({ route: "issues/create-comment", kind: "reset-after-write", times: 1 });
  const result = await upsert("hello");
  assert.equal(result.outcome, "created");
  assert.equal(marked(gh).length, 1);
  assert.equal(gh.calls.count("issues/create-comment"), 1, "found the written comment instead of posting again");
  assertNoViolations(gh);
});

test("502s on updates and lists are retried; the comment converges", async (t) => {
  const { gh, upsert } = await setup(t);
  await upsert("v1");
  gh.faults.add({ route: "issues/list-comments", kind: 502, times: 2 });
  gh.faults.add({ route: "issues/update-comment", kind: 503, times: 2 });
  const result = await upsert("v2");
  assert.equal(result.outcome, "updated");
  assert.deepEqual(marked(gh).map((c) => (c as { body: string }).body.split("\n")[1]), ["v2"]);
  assertNoViolations(gh);
});

test("fault campaign: 20 % of calls faulted over 50 runs of actions/comment, no duplicate comment", async () => {
  const result = await commentFaultCampaign({ runs: 50, rate: 0.2, seed: 11 });
  console.log(`campaign: ${JSON.stringify(result)}`);
  assert.ok(result.faulted > 10, "the campaign injected faults");
  assert.equal(result.duplicates, 0);
  assert.equal(result.markedComments, 1);
  assert.ok(result.lastBodyIsLatest, "the comment holds the last successful run's body");
  assert.equal(result.violations, 0);
});
