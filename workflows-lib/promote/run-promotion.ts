import { posix } from "node:path";
import { randomUUID } from "node:crypto";
import { GateFailure, InputError, errorMessage } from "../errors.ts";
import { describeFailing, evaluateChecks, type CheckVerdict } from "./checks.ts";
import { envFileFor, isProductionLike, stageFor } from "./environments.ts";
import {
  currentLive,
  entryKey,
  lastLiveOf,
  liveVersionOf,
  operationsOf,
  previousGood,
  stateOf,
  type DeploymentPayload,
  type OperationEntry,
  type OperationKind,
} from "./ledger.ts";
import type { Comparison, DeployedApp, HealthVerdict, PromotionPorts } from "./ports.ts";
import type { WatchResult } from "../watch/run-watch.ts";
import type { WatchSettings } from "../watch/watch-config.ts";
import { watchDeployment } from "../watch/watch-deployment.ts";
import { watchRecordData, watchRecordDescription } from "../watch/watch-record.ts";
import type { RolloutPlan } from "../rollout/plan-rollout.ts";
import { rollBack } from "../rollout/rollback.ts";
import type { RolloutAbort, RolloutResult, RolloutTarget, StepOutcome } from "../rollout/run-rollout.ts";
import type { PolicyAuditRecord } from "../policy/audit.ts";
import { recordPolicyAudit } from "./policy-record.ts";
import { tellPassedStep } from "./tell-steps.ts";
import { rebuildRecipe, recordAbort, recordStep, truncate, type RolloutRecordContext } from "./rollout-records.ts";

export type Operation = "deploy" | "promote" | "rollback";

export interface PromotionOptions {
  /** Environment → Alchemy stage (see parseStageMap). */
  stages: Record<string, string>;
  /** Env file per environment, e.g. `.env.{environment}`; blank = none. */
  envFilePattern: string;
  appDir: string;
  appEntry: string;
  autoRollback: boolean;
  /** Checks that must be green (empty = every check on the SHA). */
  requiredChecks: string[];
  /** Checks never counted (e.g. the job running this promotion). */
  ignoreChecks: string[];
  /** Skip the required-checks gate (e.g. deploying a fresh push to staging while its CI still runs). */
  skipChecks?: boolean;
  /** Watch the deployment for a bake window once it is live; a breach restores the previous good SHA. */
  watch?: WatchSettings;
  /**
   * Deploys and promotes move traffic step by step on Workers versions (canary, progressive, blue-green);
   * absent: all at once. Needs the runtime's versions (ports.delivery).
   */
  rollout?: RolloutPlan;
  /**
   * The policy gate's evaluation of this candidate (the policy action's `audit` output): appended as a
   * `policy-audit` record about the operation entry. A denied one never reaches here:
   * the shells record the refusal instead (policy-record.ts).
   */
  policyAudit?: PolicyAuditRecord;
}

export interface PromotionRequest {
  operation: Operation;
  /** Target environment. */
  environment: string;
  /** promote: the environment whose live SHA is the candidate. */
  from?: string;
  /** deploy: ref to deploy (default HEAD); promote: explicit SHA instead of the source's live one; rollback: SHA to go back to. */
  ref?: string;
  /** How the shell names these fields in errors (action inputs or CLI flags). */
  names?: { environment: string; from: string; ref: string };
  /**
   * The job doing this, stable across re-runs of the same job (e.g. `github:<run id>:<job>`): a re-run continues
   * the entries the first attempt wrote instead of adding new ones. Default: a new job every time.
   */
  run?: string;
}

const ACTION_NAMES = { environment: "environment", from: "from", ref: "sha" } as const;

async function resolveRef(ports: PromotionPorts, ref: string, name: string): Promise<string> {
  try {
    return await ports.source.resolve(ref);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(name, error.expected, `"${ref}" is unknown here; is it fetched?`);
    throw error;
  }
}

export interface PromotionPlan {
  operation: Operation;
  /** The job (see PromotionRequest.run): entries are keyed by it. */
  run: string;
  environment: string;
  from?: string;
  sha: string;
  ref: string;
  stage: string;
  /** What the target runs now, if anything. */
  live?: { sha: string; url?: string };
  /** Rollbacks reuse the payload of the deployment they restore. */
  payload: DeploymentPayload;
  /** Rollbacks: the Workers version the restored SHA served with, to re-point traffic to (no rebuild). */
  restoreVersion?: RestoreVersion;
  /** Production-like targets only take SHAs on the default branch: which branch that is. */
  defaultBranch?: string;
  checks?: CheckVerdict;
  changes?: Comparison;
}

/** A version to re-point to: the one the ledger recorded next to the SHA, and the URL it answered on. */
export interface RestoreVersion {
  versionId: string;
  script?: string;
  url?: string;
}

export interface TimelineEvent {
  /** Milliseconds since the operation started. */
  at: number;
  what: string;
}

export interface PromotionResult {
  plan: PromotionPlan;
  /**
   * verified: a blue-green with a manual switchover uploaded the candidate and verified it idle (no traffic moved);
   * the entry waits (`queued`) for the approved switch (switchOver).
   */
  outcome: "deployed" | "rolled-back" | "failed" | "verified";
  url?: string;
  health?: HealthVerdict;
  entry: OperationEntry;
  rollback?: { sha: string; url?: string; health?: HealthVerdict; entry: OperationEntry; error?: string };
  error?: string;
  timeline: TimelineEvent[];
  /** The post-deploy watch, when one ran. */
  watch?: WatchResult;
  /** Deploy and probe durations in milliseconds. */
  durations: { total: number; deploy?: number; health?: number; rollback?: number };
  /** The rollout's steps and numbers, when the deploy went step by step. */
  rollout?: { plan: RolloutPlan; result: RolloutResult; candidate: string; stable: string; allAtOnce?: string };
  /** How the environment was put back (rollback, automatic rollback): re-pointed to a version, or redeployed. */
  restoreMethod?: "re-point" | "redeploy";
  /** The approved switch of a manual blue-green (switchOver): the version switched to, the one it replaced. */
  switchover?: { candidate: string; stable: string; verifiedEntry: string };
}

const shortSha = (sha: string): string => sha.slice(0, 7);

/**
 * Resolves what would be deployed where and whether it may be: the candidate SHA, its required checks, the
 * commits it brings to the target. Throws GateFailure when a gate says no (e.g. a red required check).
 */
/** An app folder as written in the ledger: `apps/api`, `.` for the repository root. */
const appFolder = (dir: string) => posix.normalize(dir.replaceAll("\\", "/")).replace(/\/+$/, "") || ".";

/**
 * One environment is one app's: in a monorepo, deploying apps/web-api to the environment apps/api runs on would
 * replace api's live deployment with web-api's (locally its process and URL) and make a rollback restore the
 * other app. Refused before anything changes; each app gets environments of its own.
 */
function assertSameApp(live: OperationEntry | undefined, environment: string, appDir: string, operation: string): void {
  const liveDir = live?.payload.appDir;
  if (liveDir === undefined || appFolder(liveDir) === appFolder(appDir)) return;
  throw new GateFailure(
    `Refusing to ${operation} ${appFolder(appDir)} to ${environment}: ${environment} runs the app in ${appFolder(liveDir)}. ` +
      `Each app of a monorepo needs environments of its own (e.g. --env ${posix.basename(appFolder(appDir))}-${environment}), ` +
      `or name ${appFolder(liveDir)} with --app-dir.`,
  );
}

export async function planPromotion(
  request: PromotionRequest,
  options: PromotionOptions,
  ports: PromotionPorts,
): Promise<PromotionPlan> {
  const { environment } = request;
  const names = request.names ?? ACTION_NAMES;
  // Only the environments involved: on GitHub every deployment read costs a call for its statuses.
  const history = await ports.ledger.history(environment);
  const liveEntry = currentLive(history, environment);
  assertSameApp(liveEntry, environment, options.appDir, request.operation);
  let sha: string;
  let ref: string;
  let payload: DeploymentPayload | undefined;
  let restoreVersionOf: RestoreVersion | undefined;
  if (request.operation === "deploy") {
    ref = request.ref ?? "HEAD";
    sha = await resolveRef(ports, ref, names.ref);
  } else if (request.operation === "promote") {
    if (!request.from) throw new InputError(names.from, "the environment to promote from");
    if (request.from === environment) throw new InputError(names.environment, `an environment other than "${request.from}"`);
    if (request.ref) {
      sha = await resolveRef(ports, request.ref, names.ref);
      ref = request.ref;
    } else {
      const source = currentLive(await ports.ledger.history(request.from), request.from);
      if (!source) {
        throw new GateFailure(`Nothing is live on ${request.from}: deploy there first, or name a SHA to promote.`);
      }
      sha = source.sha;
      ref = source.ref;
    }
  } else {
    let restore: OperationEntry | undefined;
    if (request.ref) {
      const wanted = await resolveRef(ports, request.ref, names.ref);
      restore =
        lastLiveOf(history, environment, wanted) ??
        operationsOf(history).find((entry) => entry.environment === environment && entry.sha === wanted);
      if (!restore) {
        throw new InputError(names.ref, `a SHA deployed to ${environment} before`, `${shortSha(wanted)} never was`);
      }
    } else {
      restore = previousGood(history, environment, liveEntry?.sha);
      if (!restore) throw new GateFailure(`${environment} has no earlier good deployment to roll back to.`);
    }
    if (liveEntry && restore.sha === liveEntry.sha) {
      throw new GateFailure(`${shortSha(restore.sha)} is already live on ${environment}.`);
    }
    sha = restore.sha;
    ref = restore.ref;
    payload = rebuildRecipe(restore.payload);
    restoreVersionOf = versionToRestore(restore);
  }

  const stage = payload?.stage ?? stageFor(environment, options.stages);
  const envFile = envFileFor(environment, options.envFilePattern);
  payload ??= {
    stage,
    buildId: sha,
    appEntry: options.appEntry,
    appDir: options.appDir,
    ...(envFile ? { envFile } : {}),
  };
  const plan: PromotionPlan = {
    operation: request.operation,
    run: request.run ?? `local:${randomUUID()}`,
    environment,
    ...(request.from ? { from: request.from } : {}),
    sha,
    ref,
    stage,
    ...(liveEntry ? { live: { sha: liveEntry.sha, ...urlOf(liveEntry) } } : {}),
    payload,
    ...(restoreVersionOf ? { restoreVersion: restoreVersionOf } : {}),
  };

  if (isProductionLike(environment)) {
    const { branch, contains } = await ports.branches.defaultBranchContains(sha);
    if (!contains) {
      throw new GateFailure(
        `Refusing to ${request.operation} ${shortSha(sha)} to ${environment}: it is not on the default branch ${branch}. ` +
          `Production-like environments only run reviewed code: merge it into ${branch} first.`,
      );
    }
    plan.defaultBranch = branch;
  }

  const gateChecks =
    ports.checks &&
    !options.skipChecks &&
    (request.operation === "promote" || (request.operation === "deploy" && options.requiredChecks.length > 0));
  if (gateChecks) {
    plan.checks = evaluateChecks(await ports.checks!.list(sha), options.requiredChecks, options.ignoreChecks);
    if (!plan.checks.ok) {
      throw new GateFailure(
        `Refusing to ${request.operation} ${shortSha(sha)} to ${environment}: required checks are not green: ${describeFailing(plan.checks)}.`,
      );
    }
  }
  if (ports.compare && liveEntry && liveEntry.sha !== sha) {
    plan.changes = await ports.compare.compare(liveEntry.sha, sha);
  }
  return plan;
}

function versionToRestore(entry: OperationEntry): RestoreVersion | undefined {
  const version = liveVersionOf(entry) ?? (entry.payload.versionId ? { versionId: entry.payload.versionId } : undefined);
  return version ? { ...version, ...urlOf(entry) } : undefined;
}

function urlOf(entry: OperationEntry): { url?: string } {
  const url = entry.statuses.findLast((status) => status.url)?.url;
  return url ? { url } : {};
}

export function describePlan(plan: PromotionPlan): string {
  const what =
    plan.operation === "promote"
      ? `Promote ${shortSha(plan.sha)} from ${plan.from ?? "?"} to ${plan.environment}`
      : plan.operation === "rollback"
        ? `Roll ${plan.environment} back to ${shortSha(plan.sha)}`
        : `Deploy ${shortSha(plan.sha)} to ${plan.environment}`;
  const live = plan.live ? ` (live now: ${shortSha(plan.live.sha)})` : " (nothing live yet)";
  const changes = plan.changes
    ? plan.changes.behindBy > 0 && plan.changes.aheadBy === 0
      ? `, going back ${plan.changes.behindBy} commit(s)`
      : `, ${plan.changes.aheadBy} new commit(s)`
    : "";
  return `${what} as stage ${plan.stage}${live}${changes}`;
}

/**
 * Runs a planned operation: records the deployment, deploys, probes health, and — when the probe fails and
 * auto-rollback is on — redeploys the previous good SHA. Never throws for a failed deploy: the result says
 * what happened (the shells turn `outcome !== "deployed"` into a failed step / exit 1).
 */
export async function executePromotion(
  plan: PromotionPlan,
  options: PromotionOptions,
  ports: PromotionPorts,
): Promise<PromotionResult> {
  const started = ports.now();
  const timeline: TimelineEvent[] = [];
  const note = (what: string): void => {
    timeline.push({ at: ports.now() - started, what });
    ports.log(what);
  };
  const durations: PromotionResult["durations"] = { total: 0 };
  const production = isProductionLike(plan.environment);

  if (options.policyAudit && !options.policyAudit.passed) {
    throw new GateFailure("The policy gate denied this candidate: nothing is deployed (record the refusal instead).");
  }
  // The rollback target is what is live right now, decided before anything changes.
  const before = await ports.ledger.history(plan.environment);
  await settleUnfinished(before, plan, ports, note);
  const restore =
    plan.operation === "rollback"
      ? undefined
      : currentLive(before, plan.environment)?.sha === plan.sha
        ? previousGood(before, plan.environment, plan.sha)
        : (currentLive(before, plan.environment) ?? previousGood(before, plan.environment, plan.sha));

  let entry = (await ports.ledger.append({
    kind: plan.operation,
    key: entryKey(plan.run, plan.operation, plan.environment, plan.sha),
    environment: plan.environment,
    sha: plan.sha,
    ref: plan.ref,
    payload: plan.payload,
    ...(plan.operation === "promote" && plan.from ? { from: plan.from } : {}),
    productionEnvironment: production,
    description: describePlan(plan),
  })) as OperationEntry;
  if (options.policyAudit) {
    await recordPolicyAudit(ports.ledger, options.policyAudit, { run: plan.run, environment: plan.environment, sha: plan.sha, ref: plan.ref, about: entry.id });
    note(`policy audit recorded about entry ${entry.id}`);
  }
  note(`${plan.operation} ${shortSha(plan.sha)} to ${plan.environment} (stage ${plan.stage}) started`);
  entry = await ports.ledger.mark(entry, "in_progress", { description: `Deploying ${shortSha(plan.sha)}` });
  ports.inFlight?.started(entry);

  let attempt: Attempt;
  let rollout: PromotionResult["rollout"];
  let restoreMethod: PromotionResult["restoreMethod"];
  if (plan.operation === "rollback") {
    attempt = await restoreAndProbe(plan.sha, plan.payload, plan.restoreVersion, plan.environment, options, ports, note);
    restoreMethod = attempt.method;
  } else if (options.rollout) {
    const live = currentLive(before, plan.environment);
    ({ attempt, rollout } = await deliverAndProbe(plan, entry, live, options.rollout, ports, note));
  } else {
    attempt = await deployAndProbe(plan.sha, plan.payload, plan.environment, options, ports, note);
  }
  durations.deploy = attempt.deployMs;
  if (attempt.healthMs !== undefined) durations.health = attempt.healthMs;

  if (attempt.verified) {
    // Not live and not failed: the operation waits for the switch, which only a later, approved job makes.
    entry = await ports.ledger.mark(entry, "queued", {
      description: truncate(`${shortSha(plan.sha)} verified idle as version ${attempt.verified.versionId}; waits for the approved switch`),
    });
    ports.inFlight?.finished();
    durations.total = ports.now() - started;
    return { plan, outcome: "verified", url: attempt.verified.url, entry, ...(rollout ? { rollout } : {}), timeline, durations };
  }
  let reason: string;
  let watched: WatchResult | undefined;
  if (attempt.healthy) {
    entry = await ports.ledger.mark(entry, "success", {
      url: attempt.app!.url,
      description: `${shortSha(plan.sha)} is live and healthy`,
      ...versionOf(attempt.app!),
    });
    ports.inFlight?.finished();
    note(`${shortSha(plan.sha)} is live on ${plan.environment}`);
    if (options.watch && options.watch.durationMs > 0 && ports.watch) {
      watched = await watchLive(plan, entry, attempt.app!.url, options.watch, ports, note);
    }
    if (!watched || watched.verdict === "passed") {
      durations.total = ports.now() - started;
      return {
        plan,
        outcome: "deployed",
        url: attempt.app!.url,
        ...(attempt.health ? { health: attempt.health } : {}),
        entry,
        ...(watched ? { watch: watched } : {}),
        ...(rollout ? { rollout } : {}),
        ...(restoreMethod ? { restoreMethod } : {}),
        timeline,
        durations,
      };
    }
    // It went live and then breached: the environment is restored as after a failed health check. The deploy
    // itself stays a success; the watch record about it says it failed (previousGood skips it from now on).
    reason = `post-deploy watch: ${watched.reason ?? "a threshold breached"}`;
  } else {
    reason = attempt.error ?? `health check failed: ${attempt.health?.detail ?? "unhealthy"}`;
    entry = await ports.ledger.mark(entry, "failure", {
      description: truncate(`${shortSha(plan.sha)} failed: ${reason}`),
      ...(attempt.app ? { url: attempt.app.url } : {}),
    });
    ports.inFlight?.finished();
  }
  const result: PromotionResult = {
    plan,
    outcome: "failed",
    ...(attempt.app ? { url: attempt.app.url } : {}),
    ...(attempt.health ? { health: attempt.health } : {}),
    entry,
    ...(watched ? { watch: watched } : {}),
    ...(rollout ? { rollout } : {}),
    ...(restoreMethod ? { restoreMethod } : {}),
    error: reason,
    timeline,
    durations,
  };
  if (attempt.stableServes) {
    // The rollout gave the stable version all traffic back (or never moved any): nothing to restore.
    note(`the stable version serves ${plan.environment}: nothing to roll back`);
    durations.total = ports.now() - started;
    return result;
  }
  if (!options.autoRollback || !restore || restore.sha === plan.sha) {
    note(
      !options.autoRollback
        ? "auto-rollback is off: the environment is left as it is"
        : `no earlier good deployment of ${plan.environment} to restore`,
    );
    durations.total = ports.now() - started;
    return result;
  }

  const rollbackStarted = ports.now();
  if (production) {
    const { contains, branch } = await ports.branches.defaultBranchContains(restore.sha);
    if (!contains) {
      note(`not restoring ${shortSha(restore.sha)}: it is not on the default branch ${branch}`);
      durations.total = ports.now() - started;
      return result;
    }
  }
  note(`rolling ${plan.environment} back to ${shortSha(restore.sha)}`);
  const recipe = rebuildRecipe(restore.payload);
  let restored = (await ports.ledger.append({
    kind: "auto-rollback",
    key: entryKey(plan.run, "auto-rollback", plan.environment, restore.sha),
    environment: plan.environment,
    sha: restore.sha,
    ref: restore.ref,
    payload: recipe,
    about: entry.id,
    productionEnvironment: production,
    description: `Automatic rollback after ${shortSha(plan.sha)} failed`,
  })) as OperationEntry;
  restored = await ports.ledger.mark(restored, "in_progress", { description: `Restoring ${shortSha(restore.sha)}` });
  ports.inFlight?.started(restored);
  const back = await restoreAndProbe(restore.sha, recipe, versionToRestore(restore), plan.environment, options, ports, note);
  durations.rollback = ports.now() - rollbackStarted;
  result.restoreMethod = back.method;
  if (back.healthy) {
    restored = await ports.ledger.mark(restored, "success", {
      url: back.app!.url,
      description: `Restored automatically after ${shortSha(plan.sha)} failed`,
      ...versionOf(back.app!),
    });
    ports.inFlight?.finished();
    note(`${shortSha(restore.sha)} is live again on ${plan.environment}`);
    result.outcome = "rolled-back";
    result.rollback = { sha: restore.sha, url: back.app!.url, ...(back.health ? { health: back.health } : {}), entry: restored };
  } else {
    const why = back.error ?? `health check failed: ${back.health?.detail ?? "unhealthy"}`;
    restored = await ports.ledger.mark(restored, "failure", { description: truncate(`Rollback failed: ${why}`) });
    ports.inFlight?.finished();
    note(`rollback to ${shortSha(restore.sha)} failed too: ${why}`);
    result.rollback = {
      sha: restore.sha,
      ...(back.app ? { url: back.app.url } : {}),
      ...(back.health ? { health: back.health } : {}),
      entry: restored,
      error: why,
    };
  }
  durations.total = ports.now() - started;
  return result;
}

/**
 * The post-deploy watch of a deployment that just went live: probes its bake window and records the verdict as a
 * `watch` entry about it (figures in `data`). Whether to restore is the caller's decision (auto-rollback).
 */
async function watchLive(
  plan: PromotionPlan,
  entry: OperationEntry,
  url: string,
  settings: WatchSettings,
  ports: PromotionPorts,
  note: (what: string) => void,
): Promise<WatchResult> {
  const outcome = await watchDeployment(
    { environment: plan.environment, sha: plan.sha, url, entryId: entry.id },
    settings,
    {
      ...ports.watch!,
      log: note,
      record: async (target, result) => {
        await ports.ledger.append({
          kind: "watch",
          key: entryKey(plan.run, "watch", plan.environment, plan.sha),
          environment: plan.environment,
          sha: plan.sha,
          ref: plan.ref,
          state: result.verdict === "passed" ? "success" : "failure",
          about: target.entryId!,
          data: watchRecordData(result),
          description: watchRecordDescription(result),
          url,
        });
      },
      // The shells tell people (the notify step, `alchkit notify`) from the result.
      alert: async () => {},
    },
    { autoRollback: false },
  );
  return outcome.result;
}

/**
 * Operations on the environment that never finished, other than this run's own. A manual blue-green whose switch
 * was never made (rejected, never approved) is left `queued`: this operation replaces what it verified, so it is
 * marked `inactive` and its switch is refused. With an exclusive lock no other operation runs, so one still
 * pending or in progress was abandoned (the process was killed mid-deploy): it gets the final state `error`, so
 * the ledger never shows a deploy in progress forever.
 */
async function settleUnfinished(
  entries: Awaited<ReturnType<PromotionPorts["ledger"]["history"]>>,
  plan: PromotionPlan,
  ports: PromotionPorts,
  note: (what: string) => void,
): Promise<void> {
  for (const entry of operationsOf(entries)) {
    if (entry.environment !== plan.environment || entry.key.startsWith(`${plan.run}:`)) continue;
    const state = stateOf(entry);
    if (state === "queued") {
      await ports.ledger.mark(entry, "inactive", { description: truncate(`Superseded by ${plan.operation} ${shortSha(plan.sha)}: its switch was not made`) });
      note(`${entry.kind} ${shortSha(entry.sha)} (entry ${entry.id}) waited for a switch that was not made: superseded`);
    } else if (ports.lock.exclusive && (state === "pending" || state === "in_progress")) {
      await ports.ledger.mark(entry, "error", { description: "Abandoned: the process ended before the deploy finished" });
      note(`${entry.kind} ${shortSha(entry.sha)} (entry ${entry.id}) was abandoned mid-deploy: marked error`);
    }
  }
}

interface Attempt {
  healthy: boolean;
  app?: DeployedApp;
  health?: HealthVerdict;
  error?: string;
  deployMs: number;
  healthMs?: number;
  /** A rollout that failed left (or put back) the stable version at 100 %: no rollback is needed. */
  stableServes?: boolean;
  /** How a restore went (restoreAndProbe). */
  method?: "re-point" | "redeploy";
  /** A manual blue-green's idle version passed: the operation waits for the approved switch. */
  verified?: { url: string; versionId: string; script: string };
}

const versionOf = (app: DeployedApp): { versionId?: string; script?: string } =>
  app.versionId ? { versionId: app.versionId, ...(app.script ? { script: app.script } : {}) } : {};

/**
 * Puts a SHA back on an environment: on a runtime with Workers versions, when the ledger recorded the version
 * (and its script) that served it, one deployment re-points all traffic to it (rollBack); otherwise, or when
 * the platform no longer has that version, the SHA is deployed again. Then the health probe, as for a deploy.
 */
async function restoreAndProbe(
  sha: string,
  recipe: DeploymentPayload,
  version: RestoreVersion | undefined,
  environment: string,
  options: PromotionOptions,
  ports: PromotionPorts,
  note: (what: string) => void,
): Promise<Attempt> {
  if (!ports.delivery || !version?.url) return { ...(await deployAndProbe(sha, recipe, environment, options, ports, note)), method: "redeploy" };
  const started = ports.now();
  let redeployed: Attempt | undefined;
  await rollBack(
    { environment, sha, versionId: version.versionId, ...(version.script ? { script: version.script } : {}) },
    {
      versions: ports.delivery.versions,
      redeploy: async () => {
        redeployed = await deployAndProbe(sha, recipe, environment, options, ports, note);
      },
      clock: { now: ports.now },
      log: note,
    },
  );
  if (redeployed) return { ...redeployed, method: "redeploy" };
  const deployMs = ports.now() - started;
  note(`re-pointed ${environment} to version ${version.versionId} (${shortSha(sha)}) in ${formatMs(deployMs)}, no rebuild`);
  const healthStarted = ports.now();
  const health = await ports.health.probe(version.url);
  const healthMs = ports.now() - healthStarted;
  note(health.healthy ? `health check passed after ${health.attempts} attempt(s) (${health.detail})` : `health check failed after ${health.attempts} attempt(s): ${health.detail}`);
  const app: DeployedApp = { url: version.url, urls: {}, versionId: version.versionId, ...(version.script ? { script: version.script } : {}) };
  return { healthy: health.healthy, app, health, deployMs, healthMs, method: "re-point" };
}

/**
 * A deploy or promotion step by step on Workers versions (options.rollout): the candidate is uploaded beside the
 * stable version, every step is a `rollout-step` entry about the operation (the candidate's version and share,
 * the two versions' numbers side by side), an abort is a `rollout-abort` entry that gives the stable SHA all
 * traffic back, with the numbers. Once the candidate has 100 % the health probe decides, as for any deploy.
 */
async function deliverAndProbe(
  plan: PromotionPlan,
  entry: OperationEntry,
  live: OperationEntry | undefined,
  rolloutPlan: RolloutPlan,
  ports: PromotionPorts,
  note: (what: string) => void,
): Promise<{ attempt: Attempt; rollout?: PromotionResult["rollout"] }> {
  const started = ports.now();
  const short = shortSha(plan.sha);
  const production = isProductionLike(plan.environment);
  if (!ports.delivery) {
    const message = `a ${rolloutPlan.strategy} rollout needs Workers versions (runtime: cloudflare); nothing was deployed`;
    note(message);
    return { attempt: { healthy: false, error: message, deployMs: 0, stableServes: true } };
  }
  let target: RolloutTarget | undefined;
  const records: RolloutRecordContext = {
    ledger: ports.ledger,
    run: plan.run,
    environment: plan.environment,
    sha: plan.sha,
    ref: plan.ref,
    payload: plan.payload,
    about: entry.id,
    production,
  };
  const events = {
    uploaded: async (t: RolloutTarget) => {
      target = t;
      note(`uploaded ${short} as version ${t.candidate} of ${t.script} without traffic (stable: ${t.stable})`);
    },
    stepEnded: async (step: StepOutcome) => {
      await recordStep(records, step, target!);
      note(`rollout step ${step.index}: ${short} at ${step.traffic} % ${step.verdict}`);
      await tellPassedStep(ports.steps, step, target!, note);
    },
    aborted: async (abort: RolloutAbort) => {
      await recordAbort(records, abort, target!, live);
    },
  };
  let delivery: Awaited<ReturnType<NonNullable<PromotionPorts["delivery"]>["deliver"]>>;
  try {
    const root = await ports.source.checkout(plan.sha);
    delivery = await ports.delivery.deliver(
      rolloutPlan,
      {
        environment: plan.environment,
        stage: plan.payload.stage,
        sha: plan.sha,
        buildId: plan.payload.buildId,
        root,
        appDir: plan.payload.appDir,
        appEntry: plan.payload.appEntry,
        ...(plan.payload.envFile ? { envFile: plan.payload.envFile } : {}),
      },
      events,
    );
  } catch (error) {
    // An upload of a version moves no traffic, and deliver refuses before any traffic moves.
    const message = `${rolloutPlan.strategy} rollout of ${short} failed before any traffic moved: ${errorMessage(error)}`;
    note(message);
    return { attempt: { healthy: false, error: message, deployMs: ports.now() - started, stableServes: true } };
  }
  const { result } = delivery;
  const t = delivery.target;
  const rollout = {
    plan: rolloutPlan,
    result,
    candidate: t.candidate,
    stable: t.stable,
    ...(delivery.allAtOnce ? { allAtOnce: delivery.allAtOnce.reason } : {}),
  };
  const deployMs = ports.now() - started;
  if (result.outcome === "aborted") {
    const why = `rollout aborted at ${result.abort!.traffic} %: ${result.abort!.reason}`;
    return { attempt: { healthy: false, error: why, deployMs, stableServes: result.abort!.restoreError === undefined }, rollout };
  }
  if (result.outcome === "verified") {
    note(`${short} is verified idle as version ${t.candidate} of ${t.script} (no traffic moved); ${plan.environment} waits for the approved switch`);
    return { attempt: { healthy: false, deployMs, stableServes: true, verified: { url: t.url, versionId: t.candidate, script: t.script } }, rollout };
  }
  note(`${short} serves 100 % of ${plan.environment} (version ${t.candidate}) after ${result.steps.length} step(s) in ${formatMs(deployMs)}`);
  const healthStarted = ports.now();
  const health = await ports.health.probe(t.url);
  const healthMs = ports.now() - healthStarted;
  note(health.healthy ? `health check passed after ${health.attempts} attempt(s) (${health.detail})` : `health check failed after ${health.attempts} attempt(s): ${health.detail}`);
  const app: DeployedApp = { url: t.url, urls: {}, versionId: t.candidate, script: t.script };
  return { attempt: { healthy: health.healthy, app, health, deployMs, healthMs }, rollout };
}

async function deployAndProbe(
  sha: string,
  payload: DeploymentPayload,
  environment: string,
  options: PromotionOptions,
  ports: PromotionPorts,
  note: (what: string) => void,
): Promise<Attempt> {
  const deployStarted = ports.now();
  let app: DeployedApp;
  try {
    const root = await ports.source.checkout(sha);
    app = await ports.runtime.deploy({
      environment,
      stage: payload.stage,
      sha,
      buildId: payload.buildId,
      root,
      appDir: payload.appDir,
      appEntry: payload.appEntry,
      ...(payload.envFile ? { envFile: payload.envFile } : {}),
    });
  } catch (error) {
    const message = `deploy of ${shortSha(sha)} failed: ${errorMessage(error)}`;
    note(message);
    return { healthy: false, error: message, deployMs: ports.now() - deployStarted };
  }
  const deployMs = ports.now() - deployStarted;
  if (app.envFiles) note(`env files loaded: ${app.envFiles.join(", ") || "none"}`);
  note(`deployed ${shortSha(sha)} at ${app.url} in ${formatMs(deployMs)}`);
  const healthStarted = ports.now();
  const health = await ports.health.probe(app.url);
  const healthMs = ports.now() - healthStarted;
  note(
    health.healthy
      ? `health check passed after ${health.attempts} attempt(s) (${health.detail})`
      : `health check failed after ${health.attempts} attempt(s): ${health.detail}`,
  );
  return { healthy: health.healthy, app, health, deployMs, healthMs };
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The message a failed operation ends with: what went wrong and the timeline of what happened. */
export function failureMessage(result: PromotionResult): string {
  const head =
    result.outcome === "rolled-back"
      ? `${shortSha(result.plan.sha)} failed on ${result.plan.environment} (${result.error}); rolled back to ${shortSha(result.rollback!.sha)}.`
      : result.rollback?.error
        ? `${shortSha(result.plan.sha)} failed on ${result.plan.environment} (${result.error}) and the rollback to ${shortSha(result.rollback.sha)} failed too (${result.rollback.error}).`
        : `${shortSha(result.plan.sha)} failed on ${result.plan.environment} (${result.error}).`;
  const lines = result.timeline.map((event) => `  +${formatMs(event.at)}  ${event.what}`);
  return [head, "Timeline:", ...lines].join("\n");
}

/**
 * The whole operation, serialized per target environment: take the environment's lock, plan (candidate,
 * checks, changes), ask for approval where a human must say yes, then deploy with health probe and rollback.
 */
export async function runPromotion(
  request: PromotionRequest,
  options: PromotionOptions,
  ports: PromotionPorts,
  onPlan?: (plan: PromotionPlan) => void,
): Promise<PromotionResult> {
  const release = await ports.lock.acquire(request.environment, (holder) =>
    ports.log(`waiting: ${request.environment} is busy with ${holder}`),
  );
  try {
    const plan = await planPromotion(request, options, ports);
    onPlan?.(plan);
    if (ports.approval && !(await ports.approval.approve(`${describePlan(plan)}. Proceed?`))) {
      throw new GateFailure(`Not approved: ${plan.environment} was left unchanged.`);
    }
    return await executePromotion(plan, options, ports);
  } finally {
    await release();
  }
}
