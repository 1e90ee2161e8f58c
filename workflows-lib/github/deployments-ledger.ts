import type { GitHubClient } from "./client.ts";
import {
  byActivityNewestFirst,
  type DeploymentPayload,
  type DeploymentState,
  type Ledger,
  type LedgerEntry,
  type MarkInput,
  type RecordDeployInput,
  type StatusEvent,
} from "../promote/ledger.ts";

export interface DeploymentsLedgerOptions {
  owner: string;
  repo: string;
  /** Link to the run, shown by GitHub next to each deployment status (`log_url`). */
  logUrl?: string;
  /** How many recent deployments per query count as history (GitHub keeps them all). */
  depth?: number;
}

/** Marks our deployments apart from others of the same repository (other tools may deploy too). */
export const DEPLOYMENT_TASK = "deploy:alchkit";

interface StoredPayload extends DeploymentPayload {
  /** The ref the user asked for (the deployment's own `ref` is always the exact SHA). */
  ref?: string;
}

/**
 * The ledger on GitHub's Deployments API: one deployment per environment and SHA (re-used on re-runs), the
 * rollback recipe in its payload, states as deployment statuses with the environment URL. `success` on one
 * deployment explicitly marks the environment's previous live one `inactive` (GitHub's own auto-inactive skips
 * production environments, and explicit states keep the ledger readable everywhere).
 */
export function createDeploymentsLedger(github: GitHubClient, options: DeploymentsLedgerOptions): Ledger {
  const { owner, repo } = options;
  const depth = options.depth ?? 50;

  async function statusesOf(id: number): Promise<StatusEvent[]> {
    const statuses = await github.paginate(github.rest.repos.listDeploymentStatuses, {
      owner,
      repo,
      deployment_id: id,
      per_page: 100,
    });
    return statuses
      .map((status) => ({
        state: status.state as DeploymentState,
        at: status.created_at,
        seq: status.id,
        ...(status.description ? { description: status.description } : {}),
        ...(status.environment_url ? { url: status.environment_url } : {}),
      }))
      .sort((a, b) => a.seq - b.seq);
  }

  type Deployment = Awaited<ReturnType<GitHubClient["rest"]["repos"]["getDeployment"]>>["data"];

  async function toEntry(deployment: Deployment): Promise<LedgerEntry> {
    const stored = (typeof deployment.payload === "object" ? deployment.payload : {}) as Partial<StoredPayload>;
    const { ref, ...payload } = stored;
    return {
      id: String(deployment.id),
      environment: deployment.environment,
      sha: deployment.sha,
      ref: ref ?? deployment.ref,
      payload: payload as DeploymentPayload,
      createdAt: deployment.created_at,
      statuses: await statusesOf(deployment.id),
    };
  }

  async function listDeployments(query: { environment?: string; sha?: string }): Promise<Deployment[]> {
    const { data } = await github.rest.repos.listDeployments({
      owner,
      repo,
      task: DEPLOYMENT_TASK,
      per_page: Math.min(depth, 100),
      ...query,
    });
    return data as Deployment[];
  }

  async function history(environment?: string): Promise<LedgerEntry[]> {
    const deployments = await listDeployments(environment ? { environment } : {});
    const entries: LedgerEntry[] = [];
    for (const deployment of deployments) entries.push(await toEntry(deployment));
    return entries.sort(byActivityNewestFirst);
  }

  async function addStatus(id: number, state: DeploymentState, input: MarkInput): Promise<void> {
    await github.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: id,
      state,
      auto_inactive: false,
      ...(input.description ? { description: input.description.slice(0, 140) } : {}),
      ...(input.url ? { environment_url: input.url } : {}),
      ...(options.logUrl ? { log_url: options.logUrl } : {}),
    });
  }

  return {
    async recordDeploy(input: RecordDeployInput) {
      const [existing] = await listDeployments({ environment: input.environment, sha: input.sha });
      if (existing) return toEntry(existing);
      const stored: StoredPayload = { ...input.payload, ref: input.ref };
      const { data, status } = await github.rest.repos.createDeployment({
        owner,
        repo,
        ref: input.sha,
        task: DEPLOYMENT_TASK,
        environment: input.environment,
        payload: stored as unknown as Record<string, unknown>,
        auto_merge: false,
        // alchkit checks the required checks itself (and names the failing ones); GitHub's own gate would
        // only answer 409 without that detail.
        required_contexts: [],
        production_environment: input.productionEnvironment ?? false,
        transient_environment: false,
        ...(input.description ? { description: input.description.slice(0, 140) } : {}),
      });
      if (status !== 201 || !("id" in data)) {
        throw new Error(`GitHub did not create the deployment of ${input.sha} to ${input.environment}: ${JSON.stringify(data)}`);
      }
      return toEntry(data as Deployment);
    },
    async mark(entry: LedgerEntry, state: DeploymentState, input: MarkInput = {}) {
      if (state === "success") {
        for (const other of await history(entry.environment)) {
          if (other.id !== entry.id && other.statuses.at(-1)?.state === "success") {
            await addStatus(Number(other.id), "inactive", { description: `Replaced by ${entry.sha.slice(0, 7)}` });
          }
        }
      }
      await addStatus(Number(entry.id), state, input);
      const { data } = await github.rest.repos.getDeployment({ owner, repo, deployment_id: Number(entry.id) });
      return toEntry(data);
    },
    history,
  };
}
