// The shipped policy library, through the real gate (real OPA): each policy denies facts that break it and
// allows facts that do not; and OPA's own test runner passes on the library's *_test.rego suites.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { LIBRARY } from "../../../workflows-lib/policy/library.ts";
import type { DeploymentFacts } from "../../../workflows-lib/policy/facts-schema.ts";
import { evaluate, goodFacts, LIBRARY_DIR, opa, WHOLE_LIBRARY } from "../../support/policy.ts";

const only = (id: string) => ({ library: { [id]: {} } });
const worker = (facts: DeploymentFacts) => facts.resources.find((r) => r.kind === "cloudflare::Worker")!.worker!;

test("opa test passes on every suite of the library", { skip: opa.skip }, () => {
  const run = spawnSync(opa.require(), ["test", "--format", "json", LIBRARY_DIR], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const results = JSON.parse(run.stdout) as { package: string; name: string; fail?: boolean; error?: unknown }[];
  const packages = new Set(results.map((r) => r.package.replace(/^data\./, "").replace(/_test$/, "")));
  for (const policy of LIBRARY) assert.ok(packages.has(policy.namespace), `${policy.id} has an opa test suite`);
  assert.ok(results.every((r) => !r.fail && !r.error));
  assert.ok(results.length >= 40, `${results.length} library tests`);
});

test("facts that break nothing pass the whole library", { skip: opa.skip }, async (t) => {
  const result = await evaluate(t, goodFacts(), { library: WHOLE_LIBRARY });
  assert.equal(result.passed, true, JSON.stringify(result.findings));
  assert.deepEqual(result.findings, []);
  assert.equal(result.policies.length, LIBRARY.length);
});

const breaking: Record<string, { breaks: () => DeploymentFacts; rule: string; mentions: string }> = {
  "stage-isolation": {
    breaks() {
      const facts = goodFacts();
      worker(facts).bindings.push({ name: "ORDERS", type: "resource", resource: { kind: "cloudflare::D1Database", physicalName: "orders-prod" } });
      return facts;
    },
    rule: "deny_foreign_binding",
    mentions: "orders-prod",
  },
  "compatibility-date": {
    breaks() {
      const facts = goodFacts();
      worker(facts).compatibilityDate = "2023-01-01";
      return facts;
    },
    rule: "deny_too_old",
    mentions: "2023-01-01",
  },
  "plain-text-secrets": {
    breaks() {
      const facts = goodFacts();
      worker(facts).bindings.push({ name: "GITHUB", type: "plain_text", value: `ghp_${"aB3".repeat(12)}` });
      return facts;
    },
    rule: "deny_known_format",
    mentions: "GitHub token",
  },
  "production-readiness": {
    breaks: () =>
      goodFacts({
        target: { environment: "production", stage: "prod", kind: "production", production: true, sha: "0123456789abcdef" },
        loadGate: { passed: true, thresholds: [], regressions: [] },
        openapi: { counts: { error: 1, warning: 0, info: 0 }, ids: ["api-path-removed-without-deprecation"], changes: [{ id: "api-path-removed-without-deprecation", level: "error", method: "GET", path: "/orders" }], approved: false },
      }),
    rule: "deny_unapproved_breaking_change",
    mentions: "api-path-removed-without-deprecation",
  },
  "license-allowlist": {
    breaks: () => goodFacts({ dependencies: [{ name: "copyleft-lib", version: "2.0.0", license: "AGPL-3.0-only", direct: true, dev: false }] }),
    rule: "deny_license",
    mentions: "copyleft-lib@2.0.0",
  },
  "workers-budget": {
    breaks() {
      const facts = goodFacts();
      worker(facts).bundle = { bytes: 12_000_000, gzipBytes: 3_500_000 };
      return facts;
    },
    rule: "deny_script_size",
    mentions: "over the budget of 3072 KiB",
  },
};

for (const policy of LIBRARY) {
  test(`library ${policy.id}: denies facts that break it, allows facts that do not`, { skip: opa.skip }, async (t) => {
    const fixture = breaking[policy.id];
    assert.ok(fixture, `a breaking fixture for ${policy.id}`);
    const denied = await evaluate(t, fixture.breaks(), only(policy.id));
    assert.equal(denied.passed, false);
    const finding = denied.findings.find((f) => f.level === "deny");
    assert.ok(finding, JSON.stringify(denied.findings));
    assert.equal(finding.policy, `library/${policy.id}.rego`);
    assert.equal(finding.rule, fixture.rule);
    assert.equal(finding.namespace, policy.namespace);
    assert.match(finding.message, new RegExp(fixture.mentions.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    const allowed = await evaluate(t, goodFacts(policy.id === "production-readiness" ? { target: { environment: "production", stage: "prod", kind: "production", production: true }, loadGate: { passed: true, thresholds: [], regressions: [] } } : {}), only(policy.id));
    assert.equal(allowed.passed, true, JSON.stringify(allowed.findings));
  });
}

test("library parameters reach the policies (data.alchkit.params)", { skip: opa.skip }, async (t) => {
  const facts = goodFacts();
  const strict = await evaluate(t, facts, { library: { "compatibility-date": { max_age_days: 30 } } });
  assert.equal(strict.passed, false);
  assert.match(strict.findings[0]!.message, /2026-03-01, 92 days old \(at most 30 allowed\)/);
  const changed = await evaluate(t, facts, { library: { "compatibility-date": { max_age_days: 120 } } });
  assert.equal(changed.passed, true);
  assert.notEqual(strict.policyDigest, changed.policyDigest, "parameters are part of the policy digest");
  assert.equal(strict.inputDigest, changed.inputDigest);
});
