import { z } from "zod";
import { InputError } from "../errors.ts";
import type { IgnoreRule } from "./diff/index.ts";
import { formatLocation, parseSpecText } from "./parse-spec.ts";

const ignoreEntry = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, "a rule id such as api-path-removed-without-deprecation"),
  operation: z
    .string()
    .regex(/^\s*(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE)\s+\/\S*\s*$/i, "an operation written as `METHOD /path`")
    .optional(),
  reason: z.string().trim().min(1, "a reason (it is shown in every report)"),
});

const ignoreArray = z.array(ignoreEntry);
const ignoreObject = z.strictObject({ ignore: ignoreArray });

/**
 * Reads an ignore list (YAML or JSON): a list of `{ id, operation?, reason }`, or `{ ignore: [...] }`.
 * `id` is the oasdiff rule id, `operation` (`METHOD /path`) narrows it to one operation, `reason` is required
 * because an ignored breaking change must say why it is acceptable.
 */
export function parseIgnoreList(text: string, name: string): IgnoreRule[] {
  const parsed = parseSpecText(text, name);
  if (parsed.value === null || parsed.value === undefined) return [];
  const result = Array.isArray(parsed.value) ? ignoreArray.safeParse(parsed.value) : ignoreObject.safeParse(parsed.value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.map(String);
    throw new InputError(formatLocation(name, parsed.locate(path)), "an ignore list of { id, operation?, reason }", `${path.join(".") || "top level"}: ${issue.message.replace(/^Invalid input: /, "")}`);
  }
  const entries = Array.isArray(result.data) ? result.data : result.data.ignore;
  return entries.map((e) => ({ id: e.id, reason: e.reason, ...(e.operation ? { operation: e.operation.trim() } : {}) }));
}
