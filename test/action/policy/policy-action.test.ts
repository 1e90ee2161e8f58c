// actions/policy as the runner runs it (built dist, INPUT_*, the GitHub stand-in): the promotion of a stage
// that breaks stage isolation is refused with the finding in the step summary; a clean one passes.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot, runActionDist } from "../../harness/run-action.ts";
import { assertNoViolations, startGitHubStandIn, type GitHubStandIn } from "../../github/index.ts";
import { opa } from "../../support/policy.ts";

let gh: GitHubStandIn;
let sha: string;
before(async () => {
  gh = await startGitHubStandIn();
  sha = gh.defaults!.baseSha;
  gh.seed.checkRun("octo/app", { headSha: sha, name: "ci", status: "completed", conclusion: "success" });
});
after(async () => {
  await gh?.close();
});

/** A checkout of the policy app with its `staging` stage's Alchemy state (the Worker binds orders-prod-db). */
function workspace(t: { after(fn: () => void): void }, config: unknown, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), "alchkit-policy-action-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const app = path.join(repoRoot, "test/fixtures/policy-app");
  for (const f of ["alchemy.run.ts", "package.json", "src"]) cpSync(path.join(app, f), path.join(dir, f), { recursive: true });
  cpSync(path.join(app, "captured-state"), path.join(dir, ".alchemy"), { recursive: true });
  writeFileSync(path.join(dir, "alchkit.config.json"), JSON.stringify(config));
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return dir;
}

const run = (root: string, inputs: Record<string, string>) =>
  runActionDist({
    action: "policy",
    inputs: { runtime: "local", "opa-path": opa.require(), ...inputs },
    github: { url: gh.url, token: gh.token },
    repository: "octo/app",
    sha,
    workspace: root,
    eventName: "workflow_dispatch",
    env: { ALCHKIT_GITHUB_TIME_SCALE: "0.001" },
    timeoutMs: 60_000,
  });

test("promoting a stage that breaks stage isolation is refused, the finding in the summary with file and rule", { skip: opa.skip }, async (t) => {
  const root = workspace(t, { policy: { library: { "stage-isolation": {}, "production-readiness": { require_load_gate: false } } } });
  const result = await run(root, { stage: "staging", environment: "production", "out-dir": "out" });
  assert.equal(result.exitCode, 1, result.log);
  assert.equal(result.outputs.passed, "false");
  const errors = result.annotations.filter((a) => a.level === "error");
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /Policy gate denied the deployment: library\/stage-isolation\.rego deny_foreign_binding: api \(stage staging\) binds SHARED to cloudflare::D1Database "orders-prod-db"/);
  assert.match(result.summary, /❌ \*\*Policies denied\*\* the deployment to production \(stage prod\)/);
  assert.match(result.summary, /\| ❌ deny \| `library\/stage-isolation\.rego:\d+` \| `deny_foreign_binding` \| api \(stage staging\) binds SHARED/);
  const facts = JSON.parse(readFileSync(path.join(root, "out/facts.json"), "utf8"));
  assert.deepEqual(facts.target, { environment: "production", stage: "prod", kind: "production", production: true, sha, ref: "refs/heads/main" });
  assert.deepEqual(facts.checks.items.map((c: { name: string; state: string }) => [c.name, c.state]), [["ci", "success"]]);
  const audit = JSON.parse(result.outputs.audit!);
  assert.equal(audit.kind, "policy-evaluation");
  assert.equal(audit.passed, false);
  assert.match(audit.inputDigest, /^[0-9a-f]{64}$/);
  assert.match(audit.policyDigest, /^[0-9a-f]{64}$/);
  assert.deepEqual(audit.counts, { deny: 1, warn: 0, excepted: 0 });
  assertNoViolations(gh);
});

test("a stage shared on purpose passes; the report still lists every policy evaluated", { skip: opa.skip }, async (t) => {
  const root = workspace(t, { policy: { library: { "stage-isolation": { shared: ["orders-prod-db"] } } } });
  const result = await run(root, { stage: "staging", environment: "production" });
  assert.equal(result.exitCode, 0, result.log);
  assert.equal(result.outputs.passed, "true");
  assert.match(result.summary, /✅ \*\*Policies passed\*\*/);
  assert.match(result.summary, /library\/stage-isolation\.rego/);
});

test("a repository without policies passes with a notice (the workflows include the gate by default)", async (t) => {
  const root = workspace(t, {});
  const result = await run(root, { stage: "staging", environment: "production", "opa-path": "/nonexistent/opa" });
  assert.equal(result.exitCode, 0, result.log);
  assert.equal(result.outputs.passed, "true");
  assert.ok(result.annotations.some((a) => a.level === "notice" && /nothing to enforce/.test(a.message)));
});

test("a policy that does not compile fails the step with one error naming the file and line", { skip: opa.skip }, async (t) => {
  const root = workspace(t, {}, {});
  const policies = path.join(root, "policies");
  cpSync(path.join(root, "src"), policies, { recursive: true });
  rmSync(path.join(policies, "worker.ts"));
  writeFileSync(path.join(policies, "bad.rego"), "package main\n\ndeny contains msg if {\n");
  const result = await run(root, { stage: "staging", environment: "production" });
  assert.equal(result.exitCode, 1);
  const errors = result.annotations.filter((a) => a.level === "error");
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /^Input policies\/bad\.rego:\d+: expected Rego that compiles/);
  assert.equal(result.outputs.passed, undefined, "no verdict for bad input");
});
