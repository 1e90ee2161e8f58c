/**
 * Mermaid charts for comments and step summaries (GitHub renders ```mermaid blocks). xychart-beta draws
 * several bar series on top of each other, so a comparison uses bars for one series and a line for the other.
 */

export interface XySeries {
  /** Shown in the caption under the chart; xychart-beta has no legend. */
  name: string;
  kind: "bar" | "line";
  /** One value per x label; null becomes 0 (mermaid has no gaps). */
  values: Array<number | null>;
}

export interface XyChart {
  title: string;
  xLabels: string[];
  yLabel?: string;
  series: XySeries[];
}

/** Mermaid strings are double-quoted; quotes and line breaks would end them early. */
const quote = (text: string): string => `"${text.replace(/["\n\r`]/g, "'")}"`;

const round = (n: number): string => String(Math.round(n * 1000) / 1000);

/** A ```mermaid xychart-beta block plus a one-line caption naming the series. */
export function xyChart(chart: XyChart): string {
  if (chart.series.length === 0 || chart.xLabels.length === 0) return "";
  for (const s of chart.series) {
    if (s.values.length !== chart.xLabels.length) {
      throw new Error(`series "${s.name}" has ${s.values.length} values for ${chart.xLabels.length} labels`);
    }
  }
  const finite = chart.series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  const max = finite.length > 0 ? Math.max(...finite) : 0;
  const lines = [
    "```mermaid",
    "xychart-beta",
    `  title ${quote(chart.title)}`,
    `  x-axis [${chart.xLabels.map(quote).join(", ")}]`,
    `  y-axis ${quote(chart.yLabel ?? "")} 0 --> ${round(max > 0 ? max * 1.1 : 1)}`,
    ...chart.series.map((s) => `  ${s.kind} [${s.values.map((v) => (v === null || !Number.isFinite(v) ? "0" : round(v))).join(", ")}]`),
    "```",
  ];
  const caption = chart.series.map((s) => `${s.kind === "bar" ? "bars" : "line"}: ${s.name}`).join(" · ");
  return `${lines.join("\n")}\n\n<sub>${caption}</sub>`;
}
