import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { MIN_NODE_VERSION, nodeSupported } from "../../workflows-lib/platform/node-support.ts";
import { REPO_ROOT } from "../support/app-fixtures.ts";
import { findTool } from "../support/tools.ts";

const BIN = path.join(REPO_ROOT, "workflows-lib/cli/bin.js");
const version = (node: string) => spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
const run = (node: string, args: string[]) => spawnSync(node, [BIN, ...args], { encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME } });

// A Node.js older than the minimum on PATH outside node_modules (the system's; npm puts the kit's Node 24 first).
const oldNode = (process.env.PATH ?? "")
  .split(path.delimiter)
  .filter((dir) => dir && !dir.includes("node_modules"))
  .map((dir) => path.join(dir, "node"))
  .find((file) => existsSync(file) && !nodeSupported(version(file)));
const node22 = findTool("node22");
const kitVersion = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;

test("on a Node.js older than the minimum the CLI says which it needs, in one line, and exits 2", { skip: oldNode ? false : `no Node.js older than ${MIN_NODE_VERSION} on PATH` }, () => {
  const result = run(oldNode!, ["doctor", "--dir", "."]);
  assert.equal(result.status, 2, result.stderr);
  assert.equal(result.stdout, "");
  assert.equal(
    result.stderr,
    `alchkit needs Node.js ${MIN_NODE_VERSION} or later (24 recommended); this is ${version(oldNode!)}. Install a newer Node.js (nodejs.org, or nvm install 24) and run it again.\n`,
  );
});

test("on Node.js 22 the CLI runs", { skip: node22 ? false : "node22 is not installed (`bash .ci/install-tools` installs it)" }, () => {
  assert.match(version(node22!), /^v22\./);
  const result = run(node22!, ["--version"]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), kitVersion);
  const doctor = run(node22!, ["doctor", "--dir", path.join(REPO_ROOT, "test/fixtures/consumer-app"), "--format", "json"]);
  assert.equal(doctor.status, 0, doctor.stderr);
  assert.deepEqual(JSON.parse(doctor.stdout), { findings: [] });
});
