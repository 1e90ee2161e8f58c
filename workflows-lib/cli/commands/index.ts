import type { CommandSpec } from "../command.ts";
import { feedCommand } from "./feed.ts";
import { loadGateCommands } from "./load-gate.ts";
import { matrixCommand } from "./matrix.ts";
import { protectCommand } from "./protect.ts";
import { openapiCommands } from "./openapi.ts";
import { promoteCommands } from "./promote.ts";
import { profileCommands } from "./profile.ts";
import { demoCommand } from "./demo.ts";
import { previewCommands } from "./preview.ts";
import { initCommand } from "./init.ts";

/**
 * Every `alchkit` command, in the order `alchkit --help` and docs/cli.md list them.
 * Each capability adds its commands from its own module.
 */
export const commands: CommandSpec[] = [...previewCommands, feedCommand, ...loadGateCommands, matrixCommand, protectCommand, ...openapiCommands, ...promoteCommands, ...profileCommands, initCommand, demoCommand];
