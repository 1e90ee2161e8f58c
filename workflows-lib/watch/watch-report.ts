import { STATUS_ICON, blocks, code, details, duration, escapeCell, heading, shortSha, table } from "../report/markdown.ts";
import { xyChart } from "../report/mermaid.ts";
import type { WatchOutcome } from "./watch-deployment.ts";

/** Step summary (GitHub) or `.alchkit/out/watch-<environment>.md` (CLI) for one post-deploy watch. */
export function renderWatchReport(outcome: WatchOutcome): string {
  const { target, result } = outcome;
  const icon = outcome.outcome === "passed" ? STATUS_ICON.ok : outcome.outcome === "rolled-back" ? STATUS_ICON.warning : STATUS_ICON.failed;
  const what =
    outcome.outcome === "passed"
      ? `${shortSha(target.sha)} stayed healthy on ${target.environment} for ${duration(result.elapsedMs)}`
      : outcome.outcome === "rolled-back"
        ? `${shortSha(target.sha)} breached its thresholds on ${target.environment} after ${duration(result.elapsedMs)}: rolled back to ${shortSha(outcome.rollback?.sha ?? "")}`
        : `${shortSha(target.sha)} breached its thresholds on ${target.environment} after ${duration(result.elapsedMs)}${outcome.rollback?.error ? `; the rollback failed: ${outcome.rollback.error}` : ""}`;
  const thresholds = table(
    ["metric", "threshold", "actual", ""],
    result.thresholds.map((t) => [code(t.metric), code(t.expression), t.actual === null ? "no samples" : `${t.statistic}=${Number(t.actual.toFixed(4))}`, t.ok ? STATUS_ICON.ok : STATUS_ICON.failed]),
  );
  const chart =
    result.ticks.length > 1
      ? xyChart({
          title: "Post-deploy watch",
          xLabels: result.ticks.map((tick) => `+${Math.round(tick.at / 1000)}s`),
          yLabel: "% failed",
          series: [{ name: "failed requests in the window (%)", kind: "bar", values: result.ticks.map((tick) => (tick.requests ? (100 * tick.failed) / tick.requests : 0)) }],
        })
      : undefined;
  return blocks(
    heading(2, `${icon} Post-deploy watch: ${escapeCell(what)}`),
    result.reason ? `**Breach:** ${escapeCell(result.reason)}` : undefined,
    thresholds,
    chart,
    details(
      `${result.ticks.length} probe(s) of ${escapeCell(result.url)}`,
      table(
        ["+time", "requests in window", "failed", "p(95)"],
        result.ticks.map((tick) => [duration(tick.at), String(tick.requests), String(tick.failed), `${tick.p95Ms.toFixed(0)} ms`]),
        ["right", "right", "right", "right"],
      ),
    ),
  );
}
