/**
 * Regression budgets: compares a run's summary with the baseline summary (the default branch's last run).
 * A budget allows a statistic to get worse by a relative share of the baseline and by an absolute amount;
 * it regresses only when it gets worse by more than both ("p95 may not grow by more than 10 % and 20 ms"):
 * the absolute floor keeps noise on fast endpoints from failing builds, the relative part scales with slow ones.
 */
import { z } from "zod";
import { parseInput } from "../validate.ts";
import { InputError } from "../errors.ts";
import { parseThresholdExpression, percentileKey } from "./expression.ts";
import { metricKey, parseMetricName } from "./metric-name.ts";
import { findMetric, findPercentile, type Summary, type SummaryMetric } from "./summary.ts";

export interface Budget {
  /** Allowed worsening as a share of the baseline (0.1 = 10 %). */
  relative?: number;
  /** Allowed worsening in the statistic's unit (ms for times). */
  absolute?: number;
  /** Which direction is worse; default: higher for times and failure rates, lower for throughput and checks. */
  worse?: "higher" | "lower";
}

/** `{ metric: { statistic: Budget } }`, e.g. `{"http_req_duration": {"p(95)": {"relative": 0.1, "absolute": 20}}}`. */
export type Budgets = Record<string, Record<string, Budget>>;

export const DEFAULT_BUDGETS: Budgets = {
  http_req_duration: {
    med: { relative: 0.1, absolute: 10 },
    "p(95)": { relative: 0.1, absolute: 20 },
    "p(99)": { relative: 0.15, absolute: 30 },
  },
  http_req_failed: { rate: { absolute: 0.01 } },
};

const budgetSchema = z.object({
  relative: z.number().min(0).optional(),
  absolute: z.number().min(0).optional(),
  worse: z.enum(["higher", "lower"]).optional(),
}).strict().refine((b) => b.relative !== undefined || b.absolute !== undefined, "relative and/or absolute");

const budgetsSchema = z.record(z.string(), z.record(z.string(), budgetSchema));

/** Validates a budgets file; statistic names are checked against the k6 grammar (`p(95)`, `avg`, `rate` …). */
export function parseBudgets(raw: unknown, inputName = "budgets"): Budgets {
  const budgets = parseInput(budgetsSchema, raw, inputName) as Budgets;
  for (const [metric, stats] of Object.entries(budgets)) {
    try {
      parseMetricName(metric);
    } catch (error) {
      throw new InputError(`${inputName}["${metric}"]`, "a metric name, optionally with {tag:value,…}", (error as Error).message);
    }
    for (const stat of Object.keys(stats)) {
      try {
        parseThresholdExpression(`${stat}<0`);
      } catch {
        throw new InputError(`${inputName}["${metric}"]["${stat}"]`, "a statistic: avg, min, med, max, p(N), count, rate or value");
      }
    }
  }
  return budgets;
}

export interface BudgetCheck {
  metric: string;
  statistic: string;
  baseline: number;
  actual: number;
  /** actual − baseline. */
  delta: number;
  /** delta / baseline, or null when the baseline is 0. */
  deltaRatio: number | null;
  /** The largest worsening allowed: max(relative × |baseline|, absolute). */
  allowed: number;
  worse: "higher" | "lower";
  ok: boolean;
}

export interface BudgetSkip {
  metric: string;
  statistic: string;
  reason: string;
}

function worseDirection(metric: string, found: SummaryMetric, statistic: string): "higher" | "lower" {
  const parent = parseMetricName(metric).metric;
  if (found.type === "counter") return "lower"; // throughput: fewer requests per second is worse
  if (found.type === "rate") return parent === "checks" ? "lower" : "higher";
  if (found.type === "gauge") return "higher";
  return statistic === "count" ? "lower" : "higher";
}

/** Reads one statistic from a metric, percentiles compared numerically. */
export function readStatistic(metric: SummaryMetric, statistic: string): number | undefined {
  const p = /^p\((.+)\)$/.exec(statistic);
  if (p) return findPercentile(metric.values, Number(p[1]));
  return metric.values[statistic];
}

/** Normalizes a statistic name for display: "p(99.90)" → "p(99.9)". */
function statName(statistic: string): string {
  const p = /^p\((.+)\)$/.exec(statistic);
  return p ? percentileKey(Number(p[1])) : statistic;
}

export function compareWithBaseline(current: Summary, baseline: Summary, budgets: Budgets): { checks: BudgetCheck[]; skipped: BudgetSkip[] } {
  const checks: BudgetCheck[] = [];
  const skipped: BudgetSkip[] = [];
  for (const [metric, stats] of Object.entries(budgets)) {
    const key = metricKey(parseMetricName(metric));
    const now = findMetric(current, key)?.metric;
    const before = findMetric(baseline, key)?.metric;
    for (const [statistic, budget] of Object.entries(stats)) {
      const name = statName(statistic);
      if (!now || !before) {
        skipped.push({ metric, statistic: name, reason: `${metric} is missing from the ${now ? "baseline" : "run"}'s summary` });
        continue;
      }
      const actual = readStatistic(now, statistic);
      const base = readStatistic(before, statistic);
      if (actual === undefined || base === undefined || Number.isNaN(actual) || Number.isNaN(base)) {
        skipped.push({ metric, statistic: name, reason: `${name} is missing from the ${actual === undefined ? "run" : "baseline"}'s summary` });
        continue;
      }
      const worse = budget.worse ?? worseDirection(metric, now, statistic);
      const delta = actual - base;
      const worsening = worse === "higher" ? delta : -delta;
      const allowed = Math.max((budget.relative ?? 0) * Math.abs(base), budget.absolute ?? 0);
      checks.push({
        metric,
        statistic: name,
        baseline: base,
        actual,
        delta,
        deltaRatio: base === 0 ? null : delta / Math.abs(base),
        allowed,
        worse,
        ok: worsening <= allowed,
      });
    }
  }
  return { checks, skipped };
}
