// `alchkit` as a user runs it: a real CLI process in a directory, its output and exit code. It runs through
// test/support/cli.ts, so the planted secrets are in its environment and what it printed and wrote is scanned.
import { alchkitAsync } from "./cli.ts";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runAlchkit(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<CliRun> {
  const run = await alchkitAsync(args, { cwd, env });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
