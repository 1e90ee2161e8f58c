import { z } from "zod";
import { InputError } from "../errors.ts";
import { booleanInput, listInput, positiveIntInput } from "../validate.ts";
import { PURPOSE_PATTERN } from "../comment/sticky-plan.ts";
import { normalizeStage, DEFAULT_PROTECTED_STAGES } from "../platform/stage-name.ts";

/** A preview stage prefix (`pr-` makes `pr-12`); the sweep takes the same. */
export const stagePrefixInput = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,20}$/, { error: "lower case letters, digits and '-', starting with a letter (at most 21)" })
  .default("pr-");

/** Inputs of `actions/preview` (and the flags the CLI shares with it). */
export const previewInputs = z.object({
  mode: z.enum(["auto", "deploy", "destroy"], { error: "auto, deploy or destroy" }).default("auto"),
  workingDirectory: z.string().default("."),
  app: z.string().optional(),
  stagePrefix: stagePrefixInput,
  runtime: z.enum(["cloudflare", "local"], { error: "cloudflare or local" }).default("cloudflare"),
  profile: z.string().regex(/^[A-Za-z0-9_-]+$/, { error: "a profile name (letters, digits, '_', '-')" }).optional(),
  envFile: z.string().optional(),
  healthPath: z.string().default("/health"),
  healthStatus: z.union([z.literal("any"), positiveIntInput]).default(200),
  healthTimeout: positiveIntInput.default(10),
  healthRetries: z.coerce.number({ error: "a whole number" }).int().min(0, { error: "0 or more" }).default(5),
  healthDeadline: positiveIntInput.default(120),
  urlResource: z.string().optional(),
  commentHeader: z.string().regex(PURPOSE_PATTERN, { error: "lower case letters, digits, '.', '_' or '-'" }).default("preview"),
  protectedStages: listInput.default([...DEFAULT_PROTECTED_STAGES]),
  allowFork: booleanInput.default(false),
  forkLabel: z.string().default("preview"),
  environmentPrefix: z.string().default("preview/"),
});
export type PreviewInputs = z.output<typeof previewInputs>;

/** `closed` PRs are destroyed, everything else is deployed, unless the mode says otherwise. */
export function resolveMode(mode: PreviewInputs["mode"], pr: { action?: string; state: string }): "deploy" | "destroy" {
  if (mode !== "auto") return mode;
  return pr.action === "closed" || pr.state === "closed" ? "destroy" : "deploy";
}

export function requirePullRequest<PullRequest>(pr: PullRequest | undefined): PullRequest {
  if (!pr) {
    throw new InputError("event", "a pull_request or pull_request_target event (previews are per pull request)");
  }
  return pr;
}

/** `pr-12` for PR 12 with prefix `pr-`. */
export function previewStage(prefix: string, number: number): string {
  return normalizeStage(`${prefix}${number}`);
}
