import { existsSync } from "node:fs";
import path from "node:path";
import { GateFailure, InputError, EXIT, errorMessage } from "../errors.ts";
import { takeWrittenReportDirs } from "../local/report-files.ts";
import type { CliContext, CommandSpec } from "./command.ts";
import { commandHelp, overviewHelp } from "./help.ts";
import { parseCommandArgs, validateFlags } from "./parse-argv.ts";

/** Finds the command whose words are the longest prefix of argv. */
export function findCommand(specs: CommandSpec[], argv: string[]): { spec: CommandSpec; rest: string[] } | undefined {
  let best: CommandSpec | undefined;
  for (const spec of specs) {
    const matches = spec.path.every((word, i) => argv[i] === word);
    if (matches && (!best || spec.path.length > best.path.length)) best = spec;
  }
  return best ? { spec: best, rest: argv.slice(best.path.length) } : undefined;
}

/**
 * A command that wrote into `.alchkit/out/` gets that folder's page rendered once, at its end, and its path
 * printed: every comment and summary as GitHub would show them. The renderer loads only then.
 */
async function renderReportPages(ctx: CliContext): Promise<void> {
  const dirs = takeWrittenReportDirs().filter((dir) => existsSync(dir));
  if (dirs.length === 0) return;
  const { writeReportIndex } = await import("../local/report-index.ts");
  for (const dir of dirs) {
    try {
      const page = await writeReportIndex(dir);
      ctx.stderr(`What GitHub would show, rendered: ${path.relative(ctx.cwd, page) || page}\n`);
    } catch (error) {
      ctx.stderr(`Could not render ${dir}/index.html: ${errorMessage(error)}\n`);
    }
  }
}

/** Runs one CLI invocation and returns its exit code. Every failure is one line on stderr. */
export async function runCli(specs: CommandSpec[], argv: string[], ctx: CliContext, version: string): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    ctx.stdout(overviewHelp(specs, version));
    return argv.length === 0 ? EXIT.badInput : EXIT.ok;
  }
  if (argv[0] === "--version" || argv[0] === "-v") {
    ctx.stdout(`${version}\n`);
    return EXIT.ok;
  }
  const found = findCommand(specs, argv);
  if (!found) {
    const group = specs.filter((s) => s.path[0] === argv[0]);
    const hint = group.length > 0 ? `one of: ${group.map((s) => s.path.join(" ")).join(", ")}` : "a command (see alchkit --help)";
    ctx.stderr(`alchkit: ${argv.join(" ")}: expected ${hint}\n`);
    return EXIT.badInput;
  }
  try {
    const { flags, positionals, help } = parseCommandArgs(found.spec, found.rest);
    if (help) {
      ctx.stdout(commandHelp(found.spec));
      return EXIT.ok;
    }
    const valid = validateFlags(found.spec, flags);
    try {
      return await found.spec.run({ flags: valid, positionals }, ctx);
    } finally {
      await renderReportPages(ctx);
    }
  } catch (error) {
    if (error instanceof InputError) {
      ctx.stderr(`alchkit ${found.spec.path.join(" ")}: ${error.message}\n`);
      return EXIT.badInput;
    }
    if (error instanceof GateFailure) {
      ctx.stderr(`alchkit ${found.spec.path.join(" ")}: ${error.message}\n`);
      return EXIT.gateFailed;
    }
    ctx.stderr(`alchkit ${found.spec.path.join(" ")}: ${errorMessage(error)}\n`);
    if (ctx.env.ALCHKIT_DEBUG && error instanceof Error && error.stack) ctx.stderr(`${error.stack}\n`);
    return EXIT.gateFailed;
  }
}
