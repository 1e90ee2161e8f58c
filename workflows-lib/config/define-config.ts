import type { z } from "zod";
import type { alchkitConfigSchema } from "./config-schema.ts";

/** What `alchkit.config.ts` exports: the same shape as `alchkit.config.json`, with the editor's type checking. */
export type AlchkitUserConfig = z.input<typeof alchkitConfigSchema>;

/**
 * `export default defineConfig({ … })` in `alchkit.config.ts`: returns its argument, typed. The kit validates it
 * like the JSON form when it loads it.
 */
export function defineConfig(config: AlchkitUserConfig): AlchkitUserConfig {
  return config;
}
