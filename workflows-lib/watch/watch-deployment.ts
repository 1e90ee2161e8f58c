import { errorMessage } from "../errors.ts";
import { runWatch, type WatchPorts, type WatchResult } from "./run-watch.ts";
import type { WatchSettings } from "./watch-config.ts";

export interface WatchTarget {
  environment: string;
  sha: string;
  /** The URL the environment answers on. */
  url: string;
  /** Ledger id of the operation that put `sha` live (what the watch record is about). */
  entryId?: string;
}

export interface RollbackOutcome {
  ok: boolean;
  /** The SHA live after the rollback. */
  sha?: string;
  url?: string;
  error?: string;
}

export interface WatchDeploymentPorts extends WatchPorts {
  /** Puts the environment back on its previous good SHA; absent when the caller restores it itself. */
  rollBack?(target: WatchTarget, reason: string): Promise<RollbackOutcome>;
  /** Records the watch's verdict (figures included) in the ledger. */
  record(target: WatchTarget, result: WatchResult): Promise<void>;
  /** Tells people: notifications for a breach and what the rollback did. */
  alert(target: WatchTarget, result: WatchResult, rollback: RollbackOutcome | undefined): Promise<void>;
}

export interface WatchOutcome {
  target: WatchTarget;
  result: WatchResult;
  /** What the automatic rollback did, after a breach with auto-rollback on. */
  rollback?: RollbackOutcome;
  /** passed; rolled-back (breach, restored); failed (breach, left as it is or the rollback failed). */
  outcome: "passed" | "rolled-back" | "failed";
}

/**
 * The post-deploy watch as one use-case: watch the bake window, record the verdict, and on a breach roll back
 * (unless told not to) and alert. The record and the alert never decide the outcome: a ledger or a receiver
 * that fails is logged, the rollback still happens.
 */
export async function watchDeployment(
  target: WatchTarget,
  settings: WatchSettings,
  ports: WatchDeploymentPorts,
  options: { autoRollback: boolean },
): Promise<WatchOutcome> {
  ports.log(`watching ${target.environment} (${target.sha.slice(0, 7)}) for ${Math.round(settings.durationMs / 1000)} s`);
  const result = await runWatch(target.url, settings, ports);
  await ports.record(target, result).catch((error) => ports.log(`could not record the watch in the ledger: ${errorMessage(error)}`));
  if (result.verdict === "passed") {
    ports.log(`watch passed: ${target.sha.slice(0, 7)} stayed within its thresholds for ${Math.round(result.elapsedMs / 1000)} s`);
    return { target, result, outcome: "passed" };
  }
  ports.log(`watch breached after ${Math.round(result.elapsedMs / 1000)} s: ${result.reason}`);
  let rollback: RollbackOutcome | undefined;
  if (options.autoRollback && ports.rollBack) {
    ports.log(`rolling ${target.environment} back`);
    rollback = await ports.rollBack(target, `post-deploy watch breached: ${result.reason}`).catch((error) => ({ ok: false, error: errorMessage(error) }));
  }
  await ports.alert(target, result, rollback).catch((error) => ports.log(`could not send the alert: ${errorMessage(error)}`));
  return { target, result, ...(rollback ? { rollback } : {}), outcome: rollback?.ok ? "rolled-back" : "failed" };
}
