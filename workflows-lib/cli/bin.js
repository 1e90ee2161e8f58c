#!/usr/bin/env node
// The `alchkit` executable. Node 24 runs the TypeScript sources as they are, except under node_modules
// (where it refuses to strip types): installed as a dependency, the sources go through tsx's loader.
import { enableCompileCache } from "node:module";

// Type stripping and compiling every module at each start costs a few hundred ms: cache it.
enableCompileCache?.();
const main = new URL("./main.ts", import.meta.url);
const [major] = process.versions.node.split(".").map(Number);
if (major < 22) {
  console.error(`alchkit needs Node.js 22 or later (24 recommended); this is ${process.version}.`);
  process.exit(2);
}
if (main.pathname.includes("/node_modules/") || major < 24) {
  const { register } = await import("tsx/esm/api");
  register();
}
await import(main.href);
