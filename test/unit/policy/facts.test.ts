// Deployment facts: resources from Alchemy's state documents (captured from the policy example app under
// `alchemy dev`), dependencies with licenses read from installed packages, and the gates' JSON normalized.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { InputError } from "../../../workflows-lib/errors.ts";
import { assembleFacts, loadGateFacts, openapiFacts, stageKind } from "../../../workflows-lib/policy/assemble-facts.ts";
import { declaredLicense, dependencyFacts } from "../../../workflows-lib/policy/dependency-facts.ts";
import { resourceFacts } from "../../../workflows-lib/policy/resource-facts.ts";

const STATE = path.resolve(import.meta.dirname, "../../fixtures/policy-app/captured-state/policy-app/staging");
const entries = readdirSync(STATE).map((file) => ({ fqn: `policy-app/staging/${file.replace(/\.json$/, "")}`, state: JSON.parse(readFileSync(path.join(STATE, file), "utf8")) as unknown }));
const naming = { previewPrefix: "pr-", productionStages: ["prod"], stagingStages: ["staging"] };

test("resources: kinds, physical names (name or title), bindings by type, no secret material", () => {
  const facts = resourceFacts(entries, (script) => (script === "policy-app-api-staging" ? { bytes: 100, gzipBytes: 60 } : undefined));
  const api = facts.find((r) => r.id === "api")!;
  assert.equal(api.url, "http://localhost:18799/");
  assert.deepEqual(api.worker!.bundle, { bytes: 100, gzipBytes: 60 });
  assert.deepEqual(api.worker!.bindings.find((b) => b.name === "CACHE"), {
    name: "CACHE",
    type: "resource",
    resource: { kind: "cloudflare::KVNamespace", fqn: "policy-app/staging/cache", physicalName: "policy-app-cache-staging" },
  });
  assert.deepEqual(api.worker!.bindings.find((b) => b.name === "API_KEY"), { name: "API_KEY", type: "secret_text" });
  assert.deepEqual(api.worker!.bindings.find((b) => b.name === "API_BASE"), { name: "API_BASE", type: "plain_text", value: "https://x" });
  assert.equal(facts.find((r) => r.id === "cache")!.physicalName, "policy-app-cache-staging");
  assert.doesNotMatch(JSON.stringify(facts), /ciphertext|Symbol\(alchemy/);
});

test("stage kinds: preview prefix, production and staging stages and environments", () => {
  assert.equal(stageKind("pr-12", naming), "preview");
  assert.equal(stageKind("prod", naming), "production");
  assert.equal(stageKind("live-eu", naming, "production"), "production");
  assert.equal(stageKind("staging", naming), "staging");
  assert.equal(stageKind("qa", naming), "other");
});

test("dependencies: every lockfile package, license from the installed package.json, direct and dev marked", async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), "alchkit-deps-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, value: unknown) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), JSON.stringify(value));
  };
  write("package.json", { dependencies: { hono: "^4" }, devDependencies: { typescript: "^5" } });
  write("package-lock.json", {
    lockfileVersion: 3,
    packages: {
      "": { name: "app" },
      "node_modules/hono": { version: "4.13.19", license: "lock says GPL" },
      "node_modules/typescript": { version: "5.9.3", dev: true },
      "node_modules/old/node_modules/legacy": { version: "0.1.0" },
      "node_modules/ghost": { version: "1.0.0" },
      "node_modules/local-pkg": { link: true, resolved: "packages/local" },
    },
  });
  write("node_modules/hono/package.json", { name: "hono", version: "4.13.19", license: "MIT" });
  write("node_modules/typescript/package.json", { license: "Apache-2.0" });
  write("node_modules/old/node_modules/legacy/package.json", { licenses: [{ type: "MIT" }, { type: "Apache-2.0" }] });
  const readText = async (file: string) => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
  };
  const deps = await dependencyFacts(dir, dir, { readText });
  assert.deepEqual(deps, [
    { name: "ghost", version: "1.0.0", license: null, direct: false, dev: false },
    { name: "hono", version: "4.13.19", license: "MIT", direct: true, dev: false },
    { name: "legacy", version: "0.1.0", license: "(MIT OR Apache-2.0)", direct: false, dev: false },
    { name: "typescript", version: "5.9.3", license: "Apache-2.0", direct: true, dev: true },
  ]);
  assert.equal(declaredLicense({ license: { type: "BSD-3-Clause" } }), "BSD-3-Clause");
});

test("the gates' JSON becomes facts; anything else is bad input naming the input", () => {
  assert.deepEqual(loadGateFacts({ passed: false, engine: "k6", thresholds: [{ metric: "http_req_duration", expression: "p(95)<200", ok: false, actual: 250, baseline: 180 }], regressions: [] }, "load-gate"), {
    passed: false,
    thresholds: [{ metric: "http_req_duration", expression: "p(95)<200", ok: false, actual: 250 }],
    regressions: [],
  });
  const api = openapiFacts({ changes: [{ id: "response-property-removed", level: "error", text: "…", method: "GET", path: "/a" }, { id: "response-property-removed", level: "error" }], counts: { error: 2, warning: 0, info: 0 } }, true, "openapi-diff");
  assert.deepEqual(api.ids, ["response-property-removed"]);
  assert.equal(api.approved, true);
  assert.throws(() => loadGateFacts({ ok: true }, "--load-gate"), (e: unknown) => e instanceof InputError && /--load-gate: expected the load gate's JSON result/.test(e.message));
  assert.throws(() => openapiFacts({ changes: [{ id: "x", level: "fatal" }], counts: {} }, false, "--openapi-diff"), /--openapi-diff: expected changes with an id and a level/);
});

test("assembly: the source stage's resources judged as a deployment to the target; checks filtered", async () => {
  const facts = await assembleFacts(
    {
      stage: "staging",
      target: { environment: "production", stage: "prod", sha: "abc1234" },
      naming,
      requiredChecks: ["ci"],
      ignoreChecks: ["promote / plan"],
      trigger: { actor: "octocat", event: "workflow_dispatch" },
    },
    {
      stageState: async () => ({ source: "alchemy-state", app: "policy-app", entries }),
      checks: async () => [
        { name: "ci", kind: "check-run", outcome: "success", detail: "success" },
        { name: "promote / plan", kind: "check-run", outcome: "pending", detail: "in_progress" },
      ],
      now: () => new Date("2026-06-01T00:00:00Z"),
    },
  );
  assert.deepEqual(facts.stage, { name: "staging", kind: "staging", source: "alchemy-state" });
  assert.deepEqual(facts.target, { environment: "production", stage: "prod", kind: "production", production: true, sha: "abc1234" });
  assert.deepEqual(facts.checks.items, [{ name: "ci", kind: "check-run", state: "success", detail: "success", required: true }]);
  assert.equal(facts.resources.length, 4);
  assert.equal(facts.loadGate, null);
  assert.deepEqual(facts.dependencies, []);

  const nowhere = await assembleFacts({ target: { environment: "staging", stage: "staging" }, naming }, { stageState: async () => assert.fail("no stage to read"), now: () => new Date() });
  assert.deepEqual(nowhere.stage, { name: "staging", kind: "staging", source: "none" });
  assert.deepEqual(nowhere.resources, []);
});
