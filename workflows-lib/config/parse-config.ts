import { alchkitConfigSchema, type AlchkitConfig } from "./config-schema.ts";
import { parseInput } from "../validate.ts";

/**
 * Validates the kit's configuration, whichever file it came from (`alchkit.config.json`, or the default export
 * of `alchkit.config.ts`). A bad value is one InputError naming the file and the key, e.g.
 * `alchkit.config.json.environments.production.stage: expected a stage name …`.
 */
export function parseConfig(value: unknown, source: string): AlchkitConfig {
  return parseInput(alchkitConfigSchema, value ?? {}, source);
}

/** The defaults, for a repository without a configuration file. */
export const defaultConfig = (): AlchkitConfig => alchkitConfigSchema.parse({});
