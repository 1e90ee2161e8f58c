/**
 * Decides each threshold against a summary exactly as k6 does, with one deliberate, switchable difference:
 * a threshold whose metric got no samples FAILS by default (k6 passes it, grafana/k6#4283), because a gate
 * that passes when nothing was measured is not a gate.
 *
 * Invalid configuration — a method the metric type does not support, a statistic the summary does not carry
 * (e.g. `p(99.9)` outside summaryTrendStats) — is an InputError naming the threshold, never a pass.
 */
import { InputError } from "../errors.ts";
import { checkMethodForType, compare, ExpressionError, statisticKey, type MetricType } from "./expression.ts";
import { BUILTIN_METRICS, findMetric, findPercentile, type Summary, type SummaryMetric } from "./summary.ts";
import type { ThresholdSpec } from "./thresholds.ts";

export interface EvaluateOptions {
  /** What a threshold on a metric without samples does: "fail" (default) or "pass" (k6's behaviour). */
  zeroSamples?: "fail" | "pass";
}

export interface ThresholdResult {
  /** The metric key as written in the thresholds file. */
  metric: string;
  expression: string;
  ok: boolean;
  /** The value compared; null when the metric got no samples. */
  actual: number | null;
  /** The statistic read, e.g. "p(95)". */
  statistic: string;
  /** Why it failed without a comparison (no samples). */
  reason?: string;
  /** What k6 itself recorded for this threshold in the summary, when it did. */
  k6Verdict?: boolean;
  abortOnFail: boolean;
}

function typeOf(spec: ThresholdSpec, found: SummaryMetric | undefined, summary: Summary): MetricType | undefined {
  if (found) return found.type;
  const parent = summary.metrics[spec.name.metric];
  if (parent) return parent.type;
  return BUILTIN_METRICS[spec.name.metric]?.type;
}

function hasNoSamples(metric: SummaryMetric): boolean {
  const v = metric.values;
  if (metric.type === "trend") return v.count === 0;
  if (metric.type === "rate") return v.passes !== undefined && v.fails !== undefined && v.passes + v.fails === 0;
  return false;
}

function invalid(spec: ThresholdSpec, expected: string, detail: string): InputError {
  return new InputError(`${spec.where} (${spec.metric}: ${spec.expression.source})`, expected, detail);
}

/** Reads the statistic a threshold compares, or throws an InputError when the summary does not carry it. */
function statisticValue(spec: ThresholdSpec, metric: SummaryMetric, summary: Summary): number {
  const expr = spec.expression;
  const v = metric.values;
  let value: number | undefined;
  if (expr.method === "p") {
    value = findPercentile(v, expr.percentile!);
    if (value === undefined) {
      const kept = Object.keys(v).filter((k) => k.startsWith("p(")).join(", ") || "none";
      throw invalid(spec, "a statistic present in the summary",
        `${statisticKey(expr)} is not in the summary (percentiles kept: ${kept}); add "${statisticKey(expr)}" to summaryTrendStats`);
    }
    return value;
  }
  value = v[expr.method];
  // A counter's rate is its count per second of the test run (k6's CounterSink rate).
  if (value === undefined && metric.type === "counter" && expr.method === "rate" && v.count !== undefined && summary.testRunDurationMs) {
    value = v.count / (summary.testRunDurationMs / 1000);
  }
  if (value === undefined) {
    throw invalid(spec, "a statistic present in the summary", `${expr.method} is not in the summary for ${spec.metric}`);
  }
  return value;
}

/**
 * Checks what can be checked before a run: methods against the types of k6's built-in metrics, so a wrong
 * pair fails in a second instead of after the load test.
 */
export function preflightThresholds(specs: ThresholdSpec[]): void {
  for (const spec of specs) {
    const type = BUILTIN_METRICS[spec.name.metric]?.type;
    if (!type) continue;
    try {
      checkMethodForType(spec.expression, type);
    } catch (error) {
      if (error instanceof ExpressionError) throw invalid(spec, `a method a ${type} metric supports`, error.message);
      throw error;
    }
  }
}

export function evaluateThresholds(specs: ThresholdSpec[], summary: Summary, options: EvaluateOptions = {}): ThresholdResult[] {
  const zeroSamples = options.zeroSamples ?? "fail";
  return specs.map((spec) => {
    const found = findMetric(summary, spec.key);
    const type = typeOf(spec, found?.metric, summary);
    if (type) {
      try {
        checkMethodForType(spec.expression, type);
      } catch (error) {
        if (error instanceof ExpressionError) throw invalid(spec, `a method a ${type} metric supports`, error.message);
        throw error;
      }
    }
    const base = {
      metric: spec.metric,
      expression: spec.expression.source,
      statistic: statisticKey(spec.expression),
      abortOnFail: spec.abortOnFail,
    };
    const recorded = found?.metric.thresholds?.[spec.expression.source];
    const k6Verdict = recorded === undefined ? {} : { k6Verdict: recorded.ok };
    if (!found || hasNoSamples(found.metric)) {
      return {
        ...base,
        ok: zeroSamples === "pass",
        actual: null,
        reason: `no samples of ${spec.metric} in the summary`,
        ...k6Verdict,
      };
    }
    const actual = statisticValue(spec, found.metric, summary);
    return { ...base, ok: compare(actual, spec.expression.operator, spec.expression.value), actual, ...k6Verdict };
  });
}
