import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runAlchemy } from "../../../workflows-lib/alchemy/alchemy-cli.ts";
import type { AlchemyLauncher } from "../../../workflows-lib/alchemy/alchemy-launcher.ts";

/**
 * A stand-in for the `alchemy` CLI that counts its runs in a file and fails the first `failures` of them the way
 * Node reports a state-store connection that dropped (what `alchemy state list` printed once on a loaded machine).
 */
function flakyAlchemy(t: { after(fn: () => void): void }, failures: number, message = "[TypeError: fetch failed] { [cause]: Error: Client network socket disconnected before secure TLS connection was established code: 'ECONNRESET' }") {
  const dir = mkdtempSync(path.join(tmpdir(), "alchkit-retry-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const counter = path.join(dir, "runs");
  const script = `const fs=require("fs");const n=(fs.existsSync(${JSON.stringify(counter)})?Number(fs.readFileSync(${JSON.stringify(counter)},"utf8")):0)+1;fs.writeFileSync(${JSON.stringify(counter)},String(n));if(n<=${failures}){console.error(${JSON.stringify(message)});process.exit(1)}console.log("[]")`;
  const launcher: AlchemyLauncher = { label: "alchemy", command: () => ({ file: "node", args: ["-e", script], env: {} }) };
  return { dir, launcher, runs: () => Number(readFileSync(counter, "utf8")) };
}

test("a state read whose connection dropped is tried again, and succeeds", async (t) => {
  const alchemy = flakyAlchemy(t, 2);
  const result = await runAlchemy("state list", { stage: "pr-1" }, { cwd: alchemy.dir, env: {}, launcher: alchemy.launcher });
  assert.equal(result.exitCode, 0);
  assert.equal(alchemy.runs(), 3, "two dropped connections, then the read");
});

test("a state read gives up after three attempts with Alchemy's error", async (t) => {
  const alchemy = flakyAlchemy(t, 5);
  await assert.rejects(runAlchemy("state list", { stage: "pr-1" }, { cwd: alchemy.dir, env: {}, launcher: alchemy.launcher }), /alchemy state list failed for stage pr-1/);
  assert.equal(alchemy.runs(), 3);
});

test("nothing that writes is repeated, and a read that failed for another reason is not either", async (t) => {
  const deploy = flakyAlchemy(t, 1);
  await assert.rejects(runAlchemy("deploy", { stage: "pr-1" }, { cwd: deploy.dir, env: {}, launcher: deploy.launcher }));
  assert.equal(deploy.runs(), 1, "a deploy is never run twice by the kit");
  const denied = flakyAlchemy(t, 1, "Error: state store answered 403 Forbidden");
  const result = await runAlchemy("state list", { stage: "pr-1" }, { cwd: denied.dir, env: {}, launcher: denied.launcher, allowFailure: true });
  assert.equal(result.exitCode, 1);
  assert.equal(denied.runs(), 1);
});
