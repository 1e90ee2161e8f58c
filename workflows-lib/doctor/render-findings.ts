import { code, table } from "../report/markdown.ts";
import { CHECKS, checkOf, type Finding } from "./checks.ts";
import type { DoctorReport } from "./diagnose.ts";

const where = (f: Finding) => (f.file ? `${f.file}${f.line ? `:${f.line}` : ""}` : "the repository");

export function countsOf(findings: Finding[]): { error: number; warning: number; info: number } {
  return {
    error: findings.filter((f) => f.level === "error").length,
    warning: findings.filter((f) => f.level === "warning").length,
    info: findings.filter((f) => f.level === "info").length,
  };
}

export function summaryLine(findings: Finding[]): string {
  const c = countsOf(findings);
  if (findings.length === 0) return "No hazards found.";
  const parts = [c.error && `${c.error} error${c.error === 1 ? "" : "s"}`, c.warning && `${c.warning} warning${c.warning === 1 ? "" : "s"}`, c.info && `${c.info} note${c.info === 1 ? "" : "s"}`].filter(Boolean);
  return `${parts.join(", ")}.`;
}

/** One finding as a few lines of text: where, what, why it bites, the fix (for terminals and init's output). */
export function renderFindingText(f: Finding, indent = ""): string {
  const fix = f.fix.split("\n").map((line, i) => (i === 0 ? line : `${indent}     ${line}`)).join("\n");
  return `${indent}${f.level.padEnd(7)} ${where(f)}  [${f.id}]\n${indent}  ${f.message}\n${indent}  Why: ${checkOf(f.id).why}\n${indent}  Fix: ${fix}\n`;
}

export function renderDoctorMarkdown(report: DoctorReport): string {
  const { findings, read } = report;
  const lines = [`## alchkit doctor`, "", summaryLine(findings), ""];
  const readParts = [
    `${read.entries.length} Alchemy entr${read.entries.length === 1 ? "y" : "ies"}${read.entries.length ? ` (${read.entries.join(", ")})` : ""}`,
    `${read.workflows.length} workflow${read.workflows.length === 1 ? "" : "s"}`,
    `${read.stages.length} local stage${read.stages.length === 1 ? "" : "s"}${read.stages.length ? ` (${read.stages.join(", ")})` : ""}`,
  ];
  lines.push(`Read ${readParts.join(", ")}.`, "");
  for (const f of findings) {
    lines.push(`### ${f.level}: ${checkOf(f.id).title}`, "", `\`${where(f)}\` · \`${f.id}\``, "", f.message, "", `**Why it bites.** ${checkOf(f.id).why}`, "", `**Fix.** ${f.fix}`, "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** docs/doctor.md's table of checks, generated from CHECKS (`npm run docs`). */
export function renderCheckTable(): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  return table(
    ["Check", "Level", "What", "Reads", "Why it bites"],
    CHECKS.map((c) => [code(c.id), c.level, cell(c.title), cell(c.reads), cell(c.why)]),
  );
}

const CHECK_TABLE = /(<!-- alchkit:doctor-checks -->)\n[\s\S]*?(<!-- alchkit:doctor-checks-end -->)/;

/** Rewrites the check table between its markers in a markdown text (docs/doctor.md). */
export function fillCheckTable(markdown: string): string {
  return markdown.replace(CHECK_TABLE, (_all, open: string, close: string) => `${open}\n${renderCheckTable()}\n${close}`);
}
