import assert from "node:assert/strict";
import { test } from "node:test";
import { RequestError } from "@octokit/request-error";
import { assertNoViolations, startGitHubStandIn } from "../../github/index.ts";
import { plainOctokit } from "./octokit.ts";

async function rejection(promise: Promise<unknown>): Promise<RequestError> {
  const error = await promise.then(
    () => assert.fail("expected the call to fail"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof RequestError, `expected a RequestError, got ${String(error)}`);
  return error;
}

test("a route GitHub does not have answers 404 like GitHub and is recorded", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);

  const error = await rejection(octokit.request("GET /repos/{owner}/{repo}/deployment", { owner: "octo", repo: "app" }));

  assert.equal(error.status, 404);
  assert.equal((error.response?.data as { message: string }).message, "Not Found");
  assert.equal(gh.violations.length, 1);
  assert.equal(gh.violations[0]!.kind, "unknown-route");
  assert.equal(gh.violations[0]!.path, "/repos/octo/app/deployment");
  assert.throws(() => assertNoViolations(gh), /unknown-route.*GET \/repos\/octo\/app\/deployment/s);
});

test("a deployment without ref answers 422 Validation Failed and is recorded; nothing is created", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);

  const error = await rejection(octokit.request("POST /repos/{owner}/{repo}/deployments", { owner: "octo", repo: "app", environment: "staging" } as never));

  assert.equal(error.status, 422);
  const body = error.response?.data as { message: string; documentation_url: string; errors: { field: string; code: string; resource: string }[] };
  assert.equal(body.message, "Validation Failed");
  assert.match(body.documentation_url, /^https:\/\/docs\.github\.com\/rest\/deployments/);
  assert.deepEqual(
    body.errors.map((e) => [e.resource, e.field, e.code]),
    [["Deployment", "ref", "missing_field"]],
  );
  assert.equal(gh.violations.length, 1);
  assert.equal(gh.violations[0]!.kind, "request");
  assert.equal(gh.violations[0]!.operationId, "repos/create-deployment");
  assert.equal(gh.state.repo("octo/app")!.deployments.size, 0);
});

test("a value outside the documented enum and a wrongly typed path parameter are rejected", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);

  const badState = await rejection(
    octokit.request("POST /repos/{owner}/{repo}/statuses/{sha}", { owner: "octo", repo: "app", sha: gh.defaults!.headSha, state: "passed" } as never),
  );
  const badNumber = await rejection(octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner: "octo", repo: "app", issue_number: "first" } as never));

  assert.equal(badState.status, 422);
  assert.equal(badNumber.status, 404);
  assert.deepEqual(
    gh.violations.map((v) => [v.kind, v.operationId]),
    [
      ["request", "repos/create-commit-status"],
      ["request", "issues/list-comments"],
    ],
  );
  assert.equal(gh.state.repo("octo/app")!.commitStatuses.length, 0);
});

test("a response the stand-in would send wrongly is caught by response validation", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);
  const created = await octokit.rest.issues.createComment({ owner: "octo", repo: "app", issue_number: 1, body: "hello" });
  assertNoViolations(gh);

  gh.responseMutations.add(
    "issues/get-comment",
    (body) => {
      const copy = { ...(body as Record<string, unknown>) };
      delete copy.node_id;
      copy.id = String(copy.id);
      return copy as never;
    },
    1,
  );
  await octokit.rest.issues.getComment({ owner: "octo", repo: "app", comment_id: created.data.id });
  await octokit.rest.issues.getComment({ owner: "octo", repo: "app", comment_id: created.data.id });

  assert.equal(gh.violations.length, 1, "only the mutated answer is wrong");
  const [violation] = gh.violations;
  assert.equal(violation!.kind, "response");
  assert.equal(violation!.operationId, "issues/get-comment");
  const messages = violation!.errors.map((e) => e.message).join("\n");
  assert.match(messages, /must have required property 'node_id'/);
  assert.match(messages, /\/id must be integer/);
});

test("a body on a documented no-content answer is a violation", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);
  const created = await octokit.rest.issues.createComment({ owner: "octo", repo: "app", issue_number: 1, body: "bye" });
  gh.responseMutations.add("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", () => ({ deleted: true }));

  await octokit.rest.issues.deleteComment({ owner: "octo", repo: "app", comment_id: created.data.id });

  assert.deepEqual(
    gh.violations.map((v) => [v.kind, v.status]),
    [["response", 204]],
  );
});

test("a missing or wrong token answers 401 like GitHub", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());

  const anonymous = await rejection(plainOctokit({ url: gh.url, token: "" }).rest.repos.get({ owner: "octo", repo: "app" }));
  const wrong = await rejection(plainOctokit({ url: gh.url, token: "ghp_wrong" }).rest.repos.get({ owner: "octo", repo: "app" }));

  assert.equal(anonymous.status, 401);
  assert.equal((anonymous.response?.data as { message: string }).message, "Requires authentication");
  assert.equal(wrong.status, 401);
  assert.equal((wrong.response?.data as { message: string }).message, "Bad credentials");
  assert.deepEqual(
    gh.calls.all.map((c) => [c.operationId, c.status]),
    [
      ["repos/get", 401],
      ["repos/get", 401],
    ],
  );
});

test("answers are complete GitHub objects that pass GitHub's schemas, also under a GHES prefix", async (t) => {
  const gh = await startGitHubStandIn({ pathPrefix: "/api/v3", htmlUrl: "https://ghes.example.com" });
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);

  const repo = await octokit.rest.repos.get({ owner: "octo", repo: "app" });
  const pull = await octokit.rest.pulls.get({ owner: "octo", repo: "app", pull_number: 1 });
  const comment = await octokit.rest.issues.createComment({ owner: "octo", repo: "app", issue_number: 1, body: "on GHES" });

  assert.ok(gh.url.endsWith("/api/v3"));
  assert.equal(repo.data.default_branch, "main");
  assert.equal(repo.data.html_url, "https://ghes.example.com/octo/app");
  assert.equal(pull.data.head.sha, gh.defaults!.headSha);
  assert.equal(pull.data.base.repo.full_name, "octo/app");
  assert.equal(comment.data.user?.login, "github-actions[bot]");
  assert.equal(comment.data.user?.type, "Bot");
  assert.equal(comment.data.url, `${gh.url}/repos/octo/app/issues/comments/${comment.data.id}`);
  assert.equal(comment.data.reactions?.total_count, 0);
  assertNoViolations(gh);
});

test("GraphQL: minimizeComment by node_id hides the comment; a wrong document is a violation", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);
  const comment = await octokit.rest.issues.createComment({ owner: "octo", repo: "app", issue_number: 1, body: "old preview" });

  const result = await octokit.graphql<{ minimizeComment: { minimizedComment: { isMinimized: boolean; minimizedReason: string } } }>(
    `mutation Hide($id: ID!) {
       minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) {
         minimizedComment { isMinimized minimizedReason }
       }
     }`,
    { id: comment.data.node_id },
  );

  assert.deepEqual(result.minimizeComment.minimizedComment, { isMinimized: true, minimizedReason: "outdated" });
  assert.deepEqual(gh.state.repo("octo/app")!.comments.get(comment.data.id)!.minimized, { reason: "outdated" });
  assertNoViolations(gh);

  await assert.rejects(
    octokit.graphql(`mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OLD }) { clientMutationId } }`, { id: comment.data.node_id }),
    /classifier.*invalid value/,
  );
  await assert.rejects(octokit.graphql(`mutation { minimiseComment(input: { subjectId: "x" }) { clientMutationId } }`), /Field 'minimiseComment' doesn't exist on type 'Mutation'/);
  assert.deepEqual(
    gh.violations.map((v) => v.kind),
    ["graphql", "graphql"],
  );
});

test("a documented route the stand-in does not serve is an explicit violation, malformed JSON a 400", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);

  const unserved = await rejection(octokit.rest.issues.listLabelsOnIssue({ owner: "octo", repo: "app", issue_number: 1 }));
  const malformed = await rejection(
    octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner: "octo",
      repo: "app",
      issue_number: 1,
      data: "{not json",
      headers: { "content-type": "application/json" },
    } as never),
  );

  assert.equal(unserved.status, 404);
  assert.equal(malformed.status, 400);
  assert.equal((malformed.response?.data as { message: string }).message, "Problems parsing JSON");
  assert.deepEqual(
    gh.violations.map((v) => [v.kind, v.operationId]),
    [
      ["unimplemented", "issues/list-labels-on-issue"],
      ["request", "issues/create-comment"],
    ],
  );
  assert.match(gh.violations[0]!.message, /GET \/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}\/labels/);
  assert.equal(gh.state.repo("octo/app")!.comments.size, 0);
});

test("GitHub's own refusals (too long a comment, unknown comment) are answers, not violations", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);

  const tooLong = await rejection(octokit.rest.issues.createComment({ owner: "octo", repo: "app", issue_number: 1, body: "x".repeat(65537) }));
  const missing = await rejection(octokit.rest.issues.updateComment({ owner: "octo", repo: "app", comment_id: 424242, body: "x" }));
  const noPull = await rejection(octokit.rest.issues.createComment({ owner: "octo", repo: "app", issue_number: 99, body: "x" }));

  assert.equal(tooLong.status, 422);
  assert.match(JSON.stringify(tooLong.response?.data), /Body is too long \(maximum is 65536 characters\)/);
  assert.equal(missing.status, 404);
  assert.equal(noPull.status, 404);
  assert.equal(gh.state.repo("octo/app")!.comments.size, 0);
  assertNoViolations(gh);
});

test("GraphQL: node(id:) reads the minimized state back, unminimize restores it, an unknown id is NOT_FOUND", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);
  const comment = await octokit.rest.issues.createComment({ owner: "octo", repo: "app", issue_number: 1, body: "preview" });
  const read = `query($id: ID!) { node(id: $id) { __typename ... on IssueComment { databaseId isMinimized minimizedReason } } }`;

  await octokit.graphql(`mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OFF_TOPIC }) { clientMutationId } }`, { id: comment.data.node_id });
  const hidden = await octokit.graphql<{ node: Record<string, unknown> }>(read, { id: comment.data.node_id });
  await octokit.graphql(`mutation($id: ID!) { unminimizeComment(input: { subjectId: $id }) { unminimizedComment { isMinimized } } }`, { id: comment.data.node_id });
  const shown = await octokit.graphql<{ node: Record<string, unknown> }>(read, { id: comment.data.node_id });
  const unknown = await octokit
    .graphql(`mutation { minimizeComment(input: { subjectId: "IC_kwDOnope", classifier: OUTDATED }) { clientMutationId } }`)
    .then(
      () => assert.fail("expected a GraphQL error"),
      (e: { errors: { type: string; message: string }[] }) => e,
    );

  assert.deepEqual(hidden.node, { __typename: "IssueComment", databaseId: comment.data.id, isMinimized: true, minimizedReason: "off-topic" });
  assert.deepEqual(shown.node, { __typename: "IssueComment", databaseId: comment.data.id, isMinimized: false, minimizedReason: null });
  assert.equal(unknown.errors[0]!.type, "NOT_FOUND");
  assert.match(unknown.errors[0]!.message, /Could not resolve to a node with the global id of 'IC_kwDOnope'/);
  assertNoViolations(gh);
});

test("the call log counts per operation or route, knows faulted calls, and resets", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);
  gh.faults.add({ route: "pulls/get", kind: 503, times: 1 });

  await octokit.rest.pulls.get({ owner: "octo", repo: "app", pull_number: 1 }).catch(() => undefined);
  await octokit.rest.pulls.get({ owner: "octo", repo: "app", pull_number: 1 });
  await octokit.rest.issues.createComment({ owner: "octo", repo: "app", issue_number: 1, body: "a" });

  assert.equal(gh.calls.length, 3);
  assert.equal(gh.calls.count("pulls/get"), 2);
  assert.equal(gh.calls.count("GET /repos/{owner}/{repo}/pulls/{pull_number}"), 2);
  assert.equal(gh.calls.count("POST *"), 1);
  assert.deepEqual(
    gh.calls.served.map((c) => c.operationId),
    ["pulls/get", "issues/create-comment"],
  );
  assert.deepEqual(gh.calls.last()!.requestBody, { body: "a" });
  assert.equal((gh.calls.last()!.responseBody as { body: string }).body, "a");
  gh.calls.reset();
  assert.equal(gh.calls.length, 0);
  assertNoViolations(gh);
});
