import { gitOk, runGit as git } from "./git.ts";
import { realpathSync } from "node:fs";
import type { GitPort } from "../matrix/changed-files.ts";

/** The top-level directory of the git work tree containing `cwd`, or undefined outside a repository. */
export async function repositoryRoot(cwd: string): Promise<string | undefined> {
  const result = await git(cwd, ["rev-parse", "--show-toplevel"]).catch(() => undefined);
  if (!result || result.code !== 0) return undefined;
  return realpathSync(result.stdout.trim());
}

/** The git CLI behind the matrix's GitPort. */
export function createGitCli(cwd: string): GitPort {
  return {
    async resolveCommit(ref) {
      const result = await git(cwd, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
      return result.code === 0 ? result.stdout.trim() : undefined;
    },
    async mergeBase(a, b) {
      const result = await git(cwd, ["merge-base", "--end-of-options", a, b]);
      return result.code === 0 ? result.stdout.trim() : undefined;
    },
    async diff(from, to) {
      // --no-renames lists a rename as a deletion plus an addition: both paths count.
      const out = await gitOk(cwd, ["diff", "--name-only", "--no-renames", "-z", "--no-ext-diff", "--end-of-options", from, to, "--"]);
      return out.split("\0").filter((p) => p.length > 0);
    },
    async diffSinceMergeBase(base, head) {
      const result = await git(cwd, ["diff", "--name-only", "--no-renames", "-z", "--no-ext-diff", "--end-of-options", `${base}...${head}`, "--"]);
      return result.code === 0 ? result.stdout.split("\0").filter((p) => p.length > 0) : undefined;
    },
    async isShallow() {
      return (await gitOk(cwd, ["rev-parse", "--is-shallow-repository"])).trim() === "true";
    },
    async remote() {
      const names = (await gitOk(cwd, ["remote"])).split("\n").map((s) => s.trim()).filter(Boolean);
      return names.includes("origin") ? "origin" : names[0];
    },
    async fetchCommit(remote, ref) {
      const shallow = (await gitOk(cwd, ["rev-parse", "--is-shallow-repository"])).trim() === "true";
      await gitOk(cwd, ["fetch", "--no-tags", "--quiet", ...(shallow ? ["--depth=1"] : []), "--end-of-options", remote, ref]);
    },
    async deepen(remote, commits) {
      await gitOk(cwd, ["fetch", "--no-tags", "--quiet", `--deepen=${commits}`, remote]);
    },
    async unshallow(remote) {
      await gitOk(cwd, ["fetch", "--no-tags", "--quiet", "--unshallow", remote]);
    },
  };
}
