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
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { instantiateTemplate, type AppFiles, type PackageManagerName } from "../../workflows-lib/app-templates/instantiate.ts";
import { readAlchemyTemplate, writeAppFiles } from "../../workflows-lib/alchemy/alchemy-templates.ts";
import { createLocalRuntime, type LocalApp, type LocalRuntime, type LocalRuntimeOptions } from "../../workflows-lib/alchemy/local-runtime.ts";
import type { Deployment } from "../../workflows-lib/platform/runtime.ts";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const FIXTURES_DIR = path.join(REPO_ROOT, "test/fixtures/apps");
const CACHE_DIR = path.join(FIXTURES_DIR, ".built");

export type Shape = "multi-resource";

export interface FixtureSpec {
  /** Alchemy template the app starts from (node_modules/alchemy/templates/<name>). */
  template: string;
  /** Alchemy app name. */
  name: string;
  packageManager: PackageManagerName;
  /** Path that answers 200 when the app is healthy. */
  healthPath: string;
  description: string;
}

export function fixtureSpec(shape: Shape): FixtureSpec {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, shape, "fixture.json"), "utf8")) as FixtureSpec;
}

function overlayOf(shape: Shape): AppFiles {
  const root = path.join(FIXTURES_DIR, shape, "overlay");
  const files: AppFiles = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(root, file).split(path.sep).join("/")] = readFileSync(file, "utf8");
  }
  return files;
}

/** The app's files: the template instantiated with the fixture's overlay (what `alchkit create` would write). */
export function fixtureFiles(shape: Shape): AppFiles {
  const spec = fixtureSpec(shape);
  const { files, alchemyVersion } = readAlchemyTemplate(spec.template, REPO_ROOT);
  return instantiateTemplate({ template: files, name: spec.name, alchemyVersion, overlay: overlayOf(shape) });
}

/** The instantiated fixture's directory (made on first use; later calls and other test files reuse it). */
export function fixtureApp(shape: Shape): string {
  const files = fixtureFiles(shape);
  const hash = createHash("sha256");
  for (const [file, content] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) hash.update(file).update("\0").update(content).update("\0");
  const dir = path.join(CACHE_DIR, `${shape}-${hash.digest("hex").slice(0, 12)}`);
  if (existsSync(path.join(dir, "alchemy.run.ts"))) return dir;
  mkdirSync(CACHE_DIR, { recursive: true });
  const building = `${dir}.building-${process.pid}-${randomBytes(3).toString("hex")}`;
  writeAppFiles(building, files);
  try {
    renameSync(building, dir);
  } catch (error) {
    // another test file won the race: its copy is the same content
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(path.join(dir, "alchemy.run.ts"))) throw error;
  }
  return dir;
}

export interface FixtureStageOptions {
  dir: string;
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

export const baseEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: process.env.HOME, ALCHEMY_PASSWORD: "fixture-password" });

/** Starts one stage of an app on the local runtime; `t.after` destroys it, also when the test failed. */
export async function startFixtureStage(t: TestContext, options: FixtureStageOptions): Promise<FixtureStage> {
  const stage = options.stage ?? `t-${process.pid}-${randomBytes(2).toString("hex")}`;
  const ownStateDir = options.stateDir === undefined;
  const stateDir = options.stateDir ?? mkdtempSync(path.join(tmpdir(), "alchkit-fixture-"));
  const runtime = createLocalRuntime({ cwd: options.dir, env: baseEnv(), stateDir, healthPath: options.healthPath ?? "/health", ...options.runtime });
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
