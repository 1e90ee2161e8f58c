import { compareWithBaseline, type BudgetCheck } from "../loadgate/baseline.ts";
import { evaluateThresholds, type ThresholdResult } from "../loadgate/evaluate.ts";
import type { Summary } from "../loadgate/summary.ts";
import { addWorkersMetrics, type AnalyticsSample } from "../watch/workers-metrics.ts";
import type { GateSettings } from "./plan-rollout.ts";

/** What one version did in one measurement: the load engine's summary, and the platform's counts if read. */
export interface VersionSample {
  summary: Summary;
  /** Real traffic the version served since the step began (Cloudflare's analytics). */
  analytics?: AnalyticsSample;
}

/** The figures shown side by side for a version. */
export interface VersionFigures {
  requests: number;
  failed: number;
  /** failed / requests, 0–1. */
  errorRate: number;
  p95Ms: number | null;
  p99Ms: number | null;
  analytics?: AnalyticsSample;
}

export interface StepDecision {
  ok: boolean;
  candidate: VersionFigures;
  stable: VersionFigures;
  /** The candidate's thresholds. */
  thresholds: ThresholdResult[];
  /** The candidate against the stable version, when budgets are set. */
  budgets: BudgetCheck[];
  /** One line naming what breached, with the numbers. */
  reason?: string;
}

export function figuresOf(sample: VersionSample): VersionFigures {
  const metrics = sample.summary.metrics;
  const failed = metrics.http_req_failed?.values;
  const duration = metrics.http_req_duration?.values;
  const requests = (failed?.passes ?? 0) + (failed?.fails ?? 0) || (metrics.http_reqs?.values.count ?? 0);
  const hasTimes = (duration?.count ?? 0) > 0;
  return {
    requests,
    failed: failed?.passes ?? 0,
    errorRate: failed?.rate ?? 0,
    p95Ms: hasTimes ? (duration?.["p(95)"] ?? null) : null,
    p99Ms: hasTimes ? (duration?.["p(99)"] ?? null) : null,
    ...(sample.analytics ? { analytics: sample.analytics } : {}),
  };
}

const round = (n: number): number => Number(n.toFixed(4));

const describeThreshold = (result: ThresholdResult): string =>
  `${result.metric} ${result.statistic}=${result.actual === null ? "no samples" : round(result.actual)} breached ${result.expression}`;

const describeBudget = (check: BudgetCheck): string =>
  `${check.metric} ${check.statistic} ${round(check.actual)} vs stable ${round(check.baseline)} (allowed ${check.worse === "higher" ? "+" : "-"}${round(check.allowed)})`;

/**
 * The gate between steps: the candidate must meet every threshold (k6's grammar, the load gate's engine),
 * with the platform's counts as `workers_*` metrics when analytics are on, and stay within the budgets against
 * the stable version measured at the same time. A metric nobody measured fails (a gate that saw nothing
 * says no).
 */
export function decideStep(gate: GateSettings, candidate: VersionSample, stable: VersionSample, windowMs: number): StepDecision {
  const withPlatform = (sample: VersionSample): Summary =>
    sample.analytics ? addWorkersMetrics(structuredClone(sample.summary), sample.analytics, windowMs) : sample.summary;
  const candidateSummary = withPlatform(candidate);
  // The probes always send requests, so nothing measured there is a failure; real traffic may be nil (a quiet
  // hour, analytics that lag), which says nothing against the candidate.
  const thresholds = gate.thresholds.map(
    (spec) => evaluateThresholds([spec], candidateSummary, { zeroSamples: spec.name.metric.startsWith("workers_") ? "pass" : "fail" })[0]!,
  );
  const budgets = gate.budgets ? compareWithBaseline(candidateSummary, withPlatform(stable), gate.budgets).checks : [];
  const breached = [...thresholds.filter((t) => !t.ok).map(describeThreshold), ...budgets.filter((b) => !b.ok).map(describeBudget)];
  return {
    ok: breached.length === 0,
    candidate: figuresOf(candidate),
    stable: figuresOf(stable),
    thresholds,
    budgets,
    ...(breached.length > 0 ? { reason: breached.join("; ") } : {}),
  };
}
