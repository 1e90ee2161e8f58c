// The REST endpoints the stand-in implements, keyed by GitHub's operation id. Each handler works on
// the shared state so that calls stay consistent with each other (a status created here shows up in
// the combined status there), and answers GitHub's errors with GitHub's messages where they are known.
import type { Json, JsonObject } from "./openapi.ts";
import nacl from "tweetnacl";
import { openSealed } from "../../workflows-lib/github/seal-secret.ts";
import { GitHubError, notFound, paginate, repoOf, str, type Handler, type HandlerContext } from "./http.ts";
import {
  blobOf,
  type CheckRunRecord,
  type CommitRecord,
  type CommitStatusRecord,
  type DeploymentRecord,
  type DeploymentState,
  type EnvironmentRecord,
  type SecretStore,
  type ReleaseAssetRecord,
  type ReleaseRecord,
  type RepoRecord,
  type RulesetRecord,
} from "./state.ts";

const MAX_COMMENT_BODY = 65536;

function numberParam(ctx: HandlerContext, name: string): number {
  return Number(ctx.params[name]);
}

function validationFailed(resource: string, field: string, code: string, message?: string): GitHubError {
  return new GitHubError(422, "Validation Failed", [{ resource, field, code, ...(message ? { message } : {}) }]);
}

// ---------------------------------------------------------------- issue comments

function issueExists(repo: RepoRecord, number: number): boolean {
  return repo.pulls.has(number) || repo.issues.has(number);
}

function commentOf(ctx: HandlerContext): { repo: RepoRecord; id: number } {
  const repo = repoOf(ctx);
  const id = numberParam(ctx, "comment_id");
  if (!repo.comments.has(id)) throw notFound();
  return { repo, id };
}

function checkCommentBody(body: string): void {
  if (body.length > MAX_COMMENT_BODY) {
    throw validationFailed("IssueComment", "data", "invalid", `Body is too long (maximum is ${MAX_COMMENT_BODY} characters)`);
  }
}

const listComments: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const number = numberParam(ctx, "issue_number");
  if (!issueExists(repo, number)) throw notFound();
  const since = str(ctx.query.since);
  const all = [...repo.comments.values()]
    .filter((c) => c.issueNumber === number && (!since || c.updatedAt >= since))
    .sort((a, b) => a.id - b.id);
  const page = paginate(ctx, all);
  return { status: 200, body: page.items.map((c) => ctx.factories.comment(repo, c)), headers: page.headers };
};

const getComment: Handler = (ctx) => {
  const { repo, id } = commentOf(ctx);
  return { status: 200, body: ctx.factories.comment(repo, repo.comments.get(id)!) };
};

const createComment: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const number = numberParam(ctx, "issue_number");
  if (!issueExists(repo, number)) throw notFound();
  const body = String(ctx.body.body);
  checkCommentBody(body);
  const now = ctx.state.now();
  const comment = { id: ctx.state.nextId(), issueNumber: number, body, user: ctx.actor.login, createdAt: now, updatedAt: now, minimized: null };
  repo.comments.set(comment.id, comment);
  const json = ctx.factories.comment(repo, comment);
  return { status: 201, body: json, headers: { location: String(json.url) } };
};

const updateComment: Handler = (ctx) => {
  const { repo, id } = commentOf(ctx);
  const comment = repo.comments.get(id)!;
  const body = String(ctx.body.body);
  checkCommentBody(body);
  comment.body = body;
  comment.updatedAt = ctx.state.now();
  return { status: 200, body: ctx.factories.comment(repo, comment) };
};

const deleteComment: Handler = (ctx) => {
  const { repo, id } = commentOf(ctx);
  repo.comments.delete(id);
  return { status: 204 };
};

const removeLabel: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const pull = repo.pulls.get(numberParam(ctx, "issue_number"));
  if (!pull) throw notFound();
  const name = String(ctx.params.name);
  if (!pull.labels.includes(name)) throw new GitHubError(404, "Label does not exist");
  pull.labels = pull.labels.filter((l) => l !== name);
  pull.updatedAt = ctx.state.now();
  return { status: 200, body: ctx.factories.labels(repo, pull.labels) };
};

// ---------------------------------------------------------------- users

/** `GET /user`: the token's account. An installation token (the run's GITHUB_TOKEN) may not ask, like on GitHub. */
const getAuthenticated: Handler = (ctx) => {
  if (ctx.actor.type === "Bot") throw new GitHubError(403, "Resource not accessible by integration");
  return { status: 200, body: ctx.factories.publicUser(ctx.actor) };
};

// ---------------------------------------------------------------- pulls, repos, commits

const getPull: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const pull = repo.pulls.get(numberParam(ctx, "pull_number"));
  if (!pull) throw notFound();
  return { status: 200, body: ctx.factories.pull(repo, pull) };
};

const getRepo: Handler = (ctx) => ({ status: 200, body: ctx.factories.fullRepository(repoOf(ctx)) });

// ---------------------------------------------------------------- users

const getUserByUsername: Handler = (ctx) => {
  const user = ctx.state.users.get(String(ctx.params.username ?? "").toLowerCase());
  if (!user) throw notFound();
  return { status: 200, body: ctx.factories.publicUser(user) };
};

function commitOrFail(ctx: HandlerContext, repo: RepoRecord, ref: string): CommitRecord {
  const commit = ctx.state.resolveRef(repo, ref);
  if (!commit) throw new GitHubError(422, `No commit found for SHA: ${ref}`);
  return commit;
}

const getCommit: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const commit = commitOrFail(ctx, repo, String(ctx.params.ref));
  return { status: 200, body: ctx.factories.commit(repo, commit, true) };
};

const listCommits: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const start = str(ctx.query.sha) ?? repo.defaultBranch;
  const head = ctx.state.resolveRef(repo, start);
  if (!head) throw new GitHubError(404, `No commit found for SHA: ${start}`);
  const path = str(ctx.query.path)?.replace(/^\/+|\/+$/g, "");
  const since = str(ctx.query.since);
  const until = str(ctx.query.until);
  const touches = (sha: string): boolean => {
    if (!path) return true;
    const commit = repo.commits.get(sha)!;
    const before = commit.parents[0] ? repo.commits.get(commit.parents[0])!.tree : new Map();
    return [...new Set([...before.keys(), ...commit.tree.keys()])].some(
      (file) => (file === path || file.startsWith(`${path}/`)) && before.get(file)?.sha !== commit.tree.get(file)?.sha,
    );
  };
  const commits = topoOrder(repo, head.sha)
    .reverse()
    .filter((sha) => {
      const date = repo.commits.get(sha)!.committer.date;
      return touches(sha) && (!since || date >= since) && (!until || date <= until);
    });
  const page = paginate(ctx, commits);
  return { status: 200, body: page.items.map((sha) => ctx.factories.commit(repo, repo.commits.get(sha)!, false)), headers: page.headers };
};

/** `base...head` where either side may be `owner:ref` (a fork in the same network). */
function resolveCompareSide(ctx: HandlerContext, repo: RepoRecord, side: string): CommitRecord {
  const colon = side.indexOf(":");
  let target = repo;
  let ref = side;
  if (colon > 0) {
    const owner = side.slice(0, colon);
    ref = side.slice(colon + 1);
    const other = [...ctx.state.repos.values()].find(
      (r) => r.owner.login.toLowerCase() === owner.toLowerCase() && r.commits === repo.commits,
    );
    if (!other) throw notFound();
    target = other;
  }
  const commit = ctx.state.resolveRef(target, ref);
  if (!commit) throw notFound();
  return commit;
}

const compareCommits: Handler = (ctx) => {
  const repo = repoOf(ctx);
  // Two documented templates: `compare/{basehead}` (`BASE...HEAD`, what Octokit sends) and `compare/{base}...{head}`.
  const parts = ctx.params.basehead !== undefined ? String(ctx.params.basehead).split("...") : [String(ctx.params.base), String(ctx.params.head)];
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw notFound();
  const [baseRef, headRef] = parts as [string, string];
  const base = resolveCompareSide(ctx, repo, baseRef);
  const head = resolveCompareSide(ctx, repo, headRef);
  const f = ctx.factories;
  const mergeBaseSha = f.mergeBase(repo, base.sha, head.sha);
  if (!mergeBaseSha) throw notFound();
  const ofBase = ctx.state.ancestors(repo, base.sha);
  const ofHead = ctx.state.ancestors(repo, head.sha);
  const ahead = topoOrder(repo, head.sha).filter((sha) => !ofBase.has(sha));
  const behindBy = [...ofBase].filter((sha) => !ofHead.has(sha)).length;
  const status = ahead.length === 0 && behindBy === 0 ? "identical" : behindBy === 0 ? "ahead" : ahead.length === 0 ? "behind" : "diverged";
  // GitHub: without paging parameters the first 250 commits come back; with them, normal pages.
  const page =
    ctx.query.per_page === undefined && ctx.query.page === undefined ? { items: ahead.slice(0, 250), headers: {} } : paginate(ctx, ahead);
  const html = `${f.urls.html}/${repo.fullName}/compare/${baseRef}...${headRef}`;
  return {
    status: 200,
    headers: page.headers,
    body: {
      url: `${f.urls.api}/repos/${repo.fullName}/compare/${baseRef}...${headRef}`,
      html_url: html,
      permalink_url: `${f.urls.html}/${repo.fullName}/compare/${repo.owner.login}:${base.sha.slice(0, 7)}...${repo.owner.login}:${head.sha.slice(0, 7)}`,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      base_commit: f.commit(repo, base, false),
      merge_base_commit: f.commit(repo, repo.commits.get(mergeBaseSha)!, false),
      status,
      ahead_by: ahead.length,
      behind_by: behindBy,
      total_commits: ahead.length,
      commits: page.items.map((sha) => f.commit(repo, repo.commits.get(sha)!, false)),
      files: f.diffFiles(repo, mergeBaseSha, head.sha).slice(0, 300),
    },
  };
};

/** Ancestors of `sha`, oldest first (parents before children), as GitHub lists compare commits. */
function topoOrder(repo: RepoRecord, sha: string): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (start: string): void => {
    const stack: { sha: string; expanded: boolean }[] = [{ sha: start, expanded: false }];
    while (stack.length > 0) {
      const top = stack.pop()!;
      if (top.expanded) {
        order.push(top.sha);
        continue;
      }
      if (seen.has(top.sha)) continue;
      seen.add(top.sha);
      stack.push({ sha: top.sha, expanded: true });
      const parents = repo.commits.get(top.sha)?.parents ?? [];
      for (const parent of [...parents].reverse()) if (!seen.has(parent)) stack.push({ sha: parent, expanded: false });
    }
  };
  visit(sha);
  return order;
}

// ---------------------------------------------------------------- commit statuses and check runs

const createCommitStatus: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const sha = String(ctx.params.sha);
  const commit = repo.commits.get(sha.toLowerCase());
  if (!commit) throw validationFailed("Status", "sha", "invalid", `No commit found for SHA: ${sha}`);
  const now = ctx.state.now();
  const record: CommitStatusRecord = {
    id: ctx.state.nextId(),
    sha: commit.sha,
    state: ctx.body.state as CommitStatusRecord["state"],
    targetUrl: str(ctx.body.target_url) ?? null,
    description: str(ctx.body.description) ?? null,
    context: str(ctx.body.context) ?? "default",
    creator: ctx.actor.login,
    createdAt: now,
    updatedAt: now,
  };
  if (record.description && record.description.length > 140) {
    throw validationFailed("Status", "description", "custom", "description is too long (maximum is 140 characters)");
  }
  repo.commitStatuses.push(record);
  return { status: 201, body: ctx.factories.commitStatus(repo, record) };
};

function statusesFor(repo: RepoRecord, sha: string): CommitStatusRecord[] {
  return repo.commitStatuses.filter((s) => s.sha === sha).sort((a, b) => b.id - a.id);
}

const listCommitStatuses: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const commit = ctx.state.resolveRef(repo, String(ctx.params.ref));
  const all = commit ? statusesFor(repo, commit.sha) : [];
  const page = paginate(ctx, all);
  return { status: 200, body: page.items.map((s) => ctx.factories.commitStatus(repo, s)), headers: page.headers };
};

/** The newest status per context, GitHub's "combined" view. */
function latestPerContext(repo: RepoRecord, sha: string): CommitStatusRecord[] {
  const latest = new Map<string, CommitStatusRecord>();
  for (const status of statusesFor(repo, sha)) if (!latest.has(status.context)) latest.set(status.context, status);
  return [...latest.values()];
}

const combinedStatus: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const commit = ctx.state.resolveRef(repo, String(ctx.params.ref));
  if (!commit) throw notFound();
  const latest = latestPerContext(repo, commit.sha);
  const state = latest.some((s) => s.state === "error" || s.state === "failure")
    ? "failure"
    : latest.length === 0 || latest.some((s) => s.state === "pending")
      ? "pending"
      : "success";
  const page = paginate(ctx, latest);
  return {
    status: 200,
    headers: page.headers,
    body: {
      state,
      statuses: page.items.map((s) => ctx.factories.simpleCommitStatus(repo, s)),
      sha: commit.sha,
      total_count: latest.length,
      repository: ctx.factories.minimalRepository(repo),
      commit_url: `${ctx.factories.urls.api}/repos/${repo.fullName}/commits/${commit.sha}`,
      url: `${ctx.factories.urls.api}/repos/${repo.fullName}/commits/${commit.sha}/status`,
    },
  };
};

const createCheckRun: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const headSha = String(ctx.body.head_sha);
  const commit = repo.commits.get(headSha.toLowerCase());
  if (!commit) throw validationFailed("CheckRun", "head_sha", "invalid", `No commit found for SHA: ${headSha}`);
  const conclusion = str(ctx.body.conclusion) ?? null;
  const completedAt = str(ctx.body.completed_at) ?? null;
  const status = conclusion || completedAt ? "completed" : ((str(ctx.body.status) ?? "queued") as CheckRunRecord["status"]);
  if (status === "completed" && !conclusion) {
    throw validationFailed("CheckRun", "conclusion", "missing_field", "conclusion is required when status is completed");
  }
  const now = ctx.state.now();
  const output = (ctx.body.output ?? null) as JsonObject | null;
  const run: CheckRunRecord = {
    id: ctx.state.nextId(),
    headSha: commit.sha,
    name: String(ctx.body.name),
    status,
    conclusion,
    externalId: str(ctx.body.external_id) ?? null,
    detailsUrl: str(ctx.body.details_url) ?? null,
    startedAt: str(ctx.body.started_at) ?? now,
    completedAt: status === "completed" ? (completedAt ?? now) : null,
    output: {
      title: output ? String(output.title) : null,
      summary: output ? String(output.summary) : null,
      text: output && typeof output.text === "string" ? output.text : null,
      annotationsCount: output && Array.isArray(output.annotations) ? output.annotations.length : 0,
    },
    checkSuiteId: ctx.state.nextId(),
  };
  repo.checkRuns.push(run);
  return { status: 201, body: ctx.factories.checkRun(repo, run) };
};

const listCheckRunsForRef: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const commit = ctx.state.resolveRef(repo, String(ctx.params.ref));
  if (!commit) throw new GitHubError(422, `No commit found for SHA: ${String(ctx.params.ref)}`);
  let runs = repo.checkRuns.filter((r) => r.headSha === commit.sha).sort((a, b) => b.id - a.id);
  if (ctx.query.check_name !== undefined) runs = runs.filter((r) => r.name === ctx.query.check_name);
  if (ctx.query.status !== undefined) runs = runs.filter((r) => r.status === ctx.query.status);
  if ((ctx.query.filter ?? "latest") === "latest") {
    const seen = new Set<string>();
    runs = runs.filter((r) => (seen.has(r.name) ? false : (seen.add(r.name), true)));
  }
  const page = paginate(ctx, runs);
  return {
    status: 200,
    headers: page.headers,
    body: { total_count: runs.length, check_runs: page.items.map((r) => ctx.factories.checkRun(repo, r)) },
  };
};

// ---------------------------------------------------------------- deployments and environments

function latestState(deployment: DeploymentRecord): DeploymentState | undefined {
  return deployment.statuses.at(-1)?.state;
}

function ensureEnvironment(ctx: HandlerContext, repo: RepoRecord, name: string): EnvironmentRecord {
  const existing = [...repo.environments.values()].find((e) => e.name.toLowerCase() === name.toLowerCase());
  if (existing) return existing;
  const now = ctx.state.now();
  const env: EnvironmentRecord = {
    id: ctx.state.nextId(),
    name,
    createdAt: now,
    updatedAt: now,
    waitTimer: 0,
    preventSelfReview: false,
    reviewers: [],
    deploymentBranchPolicy: null,
    ruleIds: { waitTimer: ctx.state.nextId(), reviewers: ctx.state.nextId(), branchPolicy: ctx.state.nextId() },
  };
  repo.environments.set(name, env);
  return env;
}

/** Contexts that must be `success` for a deployment; GitHub's 409 when one is not. */
function checkRequiredContexts(repo: RepoRecord, commit: CommitRecord, ref: string, required: Json | undefined): void {
  const states = new Map<string, string>();
  for (const status of latestPerContext(repo, commit.sha)) states.set(status.context, status.state);
  const runs = repo.checkRuns.filter((r) => r.headSha === commit.sha).sort((a, b) => b.id - a.id);
  for (const run of runs) {
    if (states.has(run.name)) continue;
    const ok = run.status === "completed" && ["success", "neutral", "skipped"].includes(run.conclusion ?? "");
    states.set(run.name, ok ? "success" : run.status === "completed" ? (run.conclusion ?? "failure") : "pending");
  }
  const contexts = Array.isArray(required) ? required.map(String) : [...states.keys()];
  const failing = contexts.filter((context) => states.get(context) !== "success");
  if (failing.length > 0) {
    throw new GitHubError(409, `Conflict: Commit status checks failed for ${ref}.`, [
      {
        contexts: failing.map((context) => ({ context, state: states.get(context) ?? "missing" })),
        resource: "Deployment",
        field: "required_contexts",
        code: "invalid",
      },
    ]);
  }
}

/** Merge `from` into `branch` as the deployments API's `auto_merge` does; 409 on a conflicting path. */
function autoMerge(ctx: HandlerContext, repo: RepoRecord, branch: string, from: string): CommitRecord {
  const head = ctx.state.resolveRef(repo, branch)!;
  const other = ctx.state.resolveRef(repo, from)!;
  const base = ctx.factories.mergeBase(repo, head.sha, other.sha);
  const baseTree = base ? repo.commits.get(base)!.tree : new Map();
  const files: Record<string, string | null> = {};
  const paths = new Set([...baseTree.keys(), ...other.tree.keys()]);
  for (const path of paths) {
    const theirs = other.tree.get(path)?.sha;
    const original = baseTree.get(path)?.sha;
    if (theirs === original) continue;
    const ours = head.tree.get(path)?.sha;
    if (ours !== original && ours !== theirs) throw new GitHubError(409, `Conflict merging ${from} into ${branch}.`);
    files[path] = other.tree.get(path)?.content.toString("utf8") ?? null;
  }
  return ctx.state.commit(repo, { parents: [head.sha, other.sha], message: `Merge ${from} into ${branch}`, files, branch });
}

const createDeployment: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const ref = String(ctx.body.ref);
  let commit = ctx.state.resolveRef(repo, ref);
  if (!commit) throw new GitHubError(422, `No ref found for: ${ref}`);
  const isBranch = repo.refs.has(`refs/heads/${ref}`) || (ref.startsWith("refs/heads/") && repo.refs.has(ref));
  if (ctx.body.auto_merge !== false && isBranch) {
    const branch = ref.replace(/^refs\/heads\//, "");
    const defaultHead = ctx.state.resolveRef(repo, repo.defaultBranch);
    if (defaultHead && branch !== repo.defaultBranch && !ctx.state.ancestors(repo, commit.sha).has(defaultHead.sha)) {
      autoMerge(ctx, repo, branch, repo.defaultBranch);
      return { status: 202, body: { message: `Auto-merged ${repo.defaultBranch} into ${branch} on deployment.` } };
    }
  }
  commit = ctx.state.resolveRef(repo, ref)!;
  checkRequiredContexts(repo, commit, ref, ctx.body.required_contexts);
  const environment = str(ctx.body.environment) ?? "production";
  const now = ctx.state.now();
  const payload = ctx.body.payload;
  const deployment: DeploymentRecord = {
    id: ctx.state.nextId(),
    sha: commit.sha,
    ref,
    task: str(ctx.body.task) ?? "deploy",
    payload: payload === undefined ? {} : typeof payload === "string" ? payload : (payload as JsonObject),
    environment,
    originalEnvironment: environment,
    description: str(ctx.body.description) ?? "",
    transientEnvironment: ctx.body.transient_environment === true,
    productionEnvironment: typeof ctx.body.production_environment === "boolean" ? ctx.body.production_environment : environment === "production",
    creator: ctx.actor.login,
    createdAt: now,
    updatedAt: now,
    statuses: [],
  };
  ensureEnvironment(ctx, repo, environment);
  repo.deployments.set(deployment.id, deployment);
  return { status: 201, body: ctx.factories.deployment(repo, deployment) };
};

const listDeployments: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const q = ctx.query;
  const all = [...repo.deployments.values()]
    .filter(
      (d) =>
        (q.sha === undefined || d.sha === q.sha) &&
        (q.ref === undefined || d.ref === q.ref) &&
        (q.task === undefined || d.task === q.task) &&
        (q.environment === undefined || q.environment === null || d.environment === q.environment),
    )
    .sort((a, b) => b.id - a.id);
  const page = paginate(ctx, all);
  return { status: 200, body: page.items.map((d) => ctx.factories.deployment(repo, d)), headers: page.headers };
};

function deploymentOf(ctx: HandlerContext): { repo: RepoRecord; deployment: DeploymentRecord } {
  const repo = repoOf(ctx);
  const deployment = repo.deployments.get(numberParam(ctx, "deployment_id"));
  if (!deployment) throw notFound();
  return { repo, deployment };
}

const getDeployment: Handler = (ctx) => {
  const { repo, deployment } = deploymentOf(ctx);
  return { status: 200, body: ctx.factories.deployment(repo, deployment) };
};

const deleteDeployment: Handler = (ctx) => {
  const { repo, deployment } = deploymentOf(ctx);
  const state = latestState(deployment);
  // GitHub: with more than one deployment only inactive ones can go; "inactive" means the latest status
  // is a non-successful one (that is how the docs tell you to deactivate a deployment).
  if (repo.deployments.size > 1 && (state === undefined || state === "success")) {
    throw new GitHubError(422, "We cannot delete an active deployment unless it is the only deployment in a given environment.", [
      "We cannot delete an active deployment unless it is the only deployment in a given environment.",
    ]);
  }
  repo.deployments.delete(deployment.id);
  return { status: 204 };
};

const createDeploymentStatus: Handler = (ctx) => {
  const { repo, deployment } = deploymentOf(ctx);
  const state = ctx.body.state as DeploymentState;
  const description = str(ctx.body.description) ?? "";
  if (description.length > 140) throw validationFailed("DeploymentStatus", "description", "custom", "description is too long (maximum is 140 characters)");
  const logUrl = str(ctx.body.log_url) ?? "";
  const targetUrl = logUrl !== "" ? logUrl : (str(ctx.body.target_url) ?? "");
  const environment = str(ctx.body.environment) ?? deployment.statuses.at(-1)?.environment ?? deployment.environment;
  const now = ctx.state.now();
  const status = {
    id: ctx.state.nextId(),
    deploymentId: deployment.id,
    state,
    description,
    environment,
    targetUrl,
    logUrl: logUrl !== "" ? logUrl : targetUrl,
    environmentUrl: str(ctx.body.environment_url) ?? "",
    creator: ctx.actor.login,
    createdAt: now,
    updatedAt: now,
  };
  if (environment !== deployment.environment) {
    deployment.environment = environment;
    ensureEnvironment(ctx, repo, environment);
  }
  deployment.statuses.push(status);
  deployment.updatedAt = now;
  if (state === "success" && ctx.body.auto_inactive !== false) {
    for (const other of repo.deployments.values()) {
      if (other.id === deployment.id || other.id > deployment.id) continue;
      if (other.environment !== deployment.environment || other.transientEnvironment || other.productionEnvironment) continue;
      if (latestState(other) !== "success") continue;
      other.statuses.push({
        ...status,
        id: ctx.state.nextId(),
        deploymentId: other.id,
        state: "inactive",
        description: "",
        environment: other.environment,
        targetUrl: "",
        logUrl: "",
        environmentUrl: other.statuses.at(-1)?.environmentUrl ?? "",
      });
      other.updatedAt = now;
    }
  }
  return { status: 201, body: ctx.factories.deploymentStatus(repo, status) };
};

const listDeploymentStatuses: Handler = (ctx) => {
  const { repo, deployment } = deploymentOf(ctx);
  const page = paginate(ctx, [...deployment.statuses].reverse());
  return { status: 200, body: page.items.map((s) => ctx.factories.deploymentStatus(repo, s)), headers: page.headers };
};

const getDeploymentStatus: Handler = (ctx) => {
  const { repo, deployment } = deploymentOf(ctx);
  const status = deployment.statuses.find((s) => s.id === numberParam(ctx, "status_id"));
  if (!status) throw notFound();
  return { status: 200, body: ctx.factories.deploymentStatus(repo, status) };
};

function environmentOf(ctx: HandlerContext, repo: RepoRecord): EnvironmentRecord | undefined {
  const name = String(ctx.params.environment_name);
  return [...repo.environments.values()].find((e) => e.name.toLowerCase() === name.toLowerCase());
}

const getEnvironment: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const env = environmentOf(ctx, repo);
  if (!env) throw notFound();
  return { status: 200, body: ctx.factories.environment(repo, env) };
};

const listEnvironments: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const all = [...repo.environments.values()].sort((a, b) => a.name.localeCompare(b.name));
  const page = paginate(ctx, all);
  return { status: 200, headers: page.headers, body: { total_count: all.length, environments: page.items.map((e) => ctx.factories.environment(repo, e)) } };
};

const createOrUpdateEnvironment: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const env = environmentOf(ctx, repo) ?? ensureEnvironment(ctx, repo, String(ctx.params.environment_name));
  const body = ctx.body ?? {};
  const reviewers = body.reviewers;
  if (Array.isArray(reviewers)) {
    if (reviewers.length > 6) throw new GitHubError(422, "Invalid reviewers: a maximum of 6 reviewers is allowed");
    for (const reviewer of reviewers as JsonObject[]) {
      if (reviewer.type === "User" && ![...ctx.state.users.values()].some((u) => u.id === reviewer.id)) {
        throw new GitHubError(422, `Invalid reviewers: user ${String(reviewer.id)} was not found`);
      }
    }
  }
  const policy = body.deployment_branch_policy as JsonObject | null | undefined;
  if (policy && policy.protected_branches === true && policy.custom_branch_policies === true) {
    throw new GitHubError(422, "Only one of protected_branches or custom_branch_policies can be true.");
  }
  if (typeof body.wait_timer === "number") env.waitTimer = body.wait_timer;
  if (typeof body.prevent_self_review === "boolean") env.preventSelfReview = body.prevent_self_review;
  if (reviewers !== undefined) {
    env.reviewers = Array.isArray(reviewers)
      ? (reviewers as JsonObject[]).map((r) => ({ type: (r.type === "Team" ? "Team" : "User") as "User" | "Team", id: Number(r.id) }))
      : [];
  }
  if (policy !== undefined) {
    env.deploymentBranchPolicy = policy
      ? { protected_branches: policy.protected_branches === true, custom_branch_policies: policy.custom_branch_policies === true }
      : null;
  }
  env.updatedAt = ctx.state.now();
  return { status: 200, body: ctx.factories.environment(repo, env) };
};

// ---------------------------------------------------------------- Actions secrets

function secretStore(ctx: HandlerContext, holder: { secrets?: SecretStore }): SecretStore {
  if (!holder.secrets) {
    const pair = nacl.box.keyPair();
    holder.secrets = { keyId: String(ctx.state.nextId()), publicKey: pair.publicKey, secretKey: pair.secretKey, values: new Map() };
  }
  return holder.secrets;
}

function secretHolder(ctx: HandlerContext): { secrets?: SecretStore } {
  const repo = repoOf(ctx);
  if (ctx.params.environment_name === undefined) return repo;
  const env = environmentOf(ctx, repo);
  if (!env) throw notFound();
  return env;
}

const getSecretsPublicKey: Handler = (ctx) => {
  const store = secretStore(ctx, secretHolder(ctx));
  return { status: 200, body: { key_id: store.keyId, key: Buffer.from(store.publicKey).toString("base64") } };
};

const getSecret: Handler = (ctx) => {
  const name = String(ctx.params.secret_name).toUpperCase();
  const secret = secretStore(ctx, secretHolder(ctx)).values.get(name);
  if (!secret) throw notFound();
  return { status: 200, body: { name, created_at: secret.createdAt, updated_at: secret.updatedAt } };
};

/** GitHub decrypts with its own key: a value sealed for another key, or not sealed at all, is refused. */
const putSecret: Handler = (ctx) => {
  const store = secretStore(ctx, secretHolder(ctx));
  const name = String(ctx.params.secret_name).toUpperCase();
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name) || name.startsWith("GITHUB_")) throw new GitHubError(422, "Secret names can only contain alphanumeric characters or underscores and must not start with GITHUB_");
  if (ctx.body.key_id !== store.keyId) throw new GitHubError(422, "Bad request: key_id does not match the public key");
  const value = openSealed(String(ctx.body.encrypted_value), store);
  if (value === undefined) throw new GitHubError(422, "Bad request: encrypted_value could not be decrypted with the public key");
  const now = ctx.state.now();
  const existing = store.values.get(name);
  store.values.set(name, { value, createdAt: existing?.createdAt ?? now, updatedAt: now });
  return existing ? { status: 204 } : { status: 201, body: {} };
};

// ---------------------------------------------------------------- releases and tags

function visibleReleases(repo: RepoRecord): ReleaseRecord[] {
  // The stand-in's token has push access, so drafts are listed (GitHub hides them from readers).
  return [...repo.releases.values()].sort((a, b) => b.id - a.id);
}

const listReleases: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const page = paginate(ctx, visibleReleases(repo));
  return { status: 200, body: page.items.map((r) => ctx.factories.release(repo, r)), headers: page.headers };
};

function releaseOf(ctx: HandlerContext): { repo: RepoRecord; release: ReleaseRecord } {
  const repo = repoOf(ctx);
  const release = repo.releases.get(numberParam(ctx, "release_id"));
  if (!release) throw notFound();
  return { repo, release };
}

const getRelease: Handler = (ctx) => {
  const { repo, release } = releaseOf(ctx);
  return { status: 200, body: ctx.factories.release(repo, release) };
};

const getLatestRelease: Handler = (ctx) => {
  const repo = repoOf(ctx);
  // GitHub's "latest": the most recently created release that is neither a draft nor a prerelease.
  const latest = [...repo.releases.values()].filter((r) => !r.draft && !r.prerelease).sort((a, b) => (a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1))[0];
  if (!latest) throw notFound();
  return { status: 200, body: ctx.factories.release(repo, latest) };
};

const getReleaseByTag: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const release = [...repo.releases.values()].find((r) => !r.draft && r.tagName === ctx.params.tag);
  if (!release) throw notFound();
  return { status: 200, body: ctx.factories.release(repo, release) };
};

/** A published release needs its tag: create it at `target_commitish` when it does not exist yet. */
function ensureTag(ctx: HandlerContext, repo: RepoRecord, release: ReleaseRecord): void {
  if (release.draft || repo.refs.has(`refs/tags/${release.tagName}`)) return;
  const target = ctx.state.resolveRef(repo, release.targetCommitish);
  if (!target) throw validationFailed("Release", "target_commitish", "invalid");
  repo.refs.set(`refs/tags/${release.tagName}`, target.sha);
}

const createRelease: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const tagName = String(ctx.body.tag_name);
  if ([...repo.releases.values()].some((r) => r.tagName === tagName && !r.draft)) {
    throw validationFailed("Release", "tag_name", "already_exists");
  }
  const now = ctx.state.now();
  const draft = ctx.body.draft === true;
  const release: ReleaseRecord = {
    id: ctx.state.nextId(),
    tagName,
    targetCommitish: str(ctx.body.target_commitish) ?? repo.defaultBranch,
    name: str(ctx.body.name) ?? null,
    body: str(ctx.body.body) ?? null,
    draft,
    prerelease: ctx.body.prerelease === true,
    author: ctx.actor.login,
    createdAt: now,
    publishedAt: draft ? null : now,
    updatedAt: now,
    assets: [],
  };
  ensureTag(ctx, repo, release);
  repo.releases.set(release.id, release);
  const json = ctx.factories.release(repo, release);
  return { status: 201, body: json, headers: { location: String(json.url) } };
};

const updateRelease: Handler = (ctx) => {
  const { repo, release } = releaseOf(ctx);
  const b = ctx.body;
  const next = { ...release };
  if (typeof b.tag_name === "string") next.tagName = b.tag_name;
  if (typeof b.target_commitish === "string") next.targetCommitish = b.target_commitish;
  if (typeof b.name === "string") next.name = b.name;
  if (typeof b.body === "string") next.body = b.body;
  if (typeof b.prerelease === "boolean") next.prerelease = b.prerelease;
  if (typeof b.draft === "boolean") next.draft = b.draft;
  if ([...repo.releases.values()].some((r) => r.id !== release.id && !r.draft && !next.draft && r.tagName === next.tagName)) {
    throw validationFailed("Release", "tag_name", "already_exists");
  }
  const now = ctx.state.now();
  if (release.draft && !next.draft) next.publishedAt = now;
  next.updatedAt = now;
  ensureTag(ctx, repo, next);
  Object.assign(release, next);
  return { status: 200, body: ctx.factories.release(repo, release) };
};

const deleteRelease: Handler = (ctx) => {
  const { repo, release } = releaseOf(ctx);
  repo.releases.delete(release.id);
  return { status: 204 };
};

function assetOf(ctx: HandlerContext): { repo: RepoRecord; release: ReleaseRecord; asset: ReleaseAssetRecord } {
  const repo = repoOf(ctx);
  const id = numberParam(ctx, "asset_id");
  for (const release of repo.releases.values()) {
    const asset = release.assets.find((a) => a.id === id);
    if (asset) return { repo, release, asset };
  }
  throw notFound();
}

const listReleaseAssets: Handler = (ctx) => {
  const { repo, release } = releaseOf(ctx);
  const page = paginate(ctx, release.assets);
  return { status: 200, body: page.items.map((a) => ctx.factories.releaseAsset(repo, release, a)), headers: page.headers };
};

const getReleaseAsset: Handler = (ctx) => {
  const { repo, release, asset } = assetOf(ctx);
  return { status: 200, body: ctx.factories.releaseAsset(repo, release, asset) };
};

const updateReleaseAsset: Handler = (ctx) => {
  const { repo, release, asset } = assetOf(ctx);
  const name = str(ctx.body.name);
  if (name !== undefined && name !== asset.name && release.assets.some((a) => a.name === name)) {
    throw validationFailed("ReleaseAsset", "name", "already_exists");
  }
  if (name !== undefined) asset.name = name;
  if (typeof ctx.body.label === "string") asset.label = ctx.body.label;
  asset.updatedAt = ctx.state.now();
  return { status: 200, body: ctx.factories.releaseAsset(repo, release, asset) };
};

const deleteReleaseAsset: Handler = (ctx) => {
  const { release, asset } = assetOf(ctx);
  release.assets = release.assets.filter((a) => a !== asset);
  return { status: 204 };
};

const uploadReleaseAsset: Handler = (ctx) => {
  const { repo, release } = releaseOf(ctx);
  const name = String(ctx.query.name);
  const contentType = String(ctx.headers["content-type"] ?? "");
  if (contentType === "") throw new GitHubError(400, "Bad Content-Type header value: ''");
  if (release.assets.some((a) => a.name === name)) throw validationFailed("ReleaseAsset", "name", "already_exists");
  const now = ctx.state.now();
  const asset: ReleaseAssetRecord = {
    id: ctx.state.nextId(),
    name,
    label: str(ctx.query.label) ?? "",
    contentType,
    content: ctx.rawBody,
    downloadCount: 0,
    uploader: ctx.actor.login,
    createdAt: now,
    updatedAt: now,
  };
  release.assets.push(asset);
  return { status: 201, body: ctx.factories.releaseAsset(repo, release, asset) };
};

/** Natural descending order (v10 after v9), close to what GitHub shows for tags. */
function naturalDesc(a: string, b: string): number {
  return b.localeCompare(a, "en", { numeric: true });
}

const listTags: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const tags = [...repo.refs.entries()]
    .filter(([ref]) => ref.startsWith("refs/tags/"))
    .map(([ref, sha]) => ({ name: ref.slice("refs/tags/".length), sha: ctx.state.peel(repo, sha) }))
    .sort((a, b) => naturalDesc(a.name, b.name));
  const page = paginate(ctx, tags);
  return { status: 200, body: page.items.map((t) => ctx.factories.tag(repo, t.name, t.sha)), headers: page.headers };
};

// ---------------------------------------------------------------- git refs

const getRef: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const ref = `refs/${String(ctx.params.ref)}`;
  const sha = repo.refs.get(ref);
  if (!sha) throw notFound();
  return { status: 200, body: ctx.factories.gitRef(repo, ref, sha) };
};

const matchingRefs: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const prefix = `refs/${String(ctx.params.ref)}`;
  const refs = [...repo.refs.entries()].filter(([ref]) => ref.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1));
  return { status: 200, body: refs.map(([ref, sha]) => ctx.factories.gitRef(repo, ref, sha)) };
};

const createRef: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const ref = String(ctx.body.ref);
  const sha = String(ctx.body.sha);
  if (!ref.startsWith("refs/") || ref.split("/").length < 3) {
    throw new GitHubError(422, "Reference name must start with 'refs/' and contain at least two slashes.");
  }
  if (!repo.commits.has(sha) && !repo.tagObjects.has(sha)) throw new GitHubError(422, "Object does not exist");
  if (repo.refs.has(ref)) throw new GitHubError(422, "Reference already exists");
  repo.refs.set(ref, sha);
  const json = ctx.factories.gitRef(repo, ref, sha);
  return { status: 201, body: json, headers: { location: String(json.url) } };
};

const updateRef: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const ref = `refs/${String(ctx.params.ref).replace(/^refs\//, "")}`;
  const current = repo.refs.get(ref);
  if (!current) throw new GitHubError(422, "Reference does not exist");
  const sha = String(ctx.body.sha);
  if (!repo.commits.has(sha) && !repo.tagObjects.has(sha)) throw new GitHubError(422, "Object does not exist");
  const peeledNew = ctx.state.peel(repo, sha);
  const peeledCurrent = ctx.state.peel(repo, current);
  if (ctx.body.force !== true && !ctx.state.ancestors(repo, peeledNew).has(peeledCurrent)) {
    throw new GitHubError(422, "Update is not a fast forward");
  }
  repo.refs.set(ref, sha);
  return { status: 200, body: ctx.factories.gitRef(repo, ref, sha) };
};

const deleteRef: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const ref = `refs/${String(ctx.params.ref).replace(/^refs\//, "")}`;
  if (!repo.refs.has(ref)) throw new GitHubError(422, "Reference does not exist");
  repo.refs.delete(ref);
  return { status: 204 };
};

const getTag: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const tag = repo.tagObjects.get(String(ctx.params.tag_sha));
  if (!tag) throw notFound();
  return { status: 200, body: ctx.factories.tagObject(repo, tag) };
};

const createTag: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const object = String(ctx.body.object);
  const type = ctx.body.type as string;
  const exists = type === "commit" ? repo.commits.has(object) : type === "tag" ? repo.tagObjects.has(object) : false;
  if (!exists) throw new GitHubError(422, "Object does not exist");
  const tagger = ctx.body.tagger as JsonObject | undefined;
  const record = ctx.state.tagObject(repo, {
    tag: String(ctx.body.tag),
    message: String(ctx.body.message),
    object: { sha: object, type: type as "commit" | "tag" },
    ...(tagger ? { tagger: { name: String(tagger.name), email: String(tagger.email), ...(typeof tagger.date === "string" ? { date: tagger.date } : {}) } } : {}),
  });
  const json = ctx.factories.tagObject(repo, record);
  return { status: 201, body: json, headers: { location: String(json.url) } };
};

// ---------------------------------------------------------------- branches

const listBranches: Handler = (ctx) => {
  const repo = repoOf(ctx);
  let branches = [...repo.refs.entries()]
    .filter(([ref]) => ref.startsWith("refs/heads/"))
    .map(([ref, sha]) => ({ name: ref.slice("refs/heads/".length), sha }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  if (typeof ctx.query.protected === "boolean") branches = branches.filter((b) => repo.protections.has(b.name) === ctx.query.protected);
  const page = paginate(ctx, branches);
  return { status: 200, body: page.items.map((b) => ctx.factories.shortBranch(repo, b.name, b.sha)), headers: page.headers };
};

const getBranch: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const name = String(ctx.params.branch);
  const sha = repo.refs.get(`refs/heads/${name}`);
  if (!sha) throw new GitHubError(404, "Branch not found");
  return { status: 200, body: ctx.factories.branch(repo, name, repo.commits.get(sha)!) };
};

// ---------------------------------------------------------------- contents

const getContent: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const ref = str(ctx.query.ref) ?? repo.defaultBranch;
  const commit = ctx.state.resolveRef(repo, ref);
  if (!commit) throw new GitHubError(404, `No commit found for the ref ${ref}`);
  const path = String(ctx.params.path ?? "").replace(/^\/+|\/+$/g, "");
  const blob = commit.tree.get(path);
  if (blob) return { status: 200, body: ctx.factories.contentFile(repo, path, blob, ref) };
  const prefix = path === "" ? "" : `${path}/`;
  const entries = new Map<string, { type: "file" | "dir"; sha: string; size: number }>();
  for (const [filePath, fileBlob] of commit.tree) {
    if (!filePath.startsWith(prefix)) continue;
    const rest = filePath.slice(prefix.length);
    const slash = rest.indexOf("/");
    if (slash < 0) entries.set(rest, { type: "file", sha: fileBlob.sha, size: fileBlob.content.length });
    else if (!entries.has(rest.slice(0, slash))) entries.set(rest.slice(0, slash), { type: "dir", sha: blobOf(`${commit.treeSha}:${prefix}${rest.slice(0, slash)}`).sha, size: 0 });
  }
  if (entries.size === 0) throw notFound();
  const listing = [...entries.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, e]) => ctx.factories.contentDirectoryEntry(repo, `${prefix}${name}`, e.type, e.sha, e.size, ref));
  return { status: 200, body: listing };
};

const putContent: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const path = String(ctx.params.path).replace(/^\/+|\/+$/g, "");
  const branch = str(ctx.body.branch) ?? repo.defaultBranch;
  const head = repo.refs.get(`refs/heads/${branch}`);
  if (!head) throw new GitHubError(404, `Branch ${branch} not found`);
  const encoded = String(ctx.body.content);
  if (!/^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/.test(encoded)) throw validationFailed("Commit", "content", "invalid", "content is not valid Base64");
  const current = repo.commits.get(head)!.tree.get(path);
  const sha = str(ctx.body.sha);
  if (current && sha === undefined) throw new GitHubError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
  if (current && sha !== current.sha) throw new GitHubError(409, `${path} does not match ${sha ?? ""}`);
  if (!current && sha !== undefined) throw new GitHubError(409, `${path} does not match ${sha}`);
  const author = (ctx.body.author ?? ctx.body.committer) as JsonObject | undefined;
  const commit = ctx.state.commit(repo, {
    parents: [head],
    message: String(ctx.body.message),
    files: { [path]: Buffer.from(encoded, "base64").toString("utf8") },
    branch,
    ...(author ? { author: { name: String(author.name), email: String(author.email) } } : {}),
  });
  return { status: current ? 200 : 201, body: ctx.factories.fileCommit(repo, path, commit, branch) };
};

// ---------------------------------------------------------------- branch protection and rulesets

function branchOrFail(repo: RepoRecord, branch: string): void {
  if (!repo.refs.has(`refs/heads/${branch}`)) throw new GitHubError(404, "Branch not found");
}

function protectionJson(ctx: HandlerContext, repo: RepoRecord, branch: string, p: JsonObject): JsonObject {
  const url = `${ctx.factories.urls.api}/repos/${repo.fullName}/branches/${encodeURIComponent(branch)}/protection`;
  const checks = p.required_status_checks as JsonObject | null;
  const reviews = p.required_pull_request_reviews as JsonObject | null;
  const flag = (name: string): JsonObject => ({ enabled: p[name] === true });
  const contexts = checks ? ((checks.contexts as string[] | undefined) ?? ((checks.checks as JsonObject[] | undefined) ?? []).map((c) => String(c.context))) : [];
  return {
    url,
    ...(checks
      ? {
          required_status_checks: {
            url: `${url}/required_status_checks`,
            strict: checks.strict === true,
            contexts,
            checks: contexts.map((context) => ({ context, app_id: null })),
            contexts_url: `${url}/required_status_checks/contexts`,
          },
        }
      : {}),
    enforce_admins: { url: `${url}/enforce_admins`, enabled: p.enforce_admins === true },
    ...(reviews
      ? {
          required_pull_request_reviews: {
            url: `${url}/required_pull_request_reviews`,
            dismiss_stale_reviews: reviews.dismiss_stale_reviews === true,
            require_code_owner_reviews: reviews.require_code_owner_reviews === true,
            required_approving_review_count: typeof reviews.required_approving_review_count === "number" ? reviews.required_approving_review_count : 1,
            require_last_push_approval: reviews.require_last_push_approval === true,
          },
        }
      : {}),
    required_signatures: { url: `${url}/required_signatures`, enabled: false },
    required_linear_history: flag("required_linear_history"),
    allow_force_pushes: flag("allow_force_pushes"),
    allow_deletions: flag("allow_deletions"),
    block_creations: flag("block_creations"),
    required_conversation_resolution: flag("required_conversation_resolution"),
    lock_branch: flag("lock_branch"),
    allow_fork_syncing: flag("allow_fork_syncing"),
  };
}

const updateBranchProtection: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const branch = String(ctx.params.branch);
  branchOrFail(repo, branch);
  repo.protections.set(branch, ctx.body);
  return { status: 200, body: protectionJson(ctx, repo, branch, ctx.body) };
};

const getBranchProtection: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const branch = String(ctx.params.branch);
  branchOrFail(repo, branch);
  const protection = repo.protections.get(branch);
  if (!protection) throw new GitHubError(404, "Branch not protected");
  return { status: 200, body: protectionJson(ctx, repo, branch, protection) };
};

const listRulesets: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const page = paginate(ctx, [...repo.rulesets.values()].sort((a, b) => a.id - b.id));
  return { status: 200, body: page.items.map((r) => ctx.factories.ruleset(repo, r)), headers: page.headers };
};

function rulesetOf(ctx: HandlerContext): { repo: RepoRecord; ruleset: RulesetRecord } {
  const repo = repoOf(ctx);
  const ruleset = repo.rulesets.get(numberParam(ctx, "ruleset_id"));
  if (!ruleset) throw notFound();
  return { repo, ruleset };
}

const getRuleset: Handler = (ctx) => {
  const { repo, ruleset } = rulesetOf(ctx);
  return { status: 200, body: ctx.factories.ruleset(repo, ruleset) };
};

function applyRuleset(ctx: HandlerContext, repo: RepoRecord, ruleset: RulesetRecord, b: JsonObject): void {
  if (typeof b.name === "string") {
    if ([...repo.rulesets.values()].some((r) => r.id !== ruleset.id && r.name === b.name)) {
      throw validationFailed("RepositoryRuleset", "name", "already_exists", "Name must be unique");
    }
    ruleset.name = b.name;
  }
  if (typeof b.target === "string") ruleset.target = b.target as RulesetRecord["target"];
  if (typeof b.enforcement === "string") ruleset.enforcement = b.enforcement;
  if (Array.isArray(b.bypass_actors)) ruleset.bypassActors = b.bypass_actors as JsonObject[];
  if (b.conditions !== undefined) ruleset.conditions = (b.conditions as JsonObject | null) ?? null;
  if (Array.isArray(b.rules)) ruleset.rules = b.rules as JsonObject[];
  ruleset.updatedAt = ctx.state.now();
}

const createRuleset: Handler = (ctx) => {
  const repo = repoOf(ctx);
  const now = ctx.state.now();
  const ruleset: RulesetRecord = {
    id: ctx.state.nextId(),
    name: "",
    target: "branch",
    enforcement: "disabled",
    bypassActors: [],
    conditions: null,
    rules: [],
    createdAt: now,
    updatedAt: now,
  };
  applyRuleset(ctx, repo, ruleset, ctx.body);
  repo.rulesets.set(ruleset.id, ruleset);
  return { status: 201, body: ctx.factories.ruleset(repo, ruleset) };
};

const updateRuleset: Handler = (ctx) => {
  const { repo, ruleset } = rulesetOf(ctx);
  applyRuleset(ctx, repo, ruleset, ctx.body ?? {});
  return { status: 200, body: ctx.factories.ruleset(repo, ruleset) };
};

export const handlers: Record<string, Handler> = {
  "issues/list-comments": listComments,
  "issues/get-comment": getComment,
  "issues/create-comment": createComment,
  "issues/update-comment": updateComment,
  "issues/delete-comment": deleteComment,
  "issues/remove-label": removeLabel,
  "users/get-authenticated": getAuthenticated,
  "pulls/get": getPull,
  "repos/get": getRepo,
  "users/get-by-username": getUserByUsername,
  "repos/get-commit": getCommit,
  "repos/list-commits": listCommits,
  "repos/compare-commits": compareCommits,
  "repos/compare-commits-with-basehead": compareCommits,
  "repos/create-commit-status": createCommitStatus,
  "repos/list-commit-statuses-for-ref": listCommitStatuses,
  "repos/get-combined-status-for-ref": combinedStatus,
  "checks/create": createCheckRun,
  "checks/list-for-ref": listCheckRunsForRef,
  "repos/create-deployment": createDeployment,
  "repos/list-deployments": listDeployments,
  "repos/get-deployment": getDeployment,
  "repos/delete-deployment": deleteDeployment,
  "repos/create-deployment-status": createDeploymentStatus,
  "repos/list-deployment-statuses": listDeploymentStatuses,
  "repos/get-deployment-status": getDeploymentStatus,
  "repos/get-environment": getEnvironment,
  "repos/get-all-environments": listEnvironments,
  "repos/create-or-update-environment": createOrUpdateEnvironment,
  "actions/get-repo-public-key": getSecretsPublicKey,
  "actions/get-environment-public-key": getSecretsPublicKey,
  "actions/get-repo-secret": getSecret,
  "actions/get-environment-secret": getSecret,
  "actions/create-or-update-repo-secret": putSecret,
  "actions/create-or-update-environment-secret": putSecret,
  "repos/list-releases": listReleases,
  "repos/get-release": getRelease,
  "repos/get-release-by-tag": getReleaseByTag,
  "repos/create-release": createRelease,
  "repos/update-release": updateRelease,
  "repos/delete-release": deleteRelease,
  "repos/list-tags": listTags,
  "repos/get-latest-release": getLatestRelease,
  "repos/list-release-assets": listReleaseAssets,
  "repos/get-release-asset": getReleaseAsset,
  "repos/update-release-asset": updateReleaseAsset,
  "repos/delete-release-asset": deleteReleaseAsset,
  "repos/upload-release-asset": uploadReleaseAsset,
  "git/get-tag": getTag,
  "git/create-tag": createTag,
  "repos/list-branches": listBranches,
  "repos/get-branch": getBranch,
  "git/get-ref": getRef,
  "git/list-matching-refs": matchingRefs,
  "git/create-ref": createRef,
  "git/update-ref": updateRef,
  "git/delete-ref": deleteRef,
  "repos/get-content": getContent,
  "repos/create-or-update-file-contents": putContent,
  "repos/update-branch-protection": updateBranchProtection,
  "repos/get-branch-protection": getBranchProtection,
  "repos/get-repo-rulesets": listRulesets,
  "repos/get-repo-ruleset": getRuleset,
  "repos/create-repo-ruleset": createRuleset,
  "repos/update-repo-ruleset": updateRuleset,
};
