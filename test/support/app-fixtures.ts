/**
 * The app shapes users have (test/fixtures/apps/<shape>/), each a real Alchemy app made from one of Alchemy's
 * own templates plus the fixture's overlay (workflows-lib/app-templates/), and a runtime-parametric way to run
 * one through the kit:
 *
 *   const dir = fixtureApp("multi-resource");            // instantiated once per content, shared by test files
 *   const stage = await startFixtureStage(t, { dir });    // local runtime, own stage, state dir, port; stopped in t.after
 *   await fetch(stage.url("/health"));
 *
 * An instantiated fixture lives in test/fixtures/apps/.built/<shape>-<hash> of this clone (git ignores it): Node finds
 * the kit's own installed packages from there (one install shared by every fixture of the npm shape), the hash
 * covers the fixture's files and the Alchemy version, and it is built in a temp folder and renamed into place
 * so test files starting together never see half a fixture.
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { instantiateTemplate, type AppFiles, type PackageManagerName } from "../../workflows-lib/app-templates/instantiate.ts";
import { readAlchemyTemplate, writeAppFiles } from "../../workflows-lib/alchemy/alchemy-templates.ts";
import { createAlchemyLauncher } from "../../workflows-lib/alchemy/alchemy-launcher.ts";
import { createLocalRuntime, type LocalApp, type LocalRuntime, type LocalRuntimeOptions } from "../../workflows-lib/alchemy/local-runtime.ts";
import type { Deployment } from "../../workflows-lib/platform/runtime.ts";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const FIXTURES_DIR = path.join(REPO_ROOT, "test/fixtures/apps");
const CACHE_DIR = path.join(FIXTURES_DIR, ".built");

export type Shape = "multi-resource" | "pnpm" | "bun" | "yarn" | "direct";

export interface FixtureSpec {
  /** Alchemy template the app starts from (node_modules/alchemy/templates/<name>). */
  template: string;
  /** Alchemy app name. */
  name: string;
  packageManager: PackageManagerName;
  /** Path that answers 200 when the app is healthy. */
  healthPath: string;
  /** Runs the entry directly with this command (`tsx`, `bun`) instead of the `alchemy` CLI. */
  runner?: string;
  description: string;
}

export function fixtureSpec(shape: Shape): FixtureSpec {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, shape, "fixture.json"), "utf8")) as FixtureSpec;
}

function overlayOf(shape: Shape): AppFiles {
  const root = path.join(FIXTURES_DIR, shape, "overlay");
  const files: AppFiles = {};
  // A shape that is the template as it is has no overlay (git keeps no empty folder).
  if (!existsSync(root)) return files;
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(root, file).split(path.sep).join("/")] = readFileSync(file, "utf8");
  }
  return files;
}

const KIT_MODULES = path.join(REPO_ROOT, "node_modules");

/** Version of a package manager the kit ships as a devDependency (the fixtures pin it like a user would). */
function kitVersion(name: string): string {
  return (JSON.parse(readFileSync(path.join(KIT_MODULES, name === "yarn" ? "@yarnpkg/cli-dist" : name, "package.json"), "utf8")) as { version: string }).version;
}

/**
 * The app's files: the template instantiated with the fixture's overlay (what `alchkit create` would write).
 * Apps installed by pnpm or bun get their dependencies as `link:` to the kit's own installed copies: a real
 * install by that package manager (its lockfile, its node_modules, its exec), offline and in about a second.
 */
export function fixtureFiles(shape: Shape): AppFiles {
  const spec = fixtureSpec(shape);
  const { files, alchemyVersion } = readAlchemyTemplate(spec.template, REPO_ROOT);
  const linked = spec.packageManager !== "npm";
  return instantiateTemplate({
    template: files,
    name: spec.name,
    alchemyVersion,
    ...(spec.packageManager !== "npm" ? { packageManager: { name: spec.packageManager, version: kitVersion(spec.packageManager) } } : {}),
    overlay: overlayOf(shape),
    editPackageJson: (manifest) => {
      if (!linked) return manifest;
      const all = { ...manifest.dependencies, ...manifest.devDependencies };
      const dependencies = Object.fromEntries(
        Object.keys(all)
          .filter((dep) => existsSync(path.join(KIT_MODULES, dep, "package.json")) && !dep.startsWith("@types/") && dep !== "typescript" && dep !== "miniflare")
          .map((dep) => [dep, `link:${path.join(KIT_MODULES, dep)}`]),
      );
      const { devDependencies: _dev, ...rest } = manifest;
      return { ...rest, dependencies };
    },
  });
}

/**
 * The environment under which pnpm uses itself for a repository whose `packageManager` pins pnpm: the kit's own
 * pnpm is that version, but pnpm 12 still resolves the pin as a config dependency, and with `--offline` on a
 * machine whose pnpm metadata cache is empty (a fresh CI machine) it fails with ERR_PNPM_BAD_CONFIG_DEP. pnpm 12
 * reads its settings from `pnpm_config_*` variables (`npm_config_manage_package_manager_versions` is gone).
 */
export const PNPM_USES_ITSELF = { pnpm_config_pm_on_fail: "ignore" } as const;

const INSTALL: Partial<Record<PackageManagerName, string[]>> = {
  pnpm: ["pnpm", "install", "--offline"],
  bun: ["bun", "install"],
  // The fixture's yarn.lock is written by this install: with CI set, yarn 4 installs --immutable by default and
  // refuses to write it.
  yarn: ["yarn", "install", "--no-immutable"],
};

function install(dir: string, packageManager: PackageManagerName): void {
  const command = INSTALL[packageManager];
  if (!command) return; // npm shapes resolve the kit's node_modules from inside the repository
  const result = spawnSync(path.join(KIT_MODULES, ".bin", command[0]!), command.slice(1), {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, PATH: [path.dirname(process.execPath), path.join(KIT_MODULES, ".bin"), process.env.PATH].join(path.delimiter), ...PNPM_USES_ITSELF, DO_NOT_TRACK: "1" },
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`${command.join(" ")} failed in ${dir}:\n${result.stdout}${result.stderr}`);
}

/** The instantiated fixture's directory (made on first use; later calls and other test files reuse it). */
export function fixtureApp(shape: Shape): string {
  return built(shape, fixtureFiles(shape), fixtureSpec(shape).packageManager);
}

/**
 * A monorepo: one npm workspace root (package.json with `workspaces`, one package-lock.json) and two Alchemy apps,
 * each its own package with its own alchemy.run.ts, both from Alchemy's typescript template: apps/api and
 * apps/web-api, which depends on api (so a change to api selects both in the matrix, one to web-api only itself).
 */
export const MONOREPO_APPS = { api: "apps/api", webApi: "apps/web-api" } as const;

export function monorepoFiles(): AppFiles {
  const { files: template, alchemyVersion } = readAlchemyTemplate("typescript", REPO_ROOT);
  const app = (name: string, text: string, dependencies: Record<string, string> = {}) =>
    instantiateTemplate({
      template,
      name,
      alchemyVersion,
      overlay: { "src/worker.ts": `export default {\n  async fetch(): Promise<Response> {\n    return new Response(${JSON.stringify(text)});\n  },\n};\n` },
      editPackageJson: (manifest) => ({ ...manifest, version: "1.0.0", dependencies: { ...manifest.dependencies, ...dependencies } }),
    });
  const files: AppFiles = {
    "package.json": `${JSON.stringify({ name: "mono", private: true, workspaces: ["apps/*"] }, null, 2)}\n`,
    "package-lock.json": `${JSON.stringify(
      {
        name: "mono",
        lockfileVersion: 3,
        requires: true,
        packages: {
          "": { name: "mono", workspaces: ["apps/*"] },
          "apps/api": { name: "mono-api", version: "1.0.0" },
          "apps/web-api": { name: "mono-web-api", version: "1.0.0", dependencies: { "mono-api": "1.0.0" } },
          "node_modules/mono-api": { resolved: "apps/api", link: true },
          "node_modules/mono-web-api": { resolved: "apps/web-api", link: true },
        },
      },
      null,
      2,
    )}\n`,
  };
  for (const [dir, content] of [
    [MONOREPO_APPS.api, app("mono-api", "api")],
    [MONOREPO_APPS.webApi, app("mono-web-api", "web-api", { "mono-api": "1.0.0" })],
  ] as const) {
    for (const [file, body] of Object.entries(content)) files[`${dir}/${file}`] = body;
  }
  return files;
}

/** The instantiated monorepo's root (npm: the apps resolve the kit's installed packages, like the npm shapes). */
export function monorepoApp(): string {
  return built("monorepo", monorepoFiles(), "npm");
}

function built(key: string, files: AppFiles, packageManager: PackageManagerName): string {
  const hash = createHash("sha256");
  for (const [file, content] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) hash.update(file).update("\0").update(content).update("\0");
  const dir = path.join(CACHE_DIR, `${key}-${hash.digest("hex").slice(0, 12)}`);
  if (existsSync(path.join(dir, "package.json"))) return dir;
  mkdirSync(CACHE_DIR, { recursive: true });
  const building = `${dir}.building-${process.pid}-${randomBytes(3).toString("hex")}`;
  writeAppFiles(building, files);
  install(building, packageManager);
  try {
    renameSync(building, dir);
  } catch (error) {
    // another test file won the race: its copy is the same content
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(path.join(dir, "package.json"))) throw error;
  }
  return dir;
}

export interface FixtureStageOptions {
  dir: string;
  /** The fixture's shape: its runner (a program run directly) and health path come from its spec. */
  shape?: Shape;
  stage?: string;
  /** Default the fixture's own; the runtime waits for 200 there before `start` returns. */
  healthPath?: string;
  vars?: Record<string, string>;
  /** Reuse a state dir (records, stage folders, remembered ports); default a fresh temp one. */
  stateDir?: string;
  runtime?: Partial<LocalRuntimeOptions>;
}

export interface FixtureStage {
  stage: string;
  stateDir: string;
  runtime: LocalRuntime;
  app: LocalApp;
  deployment: Deployment;
  baseUrl: string;
  url(pathname?: string): string;
  /** Destroys the stage (processes, state, storage); safe to call twice. */
  down(): Promise<void>;
}

/** PATH (with the package managers the kit ships), HOME, and the password the multi-resource app's secret needs. */
export const baseEnv = (): NodeJS.ProcessEnv => ({
  PATH: [path.join(KIT_MODULES, ".bin"), process.env.PATH].join(path.delimiter),
  HOME: process.env.HOME,
  ALCHEMY_PASSWORD: "fixture-password",
});

/** Starts one stage of an app on the local runtime; `t.after` destroys it, also when the test failed. */
export async function startFixtureStage(t: TestContext, options: FixtureStageOptions): Promise<FixtureStage> {
  const stage = options.stage ?? `t-${process.pid}-${randomBytes(2).toString("hex")}`;
  const ownStateDir = options.stateDir === undefined;
  const stateDir = options.stateDir ?? mkdtempSync(path.join(tmpdir(), "alchkit-fixture-"));
  const spec = options.shape ? fixtureSpec(options.shape) : undefined;
  const runtime = createLocalRuntime({
    cwd: options.dir,
    env: baseEnv(),
    stateDir,
    healthPath: options.healthPath ?? spec?.healthPath ?? "/health",
    ...(spec?.runner ? { launcher: createAlchemyLauncher(options.dir, { runner: spec.runner }) } : {}),
    ...options.runtime,
  });
  let downed: Promise<void> | undefined;
  const down = () =>
    (downed ??= runtime
      .down({ stage })
      .then(() => undefined)
      .finally(() => {
        if (ownStateDir) rmSync(stateDir, { recursive: true, force: true });
      }));
  let app: LocalApp;
  try {
    app = await runtime.start({ stage, ...(options.vars ? { vars: options.vars } : {}) });
  } catch (error) {
    if (ownStateDir) rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
  t.after(down);
  const baseUrl = Object.values(app.deployment.urls)[0];
  if (!baseUrl) throw new Error(`stage ${stage} reported no URL: ${JSON.stringify(app.deployment)}`);
  return { stage, stateDir, runtime, app, deployment: app.deployment, baseUrl, url: (p = "/") => new URL(p.replace(/^\//, ""), baseUrl).toString(), down };
}
