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
      const attempt: Attempt = {
        id: segments.length > 1 ? `${entry.id}#${i + 1}` : entry.id,
        entryId: entry.id,
        kind: kindOf(entry, segment, i === segments.length - 1),
        environment: entry.environment,
        sha: entry.sha,
        startedAt: time(first.at),
        state: segment.at(-1)!.state,
        traffic: entry.payload?.traffic ?? 100,
        seq: first.seq,
      };
      // One pass over the segment's statuses (ledgers get long; this runs for every entry).
      let live: (typeof segment)[number] | undefined;
      for (const status of segment) {
        if (status.state === "success" && !live) {
          live = status;
          attempt.liveAt = time(status.at);
        } else if ((status.state === "failure" || status.state === "error") && attempt.failedAt === undefined) attempt.failedAt = time(status.at);
        else if (status.state === "inactive" && live && attempt.replacedAt === undefined) attempt.replacedAt = time(status.at);
        if (status.url) attempt.url = status.url;
        if (status.versionId) attempt.versionId = status.versionId;
        if (status.description) attempt.description = status.description;
      }
      if (!attempt.versionId && entry.payload?.versionId) attempt.versionId = entry.payload.versionId;
      if (entry.about) attempt.about = entry.about;
      attempts.push(attempt);
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

/** The changes of each environment, oldest first, with failure and restore times. One pass per environment. */
export function changesOf(attempts: readonly Attempt[], health: readonly HealthRecord[]): Change[] {
  const byEnvironment = new Map<string, Attempt[]>();
  for (const attempt of attempts) {
    const list = byEnvironment.get(attempt.environment);
    if (list) list.push(attempt);
    else byEnvironment.set(attempt.environment, [attempt]);
  }
  const healthBy = new Map<string, HealthRecord[]>();
  for (const record of health) {
    const list = healthBy.get(record.environment);
    if (list) list.push(record);
    else healthBy.set(record.environment, [record]);
  }
  const changes: Change[] = [];
  for (const [environment, list] of byEnvironment) {
    // Each change, the index of its last attempt in `list`, and what happened while it was the latest change.
    const envChanges: Array<{ change: Change; last: number; restores: Attempt[]; unhealthy?: HealthRecord }> = [];
    let liveSha: string | undefined;
    list.forEach((attempt, index) => {
      const current = envChanges.at(-1);
      if (CHANGE_KINDS.has(attempt.kind)) {
        // Steps of one rollout of the same SHA are one change.
        if (
          attempt.kind === "rollout-step" &&
          current?.change.kind === "rollout" &&
          current.change.sha === attempt.sha &&
          current.change.liveAt === undefined &&
          current.restores.length === 0 &&
          !current.change.attempts.some((a) => a.failedAt !== undefined)
        ) {
          current.change.attempts.push(attempt);
          current.last = index;
          if (attempt.liveAt !== undefined && attempt.traffic >= 100) current.change.liveAt = attempt.liveAt;
        } else {
          const change: Change = {
            id: attempt.id,
            environment,
            sha: attempt.sha,
            kind: attempt.kind === "rollout-step" ? "rollout" : attempt.kind === "promote" ? "promote" : "deploy",
            startedAt: attempt.startedAt,
            ...(liveSha && liveSha !== attempt.sha ? { previousSha: liveSha } : {}),
            ...(attempt.liveAt !== undefined && attempt.traffic >= 100 ? { liveAt: attempt.liveAt } : {}),
            failed: false,
            pending: false,
            attempts: [attempt],
          };
          envChanges.push({ change, last: index, restores: [] });
        }
      } else if (current && RESTORE_KINDS.has(attempt.kind)) {
        current.restores.push(attempt);
      }
      // The SHA serving the environment when the next change starts: its range of commits begins there.
      if (attempt.liveAt !== undefined && attempt.traffic >= 100) liveSha = attempt.sha;
    });
    // Health records: about an attempt of a change, or (without `about`) of the latest change of their SHA.
    const owner = new Map<string, (typeof envChanges)[number]>();
    for (const item of envChanges) for (const a of item.change.attempts) owner.set(a.id, item).set(a.entryId, item);
    let cursor = 0;
    for (const record of healthBy.get(environment) ?? []) {
      if (record.healthy) continue;
      let item = record.about ? owner.get(record.about) : undefined;
      if (!record.about) {
        while (cursor + 1 < envChanges.length && envChanges[cursor + 1]!.change.attempts[0]!.seq < record.seq) cursor++;
        const candidate = envChanges[cursor];
        if (candidate && candidate.change.sha === record.sha && candidate.change.attempts[0]!.seq < record.seq) item = candidate;
      }
      if (item && (!item.unhealthy || record.at < item.unhealthy.at)) item.unhealthy = record;
    }
    for (const { change, last, restores, unhealthy } of envChanges) {
      change.pending = !change.attempts.some((a) => FINAL.has(a.state)) && restores.length === 0;
      const failedAttempt = change.attempts.find((a) => a.failedAt !== undefined);
      // When the failure was seen: a failed status or health record; a rollback with neither dates it from going live.
      const recorded = [failedAttempt?.failedAt, unhealthy?.at].filter((t): t is number => t !== undefined);
      const rolledBackFrom = restores.length > 0 ? (change.liveAt ?? change.attempts.findLast((a) => a.liveAt)?.liveAt ?? restores[0]!.startedAt) : undefined;
      const failureAt = recorded.length > 0 ? Math.min(...recorded) : rolledBackFrom;
      if (failureAt === undefined) continue;
      change.failed = true;
      change.failureAt = failureAt;
      // Restored: the next attempt after the change that served all traffic after the failure.
      for (let i = last + 1; i < list.length; i++) {
        const a = list[i]!;
        if (a.liveAt !== undefined && a.traffic >= 100 && a.liveAt >= failureAt) {
          change.restoredAt = a.liveAt;
          break;
        }
      }
    }
    changes.push(...envChanges.map((item) => item.change));
  }
  return changes.sort((a, b) => a.attempts[0]!.seq - b.attempts[0]!.seq);
}
