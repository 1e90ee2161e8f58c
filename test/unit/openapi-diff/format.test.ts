import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { diffSpecs, formatDiff, renderRuleCatalogue, RULES, shouldFail } from "../../../workflows-lib/openapi/diff/index.ts";
import type { DiffResult } from "../../../workflows-lib/openapi/diff/index.ts";
import { buildRuleTableSource } from "../../../workflows-lib/openapi/diff/rule-table-source.ts";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..", "..");
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(here, "fixtures", name), "utf8"));
/** The pet store pair, plus a removed query parameter (a warning). */
const pets = () => {
  const revision = fixture("petstore-revision.json") as { paths: Record<string, { get: { parameters: Array<{ name: string }> } }> };
  revision.paths["/pets"]!.get.parameters = revision.paths["/pets"]!.get.parameters.filter((p) => p.name !== "status");
  return diffSpecs(fixture("petstore-base.json"), revision, {
    ignore: [{ id: "api-removed-without-deprecation", operation: "DELETE /pets/{petId}", reason: "moved | to admin" }],
  });
};

test("shouldFail honours the level threshold", () => {
  const result = (error: number, warning: number, info: number) => ({ counts: { error, warning, info } });
  assert.equal(shouldFail(result(1, 0, 0), "error"), true);
  assert.equal(shouldFail(result(0, 1, 5), "error"), false);
  assert.equal(shouldFail(result(0, 1, 0), "warning"), true);
  assert.equal(shouldFail(result(0, 0, 1), "warning"), false);
  assert.equal(shouldFail(result(0, 0, 1), "info"), true);
  assert.equal(shouldFail(result(0, 0, 0), "info"), false);
  assert.equal(shouldFail(result(3, 3, 3), "never"), false);
});

test("markdown lists errors, then warnings, then info collapsed, then what was ignored and why", () => {
  const markdown = formatDiff(pets(), "markdown");
  const errors = markdown.indexOf("#### Breaking changes");
  const warnings = markdown.indexOf("#### Warnings");
  const info = markdown.indexOf("<details><summary>Informational changes");
  const ignored = markdown.indexOf("<details><summary>Ignored by the ignore list (1)");
  assert.ok(errors > 0 && errors < warnings && warnings < info && info < ignored, markdown);
  assert.match(markdown, /\| `new-required-request-property` \| POST `\/pets` \| New required request property `species`/);
  // A pipe in user text does not break the table.
  assert.match(markdown, /moved \\\| to admin/);
  assert.equal(formatDiff({ changes: [], counts: { error: 0, warning: 0, info: 0 }, ignored: [] }, "markdown").includes("No API changes found."), true);
});

test("githubactions emits one workflow command per change with escaped properties", () => {
  const result: DiffResult = {
    changes: [
      { id: "request-body-removed", level: "error", text: "Request body removed\n100% gone", method: "POST", path: "/a,b:c" },
      { id: "request-property-removed", level: "warning", text: "Request property removed `x`" },
      { id: "endpoint-added", level: "info", text: "Endpoint added", method: "GET", path: "/b" },
    ],
    counts: { error: 1, warning: 1, info: 1 },
    ignored: [],
  };
  const lines = formatDiff(result, "githubactions").trimEnd().split("\n");
  assert.deepEqual(lines, [
    "::error title=request-body-removed POST /a%2Cb%3Ac::POST /a,b:c: Request body removed%0A100%25 gone",
    "::warning title=request-property-removed::Request property removed `x`",
    "::notice title=endpoint-added GET /b::GET /b: Endpoint added",
  ]);
});

test("json is the CLI contract and text ends with the counts", () => {
  const result = pets();
  const json = JSON.parse(formatDiff(result, "json")) as DiffResult;
  assert.deepEqual(json.counts, result.counts);
  assert.ok(json.changes.every((c) => typeof c.id === "string" && ["error", "warning", "info"].includes(c.level) && typeof c.text === "string"));
  const text = formatDiff(result, "text");
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  assert.match(text, new RegExp(`${plural(result.counts.error, "error")}, ${plural(result.counts.warning, "warning")}, ${result.counts.info} info, 1 ignored\\n$`));
});

test("the rule table knows every rule id of oasdiff's checker tests and the rule catalogue page is current", (t) => {
  // The table itself is generated from the pinned oasdiff's own listing (test/oracle checks it against the
  // live binary); the checker tests' ids come from an earlier oasdiff and must all still be there.
  const corpus = join(repoRoot, "..", "shared", "conformance", "openapi-diff", "cases.json");
  if (existsSync(corpus)) {
    const levels = (JSON.parse(readFileSync(corpus, "utf8")) as { levels: Record<string, string> }).levels;
    const missing = Object.keys(levels).filter((id) => !(id in RULES));
    assert.deepEqual(missing, []);
  } else {
    t.diagnostic("conformance corpus not beside the repo: only the catalogue page is checked");
  }
  const committed = readFileSync(join(repoRoot, "workflows-lib", "openapi", "diff", "rules.ts"), "utf8");
  const listed = Object.entries(RULES).map(([id, rule]) => ({ id, level: rule.level, direction: rule.direction, kind: rule.kind, effect: rule.effect, ...(rule.guards ? { guards: [...rule.guards] } : {}) }));
  assert.equal(committed, buildRuleTableSource(listed), "rules.ts was edited by hand: run node scripts/openapi-rule-table.ts");
  const page = readFileSync(join(repoRoot, "docs", "openapi-rules.md"), "utf8");
  assert.equal(page, renderRuleCatalogue(), "docs/openapi-rules.md is stale: run node scripts/openapi-rule-table.ts");
});

test("a huge diff stays within the markdown size limit, keeping errors first and counting what is left out", () => {
  const many = (level: "error" | "info", n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: level === "error" ? "request-body-removed" : "endpoint-added", level, text: `change ${i} `.repeat(8), method: "GET", path: `/p${i}` }));
  const result: DiffResult = { changes: [...many("error", 400), ...many("info", 5000)], counts: { error: 400, warning: 0, info: 5000 }, ignored: [] };
  const markdown = formatDiff(result, "markdown", { maxChars: 20_000 });
  assert.ok(markdown.length <= 20_000, `length ${markdown.length}`);
  assert.match(markdown, /#### Breaking changes \(400\)/);
  const shownErrors = (markdown.match(/request-body-removed/g) ?? []).length;
  assert.ok(shownErrors > 50, `only ${shownErrors} errors shown`);
  assert.match(markdown, new RegExp(`…and ${400 - shownErrors} more not shown`));
  assert.match(markdown, /…and 5000 more not shown/);
  assert.ok(formatDiff(result, "markdown").length <= 50_000);
});
