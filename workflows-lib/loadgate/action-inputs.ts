import { z } from "zod";
import { booleanInput, positiveIntInput } from "../validate.ts";
import { parseDuration } from "./duration.ts";
import { DEFAULT_K6_VERSION } from "./engines/k6.ts";

/** Inputs of `actions/load-gate` (keys are the camelCase of the kebab-case inputs). */
export const loadGateInputs = z.object({
  url: z.url({ protocol: /^https?$/, error: "an http(s) URL" }),
  thresholds: z.string().min(1),
  engine: z.enum(["autocannon", "k6"], { error: "autocannon or k6" }).default("autocannon"),
  script: z.string().optional(),
  duration: z.string().refine((d) => (parseDuration(d) ?? 0) > 0, { error: 'a duration such as "10s"' }).optional(),
  connections: positiveIntInput.optional(),
  k6Version: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, { error: `an exact version such as ${DEFAULT_K6_VERSION}` }).default(DEFAULT_K6_VERSION),
  k6Sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { error: "a sha256 hex digest (64 characters)" }).optional(),
  budgets: z.string().optional(),
  baseline: z.string().optional(),
  baselineBranch: z.string().regex(/^[\w./-]+$/, { error: "a branch name" }).default("alchkit-data"),
  baselineName: z.string().regex(/^[\w.-]+$/, { error: "letters, digits, '.', '_' or '-'" }).default("load-gate"),
  saveBaseline: z.enum(["auto", "true", "false"], { error: "auto, true or false" }).default("auto"),
  zeroSamples: z.enum(["fail", "pass"], { error: "fail or pass" }).default("fail"),
  comment: booleanInput.default(true),
  commentHeader: z.string().regex(/^[a-z0-9._-]{1,64}$/, { error: "lower case letters, digits, '.', '_' or '-'" }).default("load-gate"),
  outDir: z.string().optional(),
  workingDirectory: z.string().default("."),
});
export type LoadGateInputs = z.output<typeof loadGateInputs>;

/** `auto`: record the baseline on pushes (and manual runs) to the default branch, never on pull requests. */
export function shouldSaveBaseline(mode: LoadGateInputs["saveBaseline"], context: { eventName: string; ref: string; event: Record<string, any> }): boolean {
  if (mode !== "auto") return mode === "true";
  if (!["push", "workflow_dispatch", "schedule"].includes(context.eventName)) return false;
  const defaultBranch = context.event.repository?.default_branch;
  return typeof defaultBranch === "string" && context.ref === `refs/heads/${defaultBranch}`;
}
