import { InputError } from "../errors.ts";
import { blocks, code, details, escapeCell, link, shortSha, STATUS_ICON, table } from "../report/markdown.ts";
import { diffSpecs, formatDiff, shouldFail } from "./diff/index.ts";
import type { DiffResult, FailOn, IgnoreRule } from "./diff/index.ts";
import type { GeneratedSpec, SpecSource } from "./generate.ts";
import { validateSpec } from "./validate-spec.ts";
import type { ValidationReport } from "./validate-spec.ts";

export interface OpenAPICheckOptions {
  head: SpecSource;
  /** The same API at the PR's base; absent when there is nothing to compare with. */
  base?: SpecSource;
  failOn: FailOn;
  /** A PR carrying this label may make changes at or above `failOn`. */
  overrideLabel: string;
  /** Labels of the pull request (from the event payload). */
  labels: readonly string[];
  ignore: readonly IgnoreRule[];
  headSha?: string;
  baseSha?: string;
  runUrl?: string;
}

/** Generation of each side: the head in the PR's checkout, the base in the base checkout. */
export interface OpenAPICheckPorts {
  generateHead(source: SpecSource): Promise<GeneratedSpec>;
  generateBase(source: SpecSource): Promise<GeneratedSpec>;
}

export type GateOutcome = "passed" | "failed" | "overridden";

export interface OpenAPICheckResult {
  head: GeneratedSpec;
  validation: ValidationReport;
  base?: GeneratedSpec;
  /** Why the base could not be generated (the PR then introduces the API, or the base was broken). */
  baseProblem?: string;
  diff?: DiffResult;
  counts: { error: number; warning: number; info: number };
  /** Changes at or above `failOn`: what fails the gate unless the label is on the PR. */
  breaking: number;
  gate: GateOutcome;
  /** One line saying why the gate decided so. */
  reason: string;
  /** The PR comment / step summary. */
  markdown: string;
}

/**
 * The OpenAPI gate of a pull request: generate the description on the head and the base, validate the
 * head, diff the two with oasdiff's rules, and decide: fail on changes at or above `failOn` (or an invalid
 * description) unless the PR carries the override label.
 */
export async function checkOpenAPI(options: OpenAPICheckOptions, ports: OpenAPICheckPorts): Promise<OpenAPICheckResult> {
  const head = await ports.generateHead(options.head);
  const validation = await validateSpec(head.spec);
  let base: GeneratedSpec | undefined;
  let baseProblem: string | undefined;
  if (options.base) {
    try {
      base = await ports.generateBase(options.base);
    } catch (error) {
      // The base may predate the API (the PR adds it) or be broken itself: the PR is judged on its own then.
      if (!(error instanceof InputError)) throw error;
      baseProblem = error.message;
    }
  }
  const diff = base ? diffSpecs(base.document, head.document, { ignore: options.ignore }) : undefined;
  const counts = diff?.counts ?? { error: 0, warning: 0, info: 0 };
  const breaking = diff ? countAtOrAbove(diff, options.failOn) : 0;
  const labelled = options.labels.includes(options.overrideLabel);
  let gate: GateOutcome;
  let reason: string;
  if (!validation.valid) {
    gate = "failed";
    reason = `the OpenAPI description is invalid (${plural(validation.errors.length, "error")})`;
  } else if (diff && shouldFail(diff, options.failOn)) {
    gate = labelled ? "overridden" : "failed";
    reason = labelled
      ? `${plural(breaking, "change")} at or above ${options.failOn} level, accepted by the label "${options.overrideLabel}"`
      : `${plural(breaking, "change")} at or above ${options.failOn} level; add the label "${options.overrideLabel}" to accept them`;
  } else {
    gate = "passed";
    reason = diff ? `no change at or above ${options.failOn} level` : "no base to compare with";
  }
  const result = { head, validation, diff, counts, breaking, gate, reason } as OpenAPICheckResult;
  if (base) result.base = base;
  if (baseProblem !== undefined) result.baseProblem = baseProblem;
  result.markdown = renderCheckMarkdown(result, options);
  return result;
}

function countAtOrAbove(diff: DiffResult, failOn: FailOn): number {
  const { error, warning, info } = diff.counts;
  return failOn === "never" ? 0 : failOn === "error" ? error : failOn === "warning" ? error + warning : error + warning + info;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export function renderCheckMarkdown(result: OpenAPICheckResult, options: OpenAPICheckOptions): string {
  const label = code(options.overrideLabel);
  let status: string;
  if (!result.validation.valid) {
    status = `${STATUS_ICON.failed} **The OpenAPI description of this pull request is invalid** (${plural(result.validation.errors.length, "error")}).`;
  } else if (result.gate === "failed") {
    status =
      `${STATUS_ICON.failed} **${plural(result.breaking, "breaking change")}** at or above ${code(options.failOn)} level. ` +
      `If they are intended, add the label ${label} to this pull request and re-run the check.`;
  } else if (result.gate === "overridden") {
    status = `${STATUS_ICON.warning} **${plural(result.breaking, "breaking change")} accepted** with the label ${label}.`;
  } else if (!result.diff) {
    status = `${STATUS_ICON.info} The OpenAPI description is valid; the base has none to compare with.`;
  } else {
    status = `${STATUS_ICON.ok} **No breaking API changes.**`;
  }
  const stats = result.validation.stats;
  const shas = options.baseSha && options.headSha ? `${code(shortSha(options.baseSha))} → ${code(shortSha(options.headSha))}` : undefined;
  const footer = [
    shas,
    `OpenAPI ${result.head.document.openapi}`,
    `${plural(stats.paths, "path")}, ${plural(stats.operations, "operation")}`,
    options.runUrl ? link("run", options.runUrl) : undefined,
  ]
    .filter(Boolean)
    .join(" · ");
  return `${blocks(
    status,
    !result.validation.valid && problemTable(result.validation.errors),
    result.baseProblem !== undefined && `${STATUS_ICON.warning} The base could not be described, so nothing was compared: ${escapeCell(result.baseProblem)}`,
    result.diff && formatDiff(result.diff, "markdown").trim(),
    result.validation.warnings.length > 0 && details(`Validation warnings (${result.validation.warnings.length})`, problemTable(result.validation.warnings)),
    `<sub>${footer}</sub>`,
  )}\n`;
}

function problemTable(problems: ValidationReport["errors"]): string {
  return table(
    ["Where", "Problem"],
    problems.map((p) => [`${code(p.pointer || "/")}${p.location ? ` (line ${p.location.line})` : ""}`, escapeCell(p.message)]),
  );
}

/**
 * The comment when the check could not run (the description could not be generated or read): it replaces an
 * earlier report, which would otherwise still describe an older push.
 */
export function renderCheckFailure(problem: string, options: Pick<OpenAPICheckOptions, "headSha" | "runUrl">): string {
  const footer = [options.headSha ? code(shortSha(options.headSha)) : undefined, options.runUrl ? link("run", options.runUrl) : undefined].filter(Boolean).join(" · ");
  return `${blocks(
    `${STATUS_ICON.failed} **The OpenAPI check could not run**: the description could not be generated or read.`,
    `\`\`\`\n${problem.replace(/```/g, "'''")}\n\`\`\``,
    footer && `<sub>${footer}</sub>`,
  )}\n`;
}
