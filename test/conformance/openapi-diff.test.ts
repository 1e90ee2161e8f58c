// Runs oasdiff's own checker test cases (../shared/conformance/openapi-diff, 172 pairs) through the diff
// engine. A case passes when every rule id it expects is reported; an `expectNone` case passes when nothing
// at error level is reported for the check it names (or at all, when it names none). Prints the pass rate
// overall and for cases expecting error-level rules, and fails below the floors.
//
// The cases come from an earlier oasdiff than the pinned v1.37.0 the engine follows. Where v1.37.0 itself
// no longer does what a case expects, the case is superseded (openapi-diff-superseded.ts, with what changed);
// the oracle suite runs v1.37.0 on those and checks both tools agree there, and bench/openapi-diff.ts
// compares both tools on every pair of this corpus.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { diffSpecs } from "../../workflows-lib/openapi/diff/index.ts";
import { RULES } from "../../workflows-lib/openapi/diff/rules.ts";
import { SUPERSEDED } from "./openapi-diff-superseded.ts";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const corpusDir = join(repoRoot, "..", "shared", "conformance", "openapi-diff");

/** Floors set from what the engine achieves; raise them when it gets better, never lower them silently. */
const FLOOR_OVERALL = 1;
const FLOOR_ERROR_LEVEL = 1;

interface Case {
  test: string;
  file: string;
  base: string;
  revision: string;
  expect: string[];
  expectNone: boolean;
  only?: string;
}

/** oasdiff names checks like RequestPropertyMaxItemsUpdatedCheck; ours drop the verb. Compare the stems. */
function checkStem(name: string): string {
  return name
    .replace(/Check$/, "")
    .replace(/(Updated|Changed|AddedOrChanged|Increased|Decreased|Set|Removed|Added|Became|NotNullable|Nullable)+$/g, "")
    .replace(/^(Request|Response)Body/, "$1Property")
    .toLowerCase();
}

function load(relative: string): unknown {
  return parse(readFileSync(join(corpusDir, relative), "utf8"), { maxAliasCount: -1 });
}

test("openapi diff conformance with oasdiff's checker tests", { skip: !existsSync(corpusDir) && "conformance corpus not checked out beside the repo" }, () => {
  const { cases } = JSON.parse(readFileSync(join(corpusDir, "cases.json"), "utf8")) as { cases: Case[] };
  const failures: string[] = [];
  let passed = 0;
  let errorCases = 0;
  let errorPassed = 0;
  // Fixed clock: sunset dates in the corpus are measured from a date, not from when the test runs.
  const options = { deprecation: { today: "2026-01-01" } };
  const superseded: string[] = [];
  for (const c of cases) {
    if (SUPERSEDED[c.test]) {
      superseded.push(`${c.test}: ${SUPERSEDED[c.test]}`);
      continue;
    }
    let ok: boolean;
    let detail = "";
    try {
      const result = diffSpecs(load(c.base), load(c.revision), {
        ...options,
        loadRef: (location) => load(join(dirname(c.base), location)),
        baseLocation: "",
        revisionLocation: "",
      });
      const reported = new Set(result.changes.map((change) => change.id));
      if (c.expectNone) {
        const stem = c.only ? checkStem(c.only) : undefined;
        const offending = result.changes.filter(
          (change) => change.level === "error" && (!stem || checkStem(RULES[change.id]!.check) === stem),
        );
        ok = offending.length === 0;
        detail = offending.map((change) => change.id).join(", ");
      } else {
        const missing = c.expect.filter((id) => !reported.has(id));
        ok = missing.length === 0;
        detail = `missing ${missing.join(", ")}; got ${[...reported].join(", ")}`;
      }
    } catch (error) {
      ok = false;
      detail = `threw ${error instanceof Error ? error.message : String(error)}`;
    }
    const errorLevel = c.expect.some((id) => RULES[id]?.level === "error");
    if (errorLevel) errorCases++;
    if (ok) {
      passed++;
      if (errorLevel) errorPassed++;
    } else {
      failures.push(`${c.test} (${c.base} → ${c.revision}): ${detail}`);
    }
  }
  const judged = cases.length - superseded.length;
  const rate = passed / judged;
  const errorRate = errorPassed / errorCases;
  console.log(`openapi-diff conformance: ${passed}/${judged} cases pass (${(rate * 100).toFixed(1)} %), ` +
    `error-level cases ${errorPassed}/${errorCases} (${(errorRate * 100).toFixed(1)} %); ${superseded.length} superseded by oasdiff v1.37.0`);
  for (const failure of failures) console.log(`  not passing: ${failure}`);
  for (const line of superseded) console.log(`  superseded: ${line}`);
  assert.ok(superseded.length === Object.keys(SUPERSEDED).length, "every superseded case names a case of the corpus");
  assert.ok(rate >= FLOOR_OVERALL, `pass rate ${(rate * 100).toFixed(1)} % is below the floor ${FLOOR_OVERALL * 100} %`);
  assert.ok(errorRate >= FLOOR_ERROR_LEVEL, `error-level pass rate ${(errorRate * 100).toFixed(1)} % is below the floor ${FLOOR_ERROR_LEVEL * 100} %`);
});
