import type { GitHubClient } from "./client.ts";
import { findStickyComments, upsertStickyComment, isAmbiguous } from "./sticky-comment.ts";
import type { Platform, StickyComment, DeploymentRequest, DeploymentStatusUpdate } from "../platform/platform.ts";

export interface GitHubPlatformOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** PR or issue the comments go to; comments are skipped without one. */
  issueNumber?: number;
  /** Appends to the step summary. */
  appendSummary: (markdown: string) => Promise<void>;
  backoffMs?: number;
}

/** Platform on GitHub: sticky PR comments, the Deployments API, the step summary. */
export function createGitHubPlatform(options: GitHubPlatformOptions): Platform {
  const { octokit, owner, repo } = options;
  const target = (purpose: string) => ({ owner, repo, issueNumber: options.issueNumber ?? 0, purpose, backoffMs: options.backoffMs ?? 1000 });
  return {
    kind: "github",
    comments: {
      async read(purpose) {
        if (options.issueNumber === undefined) return undefined;
        const [first] = await findStickyComments(octokit, target(purpose));
        return first ? { id: String(first.id), url: first.url, body: first.body } : undefined;
      },
      async write(purpose, body, previous?: StickyComment) {
        if (options.issueNumber === undefined) return {};
        const found = previous?.id ? [{ id: Number(previous.id), body: previous.body, url: previous.url ?? "", nodeId: "" }] : undefined;
        const result = await upsertStickyComment(octokit, { ...target(purpose), body }, found);
        return { ...(result.commentId !== undefined ? { id: String(result.commentId) } : {}), ...(result.url ? { url: result.url } : {}) };
      },
    },
    deployments: {
      async create(request: DeploymentRequest) {
        if (request.existingId) {
          const existing = await deploymentOf(octokit, owner, repo, request.existingId);
          if (existing && existing.environment === request.environment && existing.sha === request.ref) return { id: request.existingId };
        }
        return { id: String(await createDeploymentOnce(octokit, owner, repo, request)) };
      },
      async setStatus(id: string, update: DeploymentStatusUpdate) {
        if (update.onlyIn !== undefined && (await deploymentOf(octokit, owner, repo, id))?.environment !== update.onlyIn) return false;
        await octokit.rest.repos.createDeploymentStatus({
          owner,
          repo,
          deployment_id: Number(id),
          state: update.state,
          ...(update.environmentUrl ? { environment_url: update.environmentUrl } : {}),
          ...(update.logUrl ? { log_url: update.logUrl } : {}),
          ...(update.description ? { description: update.description.slice(0, 140) } : {}),
          // Earlier deployments of the environment become inactive when this one succeeds (GitHub does it).
          auto_inactive: true,
        });
        return true;
      },
      async deactivateAll(environment: string, logUrl?: string) {
        const deployments = await octokit.paginate(octokit.rest.repos.listDeployments, { owner, repo, environment, per_page: 100 });
        let count = 0;
        for (const deployment of deployments) {
          const { data: statuses } = await octokit.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: deployment.id, per_page: 1 });
          if (statuses[0]?.state === "inactive") continue;
          await octokit.rest.repos.createDeploymentStatus({
            owner,
            repo,
            deployment_id: deployment.id,
            state: "inactive",
            ...(logUrl ? { log_url: logUrl } : {}),
            description: "Environment torn down",
          });
          count++;
        }
        return count;
      },
    },
    summary: { append: options.appendSummary },
  };
}

/** A deployment's environment and SHA; undefined when there is no such deployment (or the id is not one). */
async function deploymentOf(octokit: GitHubClient, owner: string, repo: string, id: string): Promise<{ environment: string; sha: string } | undefined> {
  if (!/^\d+$/.test(id)) return undefined;
  try {
    const { data } = await octokit.rest.repos.getDeployment({ owner, repo, deployment_id: Number(id) });
    return { environment: data.environment, sha: data.sha };
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/**
 * Creates a deployment without ever creating two for one attempt: the POST is not retried blindly; after an
 * ambiguous failure (5xx, dropped connection) the environment's deployments of the ref are listed and the one
 * carrying this attempt's marker in its payload is taken.
 */
async function createDeploymentOnce(octokit: GitHubClient, owner: string, repo: string, request: DeploymentRequest): Promise<number> {
  const marker = `${request.environment}@${request.ref}#${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const payload = { ...request.payload, alchkit_attempt: marker };
  for (let attempt = 1; ; attempt++) {
    try {
      const { data } = await octokit.rest.repos.createDeployment({
        owner,
        repo,
        ref: request.ref,
        environment: request.environment,
        auto_merge: false,
        required_contexts: [],
        transient_environment: request.transient,
        production_environment: request.production,
        payload,
        ...(request.description ? { description: request.description.slice(0, 140) } : {}),
        request: { retries: 0 },
      });
      if (!("id" in data)) throw new Error(`GitHub did not create the deployment: ${data.message ?? "no reason given"}`);
      return data.id;
    } catch (error) {
      if (!isAmbiguous(error) || attempt >= 4) throw error;
      const { data: existing } = await octokit.rest.repos.listDeployments({ owner, repo, environment: request.environment, sha: request.ref, per_page: 30 });
      const mine = existing.find((d) => typeof d.payload === "object" && d.payload.alchkit_attempt === marker);
      if (mine) return mine.id;
      await new Promise((r) => setTimeout(r, 200 * attempt * attempt));
    }
  }
}
