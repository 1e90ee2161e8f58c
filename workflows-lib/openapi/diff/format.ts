// Renders a diff result for people and machines: json (the CLI contract), markdown (the PR comment),
// text (terminals) and githubactions (one workflow command per change, shown as annotations).
import { blocks, code, details, escapeCell, heading, table } from "../../report/markdown.ts";
import { annotationCommand, type AnnotationLevel } from "../../report/workflow-command.ts";
import type { Change, DiffResult } from "./engine.ts";
import { DIFFERENCES } from "./differences.ts";
import { OASDIFF_VERSION } from "./rule-table-source.ts";
import { RULES } from "./rules.ts";
import type { RuleLevel } from "./rules.ts";

export type DiffFormat = "json" | "markdown" | "text" | "githubactions";
export type FailOn = RuleLevel | "never";

export const DIFF_FORMATS: readonly DiffFormat[] = ["json", "markdown", "text", "githubactions"];
export const FAIL_ON: readonly FailOn[] = ["error", "warning", "info", "never"];

/** True when the result has a change at or above `failOn` (`never` never fails). */
export function shouldFail(result: Pick<DiffResult, "counts">, failOn: FailOn): boolean {
  const { error, warning, info } = result.counts;
  if (failOn === "never") return false;
  if (failOn === "error") return error > 0;
  if (failOn === "warning") return error + warning > 0;
  return error + warning + info > 0;
}

function operationOf(change: Change): string {
  return change.method && change.path ? `${change.method} ${change.path}` : "";
}

/** Change texts mark names and values with backticks; keep them as code, escape the rest. */
function markdownText(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith("`") && part.endsWith("`") && part.length >= 2 ? code(part.slice(1, -1)).replace(/\|/g, "\\|") : escapeCell(part)))
    .join("");
}

function changeRow(change: Change, withReason: boolean): string[] {
  return [
    code(change.id),
    change.method && change.path ? `${change.method} ${code(change.path).replace(/\|/g, "\\|")}` : "—",
    markdownText(change.text),
    ...(withReason && "reason" in change ? [escapeCell(String((change as { reason: string }).reason))] : []),
  ];
}

/** A table of the rows that fit in `budget` characters, with a line saying how many were left out. */
function changeTable(changes: readonly Change[], budget: { left: number }, withReason = false): string {
  const header = ["Rule", "Operation", "Change", ...(withReason ? ["Reason"] : [])];
  const rows: string[][] = [];
  for (const change of changes) {
    const row = changeRow(change, withReason);
    const size = row.reduce((sum, cell) => sum + cell.length + 3, 2);
    if (size > budget.left) break;
    budget.left -= size;
    rows.push(row);
  }
  const omitted = changes.length - rows.length;
  const note = omitted > 0 ? `\n\n_…and ${omitted} more not shown here (the JSON report lists every change)._` : "";
  return rows.length > 0 ? table(header, rows) + note : note.trim();
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** GitHub rejects comments over 65,536 characters; leave room for what a report puts around the diff. */
export const DEFAULT_MARKDOWN_MAX_CHARS = 50_000;

function renderMarkdown(result: DiffResult, maxChars: number): string {
  // Rows are spent in order of importance: errors, then warnings, then info, then ignored.
  const budget = { left: maxChars - 1_000 };
  const { error, warning, info } = result.counts;
  const errors = result.changes.filter((change) => change.level === "error");
  const warnings = result.changes.filter((change) => change.level === "warning");
  const infos = result.changes.filter((change) => change.level === "info");
  const summary =
    result.changes.length === 0
      ? "No API changes found."
      : `${error > 0 ? "❌" : warning > 0 ? "⚠️" : "✅"} ${plural(error, "breaking change")}, ${plural(warning, "warning")}, ${info} informational.`;
  return blocks(
    heading(3, "OpenAPI changes"),
    summary,
    errors.length > 0 && blocks(heading(4, `Breaking changes (${errors.length})`), changeTable(errors, budget)),
    warnings.length > 0 && blocks(heading(4, `Warnings (${warnings.length})`), changeTable(warnings, budget)),
    infos.length > 0 && details(`Informational changes (${infos.length})`, changeTable(infos, budget)),
    result.ignored.length > 0 && details(`Ignored by the ignore list (${result.ignored.length})`, changeTable(result.ignored, budget, true)),
  ) + "\n";
}

function renderText(result: DiffResult): string {
  const lines = result.changes.map((change) => {
    const where = operationOf(change);
    return `${change.level.padEnd(7)} ${change.id}${where ? `  ${where}` : ""}\n        ${change.text}`;
  });
  for (const change of result.ignored) lines.push(`ignored ${change.id}${operationOf(change) ? `  ${operationOf(change)}` : ""}  (${change.reason})`);
  const { error, warning, info } = result.counts;
  lines.push(`${plural(error, "error")}, ${plural(warning, "warning")}, ${info} info${result.ignored.length ? `, ${result.ignored.length} ignored` : ""}`);
  return lines.join("\n") + "\n";
}

const COMMAND: Record<RuleLevel, AnnotationLevel> = { error: "error", warning: "warning", info: "notice" };

function renderGitHubActions(result: DiffResult): string {
  const lines = result.changes.map((change) => {
    const where = operationOf(change);
    return annotationCommand(COMMAND[change.level], `${where ? `${where}: ` : ""}${change.text}`, { title: `${change.id}${where ? ` ${where}` : ""}` });
  });
  return lines.length > 0 ? lines.join("\n") + "\n" : "";
}

export interface FormatOptions {
  /** markdown only: the most characters to produce (rows beyond are counted, not shown). */
  maxChars?: number;
}

export function formatDiff(result: DiffResult, format: DiffFormat, options: FormatOptions = {}): string {
  switch (format) {
    case "json":
      return JSON.stringify(result, null, 2) + "\n";
    case "markdown":
      return renderMarkdown(result, options.maxChars ?? DEFAULT_MARKDOWN_MAX_CHARS);
    case "text":
      return renderText(result);
    case "githubactions":
      return renderGitHubActions(result);
  }
}

/** The rule catalogue as markdown: every rule id with its level and description (docs/openapi-rules.md). */
export function renderRuleCatalogue(): string {
  const ids = Object.keys(RULES).sort();
  const count = (level: RuleLevel) => ids.filter((id) => RULES[id]!.level === level).length;
  const rows = ids.map((id) => [code(id), RULES[id]!.level, escapeCell(RULES[id]!.description)]);
  const differences = DIFFERENCES.map((d) => blocks(
    heading(3, d.title),
    d.reason,
    table(["", "reports"], [
      ["oasdiff", d.oasdiff.length ? d.oasdiff.map((f) => code(f)).join("<br>") : "nothing"],
      ["alchkit", d.alchkit.length ? d.alchkit.map((f) => code(f)).join("<br>") : "nothing"],
    ]),
  ));
  return blocks(
    heading(1, "OpenAPI diff rules"),
    `<!-- Generated by scripts/openapi-rule-table.ts from the engine's rule table (workflows-lib/openapi/diff/rules.ts, oasdiff ${OASDIFF_VERSION}'s rules) and its list of differences (differences.ts); a test fails when it drifts. -->`,
    `alchkit's diff engine reports each change under one of oasdiff ${OASDIFF_VERSION}'s ${ids.length} rule ids with the level oasdiff gives it ` +
      `(listed: ${count("error")} error, ${count("warning")} warning, ${count("info")} info), so ignore lists and habits carry over ` +
      "from oasdiff. `--fail-on error` (the default) fails on error-level changes only; `warning` and `info` are stricter, " +
      "`never` only reports. How closely it agrees with the real oasdiff is measured on every test run: see " +
      "[openapi.md](openapi.md#agreement-with-oasdiff).",
    heading(2, "How changes are judged"),
    [
      "- **Direction matters.** What a client sends may only widen; what it receives may only narrow. A lower `maxLength` " +
        "on a request property is an error, the same change on a response property is not; a response property that " +
        "becomes nullable or gains an enum value can break clients, the same in a request cannot.",
      "- **Types.** `type` is compared as a set of names; integer → number widens. In a parameter every value travels as " +
        "text, so turning a value into a string is fine there. OpenAPI 3.0 `nullable: true` and a 3.1 `\"null\"` member of " +
        "`type` mean the same thing: a change of only that member is reported as became-nullable / became-not-nullable. " +
        "A single type turned into a `oneOf`/`anyOf` of simple types reports list-of-types-widened / -narrowed.",
      "- **Reshapings are one change.** Wrapping a schema into `oneOf: [{type: \"null\"}, itself]` is a nullability change, " +
        "not a type change plus removed enum values; replacing a schema by `false` is schema-became-false; an object turned " +
        "into a `oneOf` of alternatives carrying its properties is wrapped-in-one-of.",
      "- **`readOnly` / `writeOnly`.** A change to a readOnly property of a request, or a writeOnly one of a response, " +
        "cannot affect the client: its level drops to info (the property becoming or ceasing to be readOnly is still judged).",
      "- **`allOf`.** Schemas are compared as written, member by member: a change found inside an `allOf` member may be " +
        "covered by a sibling member, so it is at most a warning. With allOf flattening (oasdiff's `--flatten-allof`) " +
        "the members are merged first and only the effective change is reported, at its full level.",
      "- **`$ref`s** are compared by what they point to, not by name; recursive schemas are compared once per pair.",
      "- **Deprecation.** Removing an endpoint, parameter or property is fine once it is deprecated — from its `x-sunset` " +
        "date (YYYY-MM-DD or RFC 3339) on, when it has one; before that date the removal is an error. A grace period " +
        "(beta and stable days, 0 by default like oasdiff) makes `x-sunset` mandatory and at least that far ahead.",
      "- **Stability.** Endpoints with `x-stability-level: draft` or `alpha` may change freely; only a change of their " +
        "stability level is reported. Lowering an endpoint's stability (no level counts as stable) is an error.",
      "- **Security.** An operation without its own `security` is judged on the global requirements it inherits, so a " +
        "global change shows on every operation relying on it; accepting or refusing unauthenticated requests has rules of its own.",
      "- **Versioning.** With an error-level change, `info.version` (semver) must move to a new major version (a new minor " +
        "below 1.0.0): api-version-not-bumped, api-version-decreased or api-major-version-not-bumped say otherwise.",
    ].join("\n"),
    heading(2, "Differences from oasdiff"),
    "Deliberate, each with its reason; the test suite runs oasdiff on each example and checks both tools still report what is shown.",
    ...differences,
    heading(2, "Ignoring a change"),
    "An ignore entry names the rule id, optionally the operation as `METHOD /path`, and a reason. Ignored changes " +
      "leave the counts and the gate but stay listed in the report with their reason.",
    heading(2, "Rules"),
    table(["Rule id", "Level", "Description"], rows),
  ) + "\n";
}
