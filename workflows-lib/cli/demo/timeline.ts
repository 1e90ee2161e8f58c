import { code, duration, escapeCell, heading, blocks, table, STATUS_ICON } from "../../report/markdown.ts";

/**
 * How a demo step ended. `expected` is an outcome the pipeline is designed to produce (a blocked PR, an
 * automatic rollback): it shows the kit working, so it does not fail the demo. `skipped` is a step with
 * nothing to do here (no git history, an approval declined).
 */
export type StepResult = "ok" | "expected" | "skipped" | "failed";

export interface TimelineEntry {
  /** 1-based position and the number of steps. */
  index: number;
  total: number;
  title: string;
  /** Milliseconds since the demo started when the step began, and how long it took. */
  startedAt: number;
  durationMs: number;
  result: StepResult;
  /** One line: what the step showed. */
  detail: string;
}

const HUMAN_MARK: Record<StepResult, string> = { ok: "✔", expected: "◆", skipped: "–", failed: "✘" };
const COLOR: Record<StepResult, string> = { ok: "32", expected: "36", skipped: "90", failed: "31" };
const WORD: Record<StepResult, string> = { ok: "ok", expected: "as designed", skipped: "skipped", failed: "FAILED" };

export type TimelineStyle = "human" | "plain";

/** The line announcing a step (human style only: a plain log gets one line per finished step). */
export function formatStepStart(index: number, total: number, title: string, style: TimelineStyle): string | undefined {
  return style === "human" ? `\x1b[1m${pad(index, total)} ${title}\x1b[0m\n` : undefined;
}

/** The line (or lines) for a finished step. */
export function formatStepEnd(entry: TimelineEntry, style: TimelineStyle): string {
  const took = duration(entry.durationMs);
  if (style === "plain") {
    return `[${seconds(entry.startedAt)}] step ${entry.index}/${entry.total} ${entry.title}: ${WORD[entry.result]} in ${took} - ${entry.detail}\n`;
  }
  const mark = `\x1b[${COLOR[entry.result]}m${HUMAN_MARK[entry.result]} ${WORD[entry.result]}\x1b[0m`;
  return `   ${mark} \x1b[2m(${took})\x1b[0m ${entry.detail}\n`;
}

/** A detail line printed while a step runs (URLs, decisions). */
export function formatNote(text: string, style: TimelineStyle): string {
  return style === "plain" ? `      ${text}\n` : `   \x1b[2m│\x1b[0m ${text}\n`;
}

/** The closing overview: one row per step, the total, and the verdict. */
export function formatTimeline(entries: readonly TimelineEntry[], totalMs: number, style: TimelineStyle): string {
  const width = Math.max(...entries.map((e) => e.title.length), 10);
  const lines = entries.map((e) => {
    const result = style === "human" ? `\x1b[${COLOR[e.result]}m${WORD[e.result].padEnd(11)}\x1b[0m` : WORD[e.result].padEnd(11);
    return `  ${pad(e.index, e.total)} ${e.title.padEnd(width)}  ${duration(e.durationMs).padStart(8)}  ${result} ${e.detail}`;
  });
  return `\nTimeline (${duration(totalMs)} in all)\n${lines.join("\n")}\n`;
}

/** The same timeline as markdown, for the step summary. */
export function timelineMarkdown(entries: readonly TimelineEntry[], totalMs: number): string {
  const icon: Record<StepResult, string> = { ok: STATUS_ICON.ok, expected: STATUS_ICON.info, skipped: STATUS_ICON.skipped, failed: STATUS_ICON.failed };
  return blocks(
    heading(2, `alchkit demo: the pipeline in ${duration(totalMs)}`),
    table(
      ["#", "Step", "Took", "Result", "What it showed"],
      entries.map((e) => [String(e.index), escapeCell(e.title), duration(e.durationMs), `${icon[e.result]} ${WORD[e.result]}`, escapeCell(e.detail)]),
      ["right", "left", "right", "left", "left"],
    ),
    `${STATUS_ICON.info} marks outcomes the pipeline is built to produce (a blocked pull request, an automatic rollback). Reproduce with ${code("npm run demo")}.`,
  );
}

/** The demo behaved as designed when no step failed. */
export function demoSucceeded(entries: readonly TimelineEntry[]): boolean {
  return entries.every((e) => e.result !== "failed");
}

function pad(index: number, total: number): string {
  return `${String(index).padStart(String(total).length)}/${total}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1).padStart(5)}s`;
}
