import type { Platform, StickyComment } from "../platform/platform.ts";
import type { Deployment, Runtime, UpOptions } from "../platform/runtime.ts";
import type { HealthResult } from "../health/probe.ts";
import type { AccountInventory } from "../platform/account-inventory.ts";
import { describeResource, resourcesOfStage } from "../teardown/stage-resources.ts";
import { errorMessage } from "../errors.ts";
import { decodeState, deploymentFor, withRecord, type PreviewDeployRecord, type PreviewState } from "./preview-state.ts";
import { renderDeployComment, renderDestroyedComment, renderForkComment, type PreviewLinks } from "./render-comment.ts";
import { decideFork, type ForkTrigger } from "./fork-policy.ts";

export interface PreviewTarget {
  /** Pull request number; with the prefix it names the stage and the environment. */
  number: number;
  headSha: string;
  isFork: boolean;
  headRepo: string;
}

export interface PreviewRequest {
  mode: "deploy" | "destroy";
  pr: PreviewTarget;
  /** Stage for this PR, e.g. `pr-12` (already normalized). */
  stage: string;
  /** GitHub environment, e.g. `preview/pr-12`. */
  environment: string;
  /** Sticky comment purpose. */
  purpose: string;
  links: PreviewLinks;
  /** Passed to the runtime's `up` (profile, env file, app, vars). */
  up?: Omit<UpOptions, "stage">;
  /** Resource whose URL is "the" preview URL; default the first with a URL. */
  urlResource?: string;
  /** Health path shown in the comment; the probe itself is a port. */
  healthPath?: string;
  protectedStages?: readonly string[];
  /** Label that lets a maintainer opt a fork PR in (shown in the fork comment). */
  forkOptInLabel?: string;
  /** The workflow let this fork PR's run have secrets; checked again against `trigger` (see fork-policy.ts). */
  allowFork?: boolean;
  /** The event that started the run; decides, with `allowFork`, what a fork PR may do. */
  trigger?: ForkTrigger;
}

export interface PreviewPorts {
  runtime: Runtime;
  platform: Platform;
  /** Probes the deployed URL; undefined when health checks are off. */
  probe?: (url: string) => Promise<HealthResult>;
  /** The Cloudflare account, listed after a destroy: what is left there fails the teardown, named. */
  account?: AccountInventory;
  now: () => Date;
  /** Removes a label from the pull request (a stale fork opt-in); best effort, a fork's token may not. */
  removeLabel?: (name: string) => Promise<void>;
}

export type PreviewStatus = "deployed" | "failed" | "unhealthy" | "destroyed" | "teardown-incomplete" | "skipped-fork";

export interface PreviewOutcome {
  status: PreviewStatus;
  stage: string;
  url?: string;
  urls: Record<string, string>;
  deploymentId?: string;
  comment: { id?: string; url?: string };
  /** What the comment and step summary say. */
  markdown: string;
  /** One line for the job log when it failed. */
  failure?: string;
}

/** Deploys or destroys one PR's preview and reports it: deployment statuses, sticky comment, step summary. */
export async function runPreview(request: PreviewRequest, ports: PreviewPorts): Promise<PreviewOutcome> {
  const fork = decideFork({
    isFork: request.pr.isFork,
    mode: request.mode,
    trigger: request.trigger ?? { eventName: "", labels: [] },
    allowFork: request.allowFork === true,
    forkLabel: request.forkOptInLabel ?? "",
  });
  if (fork.kind === "refused") return skipFork(request, ports, fork.reason, fork.withdrawLabel);
  const previous = await ports.platform.comments.read(request.purpose);
  const state = decodeState(previous?.body);
  return request.mode === "deploy" ? deploy(request, ports, previous, state) : destroy(request, ports, previous, state);
}

async function deploy(request: PreviewRequest, ports: PreviewPorts, previous: StickyComment | undefined, state: PreviewState | undefined): Promise<PreviewOutcome> {
  const { platform } = ports;
  const sha = request.pr.headSha;
  const existingId = deploymentFor(state, sha);
  const { id: deploymentId } = await platform.deployments.create({
    environment: request.environment,
    ref: sha,
    transient: true,
    production: false,
    description: `Preview of #${request.pr.number} (${request.stage})`,
    payload: { stage: request.stage, pull_request: request.pr.number },
    ...(existingId ? { existingId } : {}),
  });
  const progress = { finalStatusWritten: false };
  try {
    return await deployAndReport(request, ports, previous, state, deploymentId, progress);
  } catch (error) {
    // Whatever broke after the deployment was created (GitHub kept failing, the runtime threw), it must not
    // be left "in progress": record an error, best effort, and let the run fail with the cause.
    if (!progress.finalStatusWritten) await platform.deployments.setStatus(deploymentId, { state: "error", ...logUrl(request), description: errorMessage(error).slice(0, 140) }).catch(() => undefined);
    throw error;
  }
}

async function deployAndReport(
  request: PreviewRequest,
  ports: PreviewPorts,
  previous: StickyComment | undefined,
  state: PreviewState | undefined,
  deploymentId: string,
  progress: { finalStatusWritten: boolean },
): Promise<PreviewOutcome> {
  const { platform } = ports;
  const sha = request.pr.headSha;
  await platform.deployments.setStatus(deploymentId, { state: "in_progress", ...logUrl(request), description: `Deploying ${request.stage}` });

  const started = ports.now();
  let deployment: Deployment | undefined;
  let error: string | undefined;
  try {
    deployment = await ports.runtime.up({ ...request.up, stage: request.stage });
  } catch (e) {
    error = errorMessage(e);
  }
  const url = deployment ? mainUrl(deployment, request.urlResource) : undefined;
  let health: HealthResult | undefined;
  if (deployment && url && ports.probe) health = await ports.probe(url);
  const durationMs = ports.now().getTime() - started.getTime();
  const outcome: PreviewDeployRecord["outcome"] = !deployment ? "failed" : health && !health.healthy ? "unhealthy" : "deployed";
  if (deployment && !url && !error) error = "Alchemy reported no resource with a URL for this stage";

  const record: PreviewDeployRecord = {
    sha,
    deploymentId,
    outcome: error && outcome === "deployed" ? "failed" : outcome,
    at: started.toISOString(),
    durationMs,
    ...(url ? { url } : {}),
    ...(request.links.run ? { runUrl: request.links.run } : {}),
    ...(health ? { health: { healthy: health.healthy, ...(health.status !== undefined ? { status: health.status } : {}), ...(health.reason ? { reason: health.reason } : {}) } } : {}),
  };
  const nextState = withRecord(state, request.stage, record);
  const markdown = renderDeployComment(
    { stage: request.stage, record, resources: deployment?.resources ?? [], ...(error ? { error } : {}), ...(request.healthPath ? { healthPath: request.healthPath } : {}) },
    nextState,
    request.links,
  );
  const ok = record.outcome === "deployed";
  await platform.deployments.setStatus(deploymentId, {
    state: ok ? "success" : "failure",
    ...(url ? { environmentUrl: url } : {}),
    ...logUrl(request),
    description: ok ? `Preview ${request.stage} is live` : record.outcome === "unhealthy" ? `Health check failed: ${record.health?.reason ?? ""}` : "Deploy failed",
  });
  progress.finalStatusWritten = true;
  // Preview environments are transient, and GitHub only retires earlier deployments of non-transient
  // environments by itself (auto_inactive): the one this deploy replaced is marked inactive here.
  const replaced = ok ? state?.history.find((r) => r.sha !== sha && r.outcome === "deployed" && r.deploymentId)?.deploymentId : undefined;
  if (replaced && replaced !== deploymentId) {
    // The id comes from the comment's state: only ever a deployment of this preview's own environment.
    await platform.deployments.setStatus(replaced, { state: "inactive", onlyIn: request.environment, ...logUrl(request), description: `Replaced by ${sha.slice(0, 7)}` });
  }
  const comment = await platform.comments.write(request.purpose, markdown, previous);
  await platform.summary.append(markdown);
  const failure = ok ? undefined : record.outcome === "unhealthy" ? `Preview ${request.stage} deployed but its health check failed: ${record.health?.reason ?? "no answer"}` : `Preview ${request.stage} failed to deploy: ${error ?? "unknown error"}`;
  return {
    status: record.outcome,
    stage: request.stage,
    ...(url ? { url } : {}),
    urls: deployment?.urls ?? {},
    deploymentId,
    comment,
    markdown,
    ...(failure ? { failure } : {}),
  };
}

async function destroy(request: PreviewRequest, ports: PreviewPorts, previous: StickyComment | undefined, state: PreviewState | undefined): Promise<PreviewOutcome> {
  let leftovers: string[] = [];
  let failure: string | undefined;
  try {
    const report = await ports.runtime.down({ stage: request.stage, ...pick(request.up), ...(request.protectedStages ? { protectedStages: request.protectedStages } : {}) });
    leftovers = report.leftovers;
  } catch (e) {
    failure = errorMessage(e);
    const named = (e as { leftovers?: unknown }).leftovers;
    leftovers = Array.isArray(named) ? named.map(String) : [failure];
  }
  if (leftovers.length > 0 && !failure) failure = `Stage ${request.stage} still has resources after destroy: ${leftovers.join(", ")}`;
  let accountChecked = false;
  if (ports.account && !failure) {
    // State can forget what Cloudflare still runs (a crash between create and save, a resource made by hand).
    try {
      const left = resourcesOfStage(await ports.account.list(), request.stage).map(describeResource);
      accountChecked = true;
      if (left.length > 0) {
        leftovers = left;
        failure = `Stage ${request.stage} left ${left.length} resource(s) in the Cloudflare account: ${left.join(", ")}`;
      }
    } catch (e) {
      failure = `Stage ${request.stage} was destroyed but the Cloudflare account could not be checked: ${errorMessage(e)}`;
      leftovers = [failure];
    }
  }
  const deactivated = await ports.platform.deployments.deactivateAll(request.environment, request.links.run);
  const nextState: PreviewState = {
    ...(state ?? { version: 1, stage: request.stage, history: [] }),
    destroyed: { at: ports.now().toISOString(), leftovers, ...(accountChecked ? { accountChecked } : {}) },
  };
  const markdown = renderDestroyedComment(request.stage, nextState, request.links, deactivated);
  const comment = await ports.platform.comments.write(request.purpose, markdown, previous);
  await ports.platform.summary.append(markdown);
  return {
    status: failure ? "teardown-incomplete" : "destroyed",
    stage: request.stage,
    urls: {},
    comment,
    markdown,
    ...(failure ? { failure } : {}),
  };
}

async function skipFork(request: PreviewRequest, ports: PreviewPorts, reason: "not-opted-in" | "new-commits" | "no-secrets-event", withdrawLabel: boolean): Promise<PreviewOutcome> {
  if (withdrawLabel && request.forkOptInLabel && ports.removeLabel) {
    await ports.removeLabel(request.forkOptInLabel).catch(() => undefined);
  }
  const markdown = renderForkComment(request.pr.headRepo, request.forkOptInLabel, reason === "new-commits" ? request.pr.headSha : undefined);
  let comment: { id?: string; url?: string } = {};
  try {
    comment = await ports.platform.comments.write(request.purpose, markdown);
  } catch {
    // Fork runs usually get a read-only token: the step summary still explains.
  }
  await ports.platform.summary.append(markdown);
  return { status: "skipped-fork", stage: request.stage, urls: {}, comment, markdown };
}

function mainUrl(deployment: Deployment, resource: string | undefined): string | undefined {
  if (resource) return deployment.urls[resource];
  return Object.values(deployment.urls)[0];
}

function logUrl(request: PreviewRequest): { logUrl?: string } {
  return request.links.run ? { logUrl: request.links.run } : {};
}

function pick(up: PreviewRequest["up"]): { profile?: string; envFile?: string; app?: string } {
  return {
    ...(up?.profile ? { profile: up.profile } : {}),
    ...(up?.envFile ? { envFile: up.envFile } : {}),
    ...(up?.app ? { app: up.app } : {}),
  };
}
