/**
 * A synthetic deployment ledger with answers known by construction, for the DORA definitions (tests) and the
 * dashboard's build time (bench). Production gets `count` changes, one every 4.8 hours, each first deployed to
 * staging an hour before. Patterns (by the change's index i):
 * - i % 10 == 3: the health check fails (2 min after start); an automatic rollback is live 3 minutes later;
 * - i % 25 == 7: live, rolled back by hand 2 h after it went live (live again 1 min later);
 * - i % 50 == 20: live, a post-deploy watch finds it unhealthy 28 min after it went live; an automatic rollback is
 *   live 2 min after that.
 * The first commit of change i was made (1 + i % 7) hours before it started. One more change is still in progress.
 */
import { createHash } from "node:crypto";
import { DAY_MS, median } from "../../workflows-lib/dashboard/dora.ts";
import type { EntryLike } from "../../workflows-lib/dashboard/history.ts";
import type { DashboardPorts } from "../../workflows-lib/dashboard/model.ts";

export const T0 = Date.parse("2025-01-01T00:00:00Z");
export const STEP_MS = 4.8 * 3_600_000;
export const MIN = 60_000;
export const HOUR = 3_600_000;

/** A commit SHA per change, looking like one. */
export const shaOf = (i: number): string => createHash("sha1").update(`change-${i}`).digest("hex");
export const startOf = (i: number): number => T0 + i * STEP_MS;
export const firstCommitOf = (i: number): number => startOf(i) - (1 + (i % 7)) * HOUR;
export const healthFails = (i: number) => i % 10 === 3;
export const rolledBackByHand = (i: number) => i % 25 === 7;
export const watchBreach = (i: number) => i % 50 === 20;

export interface Synthetic {
  entries: EntryLike[];
  now: number;
  /** sha → first commit time of the change that brought it. */
  firstCommit: Map<string, number>;
}

export function syntheticLedger(count = 500): Synthetic {
  const entries: EntryLike[] = [];
  let seq = 1;
  let id = 1;
  const at = (ms: number) => new Date(ms).toISOString();
  const entry = (kind: string, environment: string, sha: string, statuses: Array<[string, number, string?]>, extra: Partial<EntryLike> = {}): EntryLike => {
    const e: EntryLike = {
      id: String(id++),
      kind,
      environment,
      sha,
      ref: sha,
      createdAt: at(statuses[0]![1]),
      payload: { stage: environment === "production" ? "prod" : environment, buildId: sha },
      statuses: statuses.map(([state, t, description]) => ({ state, seq: seq++, at: at(t), ...(description ? { description } : {}) })),
      ...extra,
    };
    entries.push(e);
    return e;
  };
  const firstCommit = new Map<string, number>();
  let live = shaOf(0);
  let liveEntry: EntryLike | undefined;
  // Whatever goes live replaces the live entry, as the ledger marks it.
  const goesLive = (e: EntryLike) => {
    const success = e.statuses.find((status) => status.state === "success");
    if (liveEntry && success) liveEntry.statuses.push({ state: "inactive", seq: seq++, at: success.at, description: `Replaced by ${e.sha.slice(0, 7)}` });
    if (success) liveEntry = e;
    return e;
  };
  for (let i = 0; i < count; i++) {
    const s = startOf(i);
    const sha = shaOf(i);
    firstCommit.set(sha, firstCommitOf(i));
    entry("deploy", "staging", sha, [["in_progress", s - HOUR], ["success", s - HOUR + MIN]]);
    const kind = i % 2 === 1 ? "promote" : "deploy";
    if (healthFails(i)) {
      const failed = entry(kind, "production", sha, [["in_progress", s], ["failure", s + 2 * MIN, "health check failed"]]);
      goesLive(entry("auto-rollback", "production", live, [["in_progress", s + 3 * MIN], ["success", s + 5 * MIN]], { about: failed.id }));
      continue;
    }
    const deployed = goesLive(entry(kind, "production", sha, [["in_progress", s], ["success", s + 2 * MIN]]));
    if (rolledBackByHand(i)) {
      goesLive(entry("rollback", "production", live, [["in_progress", s + 2 * MIN + 2 * HOUR], ["success", s + 3 * MIN + 2 * HOUR]]));
      continue;
    }
    if (watchBreach(i)) {
      entry("watch", "production", sha, [["failure", s + 30 * MIN, "http_req_failed rate=0.4 breached rate<0.01"]], { about: deployed.id });
      goesLive(entry("auto-rollback", "production", live, [["in_progress", s + 31 * MIN], ["success", s + 32 * MIN]], { about: deployed.id }));
      continue;
    }
    live = sha;
  }
  const pending = shaOf(count);
  entry("deploy", "production", pending, [["in_progress", startOf(count)]]);
  firstCommit.set(pending, firstCommitOf(count));
  return { entries, now: startOf(count) + HOUR, firstCommit };
}

/** The answers, from the patterns the synthetic ledger is made of (not from the code under test). */
export function expectedDora(now: number, days: number, count: number) {
  const from = now - days * DAY_MS;
  const inWindow = (t: number) => t > from && t <= now;
  const live: number[] = [];
  const leads: number[] = [];
  let started = 0;
  let failed = 0;
  const restores: number[] = [];
  for (let i = 0; i < count; i++) {
    const s = startOf(i);
    if (inWindow(s)) {
      started++;
      if (healthFails(i) || rolledBackByHand(i) || watchBreach(i)) failed++;
    }
    if (!healthFails(i) && inWindow(s + 2 * MIN)) {
      live.push(i);
      leads.push(s + 2 * MIN - firstCommitOf(i));
    }
    if (healthFails(i) && inWindow(s + 2 * MIN)) restores.push(3 * MIN);
    if (rolledBackByHand(i) && inWindow(s + 2 * MIN)) restores.push(2 * HOUR + MIN);
    if (watchBreach(i) && inWindow(s + 30 * MIN)) restores.push(2 * MIN);
  }
  return {
    deployments: live.length,
    deploymentFrequency: live.length / days,
    leadTimeMs: median(leads),
    changes: started,
    failedChanges: failed,
    changeFailureRate: failed / started,
    timeToRestoreMs: median(restores),
    restored: restores.length,
  };
}


export const syntheticPorts = (firstCommit: Map<string, number>, calls: string[] = []): DashboardPorts => ({
  async changeStart(previous, sha) {
    calls.push(`${previous ?? ""}..${sha}`);
    return firstCommit.get(sha);
  },
  previews: async () => [{ environment: "preview/pr-9", url: "https://pr-9.example.workers.dev", sha: shaOf(9), pullRequest: 9 }],
});

