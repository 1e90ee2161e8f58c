/**
 * Policy-gate helpers for tests: deployment facts that pass every shipped policy (each test breaks one thing),
 * and `evaluate()`, which runs the real gate — real OPA, the shipped library, policies from a temp folder.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createOpaCli } from "../../workflows-lib/local/opa-cli.ts";
import { checkPolicies, type PolicyResult } from "../../workflows-lib/policy/evaluate-policies.ts";
import { deploymentFactsSchema, type DeploymentFacts } from "../../workflows-lib/policy/facts-schema.ts";
import { findLibraryDir, type LibrarySelection } from "../../workflows-lib/policy/library.ts";
import { policyFiles } from "../../workflows-lib/wiring/policy-ports.ts";
import { tool } from "./tools.ts";

export const opa = tool("opa", "policy gates (the real OPA evaluates every policy)");
export const LIBRARY_DIR = findLibraryDir();

/** A preview stage whose Worker binds its own database, with a recent compatibility date and MIT dependencies. */
export function goodFacts(overrides: Partial<DeploymentFacts> = {}): DeploymentFacts {
  return deploymentFactsSchema.parse({
    version: 1,
    generatedAt: "2026-06-01T12:00:00.000Z",
    app: "policy-app",
    stage: { name: "pr-7", kind: "preview", source: "local-state" },
    target: { stage: "pr-7", kind: "preview", production: false, sha: "0123456789abcdef0123456789abcdef01234567" },
    resources: [
      { id: "db", fqn: "policy-app/pr-7/db", kind: "cloudflare::D1Database", physicalName: "policy-app-db-pr-7" },
      {
        id: "api",
        fqn: "policy-app/pr-7/api",
        kind: "cloudflare::Worker",
        physicalName: "policy-app-api-pr-7",
        worker: {
          compatibilityDate: "2026-03-01",
          compatibilityFlags: ["nodejs_compat"],
          bindings: [
            { name: "API_BASE", type: "plain_text", value: "https://api.example.com" },
            { name: "API_KEY", type: "secret_text" },
            { name: "DB", type: "resource", resource: { fqn: "policy-app/pr-7/db", kind: "cloudflare::D1Database", physicalName: "policy-app-db-pr-7" } },
          ],
          routes: [],
          domains: [],
          bundle: { bytes: 40_000, gzipBytes: 9_000 },
        },
      },
    ],
    checks: { source: "none", items: [], required: [] },
    loadGate: null,
    openapi: null,
    dependencies: [{ name: "hono", version: "4.13.19", license: "MIT", direct: true, dev: false }],
    changedFiles: [],
    trigger: { actor: "octocat", event: "local" },
    ...overrides,
  });
}

/** Every shipped policy enabled, with default parameters. */
export const WHOLE_LIBRARY: LibrarySelection = Object.fromEntries(
  ["stage-isolation", "compatibility-date", "plain-text-secrets", "production-readiness", "license-allowlist", "workers-budget"].map((id) => [id, {}]),
);

export interface EvaluateOptions {
  /** Policy files of the repository, path → Rego. */
  policies?: Record<string, string>;
  library?: LibrarySelection;
}

export async function evaluate(t: { after(fn: () => void): void }, facts: DeploymentFacts, options: EvaluateOptions = {}): Promise<PolicyResult> {
  const root = mkdtempSync(path.join(tmpdir(), "alchkit-policy-test-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const policyDir = path.join(root, "policies");
  for (const [file, text] of Object.entries(options.policies ?? {})) {
    mkdirSync(path.dirname(path.join(policyDir, file)), { recursive: true });
    writeFileSync(path.join(policyDir, file), text);
  }
  mkdirSync(path.join(root, "work"));
  return checkPolicies(
    { policyDir, libraryDir: LIBRARY_DIR, library: options.library ?? {}, facts, workDir: path.join(root, "work"), displayRoot: root },
    { opa: createOpaCli(opa.require()), files: policyFiles },
  );
}
