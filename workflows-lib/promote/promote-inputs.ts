import { z } from "zod";
import { InputError } from "../errors.ts";
import { booleanInput, listInput, positiveIntInput } from "../validate.ts";
import { assertEnvironment, parseStageMap } from "./environments.ts";
import type { PromotionOptions, PromotionRequest } from "./run-promotion.ts";
import { rolloutFor, type RolloutPlan } from "../rollout/plan-rollout.ts";
import type { SwitchRequest } from "./switch-over.ts";

const environmentName = z.string().regex(/^[A-Za-z0-9._-]{1,255}$/, { error: "an environment name (letters, digits, '.', '_', '-')" });

/** Inputs of `actions/promote`. */
export const promoteInputs = z.object({
  operation: z.enum(["deploy", "promote", "rollback", "switch"], { error: "deploy, promote, rollback or switch" }),
  environment: environmentName,
  from: environmentName.optional(),
  sha: z.string().regex(/^[\w./^~-]+$/, { error: "a commit SHA or ref" }).optional(),
  planOnly: booleanInput.default(false),
  workingDirectory: z.string().default("."),
  stages: z.string().default(""),
  envFiles: z.string().optional(),
  runtime: z.enum(["cloudflare", "local"], { error: "cloudflare or local" }).default("cloudflare"),
  profile: z.string().regex(/^[A-Za-z0-9_-]+$/, { error: "a profile name (letters, digits, '_', '-')" }).optional(),
  urlResource: z.string().optional(),
  healthPath: z.string().default("/health"),
  healthRetries: z.coerce.number({ error: "a whole number" }).int().min(0, { error: "0 or more" }).default(5),
  healthDeadline: positiveIntInput.default(120),
  autoRollback: booleanInput.default(true),
  watch: z.string().optional(),
  strategy: z.string().optional(),
  version: z.string().regex(/^[\w-]{1,64}$/, { error: "a Workers version id" }).optional(),
  requiredChecks: listInput.default([]),
  ignoreChecks: listInput.default([]),
  trustedDeployers: listInput.default([]),
  policyAudit: z.string().trim().optional(),
  notify: z.string().default("off"),
});
export type PromoteInputs = z.output<typeof promoteInputs>;

/** The use-case's request and options from the action's inputs (the CLI builds the same from its flags). */
export function promotionFromInputs(
  inputs: PromoteInputs,
  defaultSha: string,
  run: string,
): { request: PromotionRequest; options: PromotionOptions } {
  assertEnvironment(inputs.environment, "environment");
  if (inputs.operation === "switch") throw new InputError("operation", "deploy, promote or rollback here (switch is switchFromInputs)");
  if (inputs.operation === "promote" && !inputs.from) {
    throw new InputError("from", "the environment to promote from (operation: promote)");
  }
  const ref = inputs.sha ?? (inputs.operation === "deploy" ? defaultSha : undefined);
  return {
    request: {
      operation: inputs.operation as "deploy" | "promote" | "rollback",
      environment: inputs.environment,
      ...(inputs.from ? { from: inputs.from } : {}),
      ...(ref ? { ref } : {}),
      run,
    },
    options: promotionOptions(
      {
        stages: inputs.stages,
        envFiles: inputs.envFiles,
        appDir: inputs.workingDirectory,
        autoRollback: inputs.autoRollback,
        requiredChecks: inputs.requiredChecks,
        ignoreChecks: inputs.ignoreChecks,
      },
      "stages",
    ),
  };
}

/** Options shared by the action's inputs and the CLI's flags. */
export function promotionOptions(
  settings: {
    stages: string;
    envFiles: string | undefined;
    appDir: string;
    autoRollback: boolean;
    requiredChecks: string[];
    ignoreChecks: string[];
  },
  stagesInputName: string,
): PromotionOptions {
  return {
    stages: parseStageMap(settings.stages, stagesInputName),
    // The default is a convention: used when the file exists (the shells make it optional then).
    envFilePattern: settings.envFiles ?? ".env.{environment}",
    appDir: settings.appDir,
    // The shells put app.entry of the configuration here (the launcher runs it; the ledger records it).
    appEntry: "alchemy.run.ts",
    autoRollback: settings.autoRollback,
    requiredChecks: settings.requiredChecks,
    ignoreChecks: settings.ignoreChecks,
  };
}

/**
 * The rollout of a deploy or promotion: the `strategy` input, else `rollout.<environment>` of the config; undefined
 * = all at once (and always for a rollback, which re-points or redeploys). Refused before anything is deployed
 * when the runtime has no Workers versions. The CLI passes its flags (`--strategy`).
 */
export function promotionRollout(
  inputs: Pick<PromoteInputs, "operation" | "strategy" | "runtime" | "environment">,
  config: Record<string, unknown> | undefined,
  inputName = "strategy",
): RolloutPlan | undefined {
  if (inputs.operation === "rollback" || inputs.operation === "switch") return undefined;
  const { plan, where } = rolloutFor(inputs.strategy, inputName, config, inputs.environment);
  if (!plan) return undefined;
  if (inputs.runtime !== "cloudflare") {
    const runtime = inputName === "strategy" ? `runtime: ${inputs.runtime}` : "--local";
    throw new InputError(where, `all-at-once with ${runtime} (a ${plan.strategy} rollout moves traffic between Workers versions: runtime cloudflare)`);
  }
  return plan;
}

/**
 * A rollout moves traffic with Cloudflare's deployments API: without the account's credentials (no delivery port
 * was wired) it is one input error before anything is recorded. `profile` says how this shell names the profile.
 */
export function assertRolloutDelivery(rollout: RolloutPlan | undefined, delivery: unknown, profile: string): void {
  if (rollout && !delivery) {
    throw new InputError("CLOUDFLARE_API_TOKEN", `CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID, or ${profile}, for a ${rollout.strategy} rollout (it moves traffic with Cloudflare's deployments API)`);
  }
}

/**
 * The approved switch of a manual blue-green (operation `switch`): the SHA the deploy job verified, the version it
 * reported, and the run whose verification counts (this workflow run: `github:<run id>:`).
 */
export function switchFromInputs(inputs: PromoteInputs, runId: string, job: string): SwitchRequest {
  assertEnvironment(inputs.environment, "environment");
  if (!inputs.sha || !/^[0-9a-f]{40}$/.test(inputs.sha)) {
    throw new InputError("sha", "the full SHA the deploy job verified idle (its `sha` output)", inputs.sha ? `"${inputs.sha}"` : undefined);
  }
  if (!inputs.version) throw new InputError("version", "the Workers version the deploy job verified idle (its `version-id` output)");
  return {
    environment: inputs.environment,
    sha: inputs.sha,
    versionId: inputs.version,
    verifiedBy: `github:${runId}:`,
    run: `github:${runId}:${job}`,
  };
}
