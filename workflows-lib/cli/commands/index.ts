import type { CommandSpec } from "../command.ts";
import { commandModules } from "./registry.ts";

/**
 * Every `alchkit` command, loaded (for docs/cli.md, `alchkit --help` and tests), in the order of
 * `registry.ts`. The executable itself loads only the module of the command it runs.
 */
export const commands: CommandSpec[] = (await Promise.all(commandModules.map((m) => m.load()))).flat();
