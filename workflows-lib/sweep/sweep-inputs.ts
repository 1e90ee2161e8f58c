import { z } from "zod";
import { DEFAULT_PROTECTED_STAGES } from "../platform/stage-name.ts";
import { stagePrefixInput } from "../preview/preview-inputs.ts";
import { booleanInput, listInput } from "../validate.ts";

/** Inputs of `actions/sweep`. */
export const sweepInputs = z.object({
  destroy: booleanInput.default(false),
  stagePrefix: stagePrefixInput,
  protectedStages: listInput.default([...DEFAULT_PROTECTED_STAGES]),
  workingDirectory: z.string().default("."),
  profile: z.string().regex(/^[A-Za-z0-9_-]+$/, { error: "a profile name (letters, digits, '_', '-')" }).optional(),
});
export type SweepInputs = z.output<typeof sweepInputs>;
