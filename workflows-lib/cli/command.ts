import type { z } from "zod";

/** What a command may touch besides its flags. Tests pass their own streams, env and cwd. */
export interface CliContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** true when stdout is a terminal: human output and progress; false: plain logs, machine output. */
  isTTY: boolean;
  /** Reads one line from the user (approval prompts); undefined when there is no terminal. */
  prompt?: (question: string) => Promise<string>;
}

export interface Positional {
  name: string;
  description: string;
  required?: boolean;
}

/**
 * One `alchkit` command. `flags` is a zod object whose camelCase keys are the kebab-case flags
 * (`bodyPath` → `--body-path`); each field's `.describe()` is its help text. Booleans are switches.
 * `run` returns the exit code: 0 ok, 1 a gate failed, 2 bad input (throw InputError for that).
 */
export interface CommandSpec<F extends z.ZodObject = z.ZodObject> {
  /** Words after `alchkit`, e.g. ["preview", "up"]. */
  path: string[];
  summary: string;
  description?: string;
  positionals?: Positional[];
  flags: F;
  /** Short flag aliases, e.g. { y: "yes" }. */
  aliases?: Record<string, string>;
  examples?: string[];
  run(input: { flags: z.output<F>; positionals: string[] }, ctx: CliContext): Promise<number>;
}

export function defineCommand<F extends z.ZodObject>(spec: CommandSpec<F>): CommandSpec<F> {
  return spec;
}
