// GitHub's JSON representations of the stand-in's records, complete as api.github.com returns them
// (every required property of the OpenAPI schema, URLs pointing back at the stand-in, node ids in
// GitHub's current format). The server validates each of them against the description on the way out.
import { createHash } from "node:crypto";
import type {
  CheckRunRecord,
  CommentRecord,
  CommitRecord,
  CommitStatusRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  EnvironmentRecord,
  GitHubState,
  PullRecord,
  ReleaseAssetRecord,
  ReleaseRecord,
  RepoRecord,
  RulesetRecord,
  TagObjectRecord,
  UserRecord,
} from "./state.ts";
import type { Json, JsonObject } from "./openapi.ts";

export interface Urls {
  /** REST root, e.g. `http://127.0.0.1:1234` or `http://127.0.0.1:1234/api/v3`. */
  api: string;
  /** Web root, `https://github.com` unless configured. */
  html: string;
}

/** A repository path as it appears in URLs: each segment percent-encoded, slashes kept. */
function urlPath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

export function nodeId(prefix: string, id: number): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(id));
  return `${prefix}_kwDO${bytes.toString("base64url")}`;
}

export class Factories {
  readonly urls: Urls;
  readonly state: GitHubState;

  constructor(state: GitHubState, urls: Urls) {
    this.state = state;
    this.urls = urls;
  }

  /** `GET /users/{username}`: the simple user plus the public profile fields. */
  publicUser(user: UserRecord): JsonObject {
    const created = "2011-01-25T18:44:36Z";
    return {
      ...this.user(user),
      name: user.name,
      company: null,
      blog: "",
      location: null,
      email: user.email,
      hireable: null,
      bio: null,
      public_repos: 8,
      public_gists: 8,
      followers: 20,
      following: 0,
      created_at: created,
      updated_at: created,
    };
  }

  /** Labels by name; a label's id is stable (from its name), as a repository's label is. */
  labels(repo: RepoRecord, names: readonly string[]): JsonObject[] {
    return names.map((name) => {
      const id = 1000 + [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_000, 7);
      return { id, node_id: nodeId("LA", id), url: `${this.apiRepo(repo)}/labels/${encodeURIComponent(name)}`, name, description: null, color: "ededed", default: false };
    });
  }

  user(user: UserRecord): JsonObject {
    const api = `${this.urls.api}/users/${encodeURIComponent(user.login)}`;
    const bot = user.type === "Bot" && user.login.endsWith("[bot]");
    return {
      login: user.login,
      id: user.id,
      node_id: nodeId(user.type === "Organization" ? "O" : user.type === "Bot" ? "BOT" : "U", user.id),
      avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
      gravatar_id: "",
      url: api,
      html_url: bot ? `${this.urls.html}/apps/${user.login.slice(0, -"[bot]".length)}` : `${this.urls.html}/${user.login}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: user.type,
      user_view_type: "public",
      site_admin: false,
    };
  }

  userByLogin(login: string): JsonObject {
    return this.user(this.state.user(login));
  }

  reactions(url: string): JsonObject {
    return { url, total_count: 0, "+1": 0, "-1": 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 };
  }

  private repoUrls(repo: RepoRecord): JsonObject {
    const api = `${this.urls.api}/repos/${repo.fullName}`;
    return {
      html_url: `${this.urls.html}/${repo.fullName}`,
      url: api,
      forks_url: `${api}/forks`,
      keys_url: `${api}/keys{/key_id}`,
      collaborators_url: `${api}/collaborators{/collaborator}`,
      teams_url: `${api}/teams`,
      hooks_url: `${api}/hooks`,
      issue_events_url: `${api}/issues/events{/number}`,
      events_url: `${api}/events`,
      assignees_url: `${api}/assignees{/user}`,
      branches_url: `${api}/branches{/branch}`,
      tags_url: `${api}/tags`,
      blobs_url: `${api}/git/blobs{/sha}`,
      git_tags_url: `${api}/git/tags{/sha}`,
      git_refs_url: `${api}/git/refs{/sha}`,
      trees_url: `${api}/git/trees{/sha}`,
      statuses_url: `${api}/statuses/{sha}`,
      languages_url: `${api}/languages`,
      stargazers_url: `${api}/stargazers`,
      contributors_url: `${api}/contributors`,
      subscribers_url: `${api}/subscribers`,
      subscription_url: `${api}/subscription`,
      commits_url: `${api}/commits{/sha}`,
      git_commits_url: `${api}/git/commits{/sha}`,
      comments_url: `${api}/comments{/number}`,
      issue_comment_url: `${api}/issues/comments{/number}`,
      contents_url: `${api}/contents/{+path}`,
      compare_url: `${api}/compare/{base}...{head}`,
      merges_url: `${api}/merges`,
      archive_url: `${api}/{archive_format}{/ref}`,
      downloads_url: `${api}/downloads`,
      issues_url: `${api}/issues{/number}`,
      pulls_url: `${api}/pulls{/number}`,
      milestones_url: `${api}/milestones{/number}`,
      notifications_url: `${api}/notifications{?since,all,participating}`,
      labels_url: `${api}/labels{/name}`,
      releases_url: `${api}/releases{/id}`,
      deployments_url: `${api}/deployments`,
    };
  }

  /** `repository` schema (also the base of `full-repository`, and valid as `minimal-repository`). */
  repository(repo: RepoRecord): JsonObject {
    const host = new URL(this.urls.html).host;
    const openIssues = [...repo.pulls.values()].filter((p) => p.state === "open").length + repo.issues.size;
    return {
      id: repo.id,
      node_id: nodeId("R", repo.id),
      name: repo.name,
      full_name: repo.fullName,
      private: repo.private,
      owner: this.user(repo.owner),
      description: repo.description,
      fork: repo.fork,
      ...this.repoUrls(repo),
      git_url: `git://${host}/${repo.fullName}.git`,
      ssh_url: `git@${host}:${repo.fullName}.git`,
      clone_url: `${this.urls.html}/${repo.fullName}.git`,
      svn_url: `${this.urls.html}/${repo.fullName}`,
      mirror_url: null,
      homepage: null,
      language: "TypeScript",
      forks_count: 0,
      stargazers_count: 0,
      watchers_count: 0,
      size: 0,
      default_branch: repo.defaultBranch,
      open_issues_count: openIssues,
      is_template: false,
      topics: repo.topics,
      has_issues: true,
      has_projects: true,
      has_wiki: true,
      has_pages: false,
      has_downloads: true,
      has_discussions: false,
      archived: repo.archived,
      disabled: false,
      visibility: repo.private ? "private" : "public",
      pushed_at: repo.pushedAt,
      created_at: repo.createdAt,
      updated_at: repo.updatedAt,
      permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
      allow_forking: true,
      web_commit_signoff_required: false,
      license: null,
      forks: 0,
      open_issues: openIssues,
      watchers: 0,
    };
  }

  fullRepository(repo: RepoRecord): JsonObject {
    return {
      ...this.repository(repo),
      allow_rebase_merge: true,
      allow_squash_merge: true,
      allow_merge_commit: true,
      allow_auto_merge: false,
      delete_branch_on_merge: false,
      allow_update_branch: false,
      use_squash_pr_title_as_default: false,
      squash_merge_commit_title: "COMMIT_OR_PR_TITLE",
      squash_merge_commit_message: "COMMIT_MESSAGES",
      merge_commit_title: "MERGE_MESSAGE",
      merge_commit_message: "PR_TITLE",
      temp_clone_token: "",
      subscribers_count: 1,
      network_count: 0,
      ...(repo.owner.type === "Organization" ? { organization: this.user(repo.owner) } : {}),
      ...(repo.parent ? { parent: this.repository(repo.parent), source: this.repository(repo.parent) } : {}),
    };
  }

  minimalRepository(repo: RepoRecord): JsonObject {
    return this.repository(repo);
  }

  private apiRepo(repo: RepoRecord): string {
    return `${this.urls.api}/repos/${repo.fullName}`;
  }

  comment(repo: RepoRecord, comment: CommentRecord): JsonObject {
    const url = `${this.apiRepo(repo)}/issues/comments/${comment.id}`;
    const isPull = repo.pulls.has(comment.issueNumber);
    return {
      id: comment.id,
      node_id: nodeId("IC", comment.id),
      url,
      html_url: `${this.urls.html}/${repo.fullName}/${isPull ? "pull" : "issues"}/${comment.issueNumber}#issuecomment-${comment.id}`,
      body: comment.body,
      user: this.userByLogin(comment.user),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      issue_url: `${this.apiRepo(repo)}/issues/${comment.issueNumber}`,
      author_association: comment.user.toLowerCase() === repo.owner.login.toLowerCase() ? "OWNER" : "NONE",
      performed_via_github_app: null,
      reactions: this.reactions(`${url}/reactions`),
    };
  }

  pull(repo: RepoRecord, pull: PullRecord): JsonObject {
    const api = `${this.apiRepo(repo)}/pulls/${pull.number}`;
    const html = `${this.urls.html}/${repo.fullName}/pull/${pull.number}`;
    const issue = `${this.apiRepo(repo)}/issues/${pull.number}`;
    const statuses = `${this.apiRepo(repo)}/statuses/${pull.head.sha}`;
    const headCommits = this.state.ancestors(repo, pull.head.sha);
    const baseCommits = this.state.ancestors(repo, pull.base.sha);
    const ahead = [...headCommits].filter((sha) => !baseCommits.has(sha));
    const files = this.diffFiles(repo, this.mergeBase(repo, pull.base.sha, pull.head.sha), pull.head.sha);
    const link = (href: string): JsonObject => ({ href });
    const comments = [...repo.comments.values()].filter((c) => c.issueNumber === pull.number).length;
    return {
      url: api,
      id: pull.id,
      node_id: nodeId("PR", pull.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issue,
      commits_url: `${api}/commits`,
      review_comments_url: `${api}/comments`,
      review_comment_url: `${this.apiRepo(repo)}/pulls/comments{/number}`,
      comments_url: `${issue}/comments`,
      statuses_url: statuses,
      number: pull.number,
      state: pull.state,
      locked: false,
      title: pull.title,
      user: this.userByLogin(pull.user),
      body: pull.body,
      labels: this.labels(repo, pull.labels),
      milestone: null,
      active_lock_reason: null,
      created_at: pull.createdAt,
      updated_at: pull.updatedAt,
      closed_at: pull.closedAt,
      merged_at: pull.mergedAt,
      merge_commit_sha: pull.mergeCommitSha,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: {
        label: `${pull.head.repo.owner.login}:${pull.head.ref}`,
        ref: pull.head.ref,
        sha: pull.head.sha,
        user: this.user(pull.head.repo.owner),
        repo: this.repository(pull.head.repo),
      },
      base: {
        label: `${repo.owner.login}:${pull.base.ref}`,
        ref: pull.base.ref,
        sha: pull.base.sha,
        user: this.user(repo.owner),
        repo: this.repository(repo),
      },
      _links: {
        self: link(api),
        html: link(html),
        issue: link(issue),
        comments: link(`${issue}/comments`),
        review_comments: link(`${api}/comments`),
        review_comment: link(`${this.apiRepo(repo)}/pulls/comments{/number}`),
        commits: link(`${api}/commits`),
        statuses: link(statuses),
      },
      author_association: pull.user.toLowerCase() === repo.owner.login.toLowerCase() ? "OWNER" : pull.head.repo !== repo ? "CONTRIBUTOR" : "MEMBER",
      auto_merge: null,
      draft: pull.draft,
      merged: pull.mergedAt !== null,
      mergeable: pull.state === "open" ? true : null,
      rebaseable: pull.state === "open" ? true : null,
      mergeable_state: pull.state === "open" ? "clean" : "unknown",
      merged_by: null,
      comments,
      review_comments: 0,
      maintainer_can_modify: pull.head.repo !== repo,
      commits: ahead.length,
      additions: files.reduce((sum, f) => sum + Number(f.additions), 0),
      deletions: files.reduce((sum, f) => sum + Number(f.deletions), 0),
      changed_files: files.length,
    };
  }

  deployment(repo: RepoRecord, deployment: DeploymentRecord): JsonObject {
    const url = `${this.apiRepo(repo)}/deployments/${deployment.id}`;
    return {
      url,
      id: deployment.id,
      node_id: nodeId("DE", deployment.id),
      sha: deployment.sha,
      ref: deployment.ref,
      task: deployment.task,
      payload: deployment.payload,
      original_environment: deployment.originalEnvironment,
      environment: deployment.environment,
      description: deployment.description,
      creator: this.userByLogin(deployment.creator),
      created_at: deployment.createdAt,
      updated_at: deployment.updatedAt,
      statuses_url: `${url}/statuses`,
      repository_url: this.apiRepo(repo),
      transient_environment: deployment.transientEnvironment,
      production_environment: deployment.productionEnvironment,
      performed_via_github_app: null,
    };
  }

  deploymentStatus(repo: RepoRecord, status: DeploymentStatusRecord): JsonObject {
    const deploymentUrl = `${this.apiRepo(repo)}/deployments/${status.deploymentId}`;
    return {
      url: `${deploymentUrl}/statuses/${status.id}`,
      id: status.id,
      node_id: nodeId("DES", status.id),
      state: status.state,
      creator: this.userByLogin(status.creator),
      description: status.description,
      environment: status.environment,
      target_url: status.targetUrl,
      created_at: status.createdAt,
      updated_at: status.updatedAt,
      deployment_url: deploymentUrl,
      repository_url: this.apiRepo(repo),
      environment_url: status.environmentUrl,
      log_url: status.logUrl,
      performed_via_github_app: null,
    };
  }

  environment(repo: RepoRecord, env: EnvironmentRecord): JsonObject {
    const rules: Json[] = [];
    if (env.waitTimer > 0) {
      rules.push({ id: env.ruleIds.waitTimer, node_id: nodeId("GA", env.ruleIds.waitTimer), type: "wait_timer", wait_timer: env.waitTimer });
    }
    if (env.reviewers.length > 0) {
      rules.push({
        id: env.ruleIds.reviewers,
        node_id: nodeId("GA", env.ruleIds.reviewers),
        type: "required_reviewers",
        prevent_self_review: env.preventSelfReview,
        reviewers: env.reviewers.map((r) => ({ type: r.type, reviewer: this.reviewer(r) })),
      });
    }
    if (env.deploymentBranchPolicy) {
      rules.push({ id: env.ruleIds.branchPolicy, node_id: nodeId("GA", env.ruleIds.branchPolicy), type: "branch_policy" });
    }
    return {
      id: env.id,
      node_id: nodeId("EN", env.id),
      name: env.name,
      url: `${this.apiRepo(repo)}/environments/${encodeURIComponent(env.name)}`,
      html_url: `${this.urls.html}/${repo.fullName}/deployments/activity_log?environments_filter=${encodeURIComponent(env.name)}`,
      created_at: env.createdAt,
      updated_at: env.updatedAt,
      protection_rules: rules,
      deployment_branch_policy: env.deploymentBranchPolicy,
    };
  }

  private reviewer(r: { type: "User" | "Team"; id: number }): JsonObject {
    if (r.type === "User") {
      const user = [...this.state.users.values()].find((u) => u.id === r.id) ?? this.state.user(`user-${r.id}`, { id: r.id });
      return this.user(user);
    }
    const slug = `team-${r.id}`;
    const owner = "teams";
    return {
      id: r.id,
      node_id: nodeId("T", r.id),
      url: `${this.urls.api}/teams/${r.id}`,
      members_url: `${this.urls.api}/teams/${r.id}/members{/member}`,
      name: slug,
      description: null,
      permission: "push",
      privacy: "closed",
      notification_setting: "notifications_enabled",
      html_url: `${this.urls.html}/orgs/${owner}/teams/${slug}`,
      repositories_url: `${this.urls.api}/teams/${r.id}/repos`,
      slug,
      parent: null,
      type: "team",
    };
  }

  commitStatus(repo: RepoRecord, status: CommitStatusRecord): JsonObject {
    const creator = this.state.user(status.creator);
    return {
      url: `${this.apiRepo(repo)}/statuses/${status.sha}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${creator.id}?v=4`,
      id: status.id,
      node_id: nodeId("SC", status.id),
      state: status.state,
      description: status.description,
      target_url: status.targetUrl,
      context: status.context,
      created_at: status.createdAt,
      updated_at: status.updatedAt,
      creator: this.user(creator),
    };
  }

  simpleCommitStatus(repo: RepoRecord, status: CommitStatusRecord): JsonObject {
    const full = this.commitStatus(repo, status);
    delete full.creator;
    return { ...full, required: false };
  }

  app(): JsonObject {
    const owner = this.state.user("github", { type: "Organization", id: 9919 });
    return {
      id: 15368,
      slug: "github-actions",
      node_id: "MDM6QXBwMTUzNjg=",
      client_id: "Iv1.05c79e9ad1f6bdfa",
      owner: this.user(owner),
      name: "GitHub Actions",
      description: "Automate your workflow from idea to production",
      external_url: "https://help.github.com/en/actions",
      html_url: `${this.urls.html}/apps/github-actions`,
      created_at: "2018-07-30T09:30:17Z",
      updated_at: "2024-04-10T20:33:16Z",
      permissions: { checks: "write", contents: "write", deployments: "write", issues: "write", pull_requests: "write", statuses: "write" },
      events: ["check_run", "check_suite", "pull_request", "push", "release"],
    };
  }

  checkRun(repo: RepoRecord, run: CheckRunRecord): JsonObject {
    const url = `${this.apiRepo(repo)}/check-runs/${run.id}`;
    const pulls = [...repo.pulls.values()].filter((p) => p.head.sha === run.headSha && p.head.repo === repo);
    return {
      id: run.id,
      head_sha: run.headSha,
      node_id: nodeId("CR", run.id),
      external_id: run.externalId ?? "",
      url,
      html_url: `${this.urls.html}/${repo.fullName}/runs/${run.id}`,
      details_url: run.detailsUrl ?? `${this.urls.html}/${repo.fullName}/runs/${run.id}`,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      output: {
        title: run.output.title,
        summary: run.output.summary,
        text: run.output.text,
        annotations_count: run.output.annotationsCount,
        annotations_url: `${url}/annotations`,
      },
      name: run.name,
      check_suite: { id: run.checkSuiteId },
      app: this.app(),
      pull_requests: pulls.map((p) => ({
        id: p.id,
        number: p.number,
        url: `${this.apiRepo(repo)}/pulls/${p.number}`,
        head: { ref: p.head.ref, sha: p.head.sha, repo: { id: p.head.repo.id, url: this.apiRepo(p.head.repo), name: p.head.repo.name } },
        base: { ref: p.base.ref, sha: p.base.sha, repo: { id: repo.id, url: this.apiRepo(repo), name: repo.name } },
      })),
    };
  }

  private gitUser(actor: { name: string; email: string; date: string }): JsonObject {
    return { name: actor.name, email: actor.email, date: actor.date };
  }

  /** `commit` schema (the REST commit, with optional stats/files). */
  commit(repo: RepoRecord, commit: CommitRecord, withFiles: boolean): JsonObject {
    const api = this.apiRepo(repo);
    const author = commit.authorLogin ? this.userByLogin(commit.authorLogin) : {};
    const files = withFiles ? this.diffFiles(repo, commit.parents[0] ?? null, commit.sha) : undefined;
    return {
      url: `${api}/commits/${commit.sha}`,
      sha: commit.sha,
      node_id: nodeId("C", parseInt(commit.sha.slice(0, 12), 16)),
      html_url: `${this.urls.html}/${repo.fullName}/commit/${commit.sha}`,
      comments_url: `${api}/commits/${commit.sha}/comments`,
      commit: {
        url: `${api}/git/commits/${commit.sha}`,
        author: this.gitUser(commit.author),
        committer: this.gitUser(commit.committer),
        message: commit.message,
        comment_count: 0,
        tree: { sha: commit.treeSha, url: `${api}/git/trees/${commit.treeSha}` },
        verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
      },
      author,
      committer: author,
      parents: commit.parents.map((sha) => ({ sha, url: `${api}/commits/${sha}`, html_url: `${this.urls.html}/${repo.fullName}/commit/${sha}` })),
      ...(files
        ? {
            stats: {
              total: files.reduce((s, f) => s + Number(f.changes), 0),
              additions: files.reduce((s, f) => s + Number(f.additions), 0),
              deletions: files.reduce((s, f) => s + Number(f.deletions), 0),
            },
            files,
          }
        : {}),
    };
  }

  mergeBase(repo: RepoRecord, a: string, b: string): string | null {
    const ofA = this.state.ancestors(repo, a);
    // Breadth-first from b: the first commit also reachable from a is the nearest common ancestor.
    const queue = [b];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const sha = queue.shift()!;
      if (seen.has(sha)) continue;
      seen.add(sha);
      if (ofA.has(sha)) return sha;
      queue.push(...(repo.commits.get(sha)?.parents ?? []));
    }
    return null;
  }

  /** Files changed between two commits' trees (`diff-entry`), with a unified-diff `patch`. */
  diffFiles(repo: RepoRecord, fromSha: string | null, toSha: string): JsonObject[] {
    const from = fromSha ? repo.commits.get(fromSha)?.tree ?? new Map() : new Map();
    const to = repo.commits.get(toSha)?.tree ?? new Map();
    const paths = [...new Set([...from.keys(), ...to.keys()])].sort();
    const entries: JsonObject[] = [];
    for (const path of paths) {
      const before = from.get(path);
      const after = to.get(path);
      if (before && after && before.sha === after.sha) continue;
      const oldLines = before ? before.content.toString("utf8").split("\n").filter((l: string, i: number, all: string[]) => i < all.length - 1 || l !== "") : [];
      const newLines = after ? after.content.toString("utf8").split("\n").filter((l: string, i: number, all: string[]) => i < all.length - 1 || l !== "") : [];
      const removed = oldLines.filter((line: string) => !newLines.includes(line));
      const added = newLines.filter((line: string) => !oldLines.includes(line));
      const ref = after ? toSha : fromSha ?? toSha;
      const blob = (after ?? before)!;
      entries.push({
        sha: blob.sha,
        filename: path,
        status: !before ? "added" : !after ? "removed" : "modified",
        additions: added.length,
        deletions: removed.length,
        changes: added.length + removed.length,
        blob_url: `${this.urls.html}/${repo.fullName}/blob/${ref}/${urlPath(path)}`,
        raw_url: `${this.urls.html}/${repo.fullName}/raw/${ref}/${urlPath(path)}`,
        contents_url: `${this.apiRepo(repo)}/contents/${urlPath(path)}?ref=${ref}`,
        patch: `@@ -${oldLines.length > 0 ? 1 : 0},${oldLines.length} +${newLines.length > 0 ? 1 : 0},${newLines.length} @@\n${[
          ...removed.map((l: string) => `-${l}`),
          ...added.map((l: string) => `+${l}`),
        ].join("\n")}`,
      });
    }
    return entries;
  }

  release(repo: RepoRecord, release: ReleaseRecord): JsonObject {
    const url = `${this.apiRepo(repo)}/releases/${release.id}`;
    const htmlTag = release.draft ? `untagged-${release.id.toString(16)}` : encodeURIComponent(release.tagName);
    return {
      url,
      html_url: `${this.urls.html}/${repo.fullName}/releases/tag/${htmlTag}`,
      assets_url: `${url}/assets`,
      upload_url: `${url}/assets{?name,label}`,
      tarball_url: release.draft ? null : `${this.apiRepo(repo)}/tarball/${release.tagName}`,
      zipball_url: release.draft ? null : `${this.apiRepo(repo)}/zipball/${release.tagName}`,
      id: release.id,
      node_id: nodeId("RE", release.id),
      tag_name: release.tagName,
      target_commitish: release.targetCommitish,
      name: release.name,
      body: release.body,
      draft: release.draft,
      prerelease: release.prerelease,
      immutable: false,
      created_at: release.createdAt,
      published_at: release.publishedAt,
      updated_at: release.updatedAt,
      author: this.userByLogin(release.author),
      assets: release.assets.map((asset) => this.releaseAsset(repo, release, asset)),
      reactions: this.reactions(`${url}/reactions`),
    };
  }

  releaseAsset(repo: RepoRecord, release: ReleaseRecord, asset: ReleaseAssetRecord): JsonObject {
    return {
      url: `${this.apiRepo(repo)}/releases/assets/${asset.id}`,
      browser_download_url: `${this.urls.html}/${repo.fullName}/releases/download/${encodeURIComponent(release.tagName)}/${encodeURIComponent(asset.name)}`,
      id: asset.id,
      node_id: nodeId("RA", asset.id),
      name: asset.name,
      label: asset.label,
      state: "uploaded",
      content_type: asset.contentType,
      size: asset.content.length,
      digest: `sha256:${createHash("sha256").update(asset.content).digest("hex")}`,
      download_count: asset.downloadCount,
      created_at: asset.createdAt,
      updated_at: asset.updatedAt,
      uploader: this.userByLogin(asset.uploader),
    };
  }

  gitRef(repo: RepoRecord, ref: string, sha: string): JsonObject {
    const type = repo.tagObjects.has(sha) ? "tag" : "commit";
    return {
      ref,
      node_id: nodeId("REF", parseInt(gitRefHash(ref), 16)),
      url: `${this.apiRepo(repo)}/git/${ref}`,
      object: { sha, type, url: `${this.apiRepo(repo)}/git/${type === "tag" ? "tags" : "commits"}/${sha}` },
    };
  }

  tagObject(repo: RepoRecord, tag: TagObjectRecord): JsonObject {
    const api = this.apiRepo(repo);
    return {
      node_id: nodeId("TAG", parseInt(tag.sha.slice(0, 12), 16)),
      tag: tag.tag,
      sha: tag.sha,
      url: `${api}/git/tags/${tag.sha}`,
      message: tag.message,
      tagger: { date: tag.tagger.date, email: tag.tagger.email, name: tag.tagger.name },
      object: { sha: tag.object.sha, type: tag.object.type, url: `${api}/git/${tag.object.type === "tag" ? "tags" : "commits"}/${tag.object.sha}` },
      verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
    };
  }

  shortBranch(repo: RepoRecord, name: string, sha: string): JsonObject {
    const protectionUrl = `${this.apiRepo(repo)}/branches/${encodeURIComponent(name)}/protection`;
    return {
      name,
      commit: { sha, url: `${this.apiRepo(repo)}/commits/${sha}` },
      protected: repo.protections.has(name),
      protection: this.branchProtectionSummary(repo, name),
      protection_url: protectionUrl,
    };
  }

  branchProtectionSummary(repo: RepoRecord, name: string): JsonObject {
    const p = repo.protections.get(name);
    const checks = (p?.required_status_checks ?? null) as JsonObject | null;
    const contexts = checks ? ((checks.contexts as string[] | undefined) ?? ((checks.checks as JsonObject[] | undefined) ?? []).map((c) => String(c.context))) : [];
    return {
      enabled: p !== undefined,
      required_status_checks: {
        enforcement_level: checks ? "non_admins" : "off",
        contexts,
        checks: contexts.map((context) => ({ context, app_id: null })),
      },
    };
  }

  branch(repo: RepoRecord, name: string, commit: CommitRecord): JsonObject {
    return {
      name,
      commit: this.commit(repo, commit, false),
      _links: { html: `${this.urls.html}/${repo.fullName}/tree/${name}`, self: `${this.apiRepo(repo)}/branches/${encodeURIComponent(name)}` },
      protected: repo.protections.has(name),
      protection: this.branchProtectionSummary(repo, name),
      protection_url: `${this.apiRepo(repo)}/branches/${encodeURIComponent(name)}/protection`,
    };
  }

  tag(repo: RepoRecord, name: string, sha: string): JsonObject {
    return {
      name,
      commit: { sha, url: `${this.apiRepo(repo)}/commits/${sha}` },
      zipball_url: `${this.apiRepo(repo)}/zipball/refs/tags/${name}`,
      tarball_url: `${this.apiRepo(repo)}/tarball/refs/tags/${name}`,
      node_id: nodeId("REF", parseInt(gitRefHash(`refs/tags/${name}`), 16)),
    };
  }

  contentFile(repo: RepoRecord, path: string, blob: { sha: string; content: Buffer }, ref: string): JsonObject {
    const self = `${this.apiRepo(repo)}/contents/${urlPath(path)}?ref=${encodeURIComponent(ref)}`;
    const git = `${this.apiRepo(repo)}/git/blobs/${blob.sha}`;
    const html = `${this.urls.html}/${repo.fullName}/blob/${urlPath(ref)}/${urlPath(path)}`;
    return {
      type: "file",
      encoding: "base64",
      size: blob.content.length,
      name: path.split("/").at(-1)!,
      path,
      content: (blob.content.toString("base64").match(/.{1,60}/g) ?? [""]).join("\n") + "\n",
      sha: blob.sha,
      url: self,
      git_url: git,
      html_url: html,
      download_url: `https://raw.githubusercontent.com/${repo.fullName}/${urlPath(ref)}/${urlPath(path)}`,
      _links: { self, git, html },
    };
  }

  contentDirectoryEntry(repo: RepoRecord, path: string, type: "file" | "dir", sha: string, size: number, ref: string): JsonObject {
    const self = `${this.apiRepo(repo)}/contents/${urlPath(path)}?ref=${encodeURIComponent(ref)}`;
    const git = `${this.apiRepo(repo)}/git/${type === "dir" ? "trees" : "blobs"}/${sha}`;
    const html = `${this.urls.html}/${repo.fullName}/${type === "dir" ? "tree" : "blob"}/${urlPath(ref)}/${urlPath(path)}`;
    return {
      type,
      size,
      name: path.split("/").at(-1)!,
      path,
      sha,
      url: self,
      git_url: git,
      html_url: html,
      download_url: type === "file" ? `https://raw.githubusercontent.com/${repo.fullName}/${urlPath(ref)}/${urlPath(path)}` : null,
      _links: { self, git, html },
    };
  }

  fileCommit(repo: RepoRecord, path: string, commit: CommitRecord, branch: string): JsonObject {
    const blob = commit.tree.get(path);
    const api = this.apiRepo(repo);
    const content = blob ? this.contentFile(repo, path, blob, branch) : null;
    if (content) {
      delete content.content;
      delete content.encoding;
    }
    return {
      content,
      commit: {
        sha: commit.sha,
        node_id: nodeId("C", parseInt(commit.sha.slice(0, 12), 16)),
        url: `${api}/git/commits/${commit.sha}`,
        html_url: `${this.urls.html}/${repo.fullName}/commit/${commit.sha}`,
        author: this.gitUser(commit.author),
        committer: this.gitUser(commit.committer),
        message: commit.message,
        tree: { url: `${api}/git/trees/${commit.treeSha}`, sha: commit.treeSha },
        parents: commit.parents.map((sha) => ({ url: `${api}/git/commits/${sha}`, html_url: `${this.urls.html}/${repo.fullName}/commit/${sha}`, sha })),
        verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
      },
    };
  }

  ruleset(repo: RepoRecord, ruleset: RulesetRecord): JsonObject {
    const self = `${this.apiRepo(repo)}/rulesets/${ruleset.id}`;
    return {
      id: ruleset.id,
      name: ruleset.name,
      target: ruleset.target,
      source_type: "Repository",
      source: repo.fullName,
      enforcement: ruleset.enforcement,
      bypass_actors: ruleset.bypassActors,
      current_user_can_bypass: "never",
      node_id: nodeId("RRS", ruleset.id),
      _links: { self: { href: self }, html: { href: `${this.urls.html}/${repo.fullName}/rules/${ruleset.id}` } },
      ...(ruleset.conditions ? { conditions: ruleset.conditions } : {}),
      rules: ruleset.rules,
      created_at: ruleset.createdAt,
      updated_at: ruleset.updatedAt,
    };
  }
}

function gitRefHash(ref: string): string {
  let h = 0;
  for (const ch of ref) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h.toString(16);
}
