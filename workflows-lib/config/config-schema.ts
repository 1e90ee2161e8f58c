import { z } from "zod";
import { notifyConfigSchema } from "../notify/notify-config.ts";
import { watchConfigSchema } from "../watch/watch-config.ts";
import { policyConfigSchema } from "../policy/policy-config.ts";
import { rolloutConfigSchema } from "../rollout/rollout-config.ts";

/**
 * `alchkit.config.json`: what `alchkit init` learned about the repository and what the commands default to.
 * Its JSON Schema (docs/alchkit.schema.json, generated from this) gives editors completion and checks.
 */
const stageName = z.string().regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, { error: "a stage name: lower case letters, digits and single dashes" });

export const environmentSchema = z
  .object({
    stage: stageName.describe("Alchemy stage deployed for this environment"),
    envFile: z.string().optional().describe("Env file with this environment's settings, passed to Alchemy"),
    healthPath: z.string().optional().describe("Health path probed after a deploy (default: preview.healthPath)"),
  })
  .strict();

export const alchkitConfigSchema = z
  .object({
    $schema: z.string().optional().describe("JSON Schema of this file, for editor completion"),
    app: z
      .object({
        directory: z.string().default(".").describe("Folder of the Alchemy app (where the entry is), relative to the repository"),
        entry: z.string().default("alchemy.run.ts").describe("The app's Alchemy entry file"),
        packageManager: z.enum(["npm", "pnpm", "yarn", "bun"]).optional().describe("Detected package manager"),
        runner: z
          .string()
          .regex(/^[A-Za-z0-9._@/-]+(?: [A-Za-z0-9._@=/-]+)*$/, { error: "a command such as tsx or bun" })
          .optional()
          .describe("Run the entry as a program with this command (tsx, bun, node) instead of the alchemy CLI: the stage is passed as --stage and STAGE, a destroy as --destroy and PHASE=destroy"),
      })
      .strict()
      .default({ directory: ".", entry: "alchemy.run.ts" }),
    preview: z
      .object({
        stagePrefix: z.string().regex(/^[a-z][a-z0-9-]{0,20}$/, { error: "lower case letters, digits and '-', starting with a letter" }).default("pr-"),
        healthPath: z.string().default("/health").describe("Path a preview must answer 200 on"),
      })
      .strict()
      .default({ stagePrefix: "pr-", healthPath: "/health" }),
    environments: z
      .record(z.string().regex(/^[A-Za-z0-9._/-]+$/, { error: "an environment name" }), environmentSchema)
      .default({ staging: { stage: "staging" }, production: { stage: "prod" } })
      .describe("GitHub environment name → its Alchemy stage"),
    loadGate: z
      .object({
        script: z.string().default("load/script.js").describe("k6 script"),
        scenario: z.string().default("load/scenario.json").describe("Scenario of the built-in autocannon engine (local runs, repos without k6)"),
        thresholds: z.string().default("load/thresholds.json").describe("k6 thresholds (options.thresholds as JSON)"),
      })
      .strict()
      .default({ script: "load/script.js", scenario: "load/scenario.json", thresholds: "load/thresholds.json" }),
    openapi: z
      .object({
        source: z.string().optional().describe("Where the OpenAPI description comes from: a module exporting an OpenAPIHono app, a file, or a path on the deployed app such as /openapi.json"),
        breakingLabel: z.string().default("api-breaking-ok").describe("PR label that accepts breaking API changes"),
      })
      .strict()
      .default({ breakingLabel: "api-breaking-ok" }),
    notify: notifyConfigSchema.optional(),
    watch: watchConfigSchema.optional(),
    rollout: rolloutConfigSchema.optional(),
    policy: policyConfigSchema.describe("Policy gates: the repository's Rego policies and the shipped library policies it enforces"),
  })
  .strict();

export type AlchkitConfig = z.output<typeof alchkitConfigSchema>;
export const CONFIG_FILE = "alchkit.config.json";
export const SCHEMA_URL = "https://raw.githubusercontent.com/alchkit/alchkit/main/docs/alchkit.schema.json";

/** The published JSON Schema (docs/alchkit.schema.json). */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(alchkitConfigSchema, { io: "input" }) as Record<string, unknown>;
  return `${JSON.stringify({ ...schema, $id: SCHEMA_URL, title: "alchkit configuration" }, null, 2)}\n`;
}
