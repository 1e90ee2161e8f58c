import { readFileSync } from "node:fs";

/** What the runner tells an action about the run, read from its environment and event payload. */
export interface ActionContext {
  owner: string;
  repo: string;
  eventName: string;
  /** The event payload (GITHUB_EVENT_PATH); `{}` when the runner gave none. */
  event: Record<string, any>;
  sha: string;
  ref: string;
  serverUrl: string;
  apiUrl: string;
  runId: string;
  runAttempt: number;
  /** Link to this run (and attempt) for comments and deployment `log_url`. */
  runUrl: string;
  actor: string;
  workspace: string;
  pullRequest?: PullRequestContext;
}

export interface PullRequestContext {
  number: number;
  /** Head commit of the PR (GITHUB_SHA is the merge commit on pull_request events). */
  headSha: string;
  headRef: string;
  baseRef: string;
  baseSha: string;
  /**
   * The head branch lives in another repository: GitHub gives such runs no secrets. A pull request whose head
   * repository is gone (the fork was deleted: `head.repo` is null) is a fork too.
   */
  isFork: boolean;
  /** `owner/name` of the head repository; empty when it was deleted. */
  headRepoFullName: string;
  labels: string[];
  action?: string;
  merged: boolean;
  state: string;
  url: string;
}

export function readActionContext(env: NodeJS.ProcessEnv): ActionContext {
  const [owner = "", repo = ""] = (env.GITHUB_REPOSITORY ?? "").split("/");
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const serverUrl = (env.GITHUB_SERVER_URL ?? "https://github.com").replace(/\/$/, "");
  const runId = env.GITHUB_RUN_ID ?? "0";
  const runAttempt = Number(env.GITHUB_RUN_ATTEMPT ?? "1") || 1;
  const context: ActionContext = {
    owner,
    repo,
    eventName: env.GITHUB_EVENT_NAME ?? "",
    event,
    sha: env.GITHUB_SHA ?? "",
    ref: env.GITHUB_REF ?? "",
    serverUrl,
    apiUrl: (env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/$/, ""),
    runId,
    runAttempt,
    runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}${runAttempt > 1 ? `/attempts/${runAttempt}` : ""}`,
    actor: env.GITHUB_ACTOR ?? "",
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
  };
  const pullRequest = pullRequestFrom(event, `${owner}/${repo}`);
  if (pullRequest) context.pullRequest = pullRequest;
  return context;
}

function readEvent(path: string | undefined): Record<string, any> {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Record<string, any>;
  } catch {
    return {};
  }
}

/** The pull request of `pull_request`, `pull_request_target` and PR-comment (`issue_comment`) events. */
export function pullRequestFrom(event: Record<string, any>, baseRepoFullName: string): PullRequestContext | undefined {
  const pr = event.pull_request;
  if (!pr || typeof pr.number !== "number") return undefined;
  const headRepoFullName: string = typeof pr.head?.repo?.full_name === "string" ? pr.head.repo.full_name : "";
  const baseFullName: string = pr.base?.repo?.full_name ?? baseRepoFullName;
  return {
    number: pr.number,
    headSha: pr.head?.sha ?? "",
    headRef: pr.head?.ref ?? "",
    baseRef: pr.base?.ref ?? "",
    baseSha: pr.base?.sha ?? "",
    isFork: headRepoFullName === "" || headRepoFullName.toLowerCase() !== baseFullName.toLowerCase(),
    headRepoFullName,
    labels: Array.isArray(pr.labels) ? pr.labels.map((l: { name?: string }) => l.name ?? "").filter(Boolean) : [],
    action: typeof event.action === "string" ? event.action : undefined,
    merged: pr.merged === true,
    state: pr.state ?? "open",
    url: pr.html_url ?? "",
  } as PullRequestContext;
}
