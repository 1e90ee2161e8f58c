#!/usr/bin/env node
// The `alchkit` executable. In the kit's repository it runs the TypeScript sources (Node strips their types);
// the npm package ships no sources, only the compiled CLI in dist/cli (`npm run build:cli`, run by `prepack`).
//
// This file must load on any Node.js, however old, to say which one it needs: nothing is imported before the
// version check but `node:fs`, whose readFileSync every Node has (a named import a Node lacks, such as
// `enableCompileCache`, fails before a line of this file runs).
import { existsSync, readFileSync } from "node:fs";

// The supported versions are package.json's `engines.node` (">=X.Y.Z"), the one place they are written.
const engines = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).engines.node;
const required = engines.match(/^>=\s*(\d+)\.(\d+)\.(\d+)$/).slice(1).map(Number);
const current = process.versions.node.split(".").map(Number);
const older = required.findIndex((part, i) => current[i] !== part);
if (older >= 0 && current[older] < required[older]) {
  console.error(`alchkit needs Node.js ${required.join(".")} or later (24 recommended); this is ${process.version}. Install a newer Node.js (nodejs.org, or nvm install 24) and run it again.`);
  process.exit(2);
}

// Compiling every module at each start costs a few hundred ms: cache it.
const { enableCompileCache } = await import("node:module");
enableCompileCache?.();
const source = new URL("./main.ts", import.meta.url);
const compiled = new URL("../../dist/cli/main.js", import.meta.url);
if (existsSync(source)) {
  // A Node.js that does not strip types by default (before 22.18) runs the sources through tsx, a devDependency.
  if (!process.features.typescript) (await import("tsx/esm/api")).register();
  await import(source.href);
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  console.error("This copy of alchkit has neither its sources nor its compiled CLI (dist/cli/main.js): install the npm package (npm install --save-dev alchkit), or run `npm run build:cli` in the kit's repository.");
  process.exit(2);
}
