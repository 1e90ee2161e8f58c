import { GateFailure, errorMessage } from "../errors.ts";
import type { VersionsPort, VersionsReader } from "../rollout/ports.ts";
import type { RolloutAbort, RolloutTarget, StepOutcome } from "../rollout/run-rollout.ts";
import { isProductionLike } from "./environments.ts";
import { currentLive, operationsOf, stateOf, type Ledger, type LedgerEntry, type OperationEntry } from "./ledger.ts";
import type { HealthPort, InFlightPort } from "./ports.ts";
import { recordAbort, recordStep, truncate, type RolloutRecordContext } from "./rollout-records.ts";
import type { PromotionPlan, PromotionResult, TimelineEvent } from "./run-promotion.ts";

/**
 * The switch of a blue-green rollout with `switchover: "manual"`: a deploy or promotion uploaded the candidate as a
 * Workers version, verified it idle (0 %, reached only through the override header) and left its entry waiting
 * (`queued`). An approved, later job switches: all traffic to that version in one deployment, then the health
 * probe; unhealthy, the stable version takes all traffic back in one more (auto-rollback).
 *
 * What is switched is decided by the ledger alone, never by an input: the `rollout-step` entry at 0 % that passed,
 * written by the kit's own identity in the same run (only those entries are trusted, and their payload is
 * immutable), names the version, the stable version beside which it was measured, the script and the URL. An input
 * version must be that one; the platform must still serve exactly the stable version that was measured.
 */

export interface SwitchRequest {
  environment: string;
  /** The SHA the verification was about. */
  sha: string;
  /** The version the verifying job reported; refused unless it is the one its ledger entry names. */
  versionId?: string;
  /** Only a verification whose entry keys start with this counts (the run, e.g. `github:<run id>:`). */
  verifiedBy: string;
  /** This job (the keys of the entries it writes). */
  run: string;
}

export interface SwitchOptions {
  /** Unhealthy after the switch: give the stable version all traffic back. */
  autoRollback: boolean;
}

export interface SwitchPorts {
  ledger: Ledger;
  versions: VersionsPort & VersionsReader;
  health: HealthPort;
  inFlight?: InFlightPort;
  now: () => number;
  log: (line: string) => void;
}

const shortSha = (sha: string): string => sha.slice(0, 7);

interface Verification {
  step: OperationEntry;
  operation: OperationEntry;
  target: RolloutTarget;
  index: number;
}

/** The passed idle step of `sha` this run wrote, and the operation waiting on it. */
function verificationOf(history: LedgerEntry[], request: SwitchRequest): Verification {
  const short = shortSha(request.sha);
  const idle = operationsOf(history)
    .filter((entry) => entry.kind === "rollout-step" && entry.environment === request.environment && entry.sha === request.sha)
    .filter((entry) => entry.payload.traffic === 0 && entry.data?.verdict === "passed")
    .sort((a, b) => Number(b.id) - Number(a.id));
  const step = idle.find((entry) => entry.key.startsWith(request.verifiedBy));
  if (!step) {
    throw new GateFailure(
      `Nothing to switch on ${request.environment}: no idle version of ${short} was verified by this run` +
        (idle.length > 0 ? ` (entries ${idle.map((e) => e.id).join(", ")} are another run's: a switch only follows its own run's verification)` : "") +
        ". Deploy it with a blue-green strategy whose switchover is manual first.",
    );
  }
  const data = step.data!;
  const { stable, script, url } = data;
  const versionId = step.payload.versionId;
  if (!versionId || typeof stable !== "string" || typeof script !== "string" || typeof url !== "string") {
    throw new GateFailure(`The verification entry ${step.id} does not name the version, the stable version, the script and the URL: deploy ${short} again.`);
  }
  const operation = operationsOf(history).find((entry) => entry.id === step.about && (entry.kind === "deploy" || entry.kind === "promote"));
  if (!operation) throw new GateFailure(`The verification entry ${step.id} is about no deploy or promotion of ${short} on ${request.environment}.`);
  return {
    step,
    operation,
    target: { environment: request.environment, sha: request.sha, url, script, stable, candidate: versionId },
    index: typeof data.step === "number" ? data.step : 1,
  };
}

/**
 * Switches all traffic of an environment to the version a manual blue-green verified idle (see the module's
 * comment). Never throws for a failed switch: the result says what happened; refusals (nothing verified, another
 * version, the environment changed since) are GateFailures before anything moves.
 */
export async function switchOver(request: SwitchRequest, options: SwitchOptions, ports: SwitchPorts): Promise<PromotionResult> {
  const started = ports.now();
  const timeline: TimelineEvent[] = [];
  const note = (what: string): void => {
    timeline.push({ at: ports.now() - started, what });
    ports.log(what);
  };
  const short = shortSha(request.sha);
  const history = await ports.ledger.history(request.environment);
  const { step, operation, target, index } = verificationOf(history, request);
  if (request.versionId && request.versionId !== target.candidate) {
    throw new GateFailure(
      `Refusing to switch ${request.environment} to version ${request.versionId}: this run verified ${short} idle as version ${target.candidate} (entry ${step.id}); only that version is switched.`,
    );
  }
  const live = currentLive(history, request.environment);
  const plan: PromotionPlan = {
    operation: operation.kind === "promote" ? "promote" : "deploy",
    run: request.run,
    environment: request.environment,
    ...(operation.from ? { from: operation.from } : {}),
    sha: request.sha,
    ref: operation.ref,
    stage: operation.payload.stage,
    ...(live ? { live: { sha: live.sha, ...(live.statuses.findLast((s) => s.url)?.url ? { url: live.statuses.findLast((s) => s.url)!.url! } : {}) } } : {}),
    payload: operation.payload,
  };
  const switchover = { candidate: target.candidate, stable: target.stable, verifiedEntry: step.id };
  const result = (outcome: PromotionResult["outcome"], entry: OperationEntry, extra: Partial<PromotionResult> = {}): PromotionResult => ({
    plan,
    outcome,
    url: target.url,
    entry,
    switchover,
    timeline,
    durations: { total: ports.now() - started },
    ...extra,
  });

  const split = await ports.versions.active(target.script);
  const serving = split.versions.filter((v) => v.percentage > 0);
  const describe = serving.map((v) => `${v.versionId} at ${v.percentage} %`).join(", ") || "nothing";
  if (stateOf(operation) === "success" && serving.length === 1 && serving[0]!.versionId === target.candidate) {
    // A re-run of a switch that went through: nothing to do.
    note(`${short} already serves 100 % of ${request.environment} as version ${target.candidate}`);
    return result("deployed", operation);
  }
  if (stateOf(operation) !== "queued") {
    throw new GateFailure(`Refusing to switch: the ${operation.kind} of ${short} (entry ${operation.id}) is ${stateOf(operation)}, not waiting for a switch.`);
  }
  const asVerified = serving.length === 1 && serving[0]!.versionId === target.stable && serving[0]!.percentage === 100 && split.versions.some((v) => v.versionId === target.candidate);
  if (!asVerified) {
    throw new GateFailure(
      `Refusing to switch ${request.environment}: ${target.script} serves ${describe} now, not the stable version ${target.stable} beside the idle ${target.candidate} ` +
        `as when ${short} was verified (entry ${step.id}); the environment changed since. Deploy ${short} again.`,
    );
  }

  const production = isProductionLike(request.environment);
  const records: RolloutRecordContext = {
    ledger: ports.ledger,
    run: request.run,
    environment: request.environment,
    sha: request.sha,
    ref: operation.ref,
    payload: operation.payload,
    about: operation.id,
    production,
  };
  let entry = await ports.ledger.mark(operation, "in_progress", { description: `Switching ${request.environment} to ${short}` });
  ports.inFlight?.started(entry);
  const switchStarted = ports.now();
  try {
    await ports.versions.route(target.script, { versions: [{ versionId: target.candidate, percentage: 100 }] }, `alchkit: switch ${request.environment} to ${short}`.slice(0, 100));
  } catch (error) {
    const reason = `the switch to version ${target.candidate} failed: ${errorMessage(error)}`;
    note(reason);
    entry = await ports.ledger.mark(entry, "failure", { description: truncate(`${short} failed: ${reason}`) });
    ports.inFlight?.finished();
    return result("failed", entry, { error: reason });
  }
  const deployMs = ports.now() - switchStarted;
  note(`switched: ${short} (version ${target.candidate}) serves 100 % of ${request.environment}, in one deployment`);
  const outcome: StepOutcome = { index: index + 1, traffic: 100, holdMs: 0, startedAt: switchStarted - started, endedAt: ports.now() - started, measurements: [], verdict: "final" };
  await recordStep(records, outcome, target);

  const healthStarted = ports.now();
  const health = await ports.health.probe(target.url);
  const durations = { deploy: deployMs, health: ports.now() - healthStarted };
  note(health.healthy ? `health check passed after ${health.attempts} attempt(s) (${health.detail})` : `health check failed after ${health.attempts} attempt(s): ${health.detail}`);
  if (health.healthy) {
    entry = await ports.ledger.mark(entry, "success", { url: target.url, description: `${short} is live and healthy`, versionId: target.candidate, script: target.script });
    ports.inFlight?.finished();
    note(`${short} is live on ${request.environment}`);
    return result("deployed", entry, { health, durations: { ...durations, total: ports.now() - started } });
  }

  const reason = `health check failed after the switch: ${health.detail}`;
  if (!options.autoRollback) {
    note("auto-rollback is off: the environment is left as it is");
    entry = await ports.ledger.mark(entry, "failure", { url: target.url, description: truncate(`${short} failed: ${reason}`) });
    ports.inFlight?.finished();
    return result("failed", entry, { health, error: reason, durations: { ...durations, total: ports.now() - started } });
  }
  // Switch back: the stable version, still there, takes all traffic again in one deployment.
  const rollbackStarted = ports.now();
  const abort: RolloutAbort = { step: outcome.index, traffic: 100, reason, detectedAt: rollbackStarted - started };
  try {
    await ports.versions.route(target.script, { versions: [{ versionId: target.stable, percentage: 100 }] }, `alchkit: switch ${request.environment} back from ${short}`.slice(0, 100));
    abort.restoredAt = ports.now() - started;
    note(`switched back: the stable version ${target.stable} serves 100 % of ${request.environment} again`);
  } catch (error) {
    abort.restoreError = errorMessage(error);
    note(`COULD NOT switch back to the stable version ${target.stable}: ${abort.restoreError}`);
  }
  const restored = await recordAbort(records, abort, target, live);
  entry = await ports.ledger.mark(entry, "failure", { url: target.url, description: truncate(`${short} failed: ${reason}`) });
  ports.inFlight?.finished();
  const back = live && !abort.restoreError;
  return result(back ? "rolled-back" : "failed", entry, {
    health,
    error: reason,
    restoreMethod: "re-point",
    ...(live ? { rollback: { sha: live.sha, url: target.url, entry: restored, ...(abort.restoreError ? { error: abort.restoreError } : {}) } } : {}),
    durations: { ...durations, rollback: ports.now() - rollbackStarted, total: ports.now() - started },
  });
}
