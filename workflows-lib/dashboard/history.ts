/**
 * The ledger read as delivery history: operations (each attempt with when it started, went live, failed or was
 * replaced), health records (post-deploy watch results) and changes (what DORA counts as one deployment).
 *
 * It reads entries structurally, so it understands both ledger shapes: entries with a `kind` (one entry per
 * operation, records such as `watch` beside them) and entries with `payload.operation`, where one entry per
 * environment and SHA collects every operation on it (each `in_progress` status starts another attempt).
 */

export interface EntryLike {
  id: string;
  environment: string;
  sha: string;
  ref?: string;
  createdAt: string;
  kind?: string;
  about?: string;
  data?: Record<string, unknown>;
  payload?: { operation?: string; traffic?: number; versionId?: string; buildId?: string; stage?: string };
  statuses: Array<{ state: string; seq: number; at: string; description?: string; url?: string; versionId?: string }>;
}

export type OperationKind = "deploy" | "promote" | "rollback" | "auto-rollback" | "rollout-step" | "rollout-abort";

export interface Attempt {
  /** Entry id, with `#n` for the n-th attempt of an entry that holds several. */
  id: string;
  entryId: string;
  kind: OperationKind;
  environment: string;
  sha: string;
  startedAt: number;
  /** First time it served (its traffic share), if it did. */
  liveAt?: number;
  failedAt?: number;
  /** When a later operation replaced it. */
  replacedAt?: number;
  /** The last state of the attempt. */
  state: string;
  /** Share of traffic it serves once live (100 unless a rollout step says less). */
  traffic: number;
  url?: string;
  versionId?: string;
  about?: string;
  /** Ordering key of its first status (ties in time are common: GitHub stamps to the second). */
  seq: number;
  description?: string;
}

export interface HealthRecord {
  id: string;
  environment: string;
  sha: string;
  about?: string;
  at: number;
  seq: number;
  healthy: boolean;
  detail?: string;
}

const FINAL = new Set(["success", "failure", "error", "inactive"]);
const OPERATION_KINDS = new Set(["deploy", "promote", "rollback", "auto-rollback", "rollout-step", "rollout-abort"]);
const time = (iso: string): number => Date.parse(iso);

/** Splits entries into attempts and health records, oldest first (by status order). */
export function readHistory(entries: readonly EntryLike[]): { attempts: Attempt[]; health: HealthRecord[] } {
  const attempts: Attempt[] = [];
  const health: HealthRecord[] = [];
  for (const entry of entries) {
    const statuses = [...entry.statuses].sort((a, b) => a.seq - b.seq);
    if (entry.kind && !OPERATION_KINDS.has(entry.kind)) {
      if (entry.kind === "watch" || entry.kind === "health") {
        const last = statuses.at(-1);
        health.push({
          id: entry.id,
          environment: entry.environment,
          sha: entry.sha,
          ...(entry.about ? { about: entry.about } : {}),
          at: time(last?.at ?? entry.createdAt),
          seq: last?.seq ?? 0,
          healthy: last?.state === "success",
          ...(last?.description ? { detail: last.description } : {}),
        });
      }
      continue;
    }
    // Segments: a new `in_progress` after a final state is another attempt on the same entry.
    const segments: (typeof statuses)[] = [];
    for (const status of statuses) {
      const current = segments.at(-1);
      const previous = current?.at(-1);
      if (!current || (status.state === "in_progress" && previous && FINAL.has(previous.state))) segments.push([status]);
      else current.push(status);
    }
    if (segments.length === 0) continue;
    segments.forEach((segment, i) => {
      const first = segment[0]!;
      const kind = kindOf(entry, segment, i === segments.length - 1);
      const live = segment.find((s) => s.state === "success");
      const failed = segment.find((s) => s.state === "failure" || s.state === "error");
      const replaced = live ? segment.find((s) => s.state === "inactive" && s.seq > live.seq) : undefined;
      const url = segment.findLast((s) => s.url)?.url;
      const versionId = segment.findLast((s) => s.versionId)?.versionId ?? entry.payload?.versionId;
      attempts.push({
        id: segments.length > 1 ? `${entry.id}#${i + 1}` : entry.id,
        entryId: entry.id,
        kind,
        environment: entry.environment,
        sha: entry.sha,
        startedAt: time(first.at),
        ...(live ? { liveAt: time(live.at) } : {}),
        ...(failed ? { failedAt: time(failed.at) } : {}),
        ...(replaced ? { replacedAt: time(replaced.at) } : {}),
        state: segment.at(-1)!.state,
        traffic: entry.payload?.traffic ?? 100,
        ...(url ? { url } : {}),
        ...(versionId ? { versionId } : {}),
        ...(entry.about ? { about: entry.about } : {}),
        seq: first.seq,
        ...(segment.findLast((s) => s.description)?.description ? { description: segment.findLast((s) => s.description)!.description! } : {}),
      });
    });
  }
  attempts.sort((a, b) => a.seq - b.seq);
  health.sort((a, b) => a.seq - b.seq);
  return { attempts, health };
}

function kindOf(entry: EntryLike, segment: EntryLike["statuses"], last: boolean): OperationKind {
  if (entry.kind && OPERATION_KINDS.has(entry.kind)) return entry.kind as OperationKind;
  // One entry per environment and SHA: a restore after a failure says so in its statuses.
  if (segment.some((s) => /^Restor(ing|ed automatically)/.test(s.description ?? ""))) return "auto-rollback";
  // The entry keeps the latest operation's name: a rollback names only the last attempt.
  const operation = entry.payload?.operation;
  if (operation === "rollback") return last ? "rollback" : "deploy";
  return operation === "promote" ? "promote" : "deploy";
}

/** One change as DORA counts it: a deploy, a promotion, or the steps of one rollout of a SHA. */
export interface Change {
  id: string;
  environment: string;
  sha: string;
  kind: "deploy" | "promote" | "rollout";
  startedAt: number;
  /** When it served all traffic. */
  liveAt?: number;
  /** It failed: its own operation failed, it was rolled back or aborted, or a health record about it failed. */
  failed: boolean;
  /** When the failure was first seen (the failed status, the failed health record, or — rolled back with no recorded failure — when it went live). */
  failureAt?: number;
  /** The next time anything served the environment healthily after the failure. */
  restoredAt?: number;
  /** The SHA live before it went live (the start of its range of commits). */
  previousSha?: string;
  /** Still running: no final state yet. */
  pending: boolean;
  attempts: Attempt[];
}

const CHANGE_KINDS = new Set<OperationKind>(["deploy", "promote", "rollout-step"]);
const RESTORE_KINDS = new Set<OperationKind>(["rollback", "auto-rollback", "rollout-abort"]);

/** The changes of each environment, oldest first, with failure and restore times. */
export function changesOf(attempts: readonly Attempt[], health: readonly HealthRecord[]): Change[] {
  const byEnvironment = new Map<string, Attempt[]>();
  for (const attempt of attempts) byEnvironment.set(attempt.environment, [...(byEnvironment.get(attempt.environment) ?? []), attempt]);
  const changes: Change[] = [];
  for (const [environment, list] of byEnvironment) {
    const envChanges: Change[] = [];
    for (const attempt of list) {
      if (!CHANGE_KINDS.has(attempt.kind)) continue;
      const last = envChanges.at(-1);
      // Steps of one rollout of the same SHA are one change.
      if (attempt.kind === "rollout-step" && last?.kind === "rollout" && last.sha === attempt.sha && last.liveAt === undefined && !last.failed) {
        last.attempts.push(attempt);
        continue;
      }
      envChanges.push({
        id: attempt.id,
        environment,
        sha: attempt.sha,
        kind: attempt.kind === "rollout-step" ? "rollout" : attempt.kind === "promote" ? "promote" : "deploy",
        startedAt: attempt.startedAt,
        failed: false,
        pending: false,
        attempts: [attempt],
      });
    }
    const envHealth = health.filter((record) => record.environment === environment);
    envChanges.forEach((change, i) => {
      const next = envChanges[i + 1];
      const until = next?.attempts[0]!.seq ?? Infinity;
      const full = change.attempts.find((a) => a.liveAt !== undefined && a.traffic >= 100);
      if (full) change.liveAt = full.liveAt!;
      const failedAttempt = change.attempts.find((a) => a.failedAt !== undefined);
      const lastSeq = change.attempts.at(-1)!.seq;
      const restoreOps = list.filter((a) => RESTORE_KINDS.has(a.kind) && a.seq > change.attempts[0]!.seq && a.seq < until);
      const ids = new Set(change.attempts.flatMap((a) => [a.id, a.entryId]));
      const badHealth = envHealth.find(
        (record) => !record.healthy && (record.about ? ids.has(record.about) : record.sha === change.sha && record.seq > change.attempts[0]!.seq && record.seq < until),
      );
      change.pending = !change.attempts.some((a) => FINAL.has(a.state)) && restoreOps.length === 0;
      // When the failure was seen: a failed status or health record; a rollback with neither dates it from going live.
      const recorded = [failedAttempt?.failedAt, badHealth?.at].filter((t): t is number => t !== undefined);
      const rolledBackFrom = restoreOps.length > 0 ? (change.liveAt ?? change.attempts.findLast((a) => a.liveAt)?.liveAt ?? restoreOps[0]!.startedAt) : undefined;
      const failureAt = recorded.length > 0 ? Math.min(...recorded) : rolledBackFrom;
      if (failureAt !== undefined) {
        change.failed = true;
        change.failureAt = failureAt;
        // Restored: the next attempt after the failure that served all traffic.
        const restore = list.find((a) => a.seq > lastSeq - 0.5 && a.liveAt !== undefined && a.traffic >= 100 && a.liveAt >= change.failureAt! && a !== full);
        if (restore) change.restoredAt = restore.liveAt!;
      }
    });
    // The SHA serving the environment when each change started: the range of commits it brings begins there.
    const firstAttempt = new Map(envChanges.map((change) => [change.attempts[0]!, change]));
    let liveSha: string | undefined;
    for (const attempt of list) {
      const change = firstAttempt.get(attempt);
      if (change && liveSha && liveSha !== change.sha) change.previousSha = liveSha;
      if (attempt.liveAt !== undefined && attempt.traffic >= 100) liveSha = attempt.sha;
    }
    changes.push(...envChanges);
  }
  return changes.sort((a, b) => a.attempts[0]!.seq - b.attempts[0]!.seq);
}
