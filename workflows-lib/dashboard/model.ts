import { changesOf, readHistory, type Attempt, type Change, type EntryLike, type HealthRecord } from "./history.ts";
import { DAY_MS, weeklySeries, windowMetrics, type WeekPoint, type WindowMetrics } from "./dora.ts";

export interface PreviewInfo {
  environment: string;
  url: string;
  sha?: string;
  /** ISO time it became ready. */
  since?: string;
  pullRequest?: number;
}

export interface DashboardPorts {
  /**
   * Time (ms) of the first commit a change brings: the oldest commit in `previousSha..sha`, or the commit of
   * `sha` itself for an environment's first deployment. undefined when the commits cannot be read.
   */
  changeStart(previousSha: string | undefined, sha: string): Promise<number | undefined>;
  previews(): Promise<PreviewInfo[]>;
  /** A name for the SHA people know (a release tag), if it has one. */
  versionOf?(sha: string): Promise<string | undefined>;
}

export interface DashboardInput {
  entries: readonly EntryLike[];
  now: number;
  /** Environments DORA counts (production-like ones). */
  production: readonly string[];
  repository: string;
  source: "github" | "local";
  /** `https://github.com/owner/name` for commit links. */
  repositoryUrl?: string;
  windows?: readonly number[];
  weeks?: number;
}

export interface TrafficShare {
  sha: string;
  share: number;
  versionId?: string;
}

export interface EnvironmentView {
  environment: string;
  production: boolean;
  sha?: string;
  version?: string;
  url?: string;
  /** ISO time the live SHA went live. */
  since?: string;
  traffic: TrafficShare[];
  health: { state: "healthy" | "unhealthy" | "unknown"; detail?: string; at?: string };
  /** Operations recorded on it. */
  operations: number;
}

export interface HistoryRow {
  id: string;
  at: string;
  environment: string;
  kind: Attempt["kind"];
  sha: string;
  state: string;
  url?: string;
  traffic: number;
  /** A rollback, an automatic rollback or an aborted rollout. */
  restore: boolean;
  /** This change failed and was rolled back (or failed its health check). */
  failedChange: boolean;
  description?: string;
}

export interface DashboardModel {
  generatedAt: string;
  repository: string;
  repositoryUrl?: string;
  source: "github" | "local";
  environments: EnvironmentView[];
  previews: PreviewInfo[];
  history: HistoryRow[];
  dora: { environments: string[]; windows: WindowMetrics[]; weekly: WeekPoint[] };
  counts: { entries: number; operations: number; changes: number };
}

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
const RESTORES = new Set(["rollback", "auto-rollback", "rollout-abort"]);

function environmentView(environment: string, attempts: Attempt[], health: HealthRecord[], production: boolean): EnvironmentView {
  const mine = attempts.filter((a) => a.environment === environment);
  const stable = mine.findLast((a) => a.state === "success" && a.traffic >= 100);
  const canaries = mine.filter((a) => a.state === "success" && a.traffic < 100 && (!stable || a.seq > stable.seq));
  const canary = canaries.at(-1);
  const traffic: TrafficShare[] = [];
  if (canary) traffic.push({ sha: canary.sha, share: canary.traffic, ...(canary.versionId ? { versionId: canary.versionId } : {}) });
  if (stable) traffic.push({ sha: stable.sha, share: 100 - (canary?.traffic ?? 0), ...(stable.versionId ? { versionId: stable.versionId } : {}) });
  const record = health.filter((h) => h.environment === environment && (!stable || h.seq > stable.seq)).at(-1);
  const last = mine.at(-1);
  const state: EnvironmentView["health"]["state"] = record
    ? record.healthy
      ? "healthy"
      : "unhealthy"
    : stable && last === stable
      ? "healthy"
      : last && (last.state === "failure" || last.state === "error")
        ? "unhealthy"
        : stable
          ? "healthy"
          : "unknown";
  const detail = record?.detail ?? (state === "unhealthy" ? last?.description : stable ? "passed its health check when it went live" : undefined);
  return {
    environment,
    production,
    ...(stable ? { sha: stable.sha, since: iso(stable.liveAt)!, ...(stable.url ? { url: stable.url } : {}) } : {}),
    traffic,
    health: { state, ...(detail ? { detail } : {}), ...(record ? { at: iso(record.at)! } : {}) },
    operations: mine.length,
  };
}

/** The oldest time (ms) the dashboard's metrics and charts look at: its longest window or its weekly series. */
export function dashboardHorizon(input: Pick<DashboardInput, "now" | "windows" | "weeks">): number {
  return input.now - Math.max(...(input.windows ?? DEFAULT_WINDOWS), (input.weeks ?? DEFAULT_WEEKS) * 7) * DAY_MS;
}

const DEFAULT_WINDOWS = [7, 30, 90] as const;
const DEFAULT_WEEKS = 13;

/** Everything the dashboard shows, from the ledger (and the previews, commit times and tags it is given). */
export async function buildDashboard(input: DashboardInput, ports: DashboardPorts): Promise<DashboardModel> {
  const { attempts, health } = readHistory(input.entries);
  const production = new Set(input.production);
  const changes = changesOf(attempts, health);
  const windows = input.windows ?? DEFAULT_WINDOWS;
  const horizon = dashboardHorizon(input);
  const counted = changes.filter((c) => production.has(c.environment));
  const leadTimes = new Map<string, number>();
  // Commit times only for changes that count: the lookups cost a git call (or an API call) each.
  const starts = new Map<string, Promise<number | undefined>>();
  await Promise.all(
    counted
      .filter((c) => c.liveAt !== undefined && c.liveAt > horizon)
      .map(async (change: Change) => {
        const key = `${change.previousSha ?? ""}..${change.sha}`;
        if (!starts.has(key)) starts.set(key, ports.changeStart(change.previousSha, change.sha));
        const start = await starts.get(key)!;
        if (start !== undefined && start <= change.liveAt!) leadTimes.set(change.id, change.liveAt! - start);
      }),
  );
  const names = [...new Set(attempts.map((a) => a.environment))].sort((a, b) => Number(production.has(b)) - Number(production.has(a)) || a.localeCompare(b));
  const environments = names.map((name) => environmentView(name, attempts, health, production.has(name)));
  if (ports.versionOf) {
    for (const view of environments) {
      if (!view.sha) continue;
      const version = await ports.versionOf(view.sha);
      if (version) view.version = version;
    }
  }
  for (const view of environments) {
    if (!view.version && view.traffic[0]?.versionId) view.version = view.traffic.at(-1)!.versionId!;
  }
  const failedIds = new Set(changes.filter((c) => c.failed).flatMap((c) => c.attempts.map((a) => a.id)));
  const history: HistoryRow[] = attempts
    .map((a) => ({
      id: a.id,
      at: iso(a.liveAt ?? a.failedAt ?? a.startedAt)!,
      environment: a.environment,
      kind: a.kind,
      sha: a.sha,
      state: a.state,
      traffic: a.traffic,
      ...(a.url ? { url: a.url } : {}),
      restore: RESTORES.has(a.kind),
      failedChange: failedIds.has(a.id),
      ...(a.description ? { description: a.description } : {}),
    }))
    .reverse();
  return {
    generatedAt: new Date(input.now).toISOString(),
    repository: input.repository,
    ...(input.repositoryUrl ? { repositoryUrl: input.repositoryUrl } : {}),
    source: input.source,
    environments,
    previews: await ports.previews(),
    history,
    dora: {
      environments: [...production].sort(),
      windows: windows.map((days) => windowMetrics(counted, leadTimes, input.now, days)),
      weekly: weeklySeries(counted, leadTimes, input.now, input.weeks ?? DEFAULT_WEEKS),
    },
    counts: { entries: input.entries.length, operations: attempts.length, changes: counted.length },
  };
}
