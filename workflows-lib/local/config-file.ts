import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { InputError } from "../errors.ts";
import type { AlchkitConfig } from "../config/config-schema.ts";
import { defaultConfig, parseConfig } from "../config/parse-config.ts";

/** The configuration files the kit reads, in order of preference; at most one may exist. */
export const CONFIG_FILES = ["alchkit.config.ts", "alchkit.config.mts", "alchkit.config.js", "alchkit.config.mjs", "alchkit.config.json"] as const;

export interface LoadedConfig {
  config: AlchkitConfig;
  /** The file it came from, relative to the repository; undefined when the defaults apply. */
  file?: string;
}

/**
 * Why a configuration module did not load. A TypeScript file on a Node.js that does not strip types by default
 * (before 22.18, or with --no-experimental-strip-types) fails with ERR_UNKNOWN_FILE_EXTENSION: say what to do.
 */
export function loadFailure(error: unknown, file: string, nodeVersion: string): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === "ERR_UNKNOWN_FILE_EXTENSION" && /\.m?ts$/.test(file)) {
    return (
      `Node.js ${nodeVersion} does not strip TypeScript types by default (22.18 and later do): upgrade Node.js, run with ` +
      `NODE_OPTIONS=--experimental-strip-types, or write the configuration as alchkit.config.mjs or alchkit.config.json`
    );
  }
  return message ?? String(error);
}

/**
 * Loads the repository's configuration: `alchkit.config.ts` (its default export; Node strips the types) or
 * `alchkit.config.json`; the defaults when there is none. Two files at once is bad input: which one wins
 * would be a guess.
 */
export async function loadConfig(root: string): Promise<LoadedConfig> {
  const present = CONFIG_FILES.filter((name) => existsSync(path.join(root, name)));
  if (present.length === 0) return { config: defaultConfig() };
  if (present.length > 1) throw new InputError(present.join(", "), "one configuration file", "remove all but one");
  const file = present[0]!;
  const full = path.join(root, file);
  let value: unknown;
  if (file.endsWith(".json")) {
    try {
      value = JSON.parse(readFileSync(full, "utf8"));
    } catch (error) {
      throw new InputError(file, "valid JSON", (error as Error).message);
    }
  } else {
    try {
      const module = (await import(pathToFileURL(full).href)) as { default?: unknown };
      value = module.default;
    } catch (error) {
      throw new InputError(file, "a module that loads (export default defineConfig({ … }))", loadFailure(error, file, process.version));
    }
    if (value === undefined) throw new InputError(file, "a default export (export default defineConfig({ … }))");
  }
  return { config: parseConfig(value, file), file };
}
