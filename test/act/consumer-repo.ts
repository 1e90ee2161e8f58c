// The consumer repository the kit's workflows run for under act: the example Alchemy app (test/fixtures/
// consumer-app) with two workspace packages for the CI matrix, its workflows written by the real `alchkit init`,
// pushed to a bare repository that `https://github.com/octo/app` resolves to, and mirrored into the GitHub
// stand-in after every push (commits, branches, pull requests), as GitHub would see it.
//
// Dependencies: Alchemy and the app's libraries come from a node_modules folder above every checkout (the
// environment's root links to the kit's installed one), the way a runner image provides a toolchain: a real
// install of Alchemy's 238 packages in every job would take minutes. The setup action's frozen install still
// runs `npm ci` on the consumer's lockfile (its workspace packages).
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../harness/run-action.ts";
import { TempRepo } from "../adapter/matrix/temp-repo.ts";
import { CONSUMER_APP_DIR } from "../support/local-app.ts";
import { mirrorGitRepository } from "../github/git-mirror.ts";
import type { GitHubStandIn } from "../github/index.ts";
import type { PullRecord } from "../github/state.ts";
import type { ActEnvironment } from "./run-act.ts";

export const CONSUMER = "octo/app";

export interface ActConsumerRepo {
  /** The working copy act runs in (`--directory`); its HEAD is the event's commit. */
  work: TempRepo;
  bare: string;
  gh: GitHubStandIn;
  /**
   * Commits files (null deletes) on a branch (created from main when new) and pushes it, unless `push` is false
   * (a fork's branch: only its pull request refs reach the repository). Returns the SHA.
   */
  commit(branch: string, message: string, files: Record<string, string | null>, options?: { push?: boolean }): string;
  /** Opens (or updates, after a push) pull request `number` from `branch`: refs/pull/<n>/head and /merge, the stand-in's record. */
  pullRequest(number: number, branch: string, options?: { fork?: string }): { head: string; merge: string; pull: PullRecord };
  /** Creates and pushes `branch` as an empty orphan branch (the GitHub Pages branch a guide has you create once). */
  orphanBranch(branch: string): void;
  /** Checks the working copy out at `ref` (the commit act reports as github.sha). */
  at(ref: string): void;
  push(...refspecs: string[]): void;
}

const WORKSPACE_PACKAGES: Record<string, string> = {
  "packages/greet/package.json": JSON.stringify({ name: "@orders/greet", version: "1.0.0", type: "module", main: "index.js", scripts: { test: "node --test" } }, null, 2),
  "packages/greet/index.js": 'export const greet = (name) => `Hello, ${name}`;\n',
  "packages/greet/greet.test.js": 'import { test } from "node:test";\nimport assert from "node:assert/strict";\nimport { greet } from "./index.js";\n\ntest("greets", () => assert.equal(greet("Ada"), "Hello, Ada"));\n',
  "packages/shout/package.json": JSON.stringify({ name: "@orders/shout", version: "1.0.0", type: "module", main: "index.js", dependencies: { "@orders/greet": "1.0.0" }, scripts: { test: "node --test" } }, null, 2),
  "packages/shout/index.js": 'import { greet } from "@orders/greet";\nexport const shout = (name) => `${greet(name).toUpperCase()}!`;\n',
  "packages/shout/shout.test.js": 'import { test } from "node:test";\nimport assert from "node:assert/strict";\nimport { shout } from "./index.js";\n\ntest("shouts", () => assert.equal(shout("Ada"), "HELLO, ADA!"));\n',
};

/** Creates the consumer in `env` (once per environment), runs `alchkit init`, pushes main, mirrors it into `gh`. */
export function createConsumerRepo(env: ActEnvironment, gh: GitHubStandIn): ActConsumerRepo {
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(env.root, "node_modules"), "dir");
  const bare = path.join(env.remotes, `${CONSUMER}.git`);
  mkdirSync(path.dirname(bare), { recursive: true });
  execFileSync("git", ["init", "--quiet", "--bare", bare]);
  // GitHub serves any commit of the repository's network by SHA (checkout of a pull request head, a rollback).
  execFileSync("git", ["config", "uploadpack.allowAnySHA1InWant", "true"], { cwd: bare });

  const dir = path.join(env.root, "work");
  mkdirSync(dir);
  const work = new TempRepo(dir);
  const gitEnv = { ...process.env, HOME: env.home };
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env: gitEnv, encoding: "utf8" }).trim();
  git("init", "--quiet", "--initial-branch=main");
  git("remote", "add", "origin", `https://github.com/${CONSUMER}`);
  for (const entry of ["alchemy.run.ts", "src", "load"]) cpSync(path.join(CONSUMER_APP_DIR, entry), path.join(dir, entry), { recursive: true });
  work.write({
    "package.json": { name: "orders", version: "1.0.0", private: true, type: "module", workspaces: ["packages/*"] },
    // The fixture's latency thresholds are for a quiet machine; these runs judge the wiring, not the speed.
    "load/thresholds.json": { http_req_duration: ["p(95)<10000"], http_req_failed: ["rate<0.01"], http_reqs: ["count>0"] },
    ...WORKSPACE_PACKAGES,
    ".gitignore": "node_modules/\n",
  });
  const install = spawnSync("npm", ["install", "--package-lock-only", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: dir, env: gitEnv, encoding: "utf8" });
  if (install.status !== 0) throw new Error(`npm install --package-lock-only failed:\n${install.stderr}`);
  const init = spawnSync(process.execPath, [path.join(repoRoot, "workflows-lib/cli/bin.js"), "init", "--dir", dir, "--kit-ref", "v1"], { encoding: "utf8", env: { PATH: process.env.PATH, HOME: env.home } });
  if (init.status !== 0) throw new Error(`alchkit init failed:\n${init.stdout}${init.stderr}`);
  work.commit("Orders API with alchkit");

  gh.seed.user("octocat", { id: 583231, name: "The Octocat" });
  gh.seed.repo({ owner: "octo", name: "app" });
  const repo: ActConsumerRepo = {
    work,
    bare,
    gh,
    push(...refspecs) {
      git("push", "--quiet", "--force", "origin", ...refspecs);
      mirrorGitRepository(gh, CONSUMER, bare);
    },
    commit(branch, message, files, options = {}) {
      const exists = git("branch", "--list", branch) !== "";
      git("checkout", "--quiet", "--force", exists ? branch : "-B", ...(exists ? [] : [branch, "main"]));
      const writes: Record<string, string> = {};
      for (const [file, content] of Object.entries(files)) {
        if (content === null) git("rm", "--quiet", "-r", "--", file);
        else writes[file] = content;
      }
      work.write(writes);
      const sha = work.commit(message);
      if (options.push !== false) repo.push(`${branch}:refs/heads/${branch}`);
      return sha;
    },
    pullRequest(number, branch, options = {}) {
      const head = git("rev-parse", branch);
      git("checkout", "--quiet", "--force", "--detach", "main");
      git("merge", "--quiet", "--no-ff", "--no-edit", "-m", `Merge ${head} into main`, head);
      const merge = git("rev-parse", "HEAD");
      repo.push(`${head}:refs/pull/${number}/head`, `${merge}:refs/pull/${number}/merge`);
      const record = gh.state.repo(CONSUMER)!;
      let pull = record.pulls.get(number);
      if (!pull) {
        if (options.fork) {
          const fork = gh.state.repo(`${options.fork}/app`) ?? gh.seed.fork(CONSUMER, options.fork);
          for (const [sha, commit] of record.commits) fork.commits.set(sha, commit);
          fork.refs.set(`refs/heads/${branch}`, head);
        }
        pull = gh.seed.pull(CONSUMER, { number, head: branch, title: `Change ${branch}`, ...(options.fork ? { fork: options.fork } : {}) });
      }
      pull.head.sha = head;
      pull.base.sha = record.refs.get("refs/heads/main")!;
      return { head, merge, pull };
    },
    orphanBranch(branch) {
      git("switch", "--quiet", "--orphan", branch);
      git("commit", "--quiet", "--allow-empty", "-m", `Start ${branch}`);
      repo.push(`${branch}:refs/heads/${branch}`);
      git("switch", "--quiet", "--force", "main");
    },
    at(ref) {
      git("checkout", "--quiet", "--force", "--detach", ref);
    },
  };
  repo.push("main:refs/heads/main");
  return repo;
}
