import type { Summary } from "../loadgate/summary.ts";

/** Requests and errors the platform counted for a Worker (Cloudflare's analytics) over a stretch of time. */
export interface AnalyticsSample {
  requests: number;
  errors: number;
}

/**
 * Adds the platform's counts to a summary as k6-shaped metrics, so k6 thresholds gate real traffic too:
 * `workers_requests` (a counter) and `workers_requests_failed` (a rate of errors over requests).
 */
export function addWorkersMetrics(summary: Summary, analytics: AnalyticsSample, windowMs: number): Summary {
  const total = analytics.requests;
  summary.metrics.workers_requests = { type: "counter", contains: "default", values: { count: total, rate: windowMs > 0 ? total / (windowMs / 1000) : 0 } };
  summary.metrics.workers_requests_failed = {
    type: "rate",
    contains: "default",
    values: { rate: total > 0 ? analytics.errors / total : 0, passes: analytics.errors, fails: total - analytics.errors },
  };
  return summary;
}
