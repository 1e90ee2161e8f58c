// Regenerates workflows-lib/openapi/diff/rules.ts from the rule listing of the pinned oasdiff
// (`oasdiff checks changelog --format json`: every rule id with its level), then the rule catalogue page.
// The engine never runs oasdiff: it imports the committed table. Run: node scripts/openapi-rule-table.ts
// (oasdiff from PATH or the tools directory `bash .ci/install-tools` fills).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { OASDIFF_VERSION, buildRuleTableSource } from "../workflows-lib/openapi/diff/rule-table-source.ts";
import type { ListedRule } from "../workflows-lib/openapi/diff/rule-table-source.ts";
import { findTool } from "../test/support/tools.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const oasdiff = findTool("oasdiff");
if (!oasdiff) {
  console.error(`oasdiff ${OASDIFF_VERSION} is not installed: \`bash .ci/install-tools\` builds it`);
  process.exit(2);
}
const listing = JSON.parse(execFileSync(oasdiff, ["checks", "changelog", "--format", "json"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })) as ListedRule[];
const out = join(root, "workflows-lib", "openapi", "diff", "rules.ts");
writeFileSync(out, buildRuleTableSource(listing));
console.log(`wrote ${listing.length} rules of oasdiff ${OASDIFF_VERSION} to workflows-lib/openapi/diff/rules.ts`);

// The rule catalogue page is rendered from the table just written.
const { renderRuleCatalogue } = await import("../workflows-lib/openapi/diff/format.ts");
writeFileSync(join(root, "docs", "openapi-rules.md"), renderRuleCatalogue());
console.log("wrote docs/openapi-rules.md");
