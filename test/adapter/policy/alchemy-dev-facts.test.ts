// The policy gate on a stage real Alchemy wrote: the policy example app runs under `alchemy dev` (workerd)
// as a preview stage bound to another stage's database; `alchkit policy check --local` reads the state Alchemy
// left in .alchemy/ and stage isolation denies it. The stage is destroyed afterwards, also on failure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createLocalRuntime } from "../../../workflows-lib/alchemy/local-runtime.ts";
import { localStateRoot } from "../../../workflows-lib/alchemy/stage-dir.ts";
import { commands } from "../../../workflows-lib/cli/commands/index.ts";
import { runCli } from "../../../workflows-lib/cli/run-cli.ts";
import { opa } from "../../support/policy.ts";

const APP = path.resolve(import.meta.dirname, "../../fixtures/policy-app");

test("a preview stage under alchemy dev bound to production's database is denied from its own state", { skip: opa.skip, timeout: 180_000 }, async (t) => {
  const stage = `pr-${process.pid % 10000}${randomBytes(2).toString("hex")}`;
  // The stage runs in its own folder under the app's .alchkit/ (as `alchkit deploy --local` does), where the CLI finds it.
  const runtime = createLocalRuntime({ cwd: APP, env: { PATH: process.env.PATH, HOME: process.env.HOME }, healthPath: "/health" });
  t.after(async () => {
    await runtime.down({ stage }).catch(() => undefined);
  });
  // workerd refuses compatibility dates newer than its build: a fixed, supported one.
  const app = await runtime.start({ stage, vars: { SHARED_DB_NAME: "orders-prod-db", COMPATIBILITY_DATE: "2026-07-01" } });
  assert.ok(app.pid > 0);
  // Alchemy writes the Worker's state once more after it is serving; read the stage once that write is done.
  assert.ok(existsSync(path.join(localStateRoot(APP, stage), ".alchemy")), "alchkit ran the stage in its own folder");
  const apiState = path.join(localStateRoot(APP, stage), ".alchemy", "policy-app", stage, "api.json");
  for (const started = Date.now(); ; await new Promise((r) => setTimeout(r, 200))) {
    const state = existsSync(apiState) ? (JSON.parse(readFileSync(apiState, "utf8")) as { status?: string; output?: { url?: string } }) : undefined;
    if (state?.status === "created" && state.output?.url) break;
    if (Date.now() - started > 60_000) assert.fail(`Alchemy never finished writing ${apiState}`);
  }

  let stdout = "";
  let stderr = "";
  const code = await runCli(
    commands,
    ["policy", "check", "--stage", stage, "--local", "--cwd", APP, "--opa", opa.require(), "--format", "json"],
    { cwd: APP, env: {}, isTTY: false, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) },
    "0.0.0-test",
  );
  assert.equal(code, 1, stderr);
  const result = JSON.parse(stdout) as { passed: boolean; findings: { policy: string; rule: string; level: string; message: string }[] };
  assert.equal(result.passed, false);
  assert.deepEqual(
    result.findings.filter((f) => f.level === "deny").map((f) => [f.policy, f.rule]),
    [["library/stage-isolation.rego", "deny_foreign_binding"]],
  );
  assert.match(result.findings[0]!.message, new RegExp(`api \\(stage ${stage}\\) binds SHARED to cloudflare::D1Database "orders-prod-db"`));
});
