import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/**
 * The policies shipped with the kit (workflows-lib/policy/library/<id>.rego, each with its `opa test` suite
 * next to it). A repository turns them on in alchkit.config.json, with parameters:
 *
 *   "policy": { "library": { "stage-isolation": {}, "compatibility-date": { "max_age_days": 180 } } }
 *
 * Parameters reach the Rego as `data.alchkit.params["<id>"]`; every one has a default in the policy itself.
 */

export interface LibraryPolicy {
  id: string;
  /** Rego package. */
  namespace: string;
  title: string;
  summary: string;
  /** Parameter name → what it means (default). */
  params: Record<string, string>;
}

export const LIBRARY: readonly LibraryPolicy[] = [
  {
    id: "stage-isolation",
    namespace: "alchkit.library.stage_isolation",
    title: "Stage isolation",
    summary: "A stage must not bind a resource whose physical name does not contain the stage (a preview writing to production's database).",
    params: {
      stages: 'Stage kinds the rule applies to (default ["preview", "staging", "other"]; add "production" to hold production to it too)',
      shared: "Physical names or fqns every stage may bind (a shared read-only dataset) (default [])",
    },
  },
  {
    id: "compatibility-date",
    namespace: "alchkit.library.compatibility_date",
    title: "Compatibility date not too old",
    summary: "Every Worker has a compatibility date, no older than N days before the facts were assembled.",
    params: { max_age_days: "Oldest allowed age in days (default 365)", warn_age_days: "Warn from this age on (default 180)" },
  },
  {
    id: "plain-text-secrets",
    namespace: "alchkit.library.plain_text_secrets",
    title: "No secret in a plain-text binding",
    summary: "A plain_text binding must not hold a credential (known token formats, private keys, high-entropy values under secret-sounding names); use alchemy.secret().",
    params: { allow: "Binding names never flagged (default [])", min_entropy_length: "Shortest value the entropy check looks at (default 20)" },
  },
  {
    id: "production-readiness",
    namespace: "alchkit.library.production_readiness",
    title: "Production needs a passed load gate and no unapproved breaking API change",
    summary: "A production deployment needs the load gate's verdict (passed) and, when the OpenAPI diff has breaking changes, their approval.",
    params: {
      require_load_gate: "Deny production without a load-gate result (default true)",
      require_openapi_diff: "Deny production without an OpenAPI diff (default false: an app may have no API)",
    },
  },
  {
    id: "license-allowlist",
    namespace: "alchkit.library.license_allowlist",
    title: "License allowlist",
    summary: "Every runtime dependency's license is on the allowlist (SPDX ids; OR-expressions pass when one side is allowed).",
    params: {
      allow: "Allowed SPDX ids (default MIT, ISC, Apache-2.0, BSD-2-Clause, BSD-3-Clause, 0BSD, BlueOak-1.0.0, CC0-1.0, Unlicense, Python-2.0, CC-BY-4.0)",
      include_dev: "Also check devDependencies (default false)",
      packages: "Package names exempt from the check, with a reason (default {})",
      unknown: '"deny" or "warn" for a package that declares no license (default "warn")',
    },
  },
  {
    id: "workers-budget",
    namespace: "alchkit.library.workers_budget",
    title: "Workers size and resource budget",
    summary: "A stage stays within a resource budget (resources, Workers, bindings per Worker, routes) and each Worker script within a size budget.",
    params: {
      max_resources: "Resources in the stage (default 50)",
      max_workers: "Workers in the stage (default 10)",
      max_bindings: "Bindings per Worker (default 64)",
      max_routes: "Routes and domains per Worker (default 20)",
      max_gzip_kib: "Compressed script size in KiB (default 3072: the Workers Free limit)",
      warn_gzip_ratio: "Warn above this share of max_gzip_kib (default 0.8)",
    },
  },
];

export const LIBRARY_IDS = LIBRARY.map((p) => p.id) as [string, ...string[]];

/** Enabled library policies and their parameters (any JSON object; the policy reads what it knows). */
export const librarySelectionSchema = z
  .partialRecord(z.enum(LIBRARY_IDS), z.record(z.string(), z.unknown()))
  .describe("Library policies to enforce, by id, with their parameters (see docs/policy.md)");

export type LibrarySelection = Partial<Record<string, Record<string, unknown>>>;

export function libraryFile(libraryDir: string, id: string): string {
  return path.join(libraryDir, `${id}.rego`);
}

/**
 * The library folder, found from a module's location by walking up to the kit's root: the same answer from the
 * sources (workflows-lib/…) and from an action's bundle (actions/<name>/dist/index.js), both inside the kit.
 */
export function findLibraryDir(fromUrl: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(fromUrl));
  for (;;) {
    const candidate = path.join(dir, "workflows-lib", "policy", "library");
    if (existsSync(path.join(candidate, "stage-isolation.rego"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`the policy library is missing: no workflows-lib/policy/library above ${fileURLToPath(fromUrl)}`);
    dir = parent;
  }
}
