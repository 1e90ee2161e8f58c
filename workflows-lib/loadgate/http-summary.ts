/**
 * Turns raw per-request samples into a k6 summary (handleSummary shape), so thresholds written for k6 gate the
 * built-in engine too. Statistics follow k6's sinks: a Trend's percentiles interpolate linearly between the
 * sorted samples (TrendSink.P), med = p(50); a Rate counts trues over all samples; a Counter's rate is per
 * second of the test run. Expected responses are 200–399, as k6's default `expected_response` callback.
 */
import type { Summary, SummaryMetric } from "./summary.ts";

export const TREND_STATS = ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"] as const;

export interface HttpRecording {
  /** Response times in ms by HTTP status. */
  durationsByStatus: Map<number, number[]>;
  /** Requests that got no response (connection errors, timeouts): k6 counts them as failed with status 0. */
  errors: number;
  bytesSent: number;
  bytesReceived: number;
  /** Connections per stage, in order (the `vus` gauge). */
  connections: number[];
  /** Wall time of the whole run. */
  durationMs: number;
}

/** k6's TrendSink.P on sorted values: linear interpolation between neighbours. */
export function percentile(sorted: Float64Array, pct: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  if (n === 1) return sorted[0]!;
  const i = (pct / 100) * (n - 1);
  const lo = sorted[Math.floor(i)]!;
  const hi = sorted[Math.ceil(i)]!;
  return lo + (hi - lo) * (i - Math.floor(i));
}

/** Trend values for the default statistics plus any extra percentiles (e.g. 99.9 for a `p(99.9)` threshold). */
export function trendValues(samples: ArrayLike<number>, extraPercentiles: readonly number[] = []): Record<string, number> {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  let sum = 0;
  for (const v of sorted) sum += v;
  const values: Record<string, number> = {
    avg: n === 0 ? 0 : sum / n,
    min: n === 0 ? 0 : sorted[0]!,
    med: percentile(sorted, 50),
    max: n === 0 ? 0 : sorted[n - 1]!,
    "p(90)": percentile(sorted, 90),
    "p(95)": percentile(sorted, 95),
    "p(99)": percentile(sorted, 99),
  };
  for (const p of extraPercentiles) {
    if (![90, 95, 99].includes(p)) values[`p(${p})`] = percentile(sorted, p);
  }
  values.count = n;
  return values;
}

const isExpected = (status: number): boolean => status >= 200 && status <= 399;

export function buildHttpSummary(rec: HttpRecording, extraPercentiles: readonly number[] = []): Summary {
  const seconds = rec.durationMs / 1000;
  const counter = (count: number, contains: SummaryMetric["contains"] = "default"): SummaryMetric => ({
    type: "counter",
    contains,
    values: { count, rate: seconds > 0 ? count / seconds : 0 },
  });
  const trend = (samples: ArrayLike<number>): SummaryMetric => ({ type: "trend", contains: "time", values: trendValues(samples, extraPercentiles) });

  const all: number[] = [];
  const expected: number[] = [];
  let failed = rec.errors;
  const statuses = [...rec.durationsByStatus.keys()].sort((a, b) => a - b);
  for (const status of statuses) {
    const samples = rec.durationsByStatus.get(status)!;
    for (const v of samples) all.push(v);
    if (isExpected(status)) for (const v of samples) expected.push(v);
    else failed += samples.length;
  }
  const total = all.length + rec.errors;

  const metrics: Record<string, SummaryMetric> = {
    http_req_duration: trend(all),
    "http_req_duration{expected_response:true}": trend(expected),
    http_req_failed: { type: "rate", contains: "default", values: { rate: total > 0 ? failed / total : 0, passes: failed, fails: total - failed } },
    http_reqs: counter(total),
    data_sent: counter(rec.bytesSent, "data"),
    data_received: counter(rec.bytesReceived, "data"),
    vus: {
      type: "gauge",
      contains: "default",
      values: { value: rec.connections.at(-1) ?? 0, min: Math.min(...rec.connections), max: Math.max(...rec.connections) },
    },
    vus_max: { type: "gauge", contains: "default", values: { value: Math.max(...rec.connections), min: Math.max(...rec.connections), max: Math.max(...rec.connections) } },
  };
  for (const status of statuses) {
    const samples = rec.durationsByStatus.get(status)!;
    metrics[`http_req_duration{status:${status}}`] = trend(samples);
    metrics[`http_reqs{status:${status}}`] = counter(samples.length);
  }
  if (rec.errors > 0) metrics["http_reqs{status:0}"] = counter(rec.errors);

  const extra = extraPercentiles.filter((p) => ![90, 95, 99].includes(p)).map((p) => `p(${p})`);
  return { metrics, testRunDurationMs: rec.durationMs, summaryTrendStats: [...TREND_STATS, ...extra], shape: "handleSummary" };
}
