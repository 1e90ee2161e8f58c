import type { z } from "zod";
import type { CheckedRollout, RolloutInput } from "../rollout/typed-config.ts";
import type { alchkitConfigSchema } from "./config-schema.ts";

/**
 * What `alchkit.config.ts` exports: the same shape as `alchkit.config.json`, with the editor's type checking
 * (sections whose schema cannot say everything in types, such as `rollout`, bring a narrower type of their own).
 */
export type AlchkitUserConfig = Omit<z.input<typeof alchkitConfigSchema>, "rollout"> & { rollout?: RolloutInput };

/**
 * The checks only a literal value allows (e.g. rollout stages that go up): intersected with the value, a
 * property that fails them becomes `never` and the editor marks it where it is written.
 */
type Checked<C> = C extends { rollout: infer R } ? { rollout: CheckedRollout<R> } : unknown;

/**
 * `export default defineConfig({ … })` in `alchkit.config.ts`: returns its argument, typed. The kit validates it
 * like the JSON form when it loads it.
 */
export function defineConfig<const C extends AlchkitUserConfig>(config: C & Checked<C>): C {
  return config;
}
