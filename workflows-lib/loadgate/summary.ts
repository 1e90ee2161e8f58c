/**
 * k6 end-of-test summaries in both shapes k6 writes, read into one model:
 *
 * - the data passed to `handleSummary()` (k6 ≥ 0.30): `metrics.<name> = {type, contains, values, thresholds?:
 *   {<source>: {ok}}}`, plus `state.testRunDurationMs` and `options.summaryTrendStats`;
 * - the legacy `--summary-export` file: `metrics.<name> = {<stat>: number, thresholds?: {<source>: failed}}`
 *   with no type (inferred from the statistics present: a Rate carries passes/fails and its rate as `value`).
 *
 * The model is the handleSummary shape, which is also what the autocannon engine writes.
 */
import type { MetricType } from "./expression.ts";
import { tryMetricKey } from "./metric-name.ts";

export interface SummaryMetric {
  type: MetricType;
  /** "time" (values in ms), "data" (bytes) or "default". */
  contains: "time" | "data" | "default";
  /** Statistics by name as k6 writes them: avg, min, med, max, p(95), count, rate, value, passes, fails. */
  values: Record<string, number>;
  /** Verdicts k6 itself recorded, by threshold source (ok = passed). */
  thresholds?: Record<string, { ok: boolean }>;
}

export interface Summary {
  metrics: Record<string, SummaryMetric>;
  /** Test run duration in ms, when the summary says (used for a counter's rate when it is missing). */
  testRunDurationMs?: number;
  /** Trend statistics the summary was asked to keep (k6's summaryTrendStats). */
  summaryTrendStats?: string[];
  /** Which shape the file had. */
  shape: "handleSummary" | "legacy";
}

export class SummaryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SummaryError";
  }
}

const TYPES: readonly MetricType[] = ["counter", "gauge", "rate", "trend"];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === "number";

/** k6's built-in metrics and what they contain; used to type legacy metrics and absent metrics. */
export const BUILTIN_METRICS: Record<string, { type: MetricType; contains: SummaryMetric["contains"] }> = {
  vus: { type: "gauge", contains: "default" },
  vus_max: { type: "gauge", contains: "default" },
  iterations: { type: "counter", contains: "default" },
  iteration_duration: { type: "trend", contains: "time" },
  dropped_iterations: { type: "counter", contains: "default" },
  data_received: { type: "counter", contains: "data" },
  data_sent: { type: "counter", contains: "data" },
  checks: { type: "rate", contains: "default" },
  group_duration: { type: "trend", contains: "time" },
  http_reqs: { type: "counter", contains: "default" },
  http_req_failed: { type: "rate", contains: "default" },
  http_req_duration: { type: "trend", contains: "time" },
  http_req_blocked: { type: "trend", contains: "time" },
  http_req_connecting: { type: "trend", contains: "time" },
  http_req_tls_handshaking: { type: "trend", contains: "time" },
  http_req_sending: { type: "trend", contains: "time" },
  http_req_waiting: { type: "trend", contains: "time" },
  http_req_receiving: { type: "trend", contains: "time" },
  ws_connecting: { type: "trend", contains: "time" },
  ws_session_duration: { type: "trend", contains: "time" },
  ws_ping: { type: "trend", contains: "time" },
  ws_msgs_sent: { type: "counter", contains: "default" },
  ws_msgs_received: { type: "counter", contains: "default" },
  ws_sessions: { type: "counter", contains: "default" },
  grpc_req_duration: { type: "trend", contains: "time" },
};

function numericValues(raw: Record<string, unknown>, where: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === "thresholds") continue;
    if (isNumber(v)) values[k] = v;
    else if (v === null) values[k] = NaN; // k6 writes NaN (e.g. a rate of 0/0) as null
    else throw new SummaryError(`${where}.${k}: expected a number`);
  }
  return values;
}

function parentOf(name: string): string {
  const at = name.indexOf("{");
  return at === -1 ? name : name.slice(0, at);
}

/** Infers a legacy metric's type from its statistics (the legacy file carries none). */
function inferLegacyType(name: string, values: Record<string, number>): MetricType {
  const builtin = BUILTIN_METRICS[parentOf(name)];
  if (builtin) return builtin.type;
  if ("passes" in values || "fails" in values) return "rate";
  if ("avg" in values || "med" in values || Object.keys(values).some((k) => k.startsWith("p("))) return "trend";
  if ("count" in values) return "counter";
  if ("value" in values) return "gauge";
  throw new SummaryError(`metrics.${name}: cannot tell the metric type from its statistics (${Object.keys(values).join(", ")})`);
}

function parseHandleSummary(raw: Record<string, unknown>, metrics: Record<string, unknown>): Summary {
  const out: Record<string, SummaryMetric> = {};
  for (const [name, m] of Object.entries(metrics)) {
    const where = `metrics.${name}`;
    if (!isRecord(m)) throw new SummaryError(`${where}: expected an object`);
    if (typeof m.type !== "string" || !TYPES.includes(m.type as MetricType)) {
      throw new SummaryError(`${where}.type: expected one of ${TYPES.join(", ")}`);
    }
    if (!isRecord(m.values)) throw new SummaryError(`${where}.values: expected an object`);
    const contains = m.contains === "time" || m.contains === "data" ? m.contains : "default";
    const metric: SummaryMetric = { type: m.type as MetricType, contains, values: numericValues(m.values, `${where}.values`) };
    if (isRecord(m.thresholds)) {
      metric.thresholds = {};
      for (const [source, verdict] of Object.entries(m.thresholds)) {
        if (!isRecord(verdict) || typeof verdict.ok !== "boolean") {
          throw new SummaryError(`${where}.thresholds["${source}"]: expected {ok: boolean}`);
        }
        metric.thresholds[source] = { ok: verdict.ok };
      }
    }
    out[name] = metric;
  }
  const summary: Summary = { metrics: out, shape: "handleSummary" };
  const state = raw.state;
  if (isRecord(state) && isNumber(state.testRunDurationMs)) summary.testRunDurationMs = state.testRunDurationMs;
  const options = raw.options;
  if (isRecord(options) && Array.isArray(options.summaryTrendStats)) {
    summary.summaryTrendStats = options.summaryTrendStats.filter((s): s is string => typeof s === "string");
  }
  return summary;
}

function parseLegacy(metrics: Record<string, unknown>): Summary {
  const out: Record<string, SummaryMetric> = {};
  for (const [name, m] of Object.entries(metrics)) {
    const where = `metrics.${name}`;
    if (!isRecord(m)) throw new SummaryError(`${where}: expected an object`);
    const values = numericValues(m, where);
    const type = inferLegacyType(name, values);
    // A legacy Rate writes its rate as `value`; the model (like handleSummary) calls it `rate`.
    if (type === "rate" && !("rate" in values) && "value" in values) {
      values.rate = values.value!;
      delete values.value;
    }
    const builtin = BUILTIN_METRICS[parentOf(name)];
    const metric: SummaryMetric = { type, contains: builtin?.contains ?? "default", values };
    if (isRecord(m.thresholds)) {
      metric.thresholds = {};
      for (const [source, failed] of Object.entries(m.thresholds)) {
        if (typeof failed !== "boolean") throw new SummaryError(`${where}.thresholds["${source}"]: expected a boolean`);
        metric.thresholds[source] = { ok: !failed }; // legacy: true means the threshold FAILED
      }
    }
    out[name] = metric;
  }
  return { metrics: out, shape: "legacy" };
}

/** Reads either k6 summary shape. Throws SummaryError naming the offending field. */
export function parseSummary(raw: unknown): Summary {
  if (!isRecord(raw) || !isRecord(raw.metrics)) throw new SummaryError("metrics: expected an object of k6 metrics");
  const metrics = raw.metrics;
  const first = Object.values(metrics)[0];
  const handleSummaryShape = isRecord(first) && "type" in first && isRecord(first.values);
  return handleSummaryShape ? parseHandleSummary(raw, metrics) : parseLegacy(metrics);
}

/** Finds a (sub)metric in a summary by canonical name, so `{b:2,a:1}` finds `{a:1,b:2}`. */
export function findMetric(summary: Summary, canonicalKey: string): { name: string; metric: SummaryMetric } | undefined {
  const direct = summary.metrics[canonicalKey];
  if (direct) return { name: canonicalKey, metric: direct };
  for (const [name, metric] of Object.entries(summary.metrics)) {
    if (tryMetricKey(name) === canonicalKey) return { name, metric };
  }
  return undefined;
}

/** Looks up a percentile numerically: `p(99.9)` finds a summary key written `p(99.90)`. */
export function findPercentile(values: Record<string, number>, percentile: number): number | undefined {
  for (const [k, v] of Object.entries(values)) {
    const m = /^p\((.+)\)$/.exec(k);
    if (m && Number(m[1]) === percentile) return v;
  }
  return undefined;
}

/** Serializes the model back into the handleSummary shape (what `--out` writes). */
export function toHandleSummaryJson(summary: Summary, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...extra,
    options: { summaryTrendStats: summary.summaryTrendStats ?? ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"] },
    state: { testRunDurationMs: summary.testRunDurationMs ?? 0 },
    metrics: summary.metrics,
  };
}
