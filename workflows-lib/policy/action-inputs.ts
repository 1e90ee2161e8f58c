import { z } from "zod";
import { booleanInput, listInput } from "../validate.ts";

/** Inputs of actions/policy (see its action.yml). */
export const policyInputs = z.object({
  stage: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: "an Alchemy stage name" }).optional(),
  from: z.string().optional(),
  environment: z.string().optional(),
  stages: z.string().optional(),
  sha: z.string().optional(),
  workingDirectory: z.string().optional(),
  policyDir: z.string().optional(),
  runtime: z.enum(["cloudflare", "local"]).default("cloudflare"),
  profile: z.string().optional(),
  loadGate: z.string().optional(),
  openapiDiff: z.string().optional(),
  openapiApproved: booleanInput.optional(),
  requiredChecks: listInput.default([]),
  ignoreChecks: listInput.default([]),
  base: z.string().optional(),
  outDir: z.string().optional(),
  comment: booleanInput.default(true),
  commentHeader: z.string().default("policy-gate"),
  opaVersion: z.string().regex(/^\d+\.\d+\.\d+$/, { error: "an exact OPA version such as 1.20.2" }).default("1.20.2"),
  opaSha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { error: "a sha256 of 64 hex digits" }).optional(),
  opaPath: z.string().optional(),
});

export type PolicyInputs = z.output<typeof policyInputs>;

/** A JSON input given inline or as a file: `{…}`/`[…]` is the JSON itself, anything else a path. */
export function isInlineJson(value: string): boolean {
  return /^\s*[[{]/.test(value);
}
