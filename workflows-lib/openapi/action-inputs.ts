import { z } from "zod";
import { InputError } from "../errors.ts";
import { booleanInput } from "../validate.ts";
import { FAIL_ON } from "./diff/index.ts";
import type { FailOn } from "./diff/index.ts";
import type { SpecSource } from "./generate.ts";

/** Inputs of `actions/openapi` (camelCase here, kebab-case in action.yml). */
export const openapiActionInputs = z.object({
  module: z.string().optional(),
  export: z.string().optional(),
  url: z.url({ protocol: /^https?$/, error: "an http(s) URL" }).optional(),
  file: z.string().optional(),
  command: z.string().optional(),
  workingDirectory: z.string().default("."),
  baseDir: z.string().optional(),
  baseUrl: z.url({ protocol: /^https?$/, error: "an http(s) URL" }).optional(),
  baseFile: z.string().optional(),
  title: z.string().optional(),
  apiVersion: z.string().optional(),
  openapi: z.enum(["3.1", "3.0"], { error: "3.1 or 3.0" }).default("3.1"),
  failOn: z.enum(FAIL_ON as [FailOn, ...FailOn[]], { error: `one of ${FAIL_ON.join(", ")}` }).default("error"),
  overrideLabel: z.string().default("api-breaking-ok"),
  ignore: z.string().optional(),
  comment: booleanInput.default(true),
  specOutput: z.string().optional(),
  docsDir: z.string().optional(),
});
export type OpenAPIActionInputs = z.output<typeof openapiActionInputs>;

/**
 * The head source (exactly one of module / url / file / command) and the base source: `base-url` or
 * `base-file` as given, else the head's module / file / command inside `base-dir` (the base checkout).
 */
export function sourcesFromInputs(inputs: OpenAPIActionInputs): { head: SpecSource; base?: SpecSource; baseInDir: boolean } {
  const given = (["module", "url", "file", "command"] as const).filter((k) => inputs[k] !== undefined);
  if (given.length !== 1) {
    throw new InputError("module", "exactly one of module, url, file or command", given.length === 0 ? "none given" : `got ${given.join(" and ")}`);
  }
  if (inputs.export !== undefined && inputs.module === undefined) throw new InputError("export", "module beside it");
  const head: SpecSource =
    inputs.module !== undefined
      ? { kind: "module", path: inputs.module, ...(inputs.export !== undefined ? { exportName: inputs.export } : {}) }
      : inputs.url !== undefined
        ? { kind: "url", url: inputs.url }
        : inputs.file !== undefined
          ? { kind: "file", path: inputs.file }
          : { kind: "command", command: inputs.command! };
  const baseGiven = (["baseDir", "baseUrl", "baseFile"] as const).filter((k) => inputs[k] !== undefined);
  if (baseGiven.length > 1) throw new InputError("base-dir", "at most one of base-dir, base-url or base-file");
  if (inputs.baseUrl !== undefined) return { head, base: { kind: "url", url: inputs.baseUrl }, baseInDir: false };
  if (inputs.baseFile !== undefined) return { head, base: { kind: "file", path: inputs.baseFile }, baseInDir: false };
  if (inputs.baseDir !== undefined) {
    if (head.kind === "url") throw new InputError("base-dir", "base-url with url (a URL does not come from a checkout)");
    return { head, base: head, baseInDir: true };
  }
  return { head, baseInDir: false };
}
