import { spawn } from "node:child_process";
import path from "node:path";
import type { ScriptRunnerPort } from "../run-entry.ts";
import { childEnv } from "../../child-env/allowed-env.ts";

/**
 * Runs package scripts as child processes in `rootDir/<package dir>`, output passed straight through to the
 * job log. `<pm> run <script>` in the package folder works for npm, pnpm, yarn and bun workspaces alike.
 */
export function createScriptRunner(rootDir: string, options: { group?: (title: string) => () => void; env?: NodeJS.ProcessEnv } = {}): ScriptRunnerPort {
  return {
    run(packageManager, dir, script) {
      const started = performance.now();
      return new Promise((resolve) => {
        const child = spawn(packageManager, ["run", script], {
          cwd: path.join(rootDir, dir),
          // The package's scripts are the app's code: the allow-listed environment, never the action's own.
          env: childEnv(options.env ?? process.env, "app"),
          stdio: "inherit",
          shell: process.platform === "win32",
        });
        child.on("error", (error) => {
          process.stderr.write(`cannot start ${packageManager}: ${error.message}\n`);
          resolve({ exitCode: 127, durationMs: performance.now() - started });
        });
        child.on("close", (code, signal) => {
          resolve({ exitCode: code ?? (signal ? 128 : 1), durationMs: performance.now() - started });
        });
      });
    },
    ...(options.group ? { group: options.group } : {}),
  };
}
