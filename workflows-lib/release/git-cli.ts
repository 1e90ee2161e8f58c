import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Git, KitFiles } from "./kit-release.ts";

/** The `git` on PATH, run in `cwd`. Errors carry git's own message. */
export function gitCli(cwd: string, env: NodeJS.ProcessEnv = process.env): Git {
  return (args) =>
    new Promise((resolve, reject) => {
      execFile("git", args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`git ${args.join(" ")}: ${(stderr || error.message).trim()}`));
        else resolve(stdout);
      });
    });
}

export function repoFiles(root: string): KitFiles {
  return {
    read: (path) => readFile(join(root, path), "utf8"),
    write: (path, text) => writeFile(join(root, path), text),
  };
}
