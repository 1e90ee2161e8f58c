import type { RolloutAbort, RolloutTarget, StepOutcome } from "../rollout/run-rollout.ts";
import { entryKey, type DeploymentPayload, type Ledger, type OperationEntry } from "./ledger.ts";

/**
 * The ledger's side of a rollout: each step is a `rollout-step` entry about the operation (the candidate's version
 * and share in its payload, the two versions' numbers in its data), an abort a `rollout-abort` entry that gives the
 * stable SHA all traffic back. Written by the deploy or promotion that runs the steps and by the approved switch of
 * a manual blue-green, so both record the same way.
 */
export interface RolloutRecordContext {
  ledger: Ledger;
  /** The job writing the entries (their keys). */
  run: string;
  environment: string;
  /** The candidate SHA. */
  sha: string;
  ref: string;
  /** The operation's recipe. */
  payload: DeploymentPayload;
  /** The operation entry the records are about. */
  about: string;
  production: boolean;
}

const shortSha = (sha: string): string => sha.slice(0, 7);

/** GitHub caps a deployment status description at 140 characters. */
export function truncate(text: string): string {
  return text.length <= 140 ? text : `${text.slice(0, 139)}…`;
}

const figures = (f: { requests: number; failed: number; errorRate: number; p95Ms: number | null; p99Ms: number | null }) => ({
  requests: f.requests,
  failed: f.failed,
  errorRate: f.errorRate,
  p95Ms: f.p95Ms,
  p99Ms: f.p99Ms,
});

/** A step's facts, kept in the entry's payload (written once by the kit's identity, never by a status). */
export function stepData(step: StepOutcome, target: RolloutTarget) {
  const last = step.measurements.at(-1);
  return {
    step: step.index,
    traffic: step.traffic,
    verdict: step.verdict,
    candidate: target.candidate,
    stable: target.stable,
    script: target.script,
    url: target.url,
    measurements: step.measurements.length,
    ...(last ? { figures: { candidate: figures(last.candidate), stable: figures(last.stable) } } : {}),
  };
}

function abortData(abort: RolloutAbort, target: RolloutTarget, candidateSha: string) {
  return {
    candidateSha,
    candidate: target.candidate,
    stable: target.stable,
    step: abort.step,
    traffic: abort.traffic,
    reason: abort.reason,
    detectedAt: abort.detectedAt,
    ...(abort.restoredAt !== undefined ? { restoredAt: abort.restoredAt } : {}),
    ...(abort.restoreError ? { restoreError: abort.restoreError } : {}),
    ...(abort.measurement ? { figures: { candidate: figures(abort.measurement.candidate), stable: figures(abort.measurement.stable) } } : {}),
  };
}

/** A rollback rebuilds the code with the same settings; the version and traffic split are the new deploy's own. */
export function rebuildRecipe(payload: DeploymentPayload): DeploymentPayload {
  const { versionId: _version, traffic: _traffic, ...recipe } = payload;
  return recipe;
}

/** Records a step that ended: `success` unless it breached (a final step takes all traffic when marked). */
export async function recordStep(ctx: RolloutRecordContext, step: StepOutcome, target: RolloutTarget): Promise<OperationEntry> {
  const short = shortSha(ctx.sha);
  const appended = (await ctx.ledger.append({
    kind: "rollout-step",
    key: entryKey(ctx.run, "rollout-step", ctx.environment, ctx.sha, String(step.index)),
    environment: ctx.environment,
    sha: ctx.sha,
    ref: ctx.ref,
    payload: { ...ctx.payload, versionId: target.candidate, traffic: step.traffic },
    about: ctx.about,
    productionEnvironment: ctx.production,
    data: stepData(step, target),
    description: `Rollout step ${step.index}: ${short} at ${step.traffic} %`,
  })) as OperationEntry;
  return ctx.ledger.mark(appended, step.verdict === "breached" ? "failure" : "success", {
    url: target.url,
    versionId: target.candidate,
    script: target.script,
    description: truncate(`Step ${step.index}: ${short} at ${step.traffic} % ${step.verdict}`),
  });
}

/**
 * Records an abort: the stable SHA (the live entry's, when there is one) takes all traffic back, with the numbers
 * that breached; without a live entry to name it is only a record of the abort.
 */
export async function recordAbort(ctx: RolloutRecordContext, abort: RolloutAbort, target: RolloutTarget, live: OperationEntry | undefined): Promise<OperationEntry> {
  const sha = live?.sha ?? ctx.sha;
  const appended = (await ctx.ledger.append({
    kind: "rollout-abort",
    key: entryKey(ctx.run, "rollout-abort", ctx.environment, sha),
    environment: ctx.environment,
    sha,
    ref: live?.ref ?? ctx.ref,
    payload: { ...(live ? rebuildRecipe(live.payload) : ctx.payload), versionId: target.stable, ...(live ? {} : { traffic: 0 }) },
    about: ctx.about,
    productionEnvironment: ctx.production,
    data: abortData(abort, target, ctx.sha),
    description: truncate(`Rollout of ${shortSha(ctx.sha)} aborted at ${abort.traffic} %: ${abort.reason}`),
  })) as OperationEntry;
  return ctx.ledger.mark(appended, abort.restoreError ? "failure" : "success", {
    url: target.url,
    versionId: target.stable,
    script: target.script,
    description: truncate(abort.restoreError ? `Stable not restored: ${abort.restoreError}` : `Stable version back at 100 % after ${shortSha(ctx.sha)} breached`),
  });
}
