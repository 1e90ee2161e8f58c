import assert from "node:assert/strict";
import { test } from "node:test";
import { assertNoViolations, startGitHubStandIn } from "../../github/index.ts";
import { plainOctokit } from "./octokit.ts";

const repo = { owner: "octo", repo: "app" } as const;

async function status(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  return promise.then(
    () => assert.fail("expected the call to fail"),
    (e: { status: number; response?: { data?: { message?: string } } }) => ({ status: e.status, message: e.response?.data?.message ?? "" }),
  );
}

test("deployments: GitHub's defaults, filters, and a success marking earlier deployments of the environment inactive", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);
  const { headSha, baseSha } = gh.defaults!;

  const prod = await octokit.rest.repos.createDeployment({ ...repo, ref: baseSha, auto_merge: false, required_contexts: [] });
  assert.equal(prod.status, 201);
  const prodData = prod.data as { environment: string; production_environment: boolean; task: string; payload: unknown; transient_environment: boolean };
  assert.deepEqual(
    [prodData.environment, prodData.production_environment, prodData.task, prodData.payload, prodData.transient_environment],
    ["production", true, "deploy", {}, false],
  );

  const create = async (sha: string, environment: string, extra: Record<string, unknown> = {}) => {
    const res = await octokit.rest.repos.createDeployment({ ...repo, ref: sha, environment, auto_merge: false, required_contexts: [], ...extra });
    return (res.data as { id: number }).id;
  };
  const first = await create(baseSha, "staging", { payload: { build: "b1" } });
  const second = await create(headSha, "staging", { task: "deploy:migrations" });
  const preview = await create(headSha, "pr-1", { transient_environment: true });
  await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: first, state: "success", environment_url: "https://staging.example.com" });
  await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: preview, state: "success", log_url: "https://ci.example.com/run/1" });
  await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: second, state: "in_progress" });
  await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: second, state: "success" });

  const firstStatuses = await octokit.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: first });
  assert.deepEqual(
    firstStatuses.data.map((s) => s.state),
    ["inactive", "success"],
    "the earlier staging deployment became inactive (newest first)",
  );
  const previewStatuses = await octokit.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: preview });
  assert.deepEqual(
    previewStatuses.data.map((s) => [s.state, s.target_url, s.log_url]),
    [["success", "https://ci.example.com/run/1", "https://ci.example.com/run/1"]],
    "another environment is untouched; log_url also sets target_url",
  );
  const got = await octokit.rest.repos.getDeploymentStatus({ ...repo, deployment_id: first, status_id: firstStatuses.data[1]!.id });
  assert.equal(got.data.environment_url, "https://staging.example.com");

  const staging = await octokit.rest.repos.listDeployments({ ...repo, environment: "staging" });
  assert.deepEqual(
    staging.data.map((d) => d.id),
    [second, first],
  );
  const migrations = await octokit.rest.repos.listDeployments({ ...repo, task: "deploy:migrations", sha: headSha });
  assert.deepEqual(
    migrations.data.map((d) => d.id),
    [second],
  );
  const payload = await octokit.rest.repos.getDeployment({ ...repo, deployment_id: first });
  assert.deepEqual(payload.data.payload, { build: "b1" });
  const environments = await octokit.rest.repos.getAllEnvironments(repo);
  assert.deepEqual(
    environments.data.environments?.map((e) => e.name),
    ["pr-1", "production", "staging"],
    "deploying creates the environment",
  );
  assertNoViolations(gh);
});

test("deployments: only a non-active deployment can be deleted once there are several", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);
  const ids: number[] = [];
  for (const environment of ["pr-1", "pr-2"]) {
    const res = await octokit.rest.repos.createDeployment({ ...repo, ref: gh.defaults!.headSha, environment, auto_merge: false, required_contexts: [] });
    ids.push((res.data as { id: number }).id);
    await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: ids.at(-1)!, state: "success" });
  }

  const refused = await status(octokit.rest.repos.deleteDeployment({ ...repo, deployment_id: ids[0]! }));
  await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: ids[0]!, state: "inactive" });
  await octokit.rest.repos.deleteDeployment({ ...repo, deployment_id: ids[0]! });
  const gone = await status(octokit.rest.repos.getDeployment({ ...repo, deployment_id: ids[0]! }));

  assert.equal(refused.status, 422);
  assert.match(refused.message, /cannot delete an active deployment/);
  assert.equal(gone.status, 404);
  assert.deepEqual([...gh.state.repo("octo/app")!.deployments.keys()], [ids[1]]);
  assertNoViolations(gh);
});

test("deployments: auto_merge of a branch behind the default branch and failing required contexts", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);
  const main = gh.seed.commit("octo/app", { branch: "main", message: "Hotfix", files: { "src/hotfix.ts": "fix\n" } });

  const merged = await octokit.rest.repos.createDeployment({ ...repo, ref: "feature/orders", required_contexts: [] });
  assert.equal(merged.status, 202);
  assert.deepEqual(merged.data, { message: "Auto-merged main into feature/orders on deployment." });
  const branch = await octokit.rest.repos.getCommit({ ...repo, ref: "feature/orders" });
  assert.deepEqual(
    branch.data.parents.map((p) => p.sha),
    [gh.defaults!.headSha, main.sha],
  );

  gh.seed.commitStatus("octo/app", { sha: main.sha, state: "failure", context: "ci/test" });
  gh.seed.commitStatus("octo/app", { sha: main.sha, state: "success", context: "ci/lint" });
  const blocked = await status(octokit.rest.repos.createDeployment({ ...repo, ref: main.sha }));
  const named = await octokit.rest.repos.createDeployment({ ...repo, ref: main.sha, required_contexts: ["ci/lint"] });

  assert.equal(blocked.status, 409);
  assert.equal(blocked.message, `Conflict: Commit status checks failed for ${main.sha}.`);
  assert.equal(named.status, 201);
  assert.equal(gh.state.repo("octo/app")!.deployments.size, 1);
  assertNoViolations(gh);
});

test("commit statuses, combined status and check runs agree with each other", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);
  const sha = gh.defaults!.headSha;

  await octokit.rest.repos.createCommitStatus({ ...repo, sha, state: "pending", context: "ci" });
  await octokit.rest.repos.createCommitStatus({ ...repo, sha, state: "success", context: "ci" });
  await octokit.rest.repos.createCommitStatus({ ...repo, sha, state: "success", context: "preview", target_url: "https://pr-1.example.com" });
  const combined = await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: "feature/orders" });
  const listed = await octokit.rest.repos.listCommitStatusesForRef({ ...repo, ref: sha });
  await octokit.rest.checks.create({ ...repo, head_sha: sha, name: "load-gate", status: "in_progress" });
  await octokit.rest.checks.create({ ...repo, head_sha: sha, name: "load-gate", conclusion: "failure", output: { title: "p95 too high", summary: "p95 812 ms > 500 ms" } });
  const latest = await octokit.rest.checks.listForRef({ ...repo, ref: sha });
  const all = await octokit.rest.checks.listForRef({ ...repo, ref: sha, filter: "all" });
  const incomplete = await status(octokit.rest.checks.create({ ...repo, head_sha: sha, name: "x", status: "completed" }));

  assert.equal(combined.data.state, "success");
  assert.equal(combined.data.total_count, 2);
  assert.equal(combined.data.sha, sha);
  assert.equal(listed.data.length, 3);
  assert.deepEqual(
    latest.data.check_runs.map((r) => [r.name, r.status, r.conclusion, r.output.title]),
    [["load-gate", "completed", "failure", "p95 too high"]],
  );
  assert.equal(all.data.total_count, 2);
  assert.equal(incomplete.status, 422);
  assertNoViolations(gh);
});

test("git refs: create, fast-forward only unless forced, matching refs, tags, delete", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);
  const { baseSha, headSha } = gh.defaults!;
  const side = gh.seed.commit("octo/app", { parents: [baseSha], message: "side", files: { "side.txt": "side\n" } });

  const created = await octokit.rest.git.createRef({ ...repo, ref: "refs/heads/release/1.x", sha: baseSha });
  const duplicate = await status(octokit.rest.git.createRef({ ...repo, ref: "refs/heads/release/1.x", sha: baseSha }));
  const forward = await octokit.rest.git.updateRef({ ...repo, ref: "heads/release/1.x", sha: headSha });
  const backwards = await status(octokit.rest.git.updateRef({ ...repo, ref: "heads/release/1.x", sha: side.sha }));
  const forced = await octokit.rest.git.updateRef({ ...repo, ref: "heads/release/1.x", sha: side.sha, force: true });
  await octokit.rest.git.createRef({ ...repo, ref: "refs/tags/v1.0.0", sha: baseSha });
  await octokit.rest.git.createRef({ ...repo, ref: "refs/tags/v1.10.0", sha: side.sha });
  await octokit.rest.git.createRef({ ...repo, ref: "refs/tags/v1.9.0", sha: headSha });
  const matching = await octokit.rest.git.listMatchingRefs({ ...repo, ref: "heads/release" });
  const tags = await octokit.rest.repos.listTags(repo);
  const got = await octokit.rest.git.getRef({ ...repo, ref: "heads/release/1.x" });
  await octokit.rest.git.deleteRef({ ...repo, ref: "heads/release/1.x" });
  const deleted = await status(octokit.rest.git.getRef({ ...repo, ref: "heads/release/1.x" }));
  const deleteAgain = await status(octokit.rest.git.deleteRef({ ...repo, ref: "heads/release/1.x" }));

  assert.equal(created.data.ref, "refs/heads/release/1.x");
  assert.deepEqual([duplicate.status, duplicate.message], [422, "Reference already exists"]);
  assert.equal(forward.data.object.sha, headSha);
  assert.deepEqual([backwards.status, backwards.message], [422, "Update is not a fast forward"]);
  assert.equal(forced.data.object.sha, side.sha);
  assert.deepEqual(
    matching.data.map((r) => r.ref),
    ["refs/heads/release/1.x"],
  );
  assert.deepEqual(
    tags.data.map((tag) => [tag.name, tag.commit.sha]),
    [
      ["v1.10.0", side.sha],
      ["v1.9.0", headSha],
      ["v1.0.0", baseSha],
    ],
  );
  assert.equal(got.data.object.sha, side.sha);
  assert.equal(deleted.status, 404);
  assert.deepEqual([deleteAgain.status, deleteAgain.message], [422, "Reference does not exist"]);
  assertNoViolations(gh);
});

test("contents: a PUT commits to the branch, its sha must match the blob's or 409", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);
  const b64 = (text: string) => Buffer.from(text).toString("base64");

  const file = await octokit.rest.repos.getContent({ ...repo, path: "package.json" });
  assert.ok(!Array.isArray(file.data) && file.data.type === "file");
  const original = Buffer.from(file.data.content, "base64").toString("utf8");
  assert.match(original, /"name": "app"/);

  const updated = await octokit.rest.repos.createOrUpdateFileContents({ ...repo, path: "package.json", message: "Bump", content: b64('{"version":"2.0.0"}\n'), sha: file.data.sha });
  const stale = await status(octokit.rest.repos.createOrUpdateFileContents({ ...repo, path: "package.json", message: "Again", content: b64("{}\n"), sha: file.data.sha }));
  const noSha = await status(octokit.rest.repos.createOrUpdateFileContents({ ...repo, path: "package.json", message: "Again", content: b64("{}\n") }));
  const created = await octokit.rest.repos.createOrUpdateFileContents({ ...repo, path: "docs/feed/rss.xml", message: "Feed", content: b64("<rss/>\n"), branch: "feature/orders" });
  const listing = await octokit.rest.repos.getContent({ ...repo, path: "docs", ref: "feature/orders" });
  const main = await octokit.rest.git.getRef({ ...repo, ref: "heads/main" });
  const reread = await octokit.rest.repos.getContent({ ...repo, path: "package.json" });

  assert.equal(updated.status, 200);
  assert.equal(updated.data.commit.parents?.[0]?.sha, gh.defaults!.baseSha);
  assert.equal(main.data.object.sha, updated.data.commit.sha, "the branch moved to the new commit");
  assert.ok(!Array.isArray(reread.data) && reread.data.type === "file");
  assert.equal(reread.data.sha, updated.data.content?.sha);
  assert.notEqual(reread.data.sha, file.data.sha);
  assert.deepEqual([stale.status, stale.message], [409, `package.json does not match ${file.data.sha}`]);
  assert.equal(noSha.status, 422);
  assert.equal(created.status, 201);
  assert.ok(Array.isArray(listing.data));
  assert.deepEqual(
    listing.data.map((e) => [e.name, e.type]),
    [["feed", "dir"]],
  );
  assertNoViolations(gh);
});

test("compare: a diverged graph gives ahead_by, behind_by, commits oldest first and changed files", async (t) => {
  const gh = await startGitHubStandIn({ defaults: false });
  t.after(() => gh.close());
  gh.seed.repo({ owner: "acme", name: "shop", files: { "README.md": "# shop\n", "src/a.ts": "a\n" } });
  const base = gh.seed.commit("acme/shop", { branch: "main", message: "main 1", files: { "src/b.ts": "b\n" } });
  gh.seed.branch("acme/shop", "topic", base.sha);
  const t1 = gh.seed.commit("acme/shop", { branch: "topic", message: "topic 1", files: { "src/a.ts": "a\nmore\n" } });
  const t2 = gh.seed.commit("acme/shop", { branch: "topic", message: "topic 2", files: { "src/c.ts": "c\n", "src/b.ts": null } });
  gh.seed.commit("acme/shop", { branch: "main", message: "main 2", files: { "CHANGELOG.md": "x\n" } });
  const octokit = plainOctokit(gh);

  const diverged = await octokit.rest.repos.compareCommitsWithBasehead({ owner: "acme", repo: "shop", basehead: "main...topic" });
  const identical = await octokit.rest.repos.compareCommitsWithBasehead({ owner: "acme", repo: "shop", basehead: `${t2.sha}...topic` });
  const behind = await octokit.rest.repos.compareCommitsWithBasehead({ owner: "acme", repo: "shop", basehead: `topic...${t1.sha.slice(0, 7)}` });

  assert.equal(diverged.data.status, "diverged");
  assert.equal(diverged.data.ahead_by, 2);
  assert.equal(diverged.data.behind_by, 1);
  assert.equal(diverged.data.merge_base_commit.sha, base.sha);
  assert.deepEqual(
    diverged.data.commits.map((c) => c.commit.message),
    ["topic 1", "topic 2"],
  );
  assert.deepEqual(
    diverged.data.files?.map((f) => [f.filename, f.status, f.additions, f.deletions]),
    [
      ["src/a.ts", "modified", 1, 0],
      ["src/b.ts", "removed", 0, 1],
      ["src/c.ts", "added", 1, 0],
    ],
  );
  assert.equal(identical.data.status, "identical");
  assert.deepEqual([behind.data.status, behind.data.behind_by, behind.data.ahead_by], ["behind", 1, 0]);
  assertNoViolations(gh);
});

test("releases: drafts listed but not found by tag, publishing creates the tag, duplicate tags refused", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);

  const draft = await octokit.rest.repos.createRelease({ ...repo, tag_name: "v1.0.0", name: "1.0.0", body: "notes", draft: true });
  const hidden = await status(octokit.rest.repos.getReleaseByTag({ ...repo, tag: "v1.0.0" }));
  const listed = await octokit.rest.repos.listReleases(repo);
  assert.equal(gh.state.repo("octo/app")!.refs.has("refs/tags/v1.0.0"), false, "a draft has no tag yet");
  const published = await octokit.rest.repos.updateRelease({ ...repo, release_id: draft.data.id, draft: false });
  const byTag = await octokit.rest.repos.getReleaseByTag({ ...repo, tag: "v1.0.0" });
  const duplicate = await status(octokit.rest.repos.createRelease({ ...repo, tag_name: "v1.0.0" }));
  await octokit.rest.repos.deleteRelease({ ...repo, release_id: draft.data.id });
  const gone = await status(octokit.rest.repos.getRelease({ ...repo, release_id: draft.data.id }));

  assert.equal(hidden.status, 404);
  assert.deepEqual(
    listed.data.map((r) => [r.tag_name, r.draft]),
    [["v1.0.0", true]],
  );
  assert.equal(published.data.draft, false);
  assert.ok(published.data.published_at);
  assert.equal(byTag.data.id, draft.data.id);
  assert.equal(gh.state.repo("octo/app")!.refs.get("refs/tags/v1.0.0"), gh.defaults!.baseSha);
  assert.equal(duplicate.status, 422);
  assert.equal(gone.status, 404);
  assertNoViolations(gh);
});

test("fork pull requests, environments with reviewers, branch protection and rulesets", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);
  const reviewer = gh.seed.user("release-manager", { id: 777 });
  gh.seed.pull("octo/app", { head: "patch-1", fork: "mallory", title: "Fix typo" });

  const fork = await octokit.rest.pulls.get({ ...repo, pull_number: 2 });
  const env = await octokit.rest.repos.createOrUpdateEnvironment({
    ...repo,
    environment_name: "production",
    wait_timer: 10,
    reviewers: [{ type: "User", id: reviewer.id }],
    deployment_branch_policy: { protected_branches: true, custom_branch_policies: false },
  });
  const badReviewer = await status(octokit.rest.repos.createOrUpdateEnvironment({ ...repo, environment_name: "production", reviewers: [{ type: "User", id: 999999 }] }));
  const unprotected = await status(octokit.rest.repos.getBranchProtection({ ...repo, branch: "main" }));
  await octokit.rest.repos.updateBranchProtection({
    ...repo,
    branch: "main",
    required_status_checks: { strict: true, contexts: ["alchkit / summary"] },
    enforce_admins: true,
    required_pull_request_reviews: { required_approving_review_count: 1 },
    restrictions: null,
  });
  const protection = await octokit.rest.repos.getBranchProtection({ ...repo, branch: "main" });
  const ruleset = await octokit.rest.repos.createRepoRuleset({ ...repo, name: "main", enforcement: "active", target: "branch", rules: [{ type: "pull_request", parameters: { required_approving_review_count: 1, dismiss_stale_reviews_on_push: true, require_code_owner_review: false, require_last_push_approval: false, required_review_thread_resolution: false } }] });
  const updated = await octokit.rest.repos.updateRepoRuleset({ ...repo, ruleset_id: ruleset.data.id, enforcement: "evaluate" });
  const rulesets = await octokit.rest.repos.getRepoRulesets(repo);

  assert.equal(fork.data.head.repo.full_name, "mallory/app");
  assert.equal(fork.data.head.repo.fork, true);
  assert.equal(fork.data.base.repo.full_name, "octo/app");
  assert.equal(fork.data.user.login, "mallory");
  assert.deepEqual(
    env.data.protection_rules?.map((r) => r.type),
    ["wait_timer", "required_reviewers", "branch_policy"],
  );
  assert.equal(badReviewer.status, 422);
  assert.deepEqual([unprotected.status, unprotected.message], [404, "Branch not protected"]);
  assert.deepEqual(protection.data.required_status_checks?.contexts, ["alchkit / summary"]);
  assert.equal(protection.data.enforce_admins?.enabled, true);
  assert.equal(updated.data.enforcement, "evaluate");
  assert.deepEqual(
    rulesets.data.map((r) => [r.name, r.enforcement]),
    [["main", "evaluate"]],
  );
  assertNoViolations(gh);
});

test("release assets: upload through upload_url, list, rename, delete; the release lists them", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);
  const release = await octokit.rest.repos.createRelease({ ...repo, tag_name: "v1.0.0" });

  const uploaded = await octokit.request({
    method: "POST",
    url: release.data.upload_url,
    name: "feed.xml",
    data: "<rss/>",
    headers: { "content-type": "application/rss+xml" },
  });
  const viaBaseUrl = await octokit.rest.repos.uploadReleaseAsset({ ...repo, release_id: release.data.id, name: "feed.json", data: "{}", baseUrl: gh.url, headers: { "content-type": "application/json" } });
  const duplicate = await status(octokit.rest.repos.uploadReleaseAsset({ ...repo, release_id: release.data.id, name: "feed.json", data: "{}", baseUrl: gh.url, headers: { "content-type": "application/json" } }));
  const renamed = await octokit.rest.repos.updateReleaseAsset({ ...repo, asset_id: viaBaseUrl.data.id, name: "feed.v1.json" });
  const listed = await octokit.rest.repos.listReleaseAssets({ ...repo, release_id: release.data.id });
  await octokit.rest.repos.deleteReleaseAsset({ ...repo, asset_id: (uploaded.data as { id: number }).id });
  const after = await octokit.rest.repos.getRelease({ ...repo, release_id: release.data.id });

  assert.equal(uploaded.status, 201);
  assert.equal((uploaded.data as { size: number }).size, 6);
  assert.equal(viaBaseUrl.data.browser_download_url, "https://github.com/octo/app/releases/download/v1.0.0/feed.json");
  assert.equal(duplicate.status, 422);
  assert.equal(renamed.data.name, "feed.v1.json");
  assert.deepEqual(
    listed.data.map((a) => [a.name, a.content_type]),
    [
      ["feed.xml", "application/rss+xml"],
      ["feed.v1.json", "application/json"],
    ],
  );
  assert.deepEqual(
    after.data.assets.map((a) => a.name),
    ["feed.v1.json"],
  );
  assertNoViolations(gh);
});

test("annotated tags: the ref points at a tag object that peels to the commit; latest release and branches", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);
  const { baseSha, headSha } = gh.defaults!;
  const seeded = gh.seed.annotatedTag("octo/app", "v0.9.0", baseSha, "Old line\n");

  const tag = await octokit.rest.git.createTag({ ...repo, tag: "v1.0.0", message: "First release\n", object: headSha, type: "commit", tagger: { name: "Mona", email: "mona@example.com" } });
  await octokit.rest.git.createRef({ ...repo, ref: "refs/tags/v1.0.0", sha: tag.data.sha });
  const ref = await octokit.rest.git.getRef({ ...repo, ref: "tags/v1.0.0" });
  const object = await octokit.rest.git.getTag({ ...repo, tag_sha: ref.data.object.sha });
  const tags = await octokit.rest.repos.listTags(repo);
  const commit = await octokit.rest.repos.getCommit({ ...repo, ref: "v0.9.0" });
  gh.seed.release("octo/app", { tag_name: "v0.9.0", created_at: "2025-01-01T00:00:00Z" });
  gh.seed.release("octo/app", { tag_name: "v1.0.0", created_at: "2025-02-01T00:00:00Z" });
  gh.seed.release("octo/app", { tag_name: "v1.1.0-rc.1", prerelease: true, created_at: "2025-03-01T00:00:00Z" });
  const latest = await octokit.rest.repos.getLatestRelease(repo);
  gh.seed.branch("octo/app", "release/1.x", baseSha);
  await octokit.rest.repos.updateBranchProtection({ ...repo, branch: "main", required_status_checks: { strict: false, contexts: ["ci"] }, enforce_admins: null, required_pull_request_reviews: null, restrictions: null });
  const branches = await octokit.rest.repos.listBranches(repo);
  const main = await octokit.rest.repos.getBranch({ ...repo, branch: "main" });

  assert.equal(ref.data.object.type, "tag");
  assert.equal(object.data.object.sha, headSha);
  assert.equal(object.data.tagger.name, "Mona");
  assert.deepEqual(
    tags.data.map((t) => [t.name, t.commit.sha]),
    [
      ["v1.0.0", headSha],
      ["v0.9.0", baseSha],
    ],
  );
  assert.equal(seeded.object.sha, baseSha);
  assert.equal(commit.data.sha, baseSha);
  assert.equal(latest.data.tag_name, "v1.0.0");
  assert.deepEqual(
    branches.data.map((b) => [b.name, b.protected]),
    [
      ["feature/orders", false],
      ["main", true],
      ["release/1.x", false],
    ],
  );
  assert.equal(main.data.commit.sha, baseSha);
  assert.deepEqual(main.data.protection.required_status_checks?.contexts, ["ci"]);
  assertNoViolations(gh);
});

test("list commits walks the graph newest first, filtered by path; the root directory lists", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);

  const all = await octokit.rest.repos.listCommits({ ...repo, sha: "feature/orders" });
  const src = await octokit.rest.repos.listCommits({ ...repo, sha: "feature/orders", path: "src/orders.ts" });
  const root = await octokit.rest.repos.getContent({ ...repo, path: "" });

  assert.deepEqual(
    all.data.map((c) => c.commit.message),
    ["Add orders API", "Add health endpoint", "Initial commit"],
  );
  assert.deepEqual(
    src.data.map((c) => c.sha),
    [gh.defaults!.headSha],
  );
  assert.ok(Array.isArray(root.data));
  assert.deepEqual(
    root.data.map((e) => [e.path, e.type]),
    [
      ["README.md", "file"],
      ["package.json", "file"],
      ["src", "dir"],
    ],
  );
  assertNoViolations(gh);
});
