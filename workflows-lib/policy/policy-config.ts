import { z } from "zod";
import { librarySelectionSchema } from "./library.ts";

/** The `policy` section of alchkit.config.json. */
export const policyConfigSchema = z
  .object({
    directory: z.string().default("policies").describe("Folder of the repository's Rego policies (every *.rego below it, *_test.rego excepted)"),
    library: librarySelectionSchema.default({}),
    regoVersion: z.enum(["v1", "v0"]).default("v1").describe("Rego syntax of the policies: v1 (OPA 1.x, conftest ≥ 0.56) or v0 (older conftest policies)"),
  })
  .strict()
  .default({ directory: "policies", library: {}, regoVersion: "v1" });

export type PolicyConfig = z.output<typeof policyConfigSchema>;
