/**
 * Running the `alchkit` CLI in tests, the way a user's shell or another CI would: in a child process
 * (`alchkit`), or in this process through the binary's own runner (`alchkitInProcess`). Either way the planted
 * secrets (planted-secrets.ts) are in the environment, and what the CLI produced — stdout, stderr, and the files
 * it wrote under its working folder (`.alchkit/`: local comments, summaries, the ledger) — is scanned for them;
 * a run that leaked one fails its test.
 */
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { repoRoot } from "../harness/run-action.ts";
import { assertNoPlantedSecrets, scanFiles, scanText, withPlantedSecrets } from "./planted-secrets.ts";
import { commands } from "../../workflows-lib/cli/commands/index.ts";
import { runCli } from "../../workflows-lib/cli/run-cli.ts";
import type { CommandSpec } from "../../workflows-lib/cli/command.ts";

export const CLI_MAIN = path.join(repoRoot, "workflows-lib/cli/main.ts");

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** The environment (default PATH and HOME of this process); the planted secrets are added unless named here. */
  env?: Record<string, string | undefined>;
  timeout?: number;
  /** Further folders whose new files are scanned (an `--out` elsewhere). */
  outputs?: string[];
}

function environment(options: CliOptions): NodeJS.ProcessEnv {
  const env = withPlantedSecrets({ PATH: process.env.PATH, HOME: process.env.HOME, DO_NOT_TRACK: "1", ...options.env });
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

function scan(args: readonly string[], run: CliRun, options: CliOptions, started: number): void {
  const where = `alchkit ${args.slice(0, 2).join(" ")}`;
  assertNoPlantedSecrets([
    ...scanText(`${where}: stdout`, run.stdout),
    ...scanText(`${where}: stderr`, run.stderr),
    ...[path.join(options.cwd ?? process.cwd(), ".alchkit"), ...(options.outputs ?? [])].flatMap((dir) => scanFiles(`${where}: files`, dir, { since: started - 1000 })),
  ]);
}

/** `alchkit <args>` in a child process, to completion. */
export function alchkit(args: string[], options: CliOptions = {}): CliRun {
  const started = Date.now();
  const result = spawnSync(process.execPath, [CLI_MAIN, ...args], { cwd: options.cwd, encoding: "utf8", env: environment(options), ...(options.timeout ? { timeout: options.timeout } : {}) });
  const run = { status: result.status, stdout: result.stdout, stderr: result.stderr };
  scan(args, run, options, started);
  return run;
}

/** The same, without blocking this process (for a test that serves HTTP to it meanwhile). */
export function alchkitAsync(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd: options.cwd, env: environment(options), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => {
      const run = { status, stdout, stderr };
      try {
        scan(args, run, options, started);
        resolve(run);
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Through the binary's own runner in this process (fast; the commands are the real ones unless given). */
export async function alchkitInProcess(args: string[], options: CliOptions & { commands?: CommandSpec[]; isTTY?: boolean } = {}): Promise<CliRun & { code: number }> {
  const started = Date.now();
  let stdout = "";
  let stderr = "";
  const code = await runCli(
    options.commands ?? commands,
    args,
    { cwd: options.cwd ?? process.cwd(), env: environment({ ...options, env: options.env ?? {} }), isTTY: options.isTTY ?? false, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) },
    "0.0.0-test",
  );
  const run = { code, status: code, stdout, stderr };
  scan(args, run, options, started);
  return run;
}
