// Event payloads as GitHub sends them to a workflow: the webhook payload of the event, whose objects
// (pull_request, repository, release, sender) have the REST API's shapes — read here from the GitHub stand-in,
// so they are exactly what the stand-in answers afterwards and valid against GitHub's description.
import type { GitHubStandIn } from "../github/index.ts";

export interface WorkflowEvent {
  name: string;
  payload: Record<string, unknown>;
}

async function api(gh: GitHubStandIn, route: string): Promise<Record<string, any>> {
  const response = await fetch(`${gh.url}${route}`, { headers: { authorization: `token ${gh.token}`, accept: "application/vnd.github+json" } });
  if (!response.ok) throw new Error(`GitHub stand-in: GET ${route} answered ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, any>;
}

const sender = (gh: GitHubStandIn, login = "octocat") => api(gh, `/users/${login}`);

/** `pull_request` (or `pull_request_target`) with `action` opened, synchronize, reopened, closed, labeled… */
export async function pullRequestEvent(
  gh: GitHubStandIn,
  repo: string,
  number: number,
  action: string,
  options: { before?: string; label?: string; eventName?: "pull_request" | "pull_request_target" } = {},
): Promise<WorkflowEvent> {
  const pull = await api(gh, `/repos/${repo}/pulls/${number}`);
  const payload: Record<string, unknown> = {
    action,
    number,
    pull_request: pull,
    repository: await api(gh, `/repos/${repo}`),
    sender: await sender(gh, pull.user.login),
  };
  if (action === "synchronize") Object.assign(payload, { before: options.before ?? pull.base.sha, after: pull.head.sha });
  if (options.label) payload.label = { name: options.label, color: "0e8a16", default: false, description: null };
  return { name: options.eventName ?? "pull_request", payload };
}

/** `push` of `ref` from `before` to `after`. */
export async function pushEvent(gh: GitHubStandIn, repo: string, ref: string, before: string, after: string): Promise<WorkflowEvent> {
  const commit = await api(gh, `/repos/${repo}/commits/${after}`);
  const head = {
    id: after,
    tree_id: commit.commit.tree.sha,
    distinct: true,
    message: commit.commit.message,
    timestamp: commit.commit.committer.date,
    url: commit.html_url,
    author: { name: commit.commit.author.name, email: commit.commit.author.email },
    committer: { name: commit.commit.committer.name, email: commit.commit.committer.email },
    added: [],
    removed: [],
    modified: [],
  };
  const repository = await api(gh, `/repos/${repo}`);
  return {
    name: "push",
    payload: {
      ref,
      before,
      after,
      created: before === "0".repeat(40),
      deleted: false,
      forced: false,
      base_ref: null,
      compare: `${repository.html_url}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
      commits: [head],
      head_commit: head,
      repository,
      pusher: { name: "octocat", email: "octocat@github.com" },
      sender: await sender(gh),
    },
  };
}

/** `workflow_dispatch` of a workflow file on `ref` with its inputs (strings, as the UI and the API send them). */
export async function workflowDispatchEvent(gh: GitHubStandIn, repo: string, workflow: string, inputs: Record<string, string>, ref = "refs/heads/main"): Promise<WorkflowEvent> {
  return {
    name: "workflow_dispatch",
    payload: { inputs, ref, repository: await api(gh, `/repos/${repo}`), sender: await sender(gh), workflow },
  };
}

/** `release` with `action` (published, created…) for the release with this tag. */
export async function releaseEvent(gh: GitHubStandIn, repo: string, tag: string, action = "published"): Promise<WorkflowEvent> {
  return {
    name: "release",
    payload: { action, release: await api(gh, `/repos/${repo}/releases/tags/${tag}`), repository: await api(gh, `/repos/${repo}`), sender: await sender(gh) },
  };
}

/** `schedule`: a cron entry of the workflow fired (GitHub runs it on the default branch's latest commit). */
export async function scheduleEvent(gh: GitHubStandIn, repo: string, workflow: string, cron: string): Promise<WorkflowEvent> {
  return { name: "schedule", payload: { schedule: cron, workflow, repository: await api(gh, `/repos/${repo}`) } };
}
