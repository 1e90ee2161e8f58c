import { execFile } from "node:child_process";

/** One run of the `git` on PATH. */
export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs git in `cwd` without prompting and with stable (C locale) output. Never throws for a non-zero exit:
 * callers decide what an exit code means. Throws only when git cannot be started.
 */
export function runGit(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      { cwd, maxBuffer: 256 * 1024 * 1024, env: { ...env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" } },
      (error, stdout, stderr) => {
        if (error && typeof (error as NodeJS.ErrnoException).code === "string") {
          reject(new Error(`cannot run git: ${error.message}`));
          return;
        }
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs git and returns its stdout; a non-zero exit throws with git's own message. */
export async function gitOk(cwd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const result = await runGit(cwd, args, env);
  if (result.code !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr.trim() || `exit ${result.code}`}`);
  return result.stdout;
}

/** Runs git and returns its stdout, or undefined when it failed (not a repository, no such remote …). */
export async function gitOrUndefined(cwd: string, args: string[]): Promise<string | undefined> {
  const result = await runGit(cwd, args).catch(() => undefined);
  return result && result.code === 0 ? result.stdout : undefined;
}
