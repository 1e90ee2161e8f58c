#!/usr/bin/env node
// `npm create alchkit [NAME] [flags]` runs this: `alchkit create` of the alchkit version this package depends on,
// with the same arguments, in the same folder, its exit code passed on. Without arguments it prints create's help:
// the templates (`--template hono|vite|react-router`, Alchemy's own) and the other flags.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const manifestFile = require.resolve("alchkit/package.json");
const { bin } = JSON.parse(readFileSync(manifestFile, "utf8"));
const cli = path.join(path.dirname(manifestFile), typeof bin === "string" ? bin : bin.alchkit);
const args = process.argv.slice(2);
const result = spawnSync(process.execPath, [cli, "create", ...(args.length > 0 ? args : ["--help"])], { stdio: "inherit" });
if (result.error) {
  process.stderr.write(`create-alchkit: cannot start alchkit: ${result.error.message}\n`);
  process.exit(1);
}
// `npm create alchkit` alone asked for nothing: its help, and a non-zero exit so a script notices.
process.exit(args.length > 0 ? (result.status ?? 1) : 2);
