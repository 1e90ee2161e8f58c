import { z } from "zod";

/**
 * Deployment facts: the one JSON document every policy reads as `input`. It says what a deployment is
 * before it goes anywhere — the stage's Alchemy resources, where it is going, what the gates said, what it
 * depends on, what changed and who asked. Versioned: a policy can pin `input.version == 1`; a change that
 * removes or renames a field bumps the version, additions do not. docs/policy-facts.schema.json is generated
 * from this schema (`npm run docs`).
 */
export const FACTS_VERSION = 1;
export const FACTS_SCHEMA_URL = "https://raw.githubusercontent.com/alchkit/alchkit/main/docs/policy-facts.schema.json";

const bindingSchema = z
  .object({
    name: z.string().describe("Binding name as the Worker sees it (env.NAME)"),
    type: z
      .enum(["plain_text", "secret_text", "json", "resource", "other"])
      .describe("plain_text: a string visible in the dashboard; secret_text: alchemy.secret(); json: another plain value; resource: another resource"),
    value: z.string().optional().describe("plain_text only: the value as deployed (secret_text values are never in the facts)"),
    resource: z
      .object({
        fqn: z.string().optional().describe("Alchemy fully-qualified name of the bound resource, when Alchemy manages it"),
        kind: z.string().describe("Alchemy kind, e.g. cloudflare::D1Database"),
        physicalName: z.string().optional().describe("The provider-side name (D1 database name, KV namespace title, bucket name…)"),
      })
      .optional(),
  })
  .strict();

const workerSchema = z
  .object({
    compatibilityDate: z.string().optional().describe("YYYY-MM-DD"),
    compatibilityFlags: z.array(z.string()),
    bindings: z.array(bindingSchema),
    routes: z.array(z.string()).describe("Route patterns, e.g. api.example.com/*"),
    domains: z.array(z.string()).describe("Custom domains"),
    bundle: z
      .object({ bytes: z.number().int().nonnegative(), gzipBytes: z.number().int().nonnegative() })
      .optional()
      .describe("Size of the built script, when it was built on this machine"),
  })
  .strict();

const resourceSchema = z
  .object({
    id: z.string().describe("Resource id in alchemy.run.ts"),
    fqn: z.string().describe("<app>/<stage>/<id>"),
    kind: z.string().describe("Alchemy kind, e.g. cloudflare::Worker"),
    physicalName: z.string().optional(),
    url: z.string().optional(),
    worker: workerSchema.optional().describe("Workers only"),
  })
  .strict();

const stageKind = z.enum(["preview", "staging", "production", "other"]);

export const deploymentFactsSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(FACTS_VERSION),
    generatedAt: z.string().describe("ISO 8601 time the facts were assembled"),
    app: z.string().optional().describe("Alchemy app name"),
    stage: z
      .object({
        name: z.string().describe("The stage whose resources these are"),
        kind: stageKind,
        source: z.enum(["alchemy-state", "local-state", "none"]).describe("Where the resources were read: alchemy state (the app's state store), the local .alchemy folder, or not at all"),
      })
      .strict(),
    target: z
      .object({
        environment: z.string().optional().describe("GitHub environment the deployment goes to"),
        stage: z.string().describe("Alchemy stage it goes to"),
        kind: stageKind,
        production: z.boolean(),
        sha: z.string().optional(),
        ref: z.string().optional(),
      })
      .strict(),
    resources: z.array(resourceSchema),
    checks: z
      .object({
        source: z.enum(["github", "none"]),
        items: z.array(
          z
            .object({
              name: z.string(),
              kind: z.enum(["check-run", "status"]),
              state: z.enum(["success", "failure", "pending"]),
              detail: z.string().describe("GitHub's conclusion or state, e.g. timed_out"),
              required: z.boolean().describe("Named in the required checks"),
            })
            .strict(),
        ),
        required: z.array(z.string()).describe("Checks that must be green (empty: every check)"),
      })
      .strict(),
    loadGate: z
      .object({
        passed: z.boolean(),
        thresholds: z.array(
          z.object({ metric: z.string(), expression: z.string(), ok: z.boolean(), actual: z.number().nullable().optional() }).strict(),
        ),
        regressions: z.array(z.object({ metric: z.string(), statistic: z.string(), ok: z.boolean(), baseline: z.number().nullable().optional(), actual: z.number().nullable().optional() }).strict()),
      })
      .strict()
      .nullable()
      .describe("The load gate's verdict and numbers; null when none ran for this deployment"),
    openapi: z
      .object({
        counts: z.object({ error: z.number().int(), warning: z.number().int(), info: z.number().int() }).strict(),
        ids: z.array(z.string()).describe("Distinct rule ids of the changes (oasdiff's)"),
        changes: z.array(
          z.object({ id: z.string(), level: z.enum(["error", "warning", "info"]), method: z.string().optional(), path: z.string().optional() }).strict(),
        ),
        approved: z.boolean().describe("Breaking changes were approved (the breaking-change label on the pull request)"),
      })
      .strict()
      .nullable()
      .describe("The OpenAPI diff against what is live; null when none ran"),
    dependencies: z.array(
      z
        .object({
          name: z.string(),
          version: z.string(),
          license: z.string().nullable().describe("SPDX expression from the installed package.json; null when it declares none or is not installed"),
          direct: z.boolean().describe("Listed in the app's package.json"),
          dev: z.boolean().describe("Only needed for development"),
        })
        .strict(),
    ),
    changedFiles: z.array(z.string()).describe("Files changed since what is live on the target (empty when unknown)"),
    trigger: z
      .object({
        actor: z.string().optional().describe("Who started it (GitHub login or local user)"),
        event: z.string().optional().describe("GitHub event name, or `local`"),
        runUrl: z.string().optional(),
      })
      .strict(),
  })
  .strict();

export type DeploymentFacts = z.output<typeof deploymentFactsSchema>;
export type ResourceFact = DeploymentFacts["resources"][number];
export type BindingFact = NonNullable<ResourceFact["worker"]>["bindings"][number];
export type StageKind = z.output<typeof stageKind>;

/** The published JSON Schema of the facts (docs/policy-facts.schema.json). */
export function factsJsonSchema(): string {
  const schema = z.toJSONSchema(deploymentFactsSchema, { io: "input" }) as Record<string, unknown>;
  return `${JSON.stringify({ ...schema, $id: FACTS_SCHEMA_URL, title: "alchkit deployment facts" }, null, 2)}\n`;
}
