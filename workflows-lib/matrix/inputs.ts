import { z } from "zod";
import { booleanInput, listInput, positiveIntInput } from "../validate.ts";
import { GITHUB_MATRIX_LIMIT } from "./plan-matrix.ts";
import type { MatrixEntry } from "./plan-matrix.ts";

/** Schemas shared by `actions/matrix` and `alchkit matrix`: one definition of what a valid input is. */
export const packageManagerInput = z.enum(["npm", "pnpm", "yarn", "bun"], { error: "npm, pnpm, yarn or bun" });

export const maxJobsInput = positiveIntInput.max(GITHUB_MATRIX_LIMIT, {
  error: `at most ${GITHUB_MATRIX_LIMIT} (GitHub's limit of jobs per matrix)`,
});

export const globListInput = listInput;

export const planInputs = z.object({
  base: z.string().min(1).optional(),
  head: z.string().min(1).optional(),
  workingDirectory: z.string().min(1).default("."),
  globalTriggers: globListInput.optional(),
  ignore: globListInput.optional(),
  maxJobs: maxJobsInput.default(GITHUB_MATRIX_LIMIT),
  all: booleanInput.default(false),
});

const matrixPackageSchema = z.object({
  name: z.string().min(1),
  path: z.string().min(1),
  build: z.boolean(),
  lint: z.boolean(),
  test: z.boolean(),
});

export const matrixEntrySchema: z.ZodType<MatrixEntry> = matrixPackageSchema.extend({
  packages: z.array(matrixPackageSchema).optional(),
}) as unknown as z.ZodType<MatrixEntry>;

/** A JSON string holding a value of `schema` (action inputs are strings). */
export function jsonOf<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "valid JSON" });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

export const runInputs = z.object({
  entry: jsonOf(matrixEntrySchema),
  packageManager: packageManagerInput,
  workingDirectory: z.string().min(1).default("."),
});

const jobResult = z.enum(["success", "failure", "cancelled", "skipped"], {
  error: "success, failure, cancelled or skipped (a needs.<job>.result)",
});

export const planMatrixSchema = z.object({ include: z.array(matrixEntrySchema) });

export const summaryInputs = z.object({
  planResult: jobResult,
  testResult: jobResult,
  /** Optional: without it the plan's matrix is read from the reports folder (the plan job's artifact). */
  matrix: jsonOf(planMatrixSchema).optional(),
  reportsDir: z.string().min(1).optional(),
});
