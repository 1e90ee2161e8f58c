/**
 * The load gate's markdown, for the sticky PR comment, the step summary and the CLI's report file:
 * a verdict line, one row per threshold (expression, actual, baseline, delta, ✓/✗), the regression budgets,
 * a latency chart of this run against the baseline, and the engine and scenario that produced the numbers.
 */
import { blocks, code, details, escapeCell, heading, table } from "../report/markdown.ts";
import { xyChart } from "../report/mermaid.ts";
import type { GateResult } from "./gate.ts";
import { findPercentile, type Summary } from "./summary.ts";

export interface ReportMeta {
  engine: string;
  scenario: string;
  /** Target URL (shown as code). */
  target?: string;
  /** What the baseline is, e.g. "main @ 1a2b3c4". */
  baselineLabel?: string;
  aborted?: boolean;
  /** Link to the run. */
  runUrl?: string;
}

const PASS = "✓";
const FAIL = "✗";

/** Numbers the way a reader compares them: 3 significant decimals, unit by what the metric contains. */
type Unit = "ms" | "" | "%" | "B" | "/s";

export function formatValue(value: number | null, unit: Unit): string {
  if (value === null) return "—";
  if (Number.isNaN(value)) return "NaN";
  if (unit === "%") return `${(value * 100).toFixed(2)} %`;
  const abs = Math.abs(value);
  const n = abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : abs >= 1 ? value.toFixed(2) : value.toFixed(3);
  return unit === "/s" ? `${n}/s` : unit ? `${n} ${unit}` : n;
}

function unitOf(summary: Summary, metric: string, statistic: string): Unit {
  const parent = metric.split("{")[0]!;
  const m = summary.metrics[metric] ?? summary.metrics[parent];
  if (m?.type === "rate") return "%";
  if (m?.type === "counter" && statistic === "rate") return "/s";
  if (m?.contains === "time" && statistic !== "count") return "ms";
  if (m?.contains === "data" && statistic === "count") return "B";
  return "";
}

function formatDelta(delta: number | null, baseline: number | null, unit: Unit): string {
  if (delta === null) return "—";
  const sign = delta > 0 ? "+" : delta < 0 ? "−" : "±";
  const magnitude = unit === "%" ? `${(Math.abs(delta) * 100).toFixed(2)} pp` : formatValue(Math.abs(delta), unit);
  const rel = baseline ? ` (${sign}${Math.abs((delta / baseline) * 100).toFixed(1)} %)` : "";
  return `${sign}${magnitude}${unit === "%" ? "" : rel}`;
}

const LATENCY_STATS = ["med", "p(90)", "p(95)", "p(99)"] as const;

function latencyChart(summary: Summary, baseline: Summary | undefined): string {
  const now = summary.metrics.http_req_duration;
  if (!now) return "";
  const read = (s: Summary | undefined, stat: string): number | null => {
    const m = s?.metrics.http_req_duration;
    if (!m) return null;
    const p = /^p\((.+)\)$/.exec(stat);
    return (p ? findPercentile(m.values, Number(p[1])) : m.values[stat]) ?? null;
  };
  const labels = LATENCY_STATS.filter((s) => read(summary, s) !== null);
  if (labels.length === 0) return "";
  const series = [];
  if (baseline?.metrics.http_req_duration) series.push({ name: "baseline", kind: "bar" as const, values: labels.map((s) => read(baseline, s)) });
  series.push({ name: "this run", kind: baseline ? ("line" as const) : ("bar" as const), values: labels.map((s) => read(summary, s)) });
  return xyChart({ title: "http_req_duration (ms)", xLabels: [...labels], yLabel: "ms", series });
}

export function renderLoadGateReport(gate: GateResult, summary: Summary, meta: ReportMeta, baseline?: Summary): string {
  const failedThresholds = gate.thresholds.filter((t) => !t.ok);
  const failedBudgets = gate.regressions.filter((r) => !r.ok);
  const verdict = gate.passed
    ? `**${PASS} Load gate passed**: ${gate.thresholds.length} threshold${gate.thresholds.length === 1 ? "" : "s"} met${gate.hasBaseline ? `, no regression against the baseline` : ""}.`
    : `**${FAIL} Load gate failed**: ${[
        ...failedThresholds.map((t) => `${code(`${t.metric}: ${t.expression}`)}${t.reason ? ` (${escapeCell(t.reason)})` : ""}`),
        ...failedBudgets.map((r) => `${code(`${r.metric} ${r.statistic}`)} regressed`),
      ].join(", ")}.`;

  const thresholdRows = gate.thresholds.map((t) => {
    const unit = unitOf(summary, t.metric, t.statistic);
    return [
      t.ok ? PASS : FAIL,
      code(t.metric),
      code(t.expression),
      t.actual === null ? escapeCell(t.reason ?? "no samples") : formatValue(t.actual, unit),
      formatValue(t.baseline, unit),
      formatDelta(t.delta, t.baseline, unit),
    ];
  });
  const thresholdsTable = table(["", "metric", "threshold", "actual", "baseline", "delta"], thresholdRows, ["center", "left", "left", "right", "right", "right"]);

  let budgetsBlock = "";
  if (gate.hasBaseline) {
    const rows = gate.regressions.map((r) => {
      const unit = unitOf(summary, r.metric, r.statistic);
      return [
        r.ok ? PASS : FAIL,
        code(`${r.metric} ${r.statistic}`),
        formatValue(r.baseline, unit),
        formatValue(r.actual, unit),
        formatDelta(r.delta, r.baseline, unit),
        `${r.worse === "higher" ? "+" : "−"}${unit === "%" ? `${(r.allowed * 100).toFixed(2)} pp` : formatValue(r.allowed, unit)}`,
      ];
    });
    const skipped = gate.regressionsSkipped.map((s) => `- ${code(`${s.metric} ${s.statistic}`)}: ${escapeCell(s.reason)}`).join("\n");
    budgetsBlock = blocks(
      heading(4, `Regression against the baseline${meta.baselineLabel ? ` (${escapeCell(meta.baselineLabel)})` : ""}`),
      rows.length > 0 ? table(["", "statistic", "baseline", "this run", "delta", "allowed"], rows, ["center", "left", "right", "right", "right", "right"]) : "_No budget could be compared._",
      skipped,
    );
  } else {
    budgetsBlock = "_No baseline yet: regressions are checked once the default branch has recorded a run._";
  }

  const about = [
    `engine ${code(meta.engine)}`,
    `scenario ${code(meta.scenario)}`,
    meta.target ? `target ${code(meta.target)}` : "",
    summary.testRunDurationMs ? `duration ${(summary.testRunDurationMs / 1000).toFixed(1)} s` : "",
    meta.runUrl ? `[run](${meta.runUrl})` : "",
  ].filter(Boolean).join(" · ");

  const chart = latencyChart(summary, baseline);
  return blocks(
    heading(3, "Load gate"),
    verdict,
    meta.aborted ? "⚠️ The run stopped early: an `abortOnFail` threshold failed." : "",
    thresholdsTable,
    budgetsBlock,
    chart ? details("Latency percentiles", chart, !gate.passed) : "",
    `<sub>${about}</sub>`,
  );
}
