import { STATUS_ICON, blocks, code, details, duration, escapeCell, heading, link, table } from "../report/markdown.ts";
import type { MatrixResult } from "./compute-matrix.ts";
import type { MatrixEntry, MatrixPackage } from "./plan-matrix.ts";
import { MATRIX_SCRIPTS } from "./plan-matrix.ts";
import type { EntryReport, ScriptResult } from "./run-entry.ts";

/** Job results as `needs.<job>.result` gives them. */
export type JobResult = "success" | "failure" | "cancelled" | "skipped";

export interface SummaryInput {
  planResult: JobResult;
  testResult: JobResult;
  /** The plan's matrix (packages expected to report). */
  matrix: { include: MatrixEntry[] };
  reports: EntryReport[];
  runUrl?: string;
}

export interface SummaryVerdict {
  ok: boolean;
  /** One line: why the check passed or failed. */
  reason: string;
  failedPackages: string[];
  markdown: string;
}

/**
 * The verdict of the one check a branch rule requires. It fails when planning failed or any matrix job failed,
 * was cancelled or did not run although packages were selected; it passes when every job passed, and when
 * the change selected no package (a docs-only change must still be mergeable).
 */
export function summarizeMatrix(input: SummaryInput): SummaryVerdict {
  const expected: MatrixPackage[] = input.matrix.include.flatMap((e) => e.packages ?? [e]);
  const reported = new Map(input.reports.flatMap((r) => r.packages.map((p) => [p.name, p] as const)));
  const failedPackages = expected.filter((p) => reported.get(p.name)?.ok === false).map((p) => p.name);
  let ok: boolean;
  let reason: string;
  if (input.planResult !== "success") {
    ok = false;
    reason = `planning the matrix did not succeed (${input.planResult})`;
  } else if (expected.length === 0 && (input.testResult === "skipped" || input.testResult === "success")) {
    ok = true;
    reason = "no package is affected by this change";
  } else if (input.testResult === "success" && failedPackages.length === 0) {
    ok = true;
    reason = `all ${expected.length} affected package${expected.length === 1 ? "" : "s"} passed`;
  } else if (input.testResult === "cancelled") {
    ok = false;
    reason = "matrix jobs were cancelled";
  } else if (input.testResult === "skipped") {
    ok = false;
    reason = `${expected.length} package${expected.length === 1 ? " was" : "s were"} selected but the matrix jobs did not run`;
  } else {
    ok = false;
    reason =
      failedPackages.length > 0
        ? `${failedPackages.length} of ${expected.length} packages failed: ${failedPackages.join(", ")}`
        : "a matrix job failed";
  }

  const rows = expected.map((pkg) => {
    const report = reported.get(pkg.name);
    const cells = MATRIX_SCRIPTS.map((script) => {
      if (!pkg[script]) return "—";
      const result = report?.scripts.find((s) => s.script === script);
      return result ? scriptCell(result) : STATUS_ICON.pending;
    });
    const status = !report ? `${STATUS_ICON.warning} no report` : report.ok ? STATUS_ICON.ok : STATUS_ICON.failed;
    return [escapeCell(pkg.name), code(pkg.path), ...cells, status];
  });
  const missing = expected.filter((p) => !reported.has(p.name)).length;
  const markdown = blocks(
    heading(2, `${ok ? STATUS_ICON.ok : STATUS_ICON.failed} CI matrix: ${escapeCell(reason)}`),
    rows.length > 0 ? table(["Package", "Path", "build", "lint", "test", "Result"], rows) : undefined,
    missing > 0
      ? `${STATUS_ICON.warning} ${missing} package${missing === 1 ? "" : "s"} sent no report (job ${input.testResult}); see the job logs.`
      : undefined,
    input.runUrl ? link("Run details", input.runUrl) : undefined,
  );
  return { ok, reason, failedPackages, markdown };
}

function scriptCell(result: ScriptResult): string {
  if (result.outcome === "success") return `${STATUS_ICON.ok} ${duration(result.durationMs)}`;
  if (result.outcome === "skipped") return `${STATUS_ICON.skipped} ${escapeCell(result.note ?? "skipped")}`;
  return `${STATUS_ICON.failed} ${escapeCell(result.note ?? "failed")}`;
}

/** The plan job's step summary: what was selected and why. */
export function planMarkdown(result: MatrixResult): string {
  const { affected, changes } = result;
  const headline =
    result.count === 0
      ? "no package is affected; the summary check passes without running jobs"
      : result.all
        ? `all ${result.count} packages (${affected.allReasons.map((r) => escapeCell(r)).join(", ")})`
        : `${result.count} of ${result.workspace.packages.length} packages`;
  const selected = result.matrix.include.flatMap((e) => e.packages ?? [e]);
  const why = (name: string) => (affected.all ? "global" : affected.changed.has(name) ? "changed" : "depends on a change");
  const rows = selected.map((p) => [
    escapeCell(p.name),
    code(p.path),
    MATRIX_SCRIPTS.filter((s) => p[s]).join(", ") || "—",
    why(p.name),
  ]);
  return blocks(
    heading(2, `CI matrix plan: ${headline}`),
    `${changes.files.length} changed file${changes.files.length === 1 ? "" : "s"}; ${result.jobs} job${result.jobs === 1 ? "" : "s"}; package manager ${code(result.packageManager)}.`,
    rows.length > 0 ? table(["Package", "Path", "Scripts", "Why"], rows) : undefined,
    affected.ignoredFiles.length > 0
      ? details(`Ignored files (${affected.ignoredFiles.length})`, list(affected.ignoredFiles))
      : undefined,
    affected.unownedFiles.length > 0
      ? details(`Files outside every package (${affected.unownedFiles.length})`, list(affected.unownedFiles))
      : undefined,
  );
}

function list(files: string[]): string {
  const shown = files.slice(0, 100).map((f) => `- ${code(f)}`);
  if (files.length > 100) shown.push(`- … and ${files.length - 100} more`);
  return shown.join("\n");
}
