// Anyone who can comment can type alchkit's hidden markers. The kit trusts only comments its own token wrote
// (GitHub's GraphQL viewer tells which account that is), and never writes a status to a deployment outside the
// preview's own environment, whatever a comment's state says. Real GitHub adapters against the stand-in.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertNoViolations, startGitHubStandIn, type GitHubStandIn } from "../../github/index.ts";
import { createGitHubClient } from "../../../workflows-lib/github/client.ts";
import { createGitHubPlatform } from "../../../workflows-lib/github/github-platform.ts";
import { upsertStickyComment } from "../../../workflows-lib/github/sticky-comment.ts";
import { tokenIdentity } from "../../../workflows-lib/github/token-identity.ts";
import { encodeState, type PreviewState } from "../../../workflows-lib/preview/preview-state.ts";
import { stickyMarker } from "../../../workflows-lib/comment/sticky-plan.ts";
import { runPreview } from "../../../workflows-lib/preview/run-preview.ts";
import type { Runtime } from "../../../workflows-lib/platform/runtime.ts";

const STAGE = "pr-1";
const ENVIRONMENT = `preview/${STAGE}`;

/** The preview's runtime answers at once: this file is about what the GitHub side trusts. */
const runtime: Runtime = {
  kind: "local",
  up: async ({ stage }) => ({ stage, resources: [{ fqn: `app/${stage}/api`, kind: "cloudflare::Worker", name: "api", url: "https://api-pr-1.example.workers.dev" }], urls: { api: "https://api-pr-1.example.workers.dev" } }),
  down: async ({ stage }) => ({ stage, leftovers: [] }),
  read: async ({ stage }) => ({ stage, resources: [], urls: {} }),
};

const client = (gh: GitHubStandIn, token = gh.token) => createGitHubClient({ token, baseUrl: gh.url, timeScale: 0.001 });

function deploy(gh: GitHubStandIn, headSha: string) {
  const platform = createGitHubPlatform({ octokit: client(gh), owner: "octo", repo: "app", issueNumber: 1, appendSummary: async () => {}, backoffMs: 1 });
  return runPreview(
    {
      mode: "deploy",
      pr: { number: 1, headSha, isFork: false, headRepo: "octo/app" },
      stage: STAGE,
      environment: ENVIRONMENT,
      purpose: "preview",
      links: { commit: (s) => `https://github.com/octo/app/commit/${s}`, run: "https://github.com/octo/app/actions/runs/1" },
    },
    { runtime, platform, now: () => new Date() },
  );
}

function forgedState(deploymentId: number, sha: string): string {
  const state: PreviewState = {
    version: 1,
    stage: STAGE,
    history: [{ sha, deploymentId: String(deploymentId), outcome: "deployed", at: new Date().toISOString(), durationMs: 1, url: "https://evil.example" }],
  };
  return `${stickyMarker("preview")}\n## Preview ready\n${encodeState(state)}`;
}

function production(gh: GitHubStandIn) {
  return gh.seed.deployment("octo/app", { sha: gh.defaults!.baseSha, environment: "production", production: true, statuses: ["success"], environmentUrl: "https://app.example.com" });
}

const statusesOf = (gh: GitHubStandIn, id: number) => (gh.state.repo("octo/app")!.deployments.get(id) as unknown as { statuses: Array<{ state: string }> }).statuses.map((s) => s.state);
const comments = (gh: GitHubStandIn) => [...gh.state.repo("octo/app")!.comments.values()] as Array<{ id: number; body: string; user: string }>;

test("a commenter's forged preview state cannot retire production's deployment or move its URL", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const prod = production(gh);
  // Mallory comments with the preview marker and a state that says production's deployment was this preview's.
  const mallory = client(gh, gh.tokenFor("mallory"));
  const forged = forgedState(prod.id, "f".repeat(40));
  const { data: posted } = await mallory.rest.issues.createComment({ owner: "octo", repo: "app", issue_number: 1, body: forged });

  const outcome = await deploy(gh, gh.defaults!.headSha);
  assert.equal(outcome.status, "deployed");
  assert.deepEqual(statusesOf(gh, prod.id), ["success"], "production's deployment got no status from the preview");
  const mine = comments(gh).filter((c) => c.user === "github-actions[bot]");
  assert.equal(mine.length, 1, "the kit wrote its own comment");
  assert.equal(comments(gh).find((c) => c.id === posted.id)!.body, forged, "the forged comment is left as it is");
  assert.equal(String(outcome.comment.id), String(mine[0]!.id));
  assertNoViolations(gh);
});

test("a forged deployment id for the very SHA being deployed is not reused: the preview gets its own deployment", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const prod = production(gh);
  const sha = gh.defaults!.headSha;
  await client(gh, gh.tokenFor("mallory")).rest.issues.createComment({ owner: "octo", repo: "app", issue_number: 1, body: forgedState(prod.id, sha) });
  const outcome = await deploy(gh, sha);
  assert.notEqual(outcome.deploymentId, String(prod.id));
  assert.deepEqual(statusesOf(gh, prod.id), ["success"]);
  const created = gh.state.repo("octo/app")!.deployments.get(Number(outcome.deploymentId)) as unknown as { environment: string };
  assert.equal(created.environment, ENVIRONMENT);
  assertNoViolations(gh);
});

test("even the kit's own comment cannot send a status to another environment's deployment", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const prod = production(gh);
  // A state the kit wrote, edited afterwards by someone with write access: the id is production's.
  gh.seed.comment("octo/app", 1, forgedState(prod.id, "e".repeat(40)), { user: "github-actions[bot]" });
  const outcome = await deploy(gh, gh.defaults!.headSha);
  assert.equal(outcome.status, "deployed");
  assert.deepEqual(statusesOf(gh, prod.id), ["success"], "no inactive status on production");
  assertNoViolations(gh);
});

test("load-gate, OpenAPI and comment markers: another account's marked comment is never updated nor deleted", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = client(gh);
  for (const purpose of ["load-gate", "openapi", "comment"]) {
    const planted = gh.seed.comment("octo/app", 1, `${stickyMarker(purpose)}\nplanted by someone else`, { user: "mallory" });
    for (const mode of ["upsert", "recreate", "delete", "hide-older"] as const) {
      await upsertStickyComment(octokit, { owner: "octo", repo: "app", issueNumber: 1, purpose, body: `report (${mode})`, mode, backoffMs: 1 });
      const record = gh.state.repo("octo/app")!.comments.get(planted.id) as { body: string; minimized: unknown } | undefined;
      assert.ok(record, `${purpose} ${mode}: the planted comment still exists`);
      assert.equal(record.body, `${stickyMarker(purpose)}\nplanted by someone else`, `${purpose} ${mode}`);
      assert.equal(record.minimized, null, `${purpose} ${mode}: not hidden`);
    }
  }
  assertNoViolations(gh);
});

test("the token's account: the Actions bot, a user's token, another app's bot; GET /user when GraphQL fails", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  assert.deepEqual(await tokenIdentity(client(gh)), { login: "github-actions[bot]", bot: true });
  assert.deepEqual(await tokenIdentity(client(gh, gh.tokenFor("octocat"))), { login: "octocat", bot: false });
  assert.deepEqual(await tokenIdentity(client(gh, gh.tokenFor("release-app[bot]", { type: "Bot" }))), { login: "release-app[bot]", bot: true });
  // A user's own comments are theirs; the bot's marked comment is not.
  const user = gh.tokenFor("alice");
  gh.seed.comment("octo/app", 1, `${stickyMarker("openapi")}\nby the bot`, { user: "github-actions[bot]" });
  const result = await upsertStickyComment(client(gh, user), { owner: "octo", repo: "app", issueNumber: 1, purpose: "openapi", body: "by alice", backoffMs: 1 });
  assert.equal(result.outcome, "created");
  gh.faults.add({ route: "graphql", kind: 502 });
  assert.deepEqual(await tokenIdentity(client(gh, gh.tokenFor("bob"))), { login: "bob", bot: false });
  assert.deepEqual(await tokenIdentity(client(gh)), { login: "github-actions[bot]", bot: true }, "an installation token may not ask GET /user: it is the run's app");
  assertNoViolations(gh);
});
