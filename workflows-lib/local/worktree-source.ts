import { existsSync } from "node:fs";
import { mkdir, readFile, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { GateFailure, InputError } from "../errors.ts";
import type { BranchPort, ComparePort, Comparison, SourcePort } from "../promote/ports.ts";
import { acquireLockFile } from "./lock-file.ts";
import { gitOk as git, gitOrUndefined, runGit } from "./git.ts";

export interface WorktreeSourceOptions {
  /** Repository root (the consumer's checkout). */
  root: string;
  /** App directories (relative to the root) whose node_modules the worktrees reuse. */
  appDirs?: string[];
  /**
   * Deploy the working tree itself when it is at the requested SHA (CI: the job checked it out). Locally
   * every deploy gets its own worktree, so a running environment never sees uncommitted edits.
   */
  useRootForHead?: boolean;
}

export const worktreeDir = (root: string, sha: string): string => join(root, ".alchkit", "worktrees", sha);

/**
 * The code of a SHA on disk: `git worktree add` under `.alchkit/worktrees/<sha>`, reusing the repository's
 * installed node_modules by symlink (same lockfile era is the caller's promise; a worktree is never reinstalled).
 */
export function createWorktreeSource(options: WorktreeSourceOptions): SourcePort & ComparePort & BranchPort {
  const { root } = options;
  return {
    async resolve(ref) {
      try {
        return (await git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`])).trim();
      } catch {
        throw new InputError("sha", "a commit of this repository", `"${ref}" is unknown here (fetch it first?)`);
      }
    },
    async checkout(sha) {
      if (options.useRootForHead) {
        const head = (await git(root, ["rev-parse", "HEAD"])).trim();
        if (head === sha) return root;
      }
      await ensureIgnored(root);
      const dir = worktreeDir(root, sha);
      const release = await acquireLockFile(`${dir}.lock`, { purpose: `worktree ${sha.slice(0, 7)}`, pollMs: 50 });
      try {
        if (existsSync(join(dir, ".git"))) {
          const head = (await git(dir, ["rev-parse", "HEAD"]).catch(() => "")).trim();
          if (head === sha) return dir;
          await git(root, ["worktree", "remove", "--force", dir]).catch(() => undefined);
        }
        await rm(dir, { recursive: true, force: true });
        await git(root, ["worktree", "prune"]);
        await git(root, ["worktree", "add", "--detach", "--quiet", dir, sha]);
        for (const appDir of new Set([".", ...(options.appDirs ?? [])])) {
          const installed = join(root, appDir, "node_modules");
          const link = join(dir, appDir, "node_modules");
          if (existsSync(installed) && !existsSync(link) && existsSync(join(dir, appDir))) {
            await symlink(relative(join(dir, appDir), await realpath(installed)), link, "dir");
          }
        }
        return dir;
      } finally {
        await release();
      }
    },
    async compare(base, head): Promise<Comparison> {
      const count = async (range: string) => Number((await git(root, ["rev-list", "--count", range])).trim());
      const log = await git(root, ["log", "--reverse", "--format=%H%x1f%an%x1f%s", `${base}..${head}`]);
      const commits = log
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          const [sha = "", author = "", message = ""] = line.split("\x1f");
          return { sha, message, ...(author ? { author } : {}) };
        });
      return { commits, aheadBy: await count(`${base}..${head}`), behindBy: await count(`${head}..${base}`) };
    },
    async defaultBranchContains(sha) {
      const branch = await defaultBranch(root);
      const result = await runGit(root, ["merge-base", "--is-ancestor", sha, branch]);
      if (result.code > 1) throw new Error(`git merge-base --is-ancestor ${sha} ${branch} failed: ${result.stderr.trim()}`);
      return { branch, contains: result.code === 0 };
    },
  };
}

/**
 * The repository's default branch as git knows it: the remote's (`origin/HEAD`, what was merged upstream),
 * else the local branch `init.defaultBranch` names, else `main` or `master`.
 */
export async function defaultBranch(root: string): Promise<string> {
  const remote = (await gitOrUndefined(root, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"]))?.trim();
  if (remote) return remote;
  const configured = (await gitOrUndefined(root, ["config", "--get", "init.defaultBranch"]))?.trim();
  for (const name of [configured, "main", "master"]) {
    if (name && (await gitOrUndefined(root, ["rev-parse", "--verify", "--quiet", `refs/heads/${name}`])) !== undefined) return name;
  }
  throw new GateFailure(
    `Cannot tell the default branch of ${root}: there is no origin/HEAD and no main or master branch ` +
      "(run `git remote set-head origin --auto`, or create the branch).",
  );
}

/** `.alchkit/` holds machine state (ledger, worktrees, logs): keep it out of the repository's status. */
async function ensureIgnored(root: string): Promise<void> {
  const file = join(root, ".alchkit", ".gitignore");
  const current = await readFile(file, "utf8").catch(() => undefined);
  if (current !== undefined) return;
  await mkdir(join(root, ".alchkit"), { recursive: true });
  await writeFile(file, "# alchkit's local state (ledger, worktrees, dev processes)\n*\n");
}
