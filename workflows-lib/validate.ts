import { z } from "zod";
import { InputError } from "./errors.ts";

/** Describes a zod issue as "what was expected", for an InputError. */
export function expectation(issue: z.core.$ZodIssue): string {
  return issue.message.replace(/^Invalid (input|option): /, "").replace(/^expected /, "");
}

/**
 * Parses one value at the edge. On failure throws an InputError that names the input (an action input,
 * a CLI flag, a config key) and what was expected.
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, inputName: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length > 0 ? `${inputName}.${issue.path.join(".")}` : inputName;
  throw new InputError(where, expectation(issue));
}

/**
 * Parses a record of raw inputs with an object schema. `nameOf` maps a schema key to the name the user typed
 * (e.g. `bodyPath` → `body-path` for an action input or `--body-path` for a CLI flag).
 */
export function parseInputs<T extends z.ZodObject>(
  schema: T,
  raw: Record<string, unknown>,
  nameOf: (key: string) => string,
): z.output<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const [head, ...rest] = issue.path.map(String);
  const name = head === undefined ? "input" : [nameOf(head), ...rest].join(".");
  throw new InputError(name, expectation(issue));
}

/**
 * JSON.parse at the edge: text that is not JSON is one InputError naming the input, what was expected and
 * JSON.parse's own words (with `source`, the file it came from, in front).
 */
export function parseJsonInput(text: string, inputName: string, expected: string, source?: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(inputName, expected, `${source ? `${source}: ` : ""}${(error as Error).message}`);
  }
}

/** "<path>: <message>" of a failed parse's first issue, `whole` standing for the path of the value itself. */
export function firstIssue(error: z.ZodError, whole: string): string {
  const issue = error.issues[0]!;
  return `${issue.path.join(".") || whole}: ${issue.message}`;
}

export const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const camel = (name: string): string => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** `true`/`false` as action inputs and config values write them. */
export const booleanInput = z
  .union([z.boolean(), z.enum(["true", "false", "True", "False", "TRUE", "FALSE"])], { error: "true or false" })
  .transform((v) => (typeof v === "boolean" ? v : v.toLowerCase() === "true"));

/** A list given one item per line or comma separated. */
export const listInput = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(/[\n,]/)).map((s) => s.trim()).filter((s) => s.length > 0));

export const positiveIntInput = z.coerce
  .number({ error: "a whole number" })
  .int({ error: "a whole number" })
  .positive({ error: "a positive whole number" });
