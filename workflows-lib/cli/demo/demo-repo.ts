import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * The consumer repository the demo works in: a temporary git repository holding a copy of the example app,
 * so the demo never touches the checkout it runs from. Its history tells the story:
 *
 * - `base` — "Orders API": healthy everywhere (production has its payment provider configured).
 * - `head` — the pull request: turns on live checkout in production but drops the payment provider from the
 *   production env file. Healthy on a preview and on staging, 503 on production.
 */
export interface DemoRepo {
  root: string;
  base: string;
  head: string;
  /** Removes the repository (worktrees and local state included). */
  remove(): Promise<void>;
}

const AUTHOR = {
  GIT_AUTHOR_NAME: "Demo Author",
  GIT_AUTHOR_EMAIL: "demo@example.com",
  GIT_COMMITTER_NAME: "Demo Author",
  GIT_COMMITTER_EMAIL: "demo@example.com",
};

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      // No user or system git configuration: hooks, signing or templates of the machine must not change the demo.
      { cwd, env: { ...process.env, ...AUTHOR, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", LC_ALL: "C" } },
      (error, stdout, stderr) => (error ? reject(new Error(`git ${args.join(" ")} failed: ${stderr.trim() || error.message}`)) : resolve(stdout.trim())),
    );
  });
}

/**
 * Copies the example app (`appDir`) into a new git repository under the system's temp folder and makes the
 * two commits. `nodeModules` (the installed dependencies) is linked, never copied or installed.
 */
export async function createDemoRepo(appDir: string, nodeModules: string): Promise<DemoRepo> {
  const root = await mkdtemp(path.join(tmpdir(), "alchkit-demo-"));
  const remove = () => rm(root, { recursive: true, force: true });
  try {
    for (const entry of ["alchemy.run.ts", "package.json", "README.md", "src", "load"]) {
      await cp(path.join(appDir, entry), path.join(root, entry), { recursive: true });
    }
    await symlink(nodeModules, path.join(root, "node_modules"), "dir");
    await writeFile(path.join(root, ".gitignore"), "node_modules\n.alchemy/\n.alchkit/\n");
    await mkdir(path.join(root, "env"));
    const envFile = async (name: string, from: string) =>
      writeFile(path.join(root, "env", `${name}.env`), await readFile(path.join(appDir, "env", from), "utf8"));
    await envFile("staging", "staging.env");
    await envFile("production", "production-healthy.env");
    await git(root, ["init", "--quiet", "--initial-branch=main"]);
    await git(root, ["add", "."]);
    await git(root, ["commit", "--quiet", "--no-verify", "-m", "Orders API with live checkout in production"]);
    const base = await git(root, ["rev-parse", "HEAD"]);
    await envFile("production", "production.env");
    await git(root, ["commit", "--quiet", "--no-verify", "-am", "Simplify the production settings"]);
    const head = await git(root, ["rev-parse", "HEAD"]);
    return { root, base, head, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/**
 * A second version of the app module whose default export is the example app's `breaking` variant: what a
 * pull request that breaks the API contract ships. Written next to the repository's local state (ignored).
 */
export async function writeBreakingVariant(repo: DemoRepo): Promise<string> {
  const source = await readFile(path.join(repo.root, "src", "app.ts"), "utf8");
  const standard = 'export const app = createApp("standard");';
  if (!source.includes(standard)) throw new Error(`the example app's src/app.ts no longer has the line ${standard}`);
  const file = path.join(repo.root, ".alchkit", "breaking-pr", "src", "app.ts");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, source.replace(standard, 'export const app = createApp("breaking");'));
  return file;
}
