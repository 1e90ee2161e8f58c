import path from "node:path";
import { alchkitConfigSchema, CONFIG_FILE, type AlchkitConfig } from "../config/config-schema.ts";
import { InputError } from "../errors.ts";
import { parseInput } from "../validate.ts";
import { planFile, planIgnoreLines, planSection, type PlannedFile } from "./plan-files.ts";
import { POLICY_STARTER_PATHS, STARTER_LIBRARY, starterPolicy, starterPolicyTest } from "./policy-starter.ts";
import * as t from "./templates.ts";

/** What init found in the repository (read by the shell). */
export interface ProjectFacts {
  /** Folder of the Alchemy entry relative to the repository root, `.` for the root. */
  appDirectory: string;
  entry: string;
  packageManager?: "npm" | "pnpm" | "yarn" | "bun";
  /** Current content of every path init may write; undefined when absent. */
  existing: Record<string, string | undefined>;
}

export const INIT_PATHS = [
  ".github/workflows/preview.yml",
  ".github/workflows/ci.yml",
  ".github/workflows/deploy.yml",
  ".github/workflows/promote.yml",
  ".github/workflows/rollback.yml",
  ".github/workflows/release.yml",
  CONFIG_FILE,
  "load/script.js",
  "load/scenario.json",
  "load/thresholds.json",
  ...POLICY_STARTER_PATHS,
  "README.md",
  ".gitignore",
] as const;

export interface InitOptions {
  /** Write the policy gate's starter and keep the gate on in the workflows (default true). */
  policy?: boolean;
  /** The path previews and environments must answer 200 on (default /health); a new configuration only. */
  healthPath?: string;
}

/** The configuration init writes: an existing alchkit.config.json wins (it is validated), else the detected facts. */
export function initialConfig(facts: ProjectFacts, options: InitOptions = {}): AlchkitConfig {
  const current = facts.existing[CONFIG_FILE];
  if (current !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(current);
    } catch (error) {
      throw new InputError(CONFIG_FILE, "valid JSON", (error as Error).message);
    }
    return parseInput(alchkitConfigSchema, json, CONFIG_FILE);
  }
  return alchkitConfigSchema.parse({
    app: { directory: facts.appDirectory, entry: facts.entry, ...(facts.packageManager ? { packageManager: facts.packageManager } : {}) },
    ...(options.policy === false ? {} : { policy: { library: STARTER_LIBRARY } }),
    ...(options.healthPath ? { preview: { healthPath: options.healthPath } } : {}),
  });
}

/**
 * A path init writes to or puts into a workflow: relative, inside the repository, and plain (no `..`, no
 * control characters), so no configuration can make init write elsewhere or smuggle text into a file.
 */
export function checkRepositoryPath(value: string, name: string): string {
  const expected = "a path inside the repository, relative to its root (no '..', no absolute path)";
  if (value === "" || /[\u0000-\u001f\u007f\\]/.test(value)) throw new InputError(name, expected, JSON.stringify(value));
  if (path.posix.isAbsolute(value) || /^[A-Za-z]:/.test(value)) throw new InputError(name, expected, value);
  const normal = path.posix.normalize(value);
  if (normal === ".." || normal.startsWith("../")) throw new InputError(name, expected, value);
  return normal;
}

/** A URL path: `/` then RFC 3986 path characters only (what a health probe requests). */
const URL_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;

function checkConfig(config: AlchkitConfig): void {
  const where = (key: string) => `${CONFIG_FILE} ${key}`;
  checkRepositoryPath(config.app.directory, where("app.directory"));
  checkRepositoryPath(path.posix.join(config.app.directory, config.app.entry), where("app.entry"));
  for (const key of ["script", "scenario", "thresholds"] as const) checkRepositoryPath(config.loadGate[key], where(`loadGate.${key}`));
  if (!URL_PATH.test(config.preview.healthPath)) {
    throw new InputError(where("preview.healthPath"), "a URL path such as /health (letters, digits and URL path characters)", JSON.stringify(config.preview.healthPath));
  }
}

export function planInit(facts: ProjectFacts, kitRef: string, options: InitOptions = {}): PlannedFile[] {
  const config = initialConfig(facts, options);
  checkConfig(config);
  const policy = options.policy !== false;
  const ctx = { kitRef, config, policy };
  const load = config.loadGate;
  const desired: Array<[string, string]> = [
    [".github/workflows/preview.yml", t.previewWorkflow(ctx)],
    [".github/workflows/ci.yml", t.ciWorkflow(ctx)],
    [".github/workflows/deploy.yml", t.deployWorkflow(ctx)],
    [".github/workflows/promote.yml", t.promoteWorkflow(ctx)],
    [".github/workflows/rollback.yml", t.rollbackWorkflow(ctx)],
    [".github/workflows/release.yml", t.releaseWorkflow(ctx)],
    [CONFIG_FILE, t.configFile(config)],
    [load.script, t.k6Script(config)],
    [load.scenario, t.autocannonScenario(config)],
    [load.thresholds, t.thresholdsFile()],
    ...(policy
      ? ([
          [POLICY_STARTER_PATHS[0], starterPolicy()],
          [POLICY_STARTER_PATHS[1], starterPolicyTest()],
        ] as Array<[string, string]>)
      : []),
  ];
  return [
    // The configuration is the user's once it exists: validated above, never rewritten.
    ...desired.map(([path, content]) =>
      path === CONFIG_FILE && facts.existing[path] !== undefined ? { path, action: "unchanged" as const, content: facts.existing[path]! } : planFile(path, content, facts.existing[path]),
    ),
    planSection("README.md", t.readmeSection(ctx), facts.existing["README.md"]),
    planIgnoreLines(".gitignore", [".alchkit/", ".alchemy/"], facts.existing[".gitignore"]),
  ];
}
