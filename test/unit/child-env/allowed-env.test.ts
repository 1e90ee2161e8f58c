// What the kit hands to the code it starts (Alchemy and the app's alchemy.run.ts, k6, the app's scripts): the
// allow-listed environment, never the action's inputs, the runner's tokens or its file commands.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { childEnv, withVars } from "../../../workflows-lib/child-env/allowed-env.ts";
import { alchemyEnv } from "../../../workflows-lib/alchemy/alchemy-cli.ts";
import { createScriptRunner } from "../../../workflows-lib/matrix/adapters/script-runner.ts";

/** What a step of an action sees on a GitHub runner (values are stand-ins). */
const runnerEnv: Record<string, string> = {
  PATH: process.env.PATH ?? "/usr/bin",
  HOME: "/home/runner",
  CI: "true",
  GITHUB_ACTIONS: "true",
  GITHUB_REPOSITORY: "octo/app",
  GITHUB_SHA: "a".repeat(40),
  RUNNER_TEMP: "/tmp/runner",
  "INPUT_GITHUB-TOKEN": "ghs_input_token",
  GITHUB_TOKEN: "ghs_env_token",
  ACTIONS_RUNTIME_TOKEN: "runtime-token",
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: "oidc-token",
  ACTIONS_ID_TOKEN_REQUEST_URL: "https://oidc.example/x",
  ACTIONS_CACHE_URL: "https://cache.example/",
  ACTIONS_RESULTS_URL: "https://results.example/",
  GITHUB_ENV: "/tmp/runner/env",
  GITHUB_PATH: "/tmp/runner/path",
  GITHUB_OUTPUT: "/tmp/runner/output",
  GITHUB_STATE: "/tmp/runner/state",
  GITHUB_STEP_SUMMARY: "/tmp/runner/summary",
  GITHUB_EVENT_PATH: "/tmp/runner/event.json",
  RELEASE_TOKEN: "release-token",
  NPM_TOKEN: "npm-token",
  CLOUDFLARE_API_TOKEN: "cf-token",
  CLOUDFLARE_ACCOUNT_ID: "0".repeat(32),
  ALCHEMY_PASSWORD: "alchemy-password",
  ALCHEMY_STATE_TOKEN: "state-token",
  K6_CLOUD_TOKEN: "k6-cloud",
  STRIPE_KEY: "sk_test",
};

const NEVER = ["INPUT_GITHUB-TOKEN", "GITHUB_TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_CACHE_URL", "ACTIONS_RESULTS_URL", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT", "GITHUB_STATE", "GITHUB_STEP_SUMMARY", "GITHUB_EVENT_PATH", "RELEASE_TOKEN", "NPM_TOKEN"];

test("Alchemy gets its own and Cloudflare's variables, nothing of the runner's tokens or file commands", () => {
  const env = alchemyEnv(runnerEnv, "/opt/node/bin/node");
  for (const name of NEVER) assert.equal(env[name], undefined, name);
  assert.equal(env.CLOUDFLARE_API_TOKEN, "cf-token");
  assert.equal(env.ALCHEMY_PASSWORD, "alchemy-password");
  assert.equal(env.ALCHEMY_STATE_TOKEN, "state-token");
  assert.equal(env.GITHUB_SHA, "a".repeat(40));
  assert.equal(env.STRIPE_KEY, undefined, "the app's own variables only when passed by name");
  assert.equal(env.K6_CLOUD_TOKEN, undefined);
  assert.ok(env.PATH!.startsWith("/opt/node/bin"), "the kit's Node first on PATH");
  assert.equal(env.DO_NOT_TRACK, "1");
});

test("the kit's own variables for the app (BUILD_ID, APP_VARIANT) reach it through the allow-list", () => {
  const env = alchemyEnv(withVars(runnerEnv, { APP_VARIANT: "slow", BUILD_ID: "abc" }), "/opt/node/bin/node");
  assert.equal(env.APP_VARIANT, "slow");
  assert.equal(env.BUILD_ID, "abc");
  assert.equal(env.ACTIONS_RUNTIME_TOKEN, undefined);
});

test("k6 and the app's commands get no Cloudflare or Alchemy secrets; ALCHKIT_PASS_ENV passes a name on purpose", () => {
  const k6 = childEnv(runnerEnv, "k6");
  for (const name of [...NEVER, "CLOUDFLARE_API_TOKEN", "ALCHEMY_PASSWORD", "ALCHEMY_STATE_TOKEN"]) assert.equal(k6[name], undefined, name);
  assert.equal(k6.K6_CLOUD_TOKEN, "k6-cloud");
  const app = childEnv(runnerEnv, "app");
  for (const name of [...NEVER, "CLOUDFLARE_API_TOKEN", "ALCHEMY_PASSWORD", "K6_CLOUD_TOKEN"]) assert.equal(app[name], undefined, name);
  assert.equal(app.HOME, "/home/runner");
  const passed = childEnv({ ...runnerEnv, ALCHKIT_PASS_ENV: "STRIPE_KEY, NOT_SET" }, "app");
  assert.equal(passed.STRIPE_KEY, "sk_test");
  assert.equal(passed.NOT_SET, undefined);
  assert.deepEqual(childEnv(runnerEnv, "k6", { BASE_URL: "http://x" }).BASE_URL, "http://x", "the kit's own variables always pass");
});

test("a package script the matrix runs sees the allow-listed environment only", async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), "alchkit-child-env-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "probe", scripts: { probe: "node -e \"require('fs').writeFileSync('seen.json', JSON.stringify(process.env))\"" } }));
  const runner = createScriptRunner(path.dirname(dir), { env: { ...process.env, ...runnerEnv, PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir } });
  const result = await runner.run("npm", path.basename(dir), "probe");
  assert.equal(result.exitCode, 0);
  const seen = JSON.parse(readFileSync(path.join(dir, "seen.json"), "utf8")) as Record<string, string>;
  for (const name of [...NEVER, "CLOUDFLARE_API_TOKEN", "ALCHEMY_PASSWORD"]) assert.equal(seen[name], undefined, name);
  assert.equal(seen.GITHUB_SHA, "a".repeat(40));
});

test("Alchemy's processes write no V8 coverage, though Node copies NODE_V8_COVERAGE into every child it spawns", (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), "alchkit-coverage-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const coverage = path.join(dir, "coverage");
  // A parent under coverage (as the kit is in a test run) starts one child with Alchemy's environment, one with k6's.
  const parent = path.join(dir, "parent.ts");
  writeFileSync(
    parent,
    `import { spawnSync } from "node:child_process";
import { childEnv } from ${JSON.stringify(path.resolve("workflows-lib/child-env/allowed-env.ts"))};
for (const purpose of ["alchemy", "k6"] as const) {
  const child = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { env: childEnv({ PATH: process.env.PATH }, purpose), encoding: "utf8" });
  console.log(purpose, child.stdout.trim());
}
console.log("parent", process.pid);
`,
  );
  const run = spawnSync(process.execPath, [parent], { env: { PATH: process.env.PATH ?? "", NODE_V8_COVERAGE: coverage }, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const pids = Object.fromEntries(run.stdout.trim().split("\n").map((line) => line.split(" ") as [string, string]));
  const written = readdirSync(coverage).map((file) => file.split("-")[1]);
  assert.ok(written.includes(pids.parent!), "the parent wrote its coverage");
  assert.ok(written.includes(pids.k6!), "Node copied NODE_V8_COVERAGE into a child whose env did not name it");
  assert.ok(!written.includes(pids.alchemy!), `Alchemy's process wrote no coverage (${written.join(", ")})`);
  assert.equal(childEnv({ NODE_V8_COVERAGE: "/c", ALCHKIT_PASS_ENV: "NODE_V8_COVERAGE" }, "alchemy").NODE_V8_COVERAGE, "/c", "passed on purpose, it reaches Alchemy");
});
