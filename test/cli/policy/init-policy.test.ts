// `alchkit init` and the policy gate: a policies/ starter that OPA's test runner passes and the gate runs, the
// starter library policies in alchkit.config.json, and `--skip-policy` to leave it all out.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { commands } from "../../../workflows-lib/cli/commands/index.ts";
import { runCli } from "../../../workflows-lib/cli/run-cli.ts";
import { opa } from "../../support/policy.ts";

const POLICY_APP = path.resolve(import.meta.dirname, "../../fixtures/policy-app");

async function cli(argv: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(commands, argv, { cwd, env: {}, isTTY: false, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, "1.0.0");
  return { code, stdout, stderr };
}

function repo(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), "alchkit-init-policy-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of ["alchemy.run.ts", "package.json", "src"]) cpSync(path.join(POLICY_APP, f), path.join(dir, f), { recursive: true });
  return dir;
}

test("init writes a policies/ starter that opa test passes, and enables the starter library policies", { skip: opa.skip }, async (t) => {
  const dir = repo(t);
  const init = await cli(["init", "--dir", dir], dir);
  assert.equal(init.code, 0, init.stderr);
  const config = JSON.parse(readFileSync(path.join(dir, "alchkit.config.json"), "utf8"));
  assert.deepEqual(Object.keys(config.policy.library).sort(), ["compatibility-date", "plain-text-secrets", "stage-isolation"]);
  const tests = spawnSync(opa.require(), ["test", path.join(dir, "policies")], { encoding: "utf8" });
  assert.equal(tests.status, 0, tests.stdout + tests.stderr);
  assert.match(tests.stdout, /PASS: 2\/2/);
  for (const file of ["deploy.yml", "promote.yml"]) {
    const workflow = parse(readFileSync(path.join(dir, ".github/workflows", file), "utf8")) as { jobs: Record<string, { with: Record<string, unknown> }> };
    assert.equal(Object.values(workflow.jobs)[0]!.with.policy, undefined, `${file}: the gate is on (the reusable workflow's default)`);
  }

  // The starter and the library run on a stage as they are written: the captured staging stage binds another stage's database.
  cpSync(path.join(POLICY_APP, "captured-state"), path.join(dir, ".alchemy"), { recursive: true });
  const check = await cli(["policy", "check", "--cwd", dir, "--stage", "staging", "--local", "--opa", opa.require(), "--format", "text"], dir);
  assert.equal(check.code, 1, check.stderr);
  assert.match(check.stdout, /DENY library\/stage-isolation\.rego:\d+ deny_foreign_binding/);
  assert.match(check.stdout, /DENY library\/compatibility-date\.rego:\d+ deny_too_old/);
  assert.match(check.stdout, /DENY library\/plain-text-secrets\.rego:\d+ deny_secret_name: api binds TOKEN as plain text/);
});

test("init --skip-policy writes no starter, enables nothing and turns the gate off in the workflows", async (t) => {
  const dir = repo(t);
  const init = await cli(["init", "--dir", dir, "--skip-policy"], dir);
  assert.equal(init.code, 0, init.stderr);
  assert.equal(existsSync(path.join(dir, "policies")), false);
  assert.deepEqual(JSON.parse(readFileSync(path.join(dir, "alchkit.config.json"), "utf8")).policy.library, {});
  for (const file of ["deploy.yml", "promote.yml"]) {
    const workflow = parse(readFileSync(path.join(dir, ".github/workflows", file), "utf8")) as { jobs: Record<string, { with: Record<string, unknown> }> };
    assert.equal(Object.values(workflow.jobs)[0]!.with.policy, false, file);
  }
});
