import { parseArgs } from "node:util";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { camel, kebab, parseInputs } from "../validate.ts";
import type { CommandSpec } from "./command.ts";

/** How a flag is written on the command line, derived from its zod type. */
export interface FlagInfo {
  key: string;
  flag: string;
  kind: "boolean" | "string" | "list";
  description: string;
  required: boolean;
  defaultValue?: unknown;
  choices?: string[];
}

function unwrap(schema: z.ZodType): { inner: z.ZodType; optional: boolean; defaultValue?: unknown } {
  let inner = schema;
  let optional = false;
  let defaultValue: unknown;
  for (;;) {
    const def = (inner as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; defaultValue?: unknown; in?: z.ZodType } } })._zod.def;
    if (def.type === "optional") optional = true;
    else if (def.type === "default" || def.type === "prefault") {
      optional = true;
      defaultValue = def.defaultValue;
    } else if (def.type !== "nullable" && def.type !== "pipe") break;
    const next = def.type === "pipe" ? def.in : def.innerType;
    if (!next) break;
    inner = next;
  }
  return { inner, optional, defaultValue };
}

export function flagInfo(spec: CommandSpec): FlagInfo[] {
  return Object.entries(spec.flags.shape).map(([key, schema]) => {
    const field = schema as z.ZodType;
    const { inner, optional, defaultValue } = unwrap(field);
    const type = (inner as unknown as { _zod: { def: { type: string; entries?: Record<string, string> } } })._zod.def;
    const kind = type.type === "boolean" ? "boolean" : type.type === "array" ? "list" : "string";
    const info: FlagInfo = { key, flag: `--${kebab(key)}`, kind, description: field.description ?? inner.description ?? "", required: !optional };
    if (defaultValue !== undefined) info.defaultValue = defaultValue;
    if (type.type === "enum" && type.entries) info.choices = Object.values(type.entries);
    return info;
  });
}

/** Parses argv (after the command words) against a command's flags; unknown flags are bad input. */
export function parseCommandArgs(spec: CommandSpec, argv: string[]): { flags: Record<string, unknown>; positionals: string[]; help: boolean } {
  const infos = flagInfo(spec);
  const options: Record<string, { type: "boolean" | "string"; multiple?: boolean; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const info of infos) {
    options[kebab(info.key)] = { type: info.kind === "boolean" ? "boolean" : "string", ...(info.kind === "list" ? { multiple: true } : {}) };
  }
  for (const [short, long] of Object.entries(spec.aliases ?? {})) {
    const option = options[long];
    if (option) option.short = short;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? "arguments";
    throw new InputError(flag, expectationFor(spec, message), message.split(".")[0]);
  }
  const flags: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    if (name === "help") continue;
    flags[camel(name)] = value;
  }
  const positionals = parsed.positionals;
  const declared = spec.positionals ?? [];
  const required = declared.filter((p) => p.required !== false);
  if (!parsed.values.help) {
    if (positionals.length < required.length) {
      const missing = required[positionals.length]!;
      throw new InputError(missing.name, missing.description);
    }
    if (positionals.length > declared.length) {
      throw new InputError(positionals[declared.length]!, `at most ${declared.length} argument(s) for \`alchkit ${spec.path.join(" ")}\``);
    }
  }
  return { flags, positionals, help: parsed.values.help === true };
}

function expectationFor(spec: CommandSpec, message: string): string {
  if (/Unknown option/.test(message)) return `one of the flags of \`alchkit ${spec.path.join(" ")}\` (see --help)`;
  if (/argument missing/.test(message)) return "a value after the flag";
  return "valid arguments";
}

/** Validates parsed flags with the command's zod schema; errors name the flag as typed (`--body-path`). */
export function validateFlags(spec: CommandSpec, flags: Record<string, unknown>): Record<string, unknown> {
  return parseInputs(spec.flags, flags, (key) => `--${kebab(key)}`) as Record<string, unknown>;
}
