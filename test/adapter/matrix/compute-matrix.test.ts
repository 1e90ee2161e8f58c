import { describe, it, after, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { computeMatrix } from "../../../workflows-lib/matrix/compute-matrix.ts";
import type { ComputeMatrixOptions } from "../../../workflows-lib/matrix/compute-matrix.ts";
import { createGitCli } from "../../../workflows-lib/local/matrix-git.ts";
import { readWorkspace } from "../../../workflows-lib/matrix/adapters/workspace-reader.ts";
import { InputError } from "../../../workflows-lib/errors.ts";
import { dependencyBuilds } from "../../../workflows-lib/matrix/plan-matrix.ts";
import { buildWorkspaceGraph } from "../../../workflows-lib/matrix/workspace-graph.ts";
import { TempRepo, chainWorkspace } from "./temp-repo.ts";

function matrixOf(repo: TempRepo, options: ComputeMatrixOptions, cwd = repo.dir) {
  return computeMatrix({ git: createGitCli(cwd), readWorkspace: () => readWorkspace(cwd, repo.dir) }, options);
}
const names = (result: Awaited<ReturnType<typeof matrixOf>>) => result.matrix.include.map((e) => e.name).sort();

for (const flavour of ["npm", "pnpm"] as const) {
  describe(`${flavour} workspace with the chain a ← b ← c ← web`, () => {
    const repo = new TempRepo();
    let base = "";
    before(() => {
      repo.write(chainWorkspace(flavour));
      base = repo.commit("initial");
    });
    after(() => repo.remove());

    it("a change in a selects a and every transitive dependent, in build order", async () => {
      repo.git("checkout", "-q", "-b", "feature-a", base);
      repo.write({ "packages/a/src/index.ts": "export const a = 2;\n" });
      const head = repo.commit("change a");
      const result = await matrixOf(repo, { range: { kind: "compare", base: "main", head } });
      assert.deepEqual(names(result), ["@demo/a", "@demo/b", "@demo/c", "web"]);
      assert.deepEqual(
        result.matrix.include.map((e) => e.name),
        ["@demo/a", "@demo/b", "@demo/c", "web"],
        "dependencies come before their dependents",
      );
      assert.equal(result.count, 4);
      assert.equal(result.all, false);
      assert.equal(result.packageManager, flavour);
      const web = result.matrix.include.find((e) => e.name === "web")!;
      assert.deepEqual(web, { name: "web", path: "apps/web", build: true, lint: false, test: true });
      const graph = buildWorkspaceGraph(result.workspace.packages);
      assert.deepEqual(
        dependencyBuilds(graph, ["web"]),
        ["packages/a", "packages/c"],
        "web's job builds a and c (its dependencies with a build script, b has none) before itself",
      );
      const b = result.matrix.include.find((e) => e.name === "@demo/b")!;
      assert.deepEqual([b.build, b.lint, b.test], [false, true, true]);
    });

    it("a change in c selects c and web only; e (wants a@^2, not in the workspace) is never an a dependent", async () => {
      repo.git("checkout", "-q", "-b", "feature-c", base);
      repo.write({ "packages/c/src/index.ts": "export const c = 2;\n" });
      const head = repo.commit("change c");
      const result = await matrixOf(repo, { range: { kind: "compare", base, head } });
      assert.deepEqual(names(result), ["@demo/c", "web"]);
    });

    it("a docs-only change selects nothing", async () => {
      repo.git("checkout", "-q", "-b", "docs", base);
      repo.write({ "README.md": "# demo!\n", "docs/guide.md": "more\n", "packages/b/README.md": "b docs\n" });
      const head = repo.commit("docs");
      const result = await matrixOf(repo, { range: { kind: "compare", base, head } });
      assert.deepEqual(result.matrix, { include: [] });
      assert.equal(result.count, 0);
      assert.equal(result.all, false);
      assert.deepEqual(result.affected.ignoredFiles.sort(), ["README.md", "docs/guide.md", "packages/b/README.md"]);
    });

    it("a lockfile change selects every package and sets all", async () => {
      repo.git("checkout", "-q", "-b", "lock", base);
      const lock = flavour === "npm" ? "package-lock.json" : "pnpm-lock.yaml";
      repo.write({ [lock]: flavour === "npm" ? { name: "demo", lockfileVersion: 3, packages: { x: {} } } : "lockfileVersion: '9.1'\n" });
      const head = repo.commit("bump lock");
      const result = await matrixOf(repo, { range: { kind: "compare", base, head } });
      assert.deepEqual(names(result), ["@demo/a", "@demo/b", "@demo/c", "@demo/d", "@demo/e", "web"]);
      assert.equal(result.all, true);
      assert.deepEqual(result.affected.allReasons, [lock]);
    });

    it("diffs from the merge base: commits on the base branch after the fork do not count", async () => {
      repo.git("checkout", "-q", "-b", "fork-base", base);
      repo.write({ "packages/d/src/index.ts": "export const d = 2;\n" });
      const movedBase = repo.commit("d moves on the base branch");
      repo.git("checkout", "-q", "-b", "fork-head", base);
      repo.write({ "packages/b/src/index.ts": "export const b = 3;\n" });
      const head = repo.commit("change b");
      const result = await matrixOf(repo, { range: { kind: "compare", base: movedBase, head } });
      assert.deepEqual(names(result), ["@demo/b", "@demo/c", "web"]);
    });
  });
}

describe("push events, renames, custom globs", () => {
  const repo = new TempRepo();
  let base = "";
  before(() => {
    repo.write(chainWorkspace("npm"));
    base = repo.commit("initial");
  });
  after(() => repo.remove());

  it("compares before..after of a push", async () => {
    repo.write({ "packages/d/src/index.ts": "export const d = 9;\n" });
    const first = repo.commit("d");
    repo.write({ "packages/c/src/index.ts": "export const c = 9;\n" });
    const second = repo.commit("c");
    const result = await matrixOf(repo, { range: { kind: "push", before: first, after: second } });
    assert.deepEqual(names(result), ["@demo/c", "web"], "only the pushed commit's change counts");
  });

  it("a new branch (all-zero before) selects everything", async () => {
    const result = await matrixOf(repo, { range: { kind: "push", before: "0".repeat(40), after: "HEAD" } });
    assert.equal(result.all, true);
    assert.equal(result.count, 6);
    assert.match(result.affected.allReasons[0]!, /new branch/);
  });

  it("a rename counts both the old and the new path", async () => {
    repo.move("packages/d/src/index.ts", "packages/a/src/moved.ts");
    const head = repo.commit("move d's file into a");
    const result = await matrixOf(repo, { range: { kind: "push", before: `${head}~1`, after: head } });
    assert.deepEqual(names(result), ["@demo/a", "@demo/b", "@demo/c", "@demo/d", "web"]);
  });

  it("custom ignore and trigger globs replace the defaults", async () => {
    repo.write({ "packages/a/CHANGELOG.txt": "x\n", "scripts/release.sh": "echo\n" });
    const head = repo.commit("changelog and scripts");
    const range = { kind: "push" as const, before: `${head}~1`, after: head };
    const ignoring = await matrixOf(repo, { range, ignore: ["**/CHANGELOG.txt"], globalTriggers: [] });
    assert.equal(ignoring.count, 0);
    assert.deepEqual(ignoring.affected.unownedFiles, ["scripts/release.sh"], "a file outside every package selects nothing");
    const triggering = await matrixOf(repo, { range, globalTriggers: ["scripts/**"] });
    assert.equal(triggering.all, true);
    assert.deepEqual(triggering.affected.allReasons, ["scripts/release.sh"]);
  });

  it("rejects a base the repository does not have, naming it", async () => {
    await assert.rejects(
      matrixOf(repo, { range: { kind: "compare", base: "no-such-branch", head: "HEAD" } }),
      (error: unknown) => error instanceof InputError && /^base: /.test(error.message) && /no-such-branch/.test(error.message),
    );
  });
});

describe("shallow clones", () => {
  const origin = new TempRepo();
  const scratch = mkdtempSync(path.join(tmpdir(), "alchkit-shallow-"));
  let base = "";
  let head = "";
  before(() => {
    origin.write(chainWorkspace("npm"));
    origin.commit("initial");
    for (let i = 0; i < 5; i++) {
      origin.write({ [`packages/d/src/f${i}.ts`]: `export const f = ${i};\n` });
      origin.commit(`d ${i}`);
    }
    origin.git("checkout", "-q", "-b", "feature");
    for (let i = 0; i < 3; i++) {
      origin.write({ "packages/b/src/index.ts": `export const b = ${i};\n` });
      head = origin.commit(`b ${i}`);
    }
    origin.git("checkout", "-q", "main");
    origin.write({ "packages/d/src/index.ts": "export const d = 42;\n" });
    base = origin.commit("main moves on after the fork");
  });
  after(() => {
    origin.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("fetches the base and deepens until the merge base is found", async () => {
    const dir = path.join(scratch, "with-remote");
    execFileSync("git", ["clone", "-q", "--depth=1", "--branch", "feature", `file://${origin.dir}`, dir]);
    const clone = new TempRepo(dir);
    assert.equal(clone.git("rev-parse", "--is-shallow-repository"), "true");
    const logs: string[] = [];
    const result = await computeMatrix(
      { git: createGitCli(dir), readWorkspace: () => readWorkspace(dir, dir), log: (m) => logs.push(m) },
      { range: { kind: "compare", base, head } },
    );
    assert.deepEqual(names(result as never), ["@demo/b", "@demo/c", "web"]);
    assert.ok(logs.some((m) => /deepening|fetching/.test(m)), "the log says what was fetched");
  });

  it("without a remote, tells the user what to fetch", async () => {
    const dir = path.join(scratch, "no-remote");
    // Both branch tips are here, but not the history that joins them.
    execFileSync("git", ["clone", "-q", "--depth=1", "--no-single-branch", `file://${origin.dir}`, dir]);
    const clone = new TempRepo(dir);
    clone.git("remote", "remove", "origin");
    const git = createGitCli(dir);
    assert.ok(await git.resolveCommit(base));
    assert.ok(await git.resolveCommit(head));
    await assert.rejects(
      computeMatrix({ git, readWorkspace: () => readWorkspace(dir, dir) }, { range: { kind: "compare", base, head } }),
      (error: unknown) =>
        error instanceof InputError &&
        /^base: /.test(error.message) &&
        /shallow clone without a remote/.test(error.message) &&
        /fetch-depth: 0/.test(error.message),
    );
  });
});

describe("repositories without workspaces", () => {
  const repo = new TempRepo();
  after(() => repo.remove());

  it("are one package, '.', that owns every file", async () => {
    repo.write({ "package.json": { name: "solo", scripts: { test: "node --test", lint: "x" } }, "src/index.ts": "1\n" });
    const base = repo.commit("initial");
    repo.write({ "src/index.ts": "2\n" });
    const head = repo.commit("change");
    const result = await matrixOf(repo, { range: { kind: "compare", base, head } });
    assert.deepEqual(result.matrix.include, [{ name: "solo", path: ".", build: false, lint: true, test: true }]);
    assert.equal(result.workspace.tool, "single");
  });
});

describe("other workspace layouts", () => {
  const repos: TempRepo[] = [];
  after(() => repos.forEach((r) => r.remove()));
  const layout = async (files: Record<string, string | object>, change: Record<string, string>, cwd?: string) => {
    const repo = new TempRepo();
    repos.push(repo);
    repo.write(files);
    const base = repo.commit("initial");
    repo.write(change);
    const head = repo.commit("change");
    const dir = cwd ? path.join(repo.dir, cwd) : repo.dir;
    return computeMatrix({ git: createGitCli(repo.dir), readWorkspace: () => readWorkspace(dir, repo.dir) }, { range: { kind: "compare", base, head } });
  };
  const lib = { name: "lib", version: "1.0.0", scripts: { test: "x" } };
  const app = { name: "app", version: "1.0.0", scripts: { build: "x" }, dependencies: { lib: "workspace:*" } };

  it("yarn's object form of workspaces, nested globs and negation", async () => {
    const result = await layout(
      {
        "package.json": { name: "root", private: true, workspaces: { packages: ["libs/**", "apps/*", "!apps/legacy"] } },
        "yarn.lock": "# yarn lockfile v1\n",
        "libs/core/lib/package.json": lib,
        "apps/app/package.json": app,
        "apps/legacy/package.json": { name: "legacy", dependencies: { lib: "workspace:*" } },
      },
      { "libs/core/lib/index.ts": "1\n" },
    );
    assert.equal(result.workspace.tool, "yarn");
    assert.equal(result.packageManager, "yarn");
    assert.deepEqual(names(result as never), ["app", "lib"], "legacy is excluded by the negated glob");
  });

  it("bun workspaces", async () => {
    const result = await layout(
      { "package.json": { name: "root", workspaces: ["packages/*"] }, "bun.lock": "{}\n", "packages/lib/package.json": lib, "packages/app/package.json": app },
      { "packages/lib/x.ts": "1\n" },
    );
    assert.equal(result.packageManager, "bun");
    assert.deepEqual(names(result as never), ["app", "lib"]);
  });

  it("lerna through manypkg's reader", async () => {
    const result = await layout(
      { "package.json": { name: "root", private: true }, "lerna.json": { packages: ["modules/*"] }, "modules/lib/package.json": lib, "modules/app/package.json": { ...app, dependencies: { lib: "^1.0.0" } } },
      { "modules/lib/x.ts": "1\n" },
    );
    assert.equal(result.workspace.tool, "lerna");
    assert.deepEqual(names(result as never), ["app", "lib"]);
  });

  it("a workspace in a sub-folder: paths and triggers are relative to the repository root", async () => {
    const files = {
      "web/package.json": { name: "root", private: true, workspaces: ["packages/*"] },
      "web/package-lock.json": "{}\n",
      "web/packages/lib/package.json": lib,
      "web/packages/app/package.json": app,
      "package.json": { name: "outer-tooling" },
    };
    const inner = await layout(files, { "web/packages/lib/x.ts": "1\n" }, "web");
    assert.equal(inner.workspace.root, "web");
    assert.deepEqual(inner.matrix.include.map((e) => e.path).sort(), ["web/packages/app", "web/packages/lib"]);
    const lock = await layout(files, { "web/package-lock.json": "{ }\n" }, "web");
    assert.equal(lock.all, true, "the workspace's own lockfile is a global trigger");
    const outer = await layout(files, { "package.json": "{}\n" }, "web");
    assert.equal(outer.count, 0, "the repository root's package.json is not this workspace's");
  });

  it("a package.json that is not JSON is one error naming the file", async () => {
    await assert.rejects(
      layout({ "package.json": { name: "root", workspaces: ["p/*"] }, "p/a/package.json": "{ nope" }, { "p/a/x": "1" }),
      (error: unknown) => error instanceof InputError && /p\/a\/package\.json/.test(error.message),
    );
  });
});

describe("refs that look like options", () => {
  const repo = new TempRepo();
  after(() => repo.remove());
  it("are bad input and never reach git as options", async () => {
    repo.write({ "package.json": { name: "solo" } });
    repo.commit("initial");
    const target = path.join(repo.dir, "written-by-git.txt");
    await assert.rejects(
      matrixOf(repo, { range: { kind: "compare", base: "HEAD", head: `--output=${target}` } }),
      (error: unknown) => error instanceof InputError && /^head: /.test(error.message),
    );
    assert.equal(existsSync(target), false);
  });
});
