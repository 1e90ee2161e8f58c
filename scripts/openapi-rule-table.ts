// Regenerates workflows-lib/openapi/diff/rules.ts from the conformance corpus's rule levels
// (../shared/conformance/openapi-diff/cases.json, oasdiff's 509 rule ids). The engine never reads the
// corpus at runtime: it imports the committed table. Run: node scripts/openapi-rule-table.ts
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { buildRuleTableSource } from "../workflows-lib/openapi/diff/rule-table-source.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const corpus = join(root, "..", "shared", "conformance", "openapi-diff", "cases.json");
const levels = (JSON.parse(readFileSync(corpus, "utf8")) as { levels: Record<string, string> }).levels;
const out = join(root, "workflows-lib", "openapi", "diff", "rules.ts");
writeFileSync(out, buildRuleTableSource(levels));
console.log(`wrote ${Object.keys(levels).length} rules to workflows-lib/openapi/diff/rules.ts`);

// The rule catalogue page is rendered from the table just written.
const { renderRuleCatalogue } = await import("../workflows-lib/openapi/diff/format.ts");
writeFileSync(join(root, "docs", "openapi-rules.md"), renderRuleCatalogue());
console.log("wrote docs/openapi-rules.md");
