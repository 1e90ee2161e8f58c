// `npm test`: type-check, then every test file with coverage. Extra arguments narrow the files
// (e.g. `npm test -- test/unit`).
import { spawnSync } from "node:child_process";
import { globSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const narrow = process.argv.slice(2);

// Files start in list order, two at a time: the folders whose files run real apps and workflows (tens of seconds
// each) go first, so the run does not end with one long file running alone while the other slot is idle.
const SLOW_FIRST = ["test/workflow/act/", "test/e2e/", "test/adapter/alchemy/", "test/package/", "test/cli/"];
const tier = (file: string): number => {
  const index = SLOW_FIRST.findIndex((prefix) => file.startsWith(prefix));
  return index === -1 ? SLOW_FIRST.length : index;
};
const roots = narrow.length > 0 ? narrow : ["test"];
const files = roots
  .flatMap((root) => (root.endsWith(".ts") ? [root] : globSync(`${root.replace(/\/$/, "")}/**/*.test.ts`)))
  .filter((file) => !file.includes("node_modules") && !file.includes("/fixtures/"))
  .sort()
  .sort((a, b) => tier(a) - tier(b));
// With no file, `node --test` would look for tests everywhere below the current directory: a mistyped path
// must not quietly become the whole suite.
if (files.length === 0) {
  console.error(`npm test: ${roots.join(", ")}: expected a test file or a folder holding *.test.ts files`);
  process.exit(2);
}

// Every test process records where it looked for the planted secrets (test/support/planted-secrets.ts) here.
const scanDir = mkdtempSync(join(tmpdir(), "alchkit-planted-scan-"));
const env = { ...process.env, DO_NOT_TRACK: "1", ALCHEMY_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0", ALCHKIT_PLANTED_SCAN_DIR: scanDir };

function step(command: string, args: string[]): number {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  return result.status ?? 1;
}

/** After the tests: how many places were scanned for planted secrets, and every one found. */
function plantedSecretReport(): number {
  let places = 0;
  const hits: string[] = [];
  for (const file of readdirSync(scanDir)) {
    for (const line of readFileSync(join(scanDir, file), "utf8").split("\n").filter(Boolean)) {
      const entry = JSON.parse(line) as { where: string; hits: Array<{ secret: string }> };
      places++;
      for (const hit of entry.hits) hits.push(`  - ${hit.secret} in ${entry.where}`);
    }
  }
  rmSync(scanDir, { recursive: true, force: true });
  console.log(`planted-secret scan: ${places} places scanned (logs, summaries, outputs, files, comments and everything sent to GitHub), ${hits.length} secret(s) found`);
  if (hits.length > 0) console.log(hits.join("\n"));
  return hits.length;
}

if (narrow.length === 0) {
  const typecheck = step(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"]);
  if (typecheck !== 0) process.exit(typecheck);
}
const status = step(process.execPath, [
  "--test",
  "--experimental-test-coverage",
  "--test-coverage-include=workflows-lib/**",
  "--test-coverage-include=actions/*/main.ts",
  "--test-reporter=spec",
  "--test-reporter-destination=stdout",
  `--test-concurrency=${process.env.ALCHKIT_TEST_CONCURRENCY ?? "2"}`,
  // A test that hangs fails after 8 minutes instead of holding the whole run.
  "--test-timeout=480000",
  ...files,
]);
const found = plantedSecretReport();
process.exit(status !== 0 ? status : found > 0 ? 1 : 0);
