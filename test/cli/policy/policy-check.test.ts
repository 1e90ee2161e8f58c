// `alchkit policy check` through the CLI's own entry: facts assembled from a stage's Alchemy state (a real
// `alchemy dev` state captured from the policy example app), conftest's conventions, exit codes, and bad input
// as one error naming the file and the line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { commands } from "../../../workflows-lib/cli/commands/index.ts";
import { runCli } from "../../../workflows-lib/cli/run-cli.ts";
import { factsText } from "../../../workflows-lib/policy/evaluate-policies.ts";
import { goodFacts, opa } from "../../support/policy.ts";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const POLICY_APP = path.join(repoRoot, "test/fixtures/policy-app");

async function cli(argv: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(commands, argv, { cwd, env: {}, isTTY: false, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, "0.0.0-test");
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as { passed: boolean; findings: { policy: string; rule: string; level: string; message: string; namespace: string; line?: number }[]; excepted?: unknown[] } };
}

/** A repository with the policy app's captured `staging` state (it binds orders-prod-db) and the given files. */
function repo(t: { after(fn: () => void): void }, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), "alchkit-policy-cli-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of ["alchemy.run.ts", "package.json", "src"]) cpSync(path.join(POLICY_APP, f), path.join(dir, f), { recursive: true });
  cpSync(path.join(POLICY_APP, "captured-state"), path.join(dir, ".alchemy"), { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const isolationOnly = JSON.stringify({ policy: { library: { "stage-isolation": {} } } });

test("a stage that binds another stage's database is denied, with the policy file and rule", { skip: opa.skip }, async (t) => {
  const dir = repo(t, { "alchkit.config.json": isolationOnly });
  const run = await cli(["policy", "check", "--stage", "staging", "--local", "--opa", opa.require()], dir);
  assert.equal(run.code, 1, run.stderr);
  const { passed, findings } = run.json();
  assert.equal(passed, false);
  assert.equal(findings.length, 1);
  assert.deepEqual(
    { policy: findings[0]!.policy, rule: findings[0]!.rule, level: findings[0]!.level },
    { policy: "library/stage-isolation.rego", rule: "deny_foreign_binding", level: "deny" },
  );
  assert.match(findings[0]!.message, /api \(stage staging\) binds SHARED to cloudflare::D1Database "orders-prod-db"/);

  const markdown = await cli(["policy", "check", "--stage", "staging", "--local", "--opa", opa.require(), "--format", "markdown"], dir);
  assert.equal(markdown.code, 1);
  assert.match(markdown.stdout, /❌ \*\*Policies denied\*\*/);
  assert.match(markdown.stdout, /\| ❌ deny \| `library\/stage-isolation\.rego:\d+` \| `deny_foreign_binding` \|/);
});

test("facts come from the stage's state: kinds, physical names, binding types, no secret values", { skip: opa.skip }, async (t) => {
  const dir = repo(t, { "alchkit.config.json": isolationOnly });
  const out = path.join(dir, "facts.json");
  await cli(["policy", "check", "--stage", "staging", "--local", "--opa", opa.require(), "--write-facts", out], dir);
  const facts = JSON.parse(readFileSync(out, "utf8"));
  assert.equal(facts.version, 1);
  assert.deepEqual(facts.stage, { name: "staging", kind: "staging", source: "local-state" });
  assert.deepEqual(
    facts.resources.map((r: { id: string; kind: string; physicalName: string }) => [r.id, r.kind, r.physicalName]),
    [
      ["api", "cloudflare::Worker", "policy-app-api-staging"],
      ["cache", "cloudflare::KVNamespace", "policy-app-cache-staging"],
      ["db", "cloudflare::D1Database", "policy-app-db-staging"],
      ["shared-db", "cloudflare::D1Database", "orders-prod-db"],
    ],
  );
  const api = facts.resources[0].worker;
  assert.equal(api.compatibilityDate, "2024-10-15");
  assert.deepEqual(api.compatibilityFlags, ["nodejs_compat"]);
  assert.deepEqual(
    api.bindings.map((b: { name: string; type: string }) => `${b.name}:${b.type}`),
    ["API_BASE:plain_text", "API_KEY:secret_text", "CACHE:resource", "DB:resource", "SHARED:resource", "TOKEN:plain_text"],
  );
  const text = readFileSync(out, "utf8");
  assert.doesNotMatch(text, /ciphertext|@secret/, "secret values (even encrypted) never reach the facts");
});

test("conftest conventions: deny, violation, warn, msg objects, exception, every namespace", { skip: opa.skip }, async (t) => {
  const dir = repo(t, {
    "policies/main.rego": [
      "package main",
      "",
      "deny contains msg if {",
      "\tsome r in input.resources",
      '\tr.kind == "cloudflare::KVNamespace"',
      '\tmsg := sprintf("no KV namespaces: %s", [r.id])',
      "}",
      "",
      'warn_flags contains {"msg": "nodejs_compat is on", "severity": "low"} if {',
      "\tsome r in input.resources",
      '\t"nodejs_compat" in r.worker.compatibilityFlags',
      "}",
      "",
      'deny_plain_token contains "TOKEN is plain text" if {',
      "\tsome r in input.resources",
      "\tsome b in r.worker.bindings",
      '\tb.name == "TOKEN"',
      '\tb.type == "plain_text"',
      "}",
      "",
      'exception contains ["plain_token"] if input.stage.name == "staging"',
      "",
    ].join("\n"),
    "policies/team/naming.rego": 'package team.naming\n\nviolation contains {"msg": "the api Worker must be called api-*"} if {\n\tsome r in input.resources\n\tr.id == "api"\n\tnot startswith(r.physicalName, "api-")\n}\n',
    "policies/main_test.rego": "package main_test\n\ntest_nothing if true\n",
  });
  const run = await cli(["policy", "check", "--stage", "staging", "--local", "--opa", opa.require()], dir);
  assert.equal(run.code, 1, run.stderr);
  const result = run.json();
  assert.deepEqual(
    result.findings.map((f) => [f.level, f.policy, f.rule, f.namespace, f.message]),
    [
      ["deny", "policies/main.rego", "deny", "main", "no KV namespaces: cache"],
      ["deny", "policies/team/naming.rego", "violation", "team.naming", "the api Worker must be called api-*"],
      ["warn", "policies/main.rego", "warn_flags", "main", "nodejs_compat is on"],
    ],
  );
  assert.equal(result.findings[0]!.line, 3);
  assert.deepEqual((result.findings[2] as { details?: unknown }).details, { severity: "low" });
  assert.deepEqual(result.excepted, [{ policy: "policies/main.rego", rule: "deny_plain_token", namespace: "main", message: "TOKEN is plain text" }]);
});

test("warnings alone pass (exit 0)", { skip: opa.skip }, async (t) => {
  const dir = repo(t, { "policies/warn.rego": 'package main\n\nwarn contains "heads up" if true\n' });
  const run = await cli(["policy", "check", "--stage", "staging", "--local", "--opa", opa.require()], dir);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(run.json().passed, true);
  assert.equal(run.json().findings[0]!.level, "warn");
});

test("a policy that does not compile is one error naming the file and the line (exit 2)", { skip: opa.skip }, async (t) => {
  const dir = repo(t, { "policies/broken.rego": "package main\n\ndeny contains msg if {\n\tinput.x ==\n}\n" });
  const run = await cli(["policy", "check", "--stage", "staging", "--local", "--opa", opa.require()], dir);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, "");
  assert.match(run.stderr, /policies\/broken\.rego:5: expected Rego that compiles \(unexpected } token \[rego_parse_error\]\)/);
  assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
});

test("a compile error in a helper without finding rules is caught too, with its file and line", { skip: opa.skip }, async (t) => {
  const dir = repo(t, {
    "policies/main.rego": 'package main\n\nimport data.helpers\n\ndeny contains "x" if helpers.flag\n',
    "policies/helpers.rego": "package helpers\n\nflag if {\n\tundefined_thing == 1\n}\n",
  });
  const run = await cli(["policy", "check", "--stage", "staging", "--local", "--opa", opa.require()], dir);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /policies\/helpers\.rego:4: expected Rego that compiles \(var undefined_thing is unsafe \[rego_unsafe_var_error\]\)/);
});

test("a policy that fails while evaluating is bad input too, with its file and line", { skip: opa.skip }, async (t) => {
  const dir = repo(t, { "policies/conflict.rego": "package main\n\nmode := 1 if true\n\nmode := 2 if true\n\ndeny contains \"x\" if mode == 3\n" });
  const run = await cli(["policy", "check", "--stage", "staging", "--local", "--opa", opa.require()], dir);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /policies\/conflict\.rego:5: expected a policy that evaluates \(rule data\.main\.mode produced conflicting values/);
});

test("missing opa is one clear error (exit 2), nothing evaluated", async (t) => {
  const dir = repo(t, { "alchkit.config.json": isolationOnly });
  const run = await cli(["policy", "check", "--stage", "staging", "--local", "--opa", path.join(dir, "no-such-opa")], dir);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--opa: expected an opa executable .*opa is not installed: ".*no-such-opa" was not found/);
});

test("--facts: evaluated as given; facts that break their schema are one error with the file and line", { skip: opa.skip }, async (t) => {
  const dir = repo(t, { "alchkit.config.json": isolationOnly });
  writeFileSync(path.join(dir, "good.json"), factsText(goodFacts()));
  const good = await cli(["policy", "check", "--facts", "good.json", "--opa", opa.require()], dir);
  assert.equal(good.code, 0, good.stderr);

  const broken = goodFacts() as unknown as { stage: { kind: string } };
  broken.stage.kind = "sandbox";
  writeFileSync(path.join(dir, "bad.json"), `${JSON.stringify(broken, null, 2)}\n`);
  const bad = await cli(["policy", "check", "--facts", "bad.json", "--opa", opa.require()], dir);
  assert.equal(bad.code, 2);
  const line = readFileSync(path.join(dir, "bad.json"), "utf8").split("\n").findIndex((l) => l.includes('"sandbox"')) + 1;
  assert.match(bad.stderr, new RegExp(`bad\\.json:${line}: expected deployment facts \\(docs/policy-facts\\.schema\\.json\\) \\(stage\\.kind: one of "preview"\\|"staging"\\|"production"\\|"other"\\)`));

  writeFileSync(path.join(dir, "syntax.json"), '{\n  "version": 1,\n}\n');
  const syntax = await cli(["policy", "check", "--facts", "syntax.json", "--opa", opa.require()], dir);
  assert.equal(syntax.code, 2);
  assert.match(syntax.stderr, /syntax\.json:3: expected deployment facts as JSON/);
});

test("flags: exactly one of --facts or --stage; a stage without local state names what to run", async (t) => {
  const dir = repo(t);
  const neither = await cli(["policy", "check"], dir);
  assert.equal(neither.code, 2);
  assert.match(neither.stderr, /--facts\/--stage: expected exactly one of --facts FILE or --stage STAGE/);
  const missing = await cli(["policy", "check", "--stage", "pr-404", "--local", "--opa", opa.path ?? "opa"], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--stage: expected a stage with local Alchemy state .*"pr-404" has none \(run it locally first/);
});
