import { gitOk } from "./git.ts";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Git, KitFiles } from "../release/kit-release.ts";

/** The `git` on PATH, run in `cwd`. Errors carry git's own message. */
export function gitCli(cwd: string, env: NodeJS.ProcessEnv = process.env): Git {
  return (args) => gitOk(cwd, args, env);
}

export function repoFiles(root: string): KitFiles {
  return {
    read: (path) => readFile(join(root, path), "utf8"),
    write: (path, text) => writeFile(join(root, path), text),
  };
}
