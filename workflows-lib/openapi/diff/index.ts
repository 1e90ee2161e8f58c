/**
 * OpenAPI breaking-change diff, pure Node, speaking oasdiff's rule ids and levels.
 *
 *   diffSpecs(base, revision, options?) → DiffResult
 *     base, revision: already parsed OpenAPI 3.0/3.1 documents (plain objects; YAML/JSON parsing is the
 *     caller's job). Throws InputError (naming "base"/"revision" and the JSON pointer) for a document that is
 *     not OpenAPI 3.x or a `$ref` that does not resolve.
 *     DiffResult = { changes: Change[], counts: {error, warning, info}, ignored: IgnoredChange[] }
 *     Change = { id, level: "error"|"warning"|"info", text, method?, path?, operationId?,
 *                source?: { base?: JSON pointer, revision?: JSON pointer } }
 *     Changes are sorted errors first, then warnings, then info.
 *   options:
 *     ignore: [{ id, operation?: "METHOD /path", reason }]  — matching changes move to `ignored` with the reason
 *     deprecation: { betaDays = 0, stableDays = 0, today = UTC date "YYYY-MM-DD" }  — sunset policy (oasdiff's
 *       defaults: no grace period enforced; set days to require x-sunset that far ahead)
 *     flattenAllOf: merge allOf subschemas before comparing (oasdiff's --flatten-allof); default false
 *     loadRef(location) → parsed document  — follows `$ref`s into other files; locations are relative to
 *       baseLocation / revisionLocation (the spec files' own paths)
 *
 *   formatDiff(result, "json" | "markdown" | "text" | "githubactions", { maxChars? }) → string
 *     markdown is the PR comment: errors, then warnings, then info collapsed in <details>, then ignored;
 *     at most maxChars (default 50,000, GitHub's comment limit is 65,536): rows that do not fit are
 *     counted ("…and N more"), errors are kept before warnings before info.
 *     githubactions: one `::error title=…::` / `::warning …` / `::notice …` workflow command per change.
 *   shouldFail(result, "error" | "warning" | "info" | "never") → true when a change is at or above the level.
 *   renderRuleCatalogue() → markdown table of all rule ids, levels and descriptions (docs/openapi-rules.md).
 *   RULES: the rule table (id → level, check, description), generated from oasdiff's ids by
 *     scripts/openapi-rule-table.ts.
 */
export { diffSpecs } from "./engine.ts";
export type { Change, DiffOptions, DiffResult, IgnoreRule, IgnoredChange } from "./engine.ts";
export { DEFAULT_MARKDOWN_MAX_CHARS, DIFF_FORMATS, FAIL_ON, formatDiff, renderRuleCatalogue, shouldFail } from "./format.ts";
export type { DiffFormat, FailOn, FormatOptions } from "./format.ts";
export { RULES } from "./rules.ts";
export type { RuleInfo, RuleLevel } from "./rules.ts";
export type { DeprecationPolicy } from "./lifecycle.ts";
export type { RefLoader } from "./refs.ts";
