// The stand-in's in-memory GitHub: users, repositories with a git object graph (commits, trees, refs),
// pulls, comments, deployments, environments, statuses, check runs, releases, protections, rulesets.
// Handlers read and write these records; factories.ts turns them into GitHub's JSON shapes.
import { createHash } from "node:crypto";
import type { JsonObject } from "./openapi.ts";

export type UserType = "User" | "Organization" | "Bot";

export interface UserRecord {
  login: string;
  id: number;
  type: UserType;
  name: string | null;
  email: string | null;
}

export interface GitActor {
  name: string;
  email: string;
  date: string;
}

export interface BlobRecord {
  sha: string;
  content: Buffer;
}

export interface CommitRecord {
  sha: string;
  parents: string[];
  message: string;
  author: GitActor;
  committer: GitActor;
  /** Login of the GitHub user behind the author email, if any. */
  authorLogin: string | null;
  /** Full snapshot: path → blob. */
  tree: Map<string, BlobRecord>;
  treeSha: string;
}

export interface PullRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  draft: boolean;
  user: string;
  head: { repo: RepoRecord; ref: string; sha: string };
  base: { ref: string; sha: string };
  labels: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  mergeCommitSha: string | null;
}

export interface IssueRecord {
  number: number;
  id: number;
  title: string;
  user: string;
  createdAt: string;
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
  /** Set by the GraphQL `minimizeComment` mutation. */
  minimized: { reason: string } | null;
}

export type DeploymentState = "error" | "failure" | "inactive" | "pending" | "success" | "queued" | "in_progress";

export interface DeploymentStatusRecord {
  id: number;
  deploymentId: number;
  state: DeploymentState;
  description: string;
  environment: string;
  targetUrl: string;
  logUrl: string;
  environmentUrl: string;
  creator: string;
  createdAt: string;
  updatedAt: string;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: JsonObject | string;
  environment: string;
  originalEnvironment: string;
  description: string | null;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  creator: string;
  createdAt: string;
  updatedAt: string;
  statuses: DeploymentStatusRecord[];
}

export interface EnvironmentRecord {
  id: number;
  name: string;
  createdAt: string;
  updatedAt: string;
  waitTimer: number;
  preventSelfReview: boolean;
  reviewers: { type: "User" | "Team"; id: number }[];
  deploymentBranchPolicy: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  ruleIds: { waitTimer: number; reviewers: number; branchPolicy: number };
  /** Actions secrets of the environment, decrypted (the test reads what GitHub would store). */
  secrets?: SecretStore;
}

/** Actions secrets of a repository or environment: its own sealing key pair and the values it decrypted. */
export interface SecretStore {
  keyId: string;
  publicKey: Uint8Array;
  secretKey: Uint8Array;
  values: Map<string, { value: string; createdAt: string; updatedAt: string }>;
}

export interface CommitStatusRecord {
  id: number;
  sha: string;
  state: "error" | "failure" | "pending" | "success";
  targetUrl: string | null;
  description: string | null;
  context: string;
  creator: string;
  createdAt: string;
  updatedAt: string;
}

export interface CheckRunRecord {
  id: number;
  headSha: string;
  name: string;
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  conclusion: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  startedAt: string | null;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotationsCount: number };
  checkSuiteId: number;
}

export interface ReleaseAssetRecord {
  id: number;
  name: string;
  label: string | null;
  contentType: string;
  content: Buffer;
  downloadCount: number;
  uploader: string;
  createdAt: string;
  updatedAt: string;
}

/** An annotated tag object (`git/create-tag`); a tag ref may point at it instead of a commit. */
export interface TagObjectRecord {
  sha: string;
  tag: string;
  message: string;
  object: { sha: string; type: "commit" | "tag" };
  tagger: GitActor;
}

export interface ReleaseRecord {
  id: number;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  author: string;
  createdAt: string;
  publishedAt: string | null;
  updatedAt: string;
  assets: ReleaseAssetRecord[];
}

export interface RulesetRecord {
  id: number;
  name: string;
  target: "branch" | "tag" | "push" | "repository";
  enforcement: string;
  bypassActors: JsonObject[];
  conditions: JsonObject | null;
  rules: JsonObject[];
  createdAt: string;
  updatedAt: string;
}

export interface RepoRecord {
  id: number;
  owner: UserRecord;
  name: string;
  fullName: string;
  private: boolean;
  fork: boolean;
  parent: RepoRecord | null;
  description: string | null;
  defaultBranch: string;
  topics: string[];
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  /** Shared by a repository and its forks (one object network, as on GitHub). */
  commits: Map<string, CommitRecord>;
  /** Annotated tag objects, shared like `commits`. */
  tagObjects: Map<string, TagObjectRecord>;
  /** Full ref name (`refs/heads/main`, `refs/tags/v1.0.0`) → commit sha. */
  refs: Map<string, string>;
  pulls: Map<number, PullRecord>;
  issues: Map<number, IssueRecord>;
  comments: Map<number, CommentRecord>;
  deployments: Map<number, DeploymentRecord>;
  environments: Map<string, EnvironmentRecord>;
  commitStatuses: CommitStatusRecord[];
  checkRuns: CheckRunRecord[];
  releases: Map<number, ReleaseRecord>;
  /** Branch → the protection settings as last PUT (request body shape). */
  protections: Map<string, JsonObject>;
  rulesets: Map<number, RulesetRecord>;
  /** Repository Actions secrets (created on first use). */
  secrets?: SecretStore;
  nextNumber: number;
}

export interface Clock {
  now(): Date;
}

export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function gitHash(kind: "blob" | "tree" | "commit" | "tag", content: Buffer | string): string {
  const body = typeof content === "string" ? Buffer.from(content) : content;
  return createHash("sha1")
    .update(Buffer.concat([Buffer.from(`${kind} ${body.length}\0`), body]))
    .digest("hex");
}

export function blobOf(content: string | Buffer): BlobRecord {
  const buffer = typeof content === "string" ? Buffer.from(content) : content;
  return { sha: gitHash("blob", buffer), content: buffer };
}

function treeShaOf(tree: Map<string, BlobRecord>): string {
  const lines = [...tree.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, b]) => `${p} ${b.sha}`);
  return gitHash("tree", lines.join("\n"));
}

export class GitHubState {
  readonly users = new Map<string, UserRecord>();
  readonly repos = new Map<string, RepoRecord>();
  /** The user the stand-in's token authenticates as (comments, deployments… are created by it). */
  viewer: UserRecord;
  private nextIdValue = 1000;
  private readonly clock: Clock;

  constructor(clock: Clock, viewer: { login: string; type: UserType; id?: number }) {
    this.clock = clock;
    this.viewer = this.user(viewer.login, viewer);
  }

  nextId(): number {
    return this.nextIdValue++;
  }

  now(): string {
    return isoSeconds(this.clock.now());
  }

  user(login: string, init: { type?: UserType; id?: number; name?: string | null; email?: string | null } = {}): UserRecord {
    const existing = this.users.get(login.toLowerCase());
    if (existing) return existing;
    const record: UserRecord = {
      login,
      id: init.id ?? this.nextId(),
      type: init.type ?? "User",
      name: init.name ?? null,
      email: init.email ?? null,
    };
    this.users.set(login.toLowerCase(), record);
    return record;
  }

  repo(fullName: string): RepoRecord | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  /** The repo or an Error naming it (for seeding code paths, where a typo must be loud). */
  requireRepo(fullName: string): RepoRecord {
    const repo = this.repo(fullName);
    if (!repo) throw new Error(`GitHub stand-in: no repository ${fullName} (seed it first)`);
    return repo;
  }

  createRepo(init: {
    owner: string;
    name: string;
    ownerType?: UserType;
    private?: boolean;
    defaultBranch?: string;
    description?: string | null;
    topics?: string[];
    forkOf?: RepoRecord;
  }): RepoRecord {
    const owner = this.user(init.owner, { type: init.ownerType ?? "User" });
    const now = this.now();
    const repo: RepoRecord = {
      id: this.nextId(),
      owner,
      name: init.name,
      fullName: `${owner.login}/${init.name}`,
      private: init.private ?? false,
      fork: init.forkOf !== undefined,
      parent: init.forkOf ?? null,
      description: init.description ?? null,
      defaultBranch: init.defaultBranch ?? init.forkOf?.defaultBranch ?? "main",
      topics: init.topics ?? [],
      archived: false,
      createdAt: now,
      updatedAt: now,
      pushedAt: now,
      commits: init.forkOf ? init.forkOf.commits : new Map(),
      tagObjects: init.forkOf ? init.forkOf.tagObjects : new Map(),
      refs: init.forkOf ? new Map(init.forkOf.refs) : new Map(),
      pulls: new Map(),
      issues: new Map(),
      comments: new Map(),
      deployments: new Map(),
      environments: new Map(),
      commitStatuses: [],
      checkRuns: [],
      releases: new Map(),
      protections: new Map(),
      rulesets: new Map(),
      nextNumber: 1,
    };
    this.repos.set(repo.fullName.toLowerCase(), repo);
    return repo;
  }

  /**
   * Adds a commit on top of `parents` (first parent's tree + `files`; a `null` content deletes the path).
   * Moves `branch` to it when given.
   */
  commit(
    repo: RepoRecord,
    init: {
      parents?: string[];
      message?: string;
      files?: Record<string, string | null>;
      branch?: string;
      author?: { name: string; email: string; login?: string };
      date?: string;
    },
  ): CommitRecord {
    const parents = init.parents ?? (init.branch && repo.refs.get(`refs/heads/${init.branch}`) ? [repo.refs.get(`refs/heads/${init.branch}`)!] : []);
    for (const parent of parents) {
      if (!repo.commits.has(parent)) throw new Error(`GitHub stand-in: unknown parent commit ${parent} in ${repo.fullName}`);
    }
    const tree = new Map(parents[0] ? repo.commits.get(parents[0])!.tree : []);
    for (const [path, content] of Object.entries(init.files ?? {})) {
      if (content === null) tree.delete(path);
      else tree.set(path, blobOf(content));
    }
    const date = init.date ?? this.now();
    const author = init.author ?? { name: this.viewer.login, email: `${this.viewer.id}+${this.viewer.login}@users.noreply.github.com`, login: this.viewer.login };
    const actor = { name: author.name, email: author.email, date };
    const message = init.message ?? "Update";
    const treeSha = treeShaOf(tree);
    const sha = gitHash("commit", `tree ${treeSha}\n${parents.map((p) => `parent ${p}\n`).join("")}author ${author.name} <${author.email}> ${date}\n\n${message}\n${this.nextId()}`);
    const record: CommitRecord = {
      sha,
      parents,
      message,
      author: actor,
      committer: { ...actor },
      authorLogin: author.login ?? null,
      tree,
      treeSha,
    };
    repo.commits.set(sha, record);
    if (init.branch) repo.refs.set(`refs/heads/${init.branch}`, sha);
    repo.pushedAt = date;
    return record;
  }

  tagObject(repo: RepoRecord, init: { tag: string; message: string; object: TagObjectRecord["object"]; tagger?: { name: string; email: string; date?: string } }): TagObjectRecord {
    const date = init.tagger?.date ?? this.now();
    const tagger = init.tagger
      ? { name: init.tagger.name, email: init.tagger.email, date }
      : { name: this.viewer.login, email: `${this.viewer.id}+${this.viewer.login}@users.noreply.github.com`, date };
    const sha = gitHash("tag", `object ${init.object.sha}\ntype ${init.object.type}\ntag ${init.tag}\ntagger ${tagger.name} <${tagger.email}> ${date}\n\n${init.message}`);
    const record: TagObjectRecord = { sha, tag: init.tag, message: init.message, object: init.object, tagger };
    repo.tagObjects.set(sha, record);
    return record;
  }

  /** Resolves a branch, tag, full ref or (abbreviated) sha to a commit, like GitHub's `{ref}` parameters. */
  resolveRef(repo: RepoRecord, ref: string): CommitRecord | undefined {
    const direct = repo.refs.get(ref) ?? repo.refs.get(`refs/heads/${ref}`) ?? repo.refs.get(`refs/tags/${ref}`) ?? repo.refs.get(`refs/${ref}`);
    if (direct) return repo.commits.get(this.peel(repo, direct));
    if (/^[0-9a-f]{7,40}$/i.test(ref)) {
      const exact = repo.commits.get(ref.toLowerCase());
      if (exact) return exact;
      const matches = [...repo.commits.keys()].filter((sha) => sha.startsWith(ref.toLowerCase()));
      if (matches.length === 1) return repo.commits.get(matches[0]!);
    }
    return undefined;
  }

  /** Follows annotated tag objects (tags of tags too) down to what they finally point at. */
  peel(repo: RepoRecord, sha: string): string {
    let current = sha;
    for (let depth = 0; depth < 10; depth++) {
      const tag = repo.tagObjects.get(current);
      if (!tag) return current;
      current = tag.object.sha;
    }
    return current;
  }

  /** Every commit reachable from `sha` (including itself). */
  ancestors(repo: RepoRecord, sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(repo.commits.get(next)?.parents ?? []));
    }
    return seen;
  }
}
