// `npm test`: type-check, then every test file with coverage. Extra arguments narrow the files
// (e.g. `npm test -- test/unit`).
import { spawnSync } from "node:child_process";
import { globSync } from "node:fs";

const narrow = process.argv.slice(2);
const roots = narrow.length > 0 ? narrow : ["test"];
const files = roots
  .flatMap((root) => (root.endsWith(".ts") ? [root] : globSync(`${root.replace(/\/$/, "")}/**/*.test.ts`)))
  .filter((file) => !file.includes("node_modules") && !file.includes("/fixtures/"))
  .sort();

const env = { ...process.env, DO_NOT_TRACK: "1", ALCHEMY_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" };

function step(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (narrow.length === 0) step(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"]);
step(process.execPath, [
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
