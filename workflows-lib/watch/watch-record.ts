import type { WatchResult } from "./run-watch.ts";

/** What a `watch` record in the ledger keeps: the verdict's figures, small enough for a deployment payload. */
export function watchRecordData(result: WatchResult): Record<string, string | number | boolean | null | Array<Record<string, string | number | boolean | null>>> {
  return {
    verdict: result.verdict,
    url: result.url,
    elapsedMs: result.elapsedMs,
    probes: result.ticks.length,
    reason: result.reason ?? null,
    thresholds: result.thresholds.map((t) => ({ metric: t.metric, expression: t.expression, ok: t.ok, actual: t.actual })),
  };
}

/** The record's one-line description (GitHub caps deployment status descriptions at 140 characters). */
export function watchRecordDescription(result: WatchResult): string {
  const text =
    result.verdict === "passed"
      ? `Healthy for ${Math.round(result.elapsedMs / 1000)} s of watching (${result.ticks.length} probes)`
      : `Breached after ${Math.round(result.elapsedMs / 1000)} s: ${result.reason ?? "a threshold failed"}`;
  return text.length <= 140 ? text : `${text.slice(0, 139)}…`;
}
