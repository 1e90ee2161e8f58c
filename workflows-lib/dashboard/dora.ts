import type { Change } from "./history.ts";

/**
 * The four DORA metrics over a window of days ending at `now`, computed from the changes of the production
 * environments (docs/dashboard.md has the definitions):
 *
 * - deployment frequency: changes that went live in the window, per day;
 * - lead time for changes: median of (went live − first commit of the change), the change being the commits
 *   between what was live before and its SHA;
 * - change failure rate: changes started in the window that failed (their own deploy or health check failed,
 *   or they were rolled back, aborted or found unhealthy by a post-deploy watch) over all that finished;
 * - time to restore: median of (next healthy deploy − failure) over failures seen in the window.
 */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export interface WindowMetrics {
  days: number;
  deployments: number;
  /** Deployments per day. */
  deploymentFrequency: number;
  /** Median lead time in ms; null without any change whose first commit is known. */
  leadTimeMs: number | null;
  /** Changes the lead time was measured on. */
  leadTimeSamples: number;
  /** Finished changes started in the window. */
  changes: number;
  failedChanges: number;
  /** failed / changes, 0–1; null without changes. */
  changeFailureRate: number | null;
  /** Median time to restore in ms; null without a restored failure. */
  timeToRestoreMs: number | null;
  restored: number;
  /** Failures in the window not restored yet. */
  unrestored: number;
  bands: { deploymentFrequency: Band; leadTime: Band | null; changeFailureRate: Band | null; timeToRestore: Band | null };
}

export type Band = "elite" | "high" | "medium" | "low";

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** DORA's performance levels (State of DevOps report thresholds). */
export function bands(m: Omit<WindowMetrics, "bands">): WindowMetrics["bands"] {
  const frequency: Band = m.deploymentFrequency >= 1 ? "elite" : m.deploymentFrequency >= 1 / 7 ? "high" : m.deploymentFrequency >= 1 / 30 ? "medium" : "low";
  const lead = m.leadTimeMs === null ? null : m.leadTimeMs < DAY_MS ? "elite" : m.leadTimeMs < 7 * DAY_MS ? "high" : m.leadTimeMs < 30 * DAY_MS ? "medium" : "low";
  const cfr = m.changeFailureRate === null ? null : m.changeFailureRate <= 0.05 ? "elite" : m.changeFailureRate <= 0.1 ? "high" : m.changeFailureRate <= 0.15 ? "medium" : "low";
  const restore = m.timeToRestoreMs === null ? null : m.timeToRestoreMs < HOUR_MS ? "elite" : m.timeToRestoreMs < DAY_MS ? "high" : m.timeToRestoreMs < 7 * DAY_MS ? "medium" : "low";
  return { deploymentFrequency: frequency, leadTime: lead, changeFailureRate: cfr, timeToRestore: restore };
}

export function windowMetrics(changes: readonly Change[], leadTimes: ReadonlyMap<string, number>, now: number, days: number): WindowMetrics {
  const from = now - days * DAY_MS;
  const inWindow = (t: number | undefined) => t !== undefined && t > from && t <= now;
  const live = changes.filter((c) => inWindow(c.liveAt));
  const lead = live.map((c) => leadTimes.get(c.id)).filter((v): v is number => v !== undefined);
  const started = changes.filter((c) => !c.pending && inWindow(c.startedAt));
  const failed = started.filter((c) => c.failed);
  const failures = changes.filter((c) => c.failed && inWindow(c.failureAt));
  const restoreTimes = failures.filter((c) => c.restoredAt !== undefined).map((c) => c.restoredAt! - c.failureAt!);
  const metrics = {
    days,
    deployments: live.length,
    deploymentFrequency: live.length / days,
    leadTimeMs: median(lead),
    leadTimeSamples: lead.length,
    changes: started.length,
    failedChanges: failed.length,
    changeFailureRate: started.length === 0 ? null : failed.length / started.length,
    timeToRestoreMs: median(restoreTimes),
    restored: restoreTimes.length,
    unrestored: failures.length - restoreTimes.length,
  };
  return { ...metrics, bands: bands(metrics) };
}

export interface WeekPoint {
  /** Start of the week (ms), the oldest first. */
  start: number;
  deployments: number;
  /** Finished changes started that week, and how many of them failed. */
  changes: number;
  failed: number;
  /** Median lead time in hours; null without samples. */
  leadTimeHours: number | null;
  /** Median time to restore in minutes; null without restores. */
  restoreMinutes: number | null;
}

/** Week by week over the last `weeks` weeks, for the charts. */
export function weeklySeries(changes: readonly Change[], leadTimes: ReadonlyMap<string, number>, now: number, weeks: number): WeekPoint[] {
  const points: WeekPoint[] = [];
  for (let i = weeks - 1; i >= 0; i--) {
    const end = now - i * 7 * DAY_MS;
    const start = end - 7 * DAY_MS;
    const within = (t: number | undefined) => t !== undefined && t > start && t <= end;
    const live = changes.filter((c) => within(c.liveAt));
    const lead = live.map((c) => leadTimes.get(c.id)).filter((v): v is number => v !== undefined);
    const restores = changes.filter((c) => c.failed && within(c.failureAt) && c.restoredAt !== undefined).map((c) => c.restoredAt! - c.failureAt!);
    const leadMedian = median(lead);
    const restoreMedian = median(restores);
    points.push({
      start,
      deployments: live.length,
      changes: changes.filter((c) => !c.pending && within(c.startedAt)).length,
      failed: changes.filter((c) => !c.pending && c.failed && within(c.startedAt)).length,
      leadTimeHours: leadMedian === null ? null : leadMedian / HOUR_MS,
      restoreMinutes: restoreMedian === null ? null : restoreMedian / 60_000,
    });
  }
  return points;
}
