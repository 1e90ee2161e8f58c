#!/usr/bin/env node
// The `alchkit` executable. Node 24 runs the TypeScript sources as they are, except under node_modules
// (where it refuses to strip types): installed as a dependency, the sources go through tsx's loader.
//
// This file must load on any Node.js, however old, to say which one it needs: nothing is imported before the
// version check but `node:fs`, whose readFileSync every Node has (a named import a Node lacks, such as
// `enableCompileCache`, fails before a line of this file runs).
import { readFileSync } from "node:fs";

// The supported versions are package.json's `engines.node` (">=X.Y.Z"), the one place they are written.
const engines = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).engines.node;
const required = engines.match(/^>=\s*(\d+)\.(\d+)\.(\d+)$/).slice(1).map(Number);
const current = process.versions.node.split(".").map(Number);
const older = required.findIndex((part, i) => current[i] !== part);
if (older >= 0 && current[older] < required[older]) {
  console.error(`alchkit needs Node.js ${required.join(".")} or later (24 recommended); this is ${process.version}. Install a newer Node.js (nodejs.org, or nvm install 24) and run it again.`);
  process.exit(2);
}

// Type stripping and compiling every module at each start costs a few hundred ms: cache it.
const { enableCompileCache } = await import("node:module");
enableCompileCache?.();
const main = new URL("./main.ts", import.meta.url);
if (main.pathname.includes("/node_modules/") || current[0] < 24) {
  const { register } = await import("tsx/esm/api");
  register();
}
await import(main.href);
