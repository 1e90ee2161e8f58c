import { parseDuration } from "../loadgate/duration.ts";
import { evaluateThresholds, type ThresholdResult } from "../loadgate/evaluate.ts";
import { buildHttpSummary } from "../loadgate/http-summary.ts";
import type { Summary } from "../loadgate/summary.ts";
import type { WatchSettings } from "./watch-config.ts";
import { addWorkersMetrics, type AnalyticsSample } from "./workers-metrics.ts";

export type { AnalyticsSample };

export interface WatchPorts {
  /** One GET; resolves with the status, rejects when no answer came within the timeout. */
  request(url: string, timeoutMs: number): Promise<{ status: number }>;
  /** The clock the watch is scheduled on (ms). */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A monotonic clock for request latencies (ms). */
  elapsed(): number;
  analytics?(since: number, until: number): Promise<AnalyticsSample | undefined>;
  log(line: string): void;
}

export interface WatchTick {
  /** Milliseconds since the watch started. */
  at: number;
  /** Requests in the evaluation window, and how many failed (no answer, or a status outside 200–399). */
  requests: number;
  failed: number;
  p95Ms: number;
  ok: boolean;
}

export interface WatchResult {
  verdict: "passed" | "breached";
  url: string;
  startedAt: number;
  /** Milliseconds the watch ran. */
  elapsedMs: number;
  ticks: WatchTick[];
  /** The thresholds at the last evaluation (at the breach, for a breach). */
  thresholds: ThresholdResult[];
  /** The window's summary at the last evaluation. */
  summary?: Summary;
  /** One line: what breached, with the numbers. */
  reason?: string;
}

interface Sample {
  at: number;
  status: number;
  durationMs: number;
}

const isFailure = (status: number): boolean => !(status >= 200 && status <= 399);

function windowSummary(samples: readonly Sample[], windowMs: number, analytics: AnalyticsSample | undefined): Summary {
  const durationsByStatus = new Map<number, number[]>();
  let errors = 0;
  for (const sample of samples) {
    if (sample.status === 0) {
      errors++;
      continue;
    }
    const list = durationsByStatus.get(sample.status);
    if (list) list.push(sample.durationMs);
    else durationsByStatus.set(sample.status, [sample.durationMs]);
  }
  const summary = buildHttpSummary({ durationsByStatus, errors, bytesSent: 0, bytesReceived: 0, connections: [1], durationMs: windowMs }, [50]);
  if (analytics) addWorkersMetrics(summary, analytics, windowMs);
  return summary;
}

const describe = (result: ThresholdResult): string =>
  `${result.metric} ${result.statistic}=${result.actual === null ? "no samples" : Number(result.actual.toFixed(4))} breached ${result.expression}`;

/**
 * Probes a deployment for its bake window: every `interval`, `requests` GETs of `path`; after each probe the k6
 * thresholds are evaluated over the requests of the last `window` (and, with analytics, the platform's counts).
 * A threshold that fails once the window holds `minRequests` requests (and after its `delayAbortEval`) is a
 * breach: the watch stops at once. Never throws for a failing app: the result says what happened.
 */
export async function runWatch(baseUrl: string, settings: WatchSettings, ports: WatchPorts): Promise<WatchResult> {
  const url = new URL(settings.path.replace(/^\//, ""), baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`).toString();
  const startedAt = ports.now();
  const samples: Sample[] = [];
  const ticks: WatchTick[] = [];
  const timeoutMs = Math.max(1000, Math.min(5000, settings.intervalMs));
  let last: { thresholds: ThresholdResult[]; summary: Summary } | undefined;
  if (settings.analytics && !ports.analytics) ports.log("watch: Workers analytics are not available here; thresholds on workers_* metrics have no samples");
  for (;;) {
    const tickAt = ports.now();
    for (let i = 0; i < settings.requests; i++) {
      const begin = ports.elapsed();
      let status = 0;
      try {
        status = (await ports.request(url, timeoutMs)).status;
      } catch {
        status = 0;
      }
      samples.push({ at: tickAt, status, durationMs: ports.elapsed() - begin });
    }
    while (samples.length > 0 && samples[0]!.at <= tickAt - settings.windowMs) samples.shift();
    const analytics = settings.analytics && ports.analytics ? await ports.analytics(tickAt - settings.windowMs, tickAt).catch(() => undefined) : undefined;
    const span = Math.min(settings.windowMs, Math.max(settings.intervalMs, tickAt - startedAt + settings.intervalMs));
    const summary = windowSummary(samples, span, analytics);
    const thresholds = evaluateThresholds(settings.thresholds, summary, { zeroSamples: "pass" });
    last = { thresholds, summary };
    const since = tickAt - startedAt;
    const counts = samples.length >= settings.minRequests;
    const breached = thresholds.filter((result, i) => {
      if (result.ok || !counts) return false;
      const delay = settings.thresholds[i]!.delayAbortEval;
      return delay === undefined || since >= parseDuration(delay)!;
    });
    const failed = samples.filter((s) => isFailure(s.status)).length;
    const p95Ms = summary.metrics.http_req_duration?.values["p(95)"] ?? 0;
    ticks.push({ at: since, requests: samples.length, failed, p95Ms, ok: breached.length === 0 });
    ports.log(`watch +${Math.round(since / 1000)} s: ${failed}/${samples.length} failed, p(95) ${p95Ms.toFixed(0)} ms${breached.length ? ` — ${breached.map(describe).join("; ")}` : ""}`);
    if (breached.length > 0) {
      return { verdict: "breached", url, startedAt, elapsedMs: since, ticks, thresholds, summary, reason: breached.map(describe).join("; ") };
    }
    const remaining = settings.durationMs - (ports.now() - startedAt);
    if (remaining <= 0) break;
    await ports.sleep(Math.min(Math.max(0, settings.intervalMs - (ports.now() - tickAt)), remaining));
  }
  return { verdict: "passed", url, startedAt, elapsedMs: ports.now() - startedAt, ticks, thresholds: last?.thresholds ?? [], ...(last ? { summary: last.summary } : {}) };
}
