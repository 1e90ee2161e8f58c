import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { InputError } from "../../../workflows-lib/errors.ts";
import { DEFAULT_BUN_VERSION, detectPackageManager, findInstallRoot, unpinnedWarning } from "../../../workflows-lib/setup/package-manager.ts";

const root = path.resolve(import.meta.dirname, "../../..");

test("the lockfile picks the package manager and its frozen install", () => {
  const cases: [string[], string, string, string][] = [
    [["package.json", "package-lock.json"], "npm", "npm ci", "npm config get cache"],
    [["package.json", "npm-shrinkwrap.json"], "npm", "npm ci", "npm config get cache"],
    [["package.json", "pnpm-lock.yaml"], "pnpm", "pnpm install --frozen-lockfile", "pnpm store path --silent"],
    [["package.json", "yarn.lock"], "yarn", "yarn install --frozen-lockfile", "yarn cache dir"],
    [["package.json", "yarn.lock", ".yarnrc.yml"], "yarn", "yarn install --immutable", "yarn config get cacheFolder"],
    [["package.json", "bun.lock"], "bun", "bun install --frozen-lockfile", "bun pm cache"],
    [["package.json", "bun.lockb"], "bun", "bun install --frozen-lockfile", "bun pm cache"],
  ];
  for (const [files, name, install, cache] of cases) {
    const plan = detectPackageManager(files, {});
    assert.equal(plan.name, name, files.join());
    assert.equal(plan.install.join(" "), install);
    assert.equal(plan.cacheDirCommand.join(" "), cache);
  }
  assert.equal(detectPackageManager(["package-lock.json"], {}).toolSetup, null);
  // each one's own command for a dependency's binary (`… alchemy deploy`)
  assert.deepEqual(
    [["package-lock.json"], ["pnpm-lock.yaml"], ["yarn.lock"], ["yarn.lock", ".yarnrc.yml"], ["bun.lock"]].map((files) => detectPackageManager(files, {}).exec.join(" ")),
    ["npm exec --no --", "pnpm exec", "yarn run", "yarn exec", "bunx"],
  );
  assert.deepEqual(detectPackageManager(["pnpm-lock.yaml"], {}).toolSetup, ["corepack", "enable", "pnpm"]);
  assert.deepEqual(detectPackageManager(["bun.lock"], { packageManager: "bun@1.2.3" }).toolSetup, ["npm", "install", "--global", "bun@1.2.3"]);
});

test("the declared version must be exact: nothing else reaches the runner's installer; bun's default is pinned", () => {
  for (const value of ["bun@latest", "bun@^1.1.0", "bun@file:../evil.tgz", "bun@https://evil.example/bun.tgz", "bun@1.2.3 --registry=http://evil", "bun@github:evil/bun", "pnpm@9.0.0;id", "yarn@>=4"]) {
    assert.throws(() => detectPackageManager(["bun.lock", "pnpm-lock.yaml", "yarn.lock"], { packageManager: value }), /package\.json packageManager: expected npm, pnpm, yarn or bun with an exact version/, value);
  }
  assert.deepEqual(detectPackageManager(["bun.lock"], {}).toolSetup, ["npm", "install", "--global", `bun@${DEFAULT_BUN_VERSION}`]);
  assert.match(DEFAULT_BUN_VERSION, /^\d+\.\d+\.\d+$/);
  assert.deepEqual(detectPackageManager(["bun.lock"], { packageManager: "bun@1.2.3-canary.1+sha512.abc" }).toolSetup, ["npm", "install", "--global", "bun@1.2.3-canary.1"]);
});

test("package.json packageManager decides, with its version; yarn 4 is berry", () => {
  const plan = detectPackageManager(["package.json", "yarn.lock", "package-lock.json"], { packageManager: "yarn@4.5.0+sha512.abc" });
  assert.equal(plan.name, "yarn");
  assert.equal(plan.version, "4.5.0");
  assert.equal(plan.lockfile, "yarn.lock");
  assert.deepEqual(plan.install, ["yarn", "install", "--immutable"]);
});

test("no lockfile, two managers' lockfiles, or a declared manager without its lockfile: one clear error", () => {
  assert.throws(() => detectPackageManager(["package.json"], {}), (e) => e instanceof InputError && /working-directory: expected a project with a lockfile.*no lockfile found/.test(e.message));
  assert.throws(() => detectPackageManager(["package-lock.json", "yarn.lock"], {}), /found yarn\.lock, package-lock\.json/);
  assert.throws(() => detectPackageManager(["package-lock.json"], { packageManager: "pnpm@9.0.0" }), /declares packageManager pnpm@9\.0\.0 but its lockfile is missing/);
  assert.throws(() => detectPackageManager(["package-lock.json"], { packageManager: "deno@2" }), /package.json packageManager: expected npm, pnpm, yarn or bun/);
});

test("the setup action's detect step writes step outputs, or one ::error:: line", (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), "alchkit-setup-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const output = path.join(dir, "github-output");
  writeFileSync(output, "");
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "x", packageManager: "pnpm@9.12.0" }));
  writeFileSync(path.join(dir, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n");
  const script = path.join(root, "workflows-lib/setup/setup-outputs.ts");
  const ok = spawnSync(process.execPath, [script], { encoding: "utf8", env: { PATH: process.env.PATH, GITHUB_WORKSPACE: dir, GITHUB_OUTPUT: output } });
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.equal(
    readFileSync(output, "utf8"),
    "package-manager=pnpm\ninstall-directory=.\nlockfile=pnpm-lock.yaml\ninstall-command=pnpm install --frozen-lockfile\ncache-dir-command=pnpm store path --silent\ntool-setup-command=corepack enable pnpm\nexec-command=pnpm exec\n",
  );
  rmSync(path.join(dir, "pnpm-lock.yaml"));
  const bad = spawnSync(process.execPath, [script], { encoding: "utf8", env: { PATH: process.env.PATH, GITHUB_WORKSPACE: dir, GITHUB_OUTPUT: output } });
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /^::error::Input working-directory: expected a pnpm-lock\.yaml next to package\.json/m);
});

test("a workspace member installs at the nearest parent with a lockfile, never above the workspace", () => {
  const tree: Record<string, string[]> = {
    "/ws": ["package.json", "pnpm-lock.yaml", "apps"],
    "/ws/apps": ["api"],
    "/ws/apps/api": ["package.json", "alchemy.run.ts"],
    "/": ["yarn.lock"],
  };
  const list = (dir: string) => tree[dir] ?? [];
  assert.equal(findInstallRoot("/ws/apps/api", "/ws", list, path.dirname), "/ws");
  assert.equal(findInstallRoot("/ws", "/ws", list, path.dirname), "/ws");
  tree["/ws"] = ["package.json"];
  assert.equal(findInstallRoot("/ws/apps/api", "/ws", list, path.dirname), "/ws/apps/api", "the yarn.lock above the workspace is not ours");
});

test("the detect step warns when pnpm, yarn or bun is not pinned: CI would set up a version the repository may not use", (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), "alchkit-setup-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const script = path.join(root, "workflows-lib/setup/setup-outputs.ts");
  const detect = () => spawnSync(process.execPath, [script], { encoding: "utf8", env: { PATH: process.env.PATH, GITHUB_WORKSPACE: dir, GITHUB_OUTPUT: path.join(dir, "out") } });
  writeFileSync(path.join(dir, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n");
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "x" }));
  const unpinned = detect();
  assert.equal(unpinned.status, 0, unpinned.stdout);
  assert.match(unpinned.stdout, /^::warning::package\.json does not pin pnpm's version: corepack sets up its own default pnpm, which may not be the one that wrote pnpm-lock\.yaml .*"packageManager": "pnpm@<version>"/m);
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "x", packageManager: "pnpm@10.12.1" }));
  const pinned = detect();
  assert.doesNotMatch(pinned.stdout, /::warning::/);
  assert.match(pinned.stdout, /Package manager: pnpm 10\.12\.1/);
  assert.equal(unpinnedWarning(detectPackageManager(["package-lock.json"], {}), undefined), undefined, "npm comes with Node");
  assert.equal(unpinnedWarning(detectPackageManager(["yarn.lock", ".yarnrc.yml"], {}), "yarnPath: .yarn/releases/yarn-4.5.0.cjs\n"), undefined);
  assert.match(unpinnedWarning(detectPackageManager(["bun.lock"], {}))!, /npm installs the latest bun/);
});
