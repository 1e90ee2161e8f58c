// ARCHITECTURE.md describes the code as it is: every repository path it names (in backticks or as a link)
// exists. A `<name>` placeholder must match at least one folder or file; a path without a folder in front
// (`wiring/promotion-ports.ts`) may be one of workflows-lib's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, globSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const doc = readFileSync(path.join(root, "ARCHITECTURE.md"), "utf8");

/** The repository paths the page names: backticked spans and link targets that start with a folder of the repository. */
function namedPaths(markdown: string): string[] {
  const spans = [...markdown.matchAll(/`([^`\n]+)`/g), ...markdown.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
  const folders = new Set(["actions", "workflows-lib", "test", "docs", "scripts", "bench", ".github", ...globSync("*/", { cwd: path.join(root, "workflows-lib") }).map((d) => d.replace(/\/$/, ""))]);
  return [...new Set(spans.filter((span) => /^[.\w-]+\/[^\s@…]*$/.test(span) && folders.has(span.split("/")[0]!)))].sort();
}

const exists = (candidate: string): boolean =>
  /[<*]/.test(candidate) ? globSync(candidate.replace(/<[^>]+>/g, "*"), { cwd: root }).length > 0 : existsSync(path.join(root, candidate));

test("every path ARCHITECTURE.md names exists", () => {
  const paths = namedPaths(doc);
  assert.ok(paths.length > 40, `found ${paths.length} paths`);
  const missing = paths.filter((p) => !exists(p) && !exists(path.join("workflows-lib", p)));
  assert.deepEqual(missing, [], "ARCHITECTURE.md names paths the repository does not have");
});

test("the check notices a path that is not there", () => {
  const paths = namedPaths("See `workflows-lib/preview/no-such-module.ts`, `actions/<name>/main.ts` and [x](docs/nowhere.md).");
  assert.deepEqual(paths, ["actions/<name>/main.ts", "docs/nowhere.md", "workflows-lib/preview/no-such-module.ts"]);
  assert.deepEqual(paths.filter((p) => !exists(p)), ["docs/nowhere.md", "workflows-lib/preview/no-such-module.ts"]);
});

test("the layers named on the page are the folders workflows-lib has: every adapter and shell folder", () => {
  for (const folder of ["github", "alchemy", "cloudflare", "local", "wiring", "platform", "cli"]) {
    assert.ok(existsSync(path.join(root, "workflows-lib", folder)), folder);
    assert.match(doc, new RegExp(`workflows-lib/${folder}/|\\b${folder}/`), `ARCHITECTURE.md names workflows-lib/${folder}/`);
  }
});
