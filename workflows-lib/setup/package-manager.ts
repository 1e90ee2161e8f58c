import { InputError } from "../errors.ts";
import type { PackageManager } from "../matrix/workspace-graph.ts";

/**
 * Which package manager a project uses and how to install it frozen, from its files alone. Used by the
 * setup action (action.yml) and the CLI. Order of evidence: package.json `packageManager` (what corepack
 * obeys), then the lockfile.
 */
export interface PackageManagerPlan {
  name: PackageManager;
  /** Version pinned by `packageManager`, e.g. `9.12.0`. */
  version?: string;
  /** The lockfile the install is frozen to, relative to the project. */
  lockfile: string;
  /** Frozen install: fails when the lockfile does not match package.json. */
  install: string[];
  /** Command printing the download cache folder, run after the tool is set up. */
  cacheDirCommand: string[];
  /** How the tool gets on PATH on a runner that only has Node: corepack (pnpm, yarn) or npm (bun). */
  toolSetup: string[] | null;
  /** Yarn 2+ ("berry"): `--immutable` instead of `--frozen-lockfile`. */
  yarnBerry?: boolean;
  /** Runs a binary of an installed dependency the package manager's way: `pnpm exec`, `bunx`, … (then `alchemy …`). */
  exec: string[];
}

export const LOCKFILES: [string, PackageManager][] = [
  ["pnpm-lock.yaml", "pnpm"],
  ["bun.lock", "bun"],
  ["bun.lockb", "bun"],
  ["yarn.lock", "yarn"],
  ["package-lock.json", "npm"],
  ["npm-shrinkwrap.json", "npm"],
];

export function detectPackageManager(files: readonly string[], manifest: { packageManager?: unknown } | undefined): PackageManagerPlan {
  const present = new Set(files);
  const declared = parseDeclared(manifest?.packageManager);
  const found = LOCKFILES.filter(([file]) => present.has(file));
  let name: PackageManager;
  let lockfile: string | undefined;
  if (declared) {
    name = declared.name;
    lockfile = found.find(([, pm]) => pm === name)?.[0];
    if (!lockfile) {
      throw new InputError(
        "working-directory",
        `a ${LOCKFILES.filter(([, pm]) => pm === name).map(([f]) => f).join(" or ")} next to package.json`,
        `package.json declares packageManager ${String(manifest?.packageManager)} but its lockfile is missing; commit it for a frozen install`,
      );
    }
  } else {
    const managers = [...new Set(found.map(([, pm]) => pm))];
    if (managers.length === 0) {
      throw new InputError(
        "working-directory",
        "a project with a lockfile (package-lock.json, pnpm-lock.yaml, yarn.lock or bun.lock) for a frozen install",
        files.includes("package.json") ? "no lockfile found" : "no package.json found",
      );
    }
    if (managers.length > 1) {
      throw new InputError(
        "working-directory",
        "one package manager's lockfile, or package.json `packageManager` to choose",
        `found ${found.map(([f]) => f).join(", ")}`,
      );
    }
    name = managers[0]!;
    lockfile = found[0]![0];
  }
  const version = declared?.version;
  const berry = name === "yarn" && (present.has(".yarnrc.yml") || (version !== undefined && Number(version.split(".")[0]) >= 2));
  const plan: PackageManagerPlan = {
    name,
    ...(version ? { version } : {}),
    lockfile,
    install: installCommand(name, berry),
    cacheDirCommand: cacheCommand(name, berry),
    toolSetup: toolSetup(name, version),
    ...(name === "yarn" ? { yarnBerry: berry } : {}),
    exec: execCommand(name, berry),
  };
  return plan;
}

/** bun when package.json does not say which: a pinned release, never `latest`. */
export const DEFAULT_BUN_VERSION = "1.4.5";

/**
 * `name@X.Y.Z` with an optional `+<hash>` (corepack's form). The version goes to an installer on the runner
 * (`npm install --global bun@<version>`), so it must be an exact version: not a tag, a range, a URL, a path.
 */
const DECLARED = /^(npm|pnpm|yarn|bun)(?:@(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?))?(?:\+[A-Za-z0-9.=_-]+)?$/;

function parseDeclared(value: unknown): { name: PackageManager; version?: string } | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const match = DECLARED.exec(value);
  if (!match) {
    throw new InputError("package.json packageManager", "npm, pnpm, yarn or bun with an exact version, e.g. pnpm@9.12.0 (optionally +sha512.…)", `got ${JSON.stringify(value)}`);
  }
  return { name: match[1] as PackageManager, ...(match[2] ? { version: match[2] } : {}) };
}

function installCommand(name: PackageManager, berry: boolean): string[] {
  switch (name) {
    case "npm":
      return ["npm", "ci"];
    case "pnpm":
      return ["pnpm", "install", "--frozen-lockfile"];
    case "yarn":
      return berry ? ["yarn", "install", "--immutable"] : ["yarn", "install", "--frozen-lockfile"];
    case "bun":
      return ["bun", "install", "--frozen-lockfile"];
  }
}

/** The package manager's own command for a dependency's binary (it sets up PATH, Plug'n'Play, its env). */
export function execCommand(name: PackageManager, berry: boolean): string[] {
  switch (name) {
    case "npm":
      return ["npm", "exec", "--no", "--"];
    case "pnpm":
      return ["pnpm", "exec"];
    case "yarn":
      return berry ? ["yarn", "exec"] : ["yarn", "run"];
    case "bun":
      return ["bunx"];
  }
}

function cacheCommand(name: PackageManager, berry: boolean): string[] {
  switch (name) {
    case "npm":
      return ["npm", "config", "get", "cache"];
    case "pnpm":
      return ["pnpm", "store", "path", "--silent"];
    case "yarn":
      return berry ? ["yarn", "config", "get", "cacheFolder"] : ["yarn", "cache", "dir"];
    case "bun":
      return ["bun", "pm", "cache"];
  }
}

/**
 * Why CI may not install with the version the repository uses: pnpm, yarn or bun without a pinned version
 * (`packageManager`, or yarn's `yarnPath`). Undefined when pinned, or npm (it comes with Node).
 */
export function unpinnedWarning(plan: PackageManagerPlan, yarnrc?: string): string | undefined {
  if (plan.name === "npm" || plan.version || (plan.name === "yarn" && /^\s*yarnPath\s*:/m.test(yarnrc ?? ""))) return undefined;
  const setup = plan.name === "bun" ? "npm installs the latest bun" : `corepack sets up its own default ${plan.name}`;
  return (
    `package.json does not pin ${plan.name}'s version: ${setup}, which may not be the one that wrote ${plan.lockfile} ` +
    `(pnpm 11 fails installs pnpm 10 accepted). Pin it with "packageManager": "${plan.name}@<version>" in package.json: ` +
    "`alchkit init` writes the version in use, `alchkit doctor` explains."
  );
}

function toolSetup(name: PackageManager, version: string | undefined): string[] | null {
  switch (name) {
    case "npm":
      return null;
    case "pnpm":
    case "yarn":
      // corepack reads the version from packageManager; without one it uses its own pinned default.
      return ["corepack", "enable", name];
    case "bun":
      return ["npm", "install", "--global", `bun@${version ?? DEFAULT_BUN_VERSION}`];
  }
}

/**
 * The folder the install runs in: `start` itself, or the nearest parent (not above `stop`) holding a lockfile —
 * a workspace member's lockfile lives at the workspace root. `listDir` returns a folder's file names.
 */
export function findInstallRoot(start: string, stop: string, listDir: (dir: string) => readonly string[], parent: (dir: string) => string): string {
  const names = new Set(LOCKFILES.map(([file]) => file));
  let dir = start;
  for (;;) {
    if (listDir(dir).some((file) => names.has(file))) return dir;
    const up = parent(dir);
    if (dir === stop || up === dir || !isInside(up, stop)) return start;
    dir = up;
  }
}

function isInside(dir: string, root: string): boolean {
  return dir === root || dir.startsWith(root.endsWith("/") ? root : `${root}/`);
}
