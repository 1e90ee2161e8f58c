import { currentLive } from "./ledger.ts";
import type { Ledger } from "./ledger.ts";
import type { LockPort } from "./ports.ts";

/** What ran, once stopped. */
export interface StoppedApp {
  pid: number;
  /** Where it answered. */
  url?: string;
}

export interface StopPorts {
  ledger: Ledger;
  lock: LockPort;
  /** Stops the stage's processes (never its data); undefined when nothing ran. */
  stop(stage: string): Promise<StoppedApp | undefined>;
  log: (line: string) => void;
}

export interface StopResult {
  environment: string;
  stage: string;
  /** What was stopped; undefined when nothing ran. */
  stopped?: StoppedApp;
  /** The SHA the ledger had live there (now `inactive`). */
  sha?: string;
  /** The ledger entry that was live. */
  entry?: string;
}

/**
 * Stops a local environment: its process, under the environment's lock (never in the middle of a deploy), and
 * its live entry in the ledger becomes `inactive`, so nothing claims to be live there. Data stays: the next
 * deploy starts from it. Stopping what is not running is not an error (the result says so).
 */
export async function stopEnvironment(request: { environment: string; stage: string }, ports: StopPorts): Promise<StopResult> {
  const { environment, stage } = request;
  const release = await ports.lock.acquire(environment, (holder) => ports.log(`waiting: ${environment} is busy with ${holder}`));
  try {
    const live = currentLive(await ports.ledger.history(environment), environment);
    const stopped = await ports.stop(stage);
    if (live) await ports.ledger.mark(live, "inactive", { description: "Stopped with alchkit env down" });
    return { environment, stage, ...(stopped ? { stopped } : {}), ...(live ? { sha: live.sha, entry: live.id } : {}) };
  } finally {
    await release();
  }
}

/**
 * After a failed operation on the local runtime: may the stage's processes be a candidate the ledger does not
 * show live? Yes when the operation's own entry did not go live (failed deploy or health check) and no
 * automatic rollback put a good SHA back on the stage. Then the shell stops them, or — with auto-rollback off —
 * says plainly that they were kept and how to stop them.
 */
export function failedCandidateMayRun(result: {
  outcome: string;
  entry: { statuses: Array<{ state: string }> };
  rollback?: { error?: string };
}): boolean {
  if (result.outcome === "deployed") return false;
  if (result.entry.statuses.at(-1)?.state === "success") return false; // live, then breached its watch: the ledger shows it
  return !result.rollback || result.rollback.error !== undefined;
}
