// Seeding API: put repositories, commits, pulls, statuses, releases… into the stand-in before a test
// talks to it. Seeding bypasses HTTP (no calls logged, no validation) but builds the same records the
// endpoints build, so what a test seeds reads back exactly like what the kit would have written.
import type { JsonObject } from "./openapi.ts";
import {
  type CheckRunRecord,
  type CommentRecord,
  type CommitRecord,
  type CommitStatusRecord,
  type DeploymentRecord,
  type DeploymentState,
  type EnvironmentRecord,
  type GitHubState,
  type IssueRecord,
  type PullRecord,
  type TagObjectRecord,
  type ReleaseRecord,
  type RepoRecord,
  type UserRecord,
  type UserType,
} from "./state.ts";

export interface SeededDefaults {
  /** `octo/app` (owner `octo`, an organization), default branch `main`. */
  repo: RepoRecord;
  /** PR #1: `feature/orders` → `main`, opened by `octocat`, one commit ahead. */
  pull: PullRecord;
  /** Head of `main` (also the PR's base sha). */
  baseSha: string;
  /** Head of `feature/orders` (the PR's head sha). */
  headSha: string;
}

export interface ReleaseSeed {
  tag_name: string;
  name?: string | null;
  body?: string | null;
  draft?: boolean;
  prerelease?: boolean;
  target_commitish?: string;
  /** ISO timestamp for created_at/published_at (default: now). */
  created_at?: string;
}

export interface Seeder {
  user(login: string, init?: { type?: UserType; id?: number; name?: string; email?: string }): UserRecord;
  /** A repository with an initial commit on its default branch (`files`, default a README). */
  repo(init: {
    owner: string;
    name: string;
    ownerType?: UserType;
    private?: boolean;
    defaultBranch?: string;
    description?: string;
    topics?: string[];
    files?: Record<string, string>;
  }): RepoRecord;
  /** A fork of `repo` owned by `owner` (shares the object network: commits are visible in both). */
  fork(repo: string, owner: string): RepoRecord;
  /** A commit; with `branch` and no `parents` it goes on top of that branch (and moves it). */
  commit(repo: string, init: { parents?: string[]; branch?: string; message?: string; files?: Record<string, string | null>; author?: { name: string; email: string; login?: string }; date?: string }): CommitRecord;
  /** Points `refs/heads/<name>` at `sha` (default: the default branch's head). */
  branch(repo: string, name: string, sha?: string): string;
  /** Points `refs/tags/<name>` at `sha` (default: the default branch's head). */
  tag(repo: string, name: string, sha?: string): string;
  /** An annotated tag: a tag object pointing at `sha`, and `refs/tags/<name>` pointing at the object. Returns the object. */
  annotatedTag(repo: string, name: string, sha?: string, message?: string): TagObjectRecord;
  /**
   * A pull request. `head` is a branch (created from the base when missing, with one commit adding
   * `files`). `fork: "login"` makes it a fork PR: the head branch lives in `login/<name>`.
   */
  pull(repo: string, init: { head: string; base?: string; number?: number; title?: string; body?: string | null; user?: string; fork?: string; draft?: boolean; labels?: string[]; state?: "open" | "closed"; files?: Record<string, string | null> }): PullRecord;
  issue(repo: string, init?: { number?: number; title?: string; user?: string }): IssueRecord;
  comment(repo: string, issueNumber: number, body: string, init?: { user?: string }): CommentRecord;
  commitStatus(repo: string, init: { sha: string; state: CommitStatusRecord["state"]; context?: string; description?: string; targetUrl?: string }): CommitStatusRecord;
  checkRun(repo: string, init: { headSha: string; name: string; status?: CheckRunRecord["status"]; conclusion?: string | null }): CheckRunRecord;
  release(repo: string, init: ReleaseSeed): ReleaseRecord;
  /** Many releases at once: a count (`v1.0.0` … oldest first) or explicit seeds. */
  releases(repo: string, releases: number | ReleaseSeed[]): ReleaseRecord[];
  environment(repo: string, name: string, init?: { waitTimer?: number; reviewers?: { type: "User" | "Team"; id: number }[]; preventSelfReview?: boolean; deploymentBranchPolicy?: { protected_branches: boolean; custom_branch_policies: boolean } | null }): EnvironmentRecord;
  /** A deployment as if another writer made it; `creator` is its login (default: the token's own user). */
  deployment(repo: string, init: { sha: string; ref?: string; environment?: string; task?: string; payload?: JsonObject; transient?: boolean; production?: boolean; statuses?: DeploymentState[]; environmentUrl?: string; creator?: string }): DeploymentRecord;
  /** `octo/app` with PR #1 — what `startGitHubStandIn()` seeds unless `defaults: false`. */
  defaults(): SeededDefaults;
}

export function createSeeder(state: GitHubState): Seeder {
  const repoOf = (name: string): RepoRecord => state.requireRepo(name);
  const headOf = (repo: RepoRecord, branch: string): string => {
    const sha = repo.refs.get(`refs/heads/${branch}`);
    if (!sha) throw new Error(`GitHub stand-in: no branch ${branch} in ${repo.fullName}`);
    return sha;
  };

  const seeder: Seeder = {
    user: (login, init = {}) => state.user(login, init),

    repo(init) {
      if (state.repo(`${init.owner}/${init.name}`)) throw new Error(`GitHub stand-in: ${init.owner}/${init.name} already exists`);
      const repo = state.createRepo(init);
      state.commit(repo, {
        message: "Initial commit",
        files: init.files ?? { "README.md": `# ${init.name}\n` },
        branch: repo.defaultBranch,
        parents: [],
      });
      return repo;
    },

    fork(name, owner) {
      const parent = repoOf(name);
      return state.createRepo({ owner, name: parent.name, forkOf: parent, defaultBranch: parent.defaultBranch, description: parent.description });
    },

    commit: (name, init) => state.commit(repoOf(name), init),

    branch(name, branch, sha) {
      const repo = repoOf(name);
      const target = sha ?? headOf(repo, repo.defaultBranch);
      if (!repo.commits.has(target)) throw new Error(`GitHub stand-in: unknown commit ${target} in ${repo.fullName}`);
      repo.refs.set(`refs/heads/${branch}`, target);
      return target;
    },

    tag(name, tag, sha) {
      const repo = repoOf(name);
      const target = sha ?? headOf(repo, repo.defaultBranch);
      if (!repo.commits.has(target)) throw new Error(`GitHub stand-in: unknown commit ${target} in ${repo.fullName}`);
      repo.refs.set(`refs/tags/${tag}`, target);
      return target;
    },

    annotatedTag(name, tag, sha, message) {
      const repo = repoOf(name);
      const target = sha ?? headOf(repo, repo.defaultBranch);
      const type = repo.tagObjects.has(target) ? "tag" : "commit";
      if (type === "commit" && !repo.commits.has(target)) throw new Error(`GitHub stand-in: unknown commit ${target} in ${repo.fullName}`);
      const record = state.tagObject(repo, { tag, message: message ?? `Release ${tag}\n`, object: { sha: target, type } });
      repo.refs.set(`refs/tags/${tag}`, record.sha);
      return record;
    },

    pull(name, init) {
      const repo = repoOf(name);
      const baseRef = init.base ?? repo.defaultBranch;
      const baseSha = headOf(repo, baseRef);
      const headRepo = init.fork ? (state.repo(`${init.fork}/${repo.name}`) ?? seeder.fork(name, init.fork)) : repo;
      if (!headRepo.refs.has(`refs/heads/${init.head}`)) {
        headRepo.refs.set(`refs/heads/${init.head}`, baseSha);
        state.commit(headRepo, {
          branch: init.head,
          message: init.title ?? `Change ${init.head}`,
          files: init.files ?? { [`changes/${init.head.replace(/[^\w.-]+/g, "-")}.md`]: `${init.title ?? init.head}\n` },
        });
      }
      const number = init.number ?? repo.nextNumber;
      if (repo.pulls.has(number) || repo.issues.has(number)) throw new Error(`GitHub stand-in: #${number} already exists in ${repo.fullName}`);
      repo.nextNumber = Math.max(repo.nextNumber, number + 1);
      const now = state.now();
      const user = init.user ?? (init.fork ? init.fork : "octocat");
      state.user(user);
      const pull: PullRecord = {
        number,
        id: state.nextId(),
        title: init.title ?? `Update ${init.head}`,
        body: init.body ?? null,
        state: init.state ?? "open",
        draft: init.draft ?? false,
        user,
        head: { repo: headRepo, ref: init.head, sha: headOf(headRepo, init.head) },
        base: { ref: baseRef, sha: baseSha },
        labels: init.labels ?? [],
        createdAt: now,
        updatedAt: now,
        closedAt: init.state === "closed" ? now : null,
        mergedAt: null,
        mergeCommitSha: null,
      };
      repo.pulls.set(number, pull);
      return pull;
    },

    issue(name, init = {}) {
      const repo = repoOf(name);
      const number = init.number ?? repo.nextNumber;
      if (repo.pulls.has(number) || repo.issues.has(number)) throw new Error(`GitHub stand-in: #${number} already exists in ${repo.fullName}`);
      repo.nextNumber = Math.max(repo.nextNumber, number + 1);
      const issue: IssueRecord = { number, id: state.nextId(), title: init.title ?? `Issue ${number}`, user: init.user ?? "octocat", createdAt: state.now() };
      repo.issues.set(number, issue);
      return issue;
    },

    comment(name, issueNumber, body, init = {}) {
      const repo = repoOf(name);
      if (!repo.pulls.has(issueNumber) && !repo.issues.has(issueNumber)) throw new Error(`GitHub stand-in: no #${issueNumber} in ${repo.fullName}`);
      const now = state.now();
      const user = init.user ?? "octocat";
      state.user(user);
      const comment: CommentRecord = { id: state.nextId(), issueNumber, body, user, createdAt: now, updatedAt: now, minimized: null };
      repo.comments.set(comment.id, comment);
      return comment;
    },

    commitStatus(name, init) {
      const repo = repoOf(name);
      if (!repo.commits.has(init.sha)) throw new Error(`GitHub stand-in: unknown commit ${init.sha}`);
      const now = state.now();
      const status: CommitStatusRecord = {
        id: state.nextId(),
        sha: init.sha,
        state: init.state,
        context: init.context ?? "default",
        description: init.description ?? null,
        targetUrl: init.targetUrl ?? null,
        creator: state.viewer.login,
        createdAt: now,
        updatedAt: now,
      };
      repo.commitStatuses.push(status);
      return status;
    },

    checkRun(name, init) {
      const repo = repoOf(name);
      if (!repo.commits.has(init.headSha)) throw new Error(`GitHub stand-in: unknown commit ${init.headSha}`);
      const now = state.now();
      const status = init.status ?? (init.conclusion ? "completed" : "queued");
      const run: CheckRunRecord = {
        id: state.nextId(),
        headSha: init.headSha,
        name: init.name,
        status,
        conclusion: init.conclusion ?? null,
        externalId: null,
        detailsUrl: null,
        startedAt: now,
        completedAt: status === "completed" ? now : null,
        output: { title: null, summary: null, text: null, annotationsCount: 0 },
        checkSuiteId: state.nextId(),
      };
      repo.checkRuns.push(run);
      return run;
    },

    release(name, init) {
      const repo = repoOf(name);
      const at = init.created_at ?? state.now();
      const draft = init.draft ?? false;
      const release: ReleaseRecord = {
        id: state.nextId(),
        tagName: init.tag_name,
        targetCommitish: init.target_commitish ?? repo.defaultBranch,
        name: init.name === undefined ? init.tag_name : init.name,
        body: init.body === undefined ? `Release ${init.tag_name}` : init.body,
        draft,
        prerelease: init.prerelease ?? false,
        author: state.viewer.login,
        createdAt: at,
        publishedAt: draft ? null : at,
        updatedAt: at,
        assets: [],
      };
      if (!draft && !repo.refs.has(`refs/tags/${release.tagName}`)) {
        const target = state.resolveRef(repo, release.targetCommitish);
        if (!target) throw new Error(`GitHub stand-in: unknown target ${release.targetCommitish}`);
        repo.refs.set(`refs/tags/${release.tagName}`, target.sha);
      }
      repo.releases.set(release.id, release);
      return release;
    },

    releases(name, releases) {
      const seeds: ReleaseSeed[] =
        typeof releases === "number"
          ? Array.from({ length: releases }, (_, i) => ({
              tag_name: `v1.${Math.floor(i / 10)}.${i % 10}`,
              created_at: new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
            }))
          : releases;
      return seeds.map((s) => seeder.release(name, s));
    },

    environment(name, env, init = {}) {
      const repo = repoOf(name);
      const now = state.now();
      const record: EnvironmentRecord = repo.environments.get(env) ?? {
        id: state.nextId(),
        name: env,
        createdAt: now,
        updatedAt: now,
        waitTimer: 0,
        preventSelfReview: false,
        reviewers: [],
        deploymentBranchPolicy: null,
        ruleIds: { waitTimer: state.nextId(), reviewers: state.nextId(), branchPolicy: state.nextId() },
      };
      if (init.waitTimer !== undefined) record.waitTimer = init.waitTimer;
      if (init.reviewers !== undefined) record.reviewers = init.reviewers;
      if (init.preventSelfReview !== undefined) record.preventSelfReview = init.preventSelfReview;
      if (init.deploymentBranchPolicy !== undefined) record.deploymentBranchPolicy = init.deploymentBranchPolicy;
      repo.environments.set(env, record);
      return record;
    },

    deployment(name, init) {
      const repo = repoOf(name);
      if (!repo.commits.has(init.sha)) throw new Error(`GitHub stand-in: unknown commit ${init.sha}`);
      const environment = init.environment ?? "production";
      seeder.environment(name, environment);
      const now = state.now();
      const deployment: DeploymentRecord = {
        id: state.nextId(),
        sha: init.sha,
        ref: init.ref ?? init.sha,
        task: init.task ?? "deploy",
        payload: init.payload ?? {},
        environment,
        originalEnvironment: environment,
        description: "",
        transientEnvironment: init.transient ?? false,
        productionEnvironment: init.production ?? environment === "production",
        creator: init.creator ?? state.viewer.login,
        createdAt: now,
        updatedAt: now,
        statuses: [],
      };
      if (init.creator) state.user(init.creator);
      for (const s of init.statuses ?? []) {
        deployment.statuses.push({
          id: state.nextId(),
          deploymentId: deployment.id,
          state: s,
          description: "",
          environment,
          targetUrl: "",
          logUrl: "",
          environmentUrl: init.environmentUrl ?? "",
          creator: init.creator ?? state.viewer.login,
          createdAt: now,
          updatedAt: now,
        });
      }
      repo.deployments.set(deployment.id, deployment);
      return deployment;
    },

    defaults() {
      seeder.user("octocat", { type: "User", id: 583231, name: "The Octocat" });
      const repo = seeder.repo({
        owner: "octo",
        name: "app",
        ownerType: "Organization",
        description: "A Cloudflare app defined with Alchemy",
        files: {
          "README.md": "# app\n",
          "package.json": '{\n  "name": "app",\n  "version": "1.0.0"\n}\n',
          "src/index.ts": 'export default { fetch: () => new Response("ok") };\n',
        },
      });
      const base = state.commit(repo, { branch: "main", message: "Add health endpoint", files: { "src/health.ts": "export const health = () => 'ok';\n" } });
      const pull = seeder.pull("octo/app", {
        number: 1,
        head: "feature/orders",
        title: "Add orders API",
        body: "Adds the orders API.",
        user: "octocat",
        files: { "src/orders.ts": "export const orders = [];\n" },
      });
      return { repo, pull, baseSha: base.sha, headSha: pull.head.sha };
    },
  };
  return seeder;
}
