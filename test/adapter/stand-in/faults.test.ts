import assert from "node:assert/strict";
import { test } from "node:test";
import { assertNoViolations, startGitHubStandIn, type GitHubStandIn } from "../../github/index.ts";
import { plainOctokit, resilientOctokit, type LimitEvent } from "./octokit.ts";

const target = { owner: "octo", repo: "app", issue_number: 1 } as const;

function comments(gh: GitHubStandIn): string[] {
  return [...gh.state.repo("octo/app")!.comments.values()].map((c) => c.body);
}

test("three 502s then success: the retry plugin ends with exactly one comment", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const rule = gh.faults.add({ route: "issues/create-comment", kind: 502, times: 3 });

  const created = await resilientOctokit(gh).rest.issues.createComment({ ...target, body: "once" });

  assert.equal(created.status, 201);
  assert.equal(rule.hits, 3);
  assert.deepEqual(
    gh.calls.of("issues/create-comment").map((c) => [c.status, c.faulted]),
    [
      [502, 502],
      [502, 502],
      [502, 502],
      [201, undefined],
    ],
  );
  assert.deepEqual(comments(gh), ["once"], "faulted calls wrote nothing");
  assertNoViolations(gh);
});

test("500 and 503 reach a client without retries as those statuses, and change nothing", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  gh.faults.add({ route: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", kind: 500, times: 1 });
  gh.faults.add({ route: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", kind: 503, times: 1 });
  const octokit = plainOctokit(gh);

  await assert.rejects(octokit.rest.issues.createComment({ ...target, body: "a" }), { status: 500 });
  await assert.rejects(octokit.rest.issues.createComment({ ...target, body: "b" }), { status: 503 });
  await octokit.rest.issues.createComment({ ...target, body: "c" });

  assert.deepEqual(comments(gh), ["c"]);
  assertNoViolations(gh);
});

test("secondary rate limit: 403 with GitHub's message and retry-after, the throttling plugin waits and retries once", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  gh.faults.add({ route: "issues/create-comment", kind: "secondary-rate-limit", times: 1, retryAfter: 7 });
  const limits: LimitEvent[] = [];

  const raw = await plainOctokit(gh)
    .rest.issues.createComment({ ...target, body: "probe" })
    .catch((e: { status: number; message: string; response: { headers: Record<string, string> } }) => e);
  gh.faults.add({ route: "issues/create-comment", kind: "secondary-rate-limit", times: 1, retryAfter: 7 });
  await resilientOctokit(gh, limits).rest.issues.createComment({ ...target, body: "once" });

  assert.ok("message" in raw);
  assert.equal(raw.status, 403);
  assert.match(raw.message, /You have exceeded a secondary rate limit/);
  assert.equal(raw.response.headers["retry-after"], "7");
  assert.deepEqual(limits, [{ kind: "secondary", retryAfter: 7 }]);
  assert.deepEqual(comments(gh), ["once"]);
  assertNoViolations(gh);
});

test("429 carries retry-after and an exhausted rate limit; the resilient client retries to one comment", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  gh.faults.add({ route: "issues/create-comment", kind: 429, times: 2, retryAfter: 2 });

  const raw = await plainOctokit(gh)
    .rest.issues.createComment({ ...target, body: "probe" })
    .catch((e: { status: number; response: { headers: Record<string, string> } }) => e);
  await resilientOctokit(gh).rest.issues.createComment({ ...target, body: "once" });

  assert.ok("response" in raw);
  assert.equal(raw.status, 429);
  assert.equal(raw.response.headers["retry-after"], "2");
  assert.equal(raw.response.headers["x-ratelimit-remaining"], "0");
  assert.deepEqual(
    gh.calls.of("issues/create-comment").map((c) => c.status),
    [429, 429, 201],
  );
  assert.deepEqual(comments(gh), ["once"]);
  assertNoViolations(gh);
});

test("connection reset before the write: the client sees a network error, retries, one comment", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  gh.faults.add({ route: "issues/create-comment", kind: "reset", times: 1 });

  await assert.rejects(plainOctokit(gh).rest.issues.createComment({ ...target, body: "lost" }), (e: { status?: number }) => e.status === 500);
  assert.deepEqual(comments(gh), [], "a reset call writes nothing");

  gh.faults.add({ route: "issues/create-comment", kind: "reset", times: 1 });
  await resilientOctokit(gh).rest.issues.createComment({ ...target, body: "once" });
  assert.deepEqual(comments(gh), ["once"]);
  assert.deepEqual(
    gh.calls.all.map((c) => c.faulted),
    ["reset", "reset", undefined],
  );
  assertNoViolations(gh);
});

test("reset after the write: the write happened, so a naive retry duplicates the comment", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  gh.faults.add({ route: "issues/create-comment", kind: "reset-after-write", times: 1 });

  await resilientOctokit(gh).rest.issues.createComment({ ...target, body: "twice" });

  assert.deepEqual(comments(gh), ["twice", "twice"]);
  assert.deepEqual(
    gh.calls.of("issues/create-comment").map((c) => [c.faulted, c.status]),
    [
      ["reset-after-write", undefined],
      [undefined, 201],
    ],
  );
});

test("latency delays the answer but not its content", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const rule = gh.faults.add({ route: "GET *", kind: "latency", latencyMs: 30 });

  const pull = await plainOctokit(gh).rest.pulls.get({ owner: "octo", repo: "app", pull_number: 1 });

  assert.equal(pull.data.number, 1);
  assert.equal(rule.hits, 1);
  assert.equal(gh.calls.last()!.faulted, "latency");
  assert.equal(gh.calls.served.length, 1);
  assertNoViolations(gh);
});

test("probabilistic faults are reproducible with the same seed and differ with another", async (t) => {
  async function campaign(seed: number): Promise<(number | string | undefined)[]> {
    const gh = await startGitHubStandIn({ seed });
    t.after(() => gh.close());
    gh.faults.add({ route: "*", kind: 503, probability: 0.3 });
    const octokit = plainOctokit(gh);
    for (let i = 0; i < 40; i++) await octokit.rest.repos.get({ owner: "octo", repo: "app" }).catch(() => undefined);
    return gh.calls.all.map((c) => c.faulted);
  }
  const a = await campaign(7);
  const b = await campaign(7);
  const c = await campaign(8);

  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  const faulted = a.filter((f) => f === 503).length;
  assert.ok(faulted > 0 && faulted < 40, `some but not all calls faulted (${faulted}/40)`);
});

test("faults can be listed, removed and cleared; GraphQL calls are faultable too", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);
  const rule = gh.faults.add({ route: "repos/get", kind: 502 });
  gh.faults.add({ route: "graphql", kind: 503, times: 1 });
  assert.equal(gh.faults.active.length, 2);

  await assert.rejects(octokit.rest.repos.get({ owner: "octo", repo: "app" }), { status: 502 });
  rule.remove();
  await octokit.rest.repos.get({ owner: "octo", repo: "app" });
  await assert.rejects(octokit.graphql("query { viewer { login } }"), { status: 503 });
  gh.faults.clear();
  const viewer = await octokit.graphql<{ viewer: { login: string } }>("query { viewer { login } }");

  assert.equal(viewer.viewer.login, "github-actions[bot]");
  assert.equal(gh.faults.active.length, 0);
  assert.deepEqual(
    gh.calls.of("graphql").map((c) => c.status),
    [503, 200],
  );
  assertNoViolations(gh);
});
