import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import type { Dirent } from "node:fs";
import path from "node:path";
import { globSync } from "tinyglobby";
import type { Package, Tool } from "@manypkg/tools";
import { InputError } from "../../errors.ts";
import { DEPENDENCY_FIELDS } from "../workspace-graph.ts";
import type { PackageManager, Workspace, WorkspacePackage } from "../workspace-graph.ts";

/**
 * Reads the packages of the workspace rooted at `workspaceDir` with manypkg's readers (npm, yarn and bun
 * `workspaces`, `pnpm-workspace.yaml`, lerna, rush). A directory without workspaces is one package, ".".
 * Package directories come back relative to `repositoryRoot`, the frame git reports changed paths in.
 */
export async function readWorkspace(workspaceDir: string, repositoryRoot: string, inputName = "cwd"): Promise<Workspace> {
  const rootDir = realpathSync(workspaceDir);
  const manifest = readManifest(rootDir, inputName);
  const tool = detectTool(rootDir, manifest);
  const root = toPosix(path.relative(realpathSync(repositoryRoot), rootDir)) || ".";
  if (root.startsWith("..")) {
    throw new InputError(inputName, "a directory inside the git repository", `${workspaceDir} is outside ${repositoryRoot}`);
  }
  const packageManager = detectPackageManager(rootDir, manifest, tool);
  let listed: Package[];
  const globs = tool ? await workspaceGlobs(rootDir, manifest, tool) : undefined;
  if (globs) {
    listed = expandWorkspaceGlobs(rootDir, globs, inputName);
  } else if (tool) {
    try {
      listed = (await (await loadTool(tool)).getPackages(rootDir)).packages;
    } catch (error) {
      throw new InputError(inputName, "a readable workspace", `${tool} workspace at ${rootDir}: ${(error as Error).message}`);
    }
  } else {
    // A single-package repository may leave out "name"; its folder names it then.
    const name = typeof manifest.name === "string" && manifest.name ? manifest.name : path.basename(rootDir);
    listed = [{ dir: rootDir, relativeDir: ".", packageJson: { ...manifest, name } as unknown as Package["packageJson"] }];
  }
  const packages = listed.map((pkg) => toWorkspacePackage(pkg, root, inputName));
  return { tool: tool ?? "single", packageManager, root, packages };
}

/**
 * The package globs of npm, yarn, bun (`workspaces`) and pnpm (`pnpm-workspace.yaml` `packages`). manypkg reads
 * the same fields; expanding them here lets the crawl stop at the globs' depth, which on a 2,000-package
 * workspace with sources is the difference between reading package folders and walking every file.
 */
async function workspaceGlobs(rootDir: string, manifest: Record<string, unknown>, tool: string): Promise<string[] | undefined> {
  let globs: unknown;
  if (tool === "pnpm") {
    const { parse: parseYaml } = await import("yaml");
    try {
      globs = (parseYaml(readFileSync(path.join(rootDir, "pnpm-workspace.yaml"), "utf8")) as { packages?: unknown } | null)?.packages;
    } catch {
      return undefined; // manypkg reports the broken file
    }
  } else if (tool === "npm" || tool === "yarn" || tool === "bun") {
    const workspaces = manifest.workspaces;
    globs = Array.isArray(workspaces) ? workspaces : (workspaces as { packages?: unknown } | undefined)?.packages;
  }
  return Array.isArray(globs) && globs.every((g) => typeof g === "string") ? (globs as string[]) : undefined;
}

function expandWorkspaceGlobs(rootDir: string, globs: string[], inputName: string): Package[] {
  const dirs = workspaceDirectories(rootDir, globs);
  const packages: Package[] = [];
  for (const relative of [...new Set(dirs.map((d) => d.replace(/\/+$/, "")))].sort()) {
    const dir = path.join(rootDir, relative);
    let text: string;
    try {
      text = readFileSync(path.join(dir, "package.json"), "utf8");
    } catch {
      continue; // a matched folder without package.json is no package (npm and pnpm skip it too)
    }
    try {
      packages.push({ dir, relativeDir: relative, packageJson: JSON.parse(text) });
    } catch (error) {
      throw new InputError(inputName, "valid package.json files", `${relative}/package.json: ${(error as Error).message}`);
    }
  }
  return packages;
}

/** Folders matching the workspace globs (relative, POSIX). */
function workspaceDirectories(rootDir: string, globs: string[]): string[] {
  const positive = globs.map((g) => g.replace(/^\.\//, "").replace(/\/+$/, "")).filter((g) => !g.startsWith("!"));
  // The usual shape, "packages/*" (and plain folders), is one directory listing each: no crawl at all.
  const simple = positive.every((g) => /^[^*?[\]{}!()]*(\/\*)?$/.test(g));
  if (simple && positive.length === globs.length) {
    const found: string[] = [];
    for (const g of positive) {
      if (!g.endsWith("/*")) {
        found.push(g);
        continue;
      }
      const parent = g.slice(0, -2);
      let entries: Dirent[];
      try {
        entries = readdirSync(path.join(rootDir, parent), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (entry.isDirectory() && entry.name !== "node_modules" && !entry.name.startsWith(".")) found.push(`${parent}/${entry.name}`);
      }
    }
    return found;
  }
  const unbounded = positive.some((g) => g.includes("**"));
  const depth = Math.max(0, ...positive.map((g) => g.split("/").length));
  return globSync(globs, {
    cwd: rootDir,
    onlyDirectories: true,
    ignore: ["**/node_modules/**", "**/node_modules"],
    expandDirectories: false,
    // Stop the crawl at the globs' depth: package folders, not their sources.
    ...(unbounded ? {} : { deep: Math.max(0, depth - 1) }),
  });
}

function readManifest(rootDir: string, inputName: string): Record<string, unknown> {
  const file = path.join(rootDir, "package.json");
  if (!existsSync(file)) throw new InputError(inputName, "a directory with a package.json", `none in ${rootDir}`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new InputError(inputName, "a valid package.json", `${file}: ${(error as Error).message}`);
  }
}

type ToolType = Exclude<Workspace["tool"], "single">;

/** Which workspace flavour the root declares (the order manypkg's own detection uses); undefined: none. */
function detectTool(rootDir: string, manifest: Record<string, unknown>): ToolType | undefined {
  const has = (name: string) => existsSync(path.join(rootDir, name));
  if (has("pnpm-workspace.yaml")) return "pnpm";
  if (has("rush.json")) return "rush";
  if (workspacesField(manifest)) {
    if (has("bun.lock") || has("bun.lockb")) return "bun";
    if (has("yarn.lock") || !Array.isArray(manifest.workspaces)) return "yarn";
    return "npm";
  }
  if (has("lerna.json")) return "lerna";
  return undefined;
}

/** manypkg's reader for a flavour, loaded only when the fast path above does not apply. */
async function loadTool(type: ToolType): Promise<Tool> {
  const tools = await import("@manypkg/tools");
  const byType: Record<ToolType, Tool> = {
    npm: tools.NpmTool,
    pnpm: tools.PnpmTool,
    yarn: tools.YarnTool,
    bun: tools.BunTool,
    lerna: tools.LernaTool,
    rush: tools.RushTool,
  };
  return byType[type];
}

function workspacesField(manifest: Record<string, unknown>): boolean {
  const workspaces = manifest.workspaces;
  return (
    (Array.isArray(workspaces) && workspaces.length > 0) ||
    (typeof workspaces === "object" && workspaces !== null && Array.isArray((workspaces as { packages?: unknown }).packages))
  );
}

function detectPackageManager(rootDir: string, manifest: Record<string, unknown>, tool: string | undefined): PackageManager {
  // Corepack's field is the project's own statement; lockfiles come next.
  const declared = typeof manifest.packageManager === "string" ? manifest.packageManager.split("@")[0] : undefined;
  if (declared === "npm" || declared === "pnpm" || declared === "yarn" || declared === "bun") return declared;
  const has = (name: string) => existsSync(path.join(rootDir, name));
  if (has("pnpm-lock.yaml") || tool === "pnpm") return "pnpm";
  if (has("bun.lock") || has("bun.lockb")) return "bun";
  if (has("yarn.lock")) return "yarn";
  return "npm";
}

function toWorkspacePackage(pkg: Package, root: string, inputName: string): WorkspacePackage {
  const json = pkg.packageJson as unknown as Record<string, unknown>;
  const dir = root === "." ? toPosix(pkg.relativeDir) || "." : toPosix(path.posix.join(root, toPosix(pkg.relativeDir)));
  if (typeof json.name !== "string" || json.name.length === 0) {
    throw new InputError(inputName, "every workspace package to have a name", `${dir}/package.json has none`);
  }
  const dependencies: WorkspacePackage["dependencies"] = {};
  for (const field of DEPENDENCY_FIELDS) {
    const deps = json[field];
    if (deps && typeof deps === "object") dependencies[field] = deps as Record<string, string>;
  }
  const scripts = json.scripts && typeof json.scripts === "object" ? (json.scripts as Record<string, string>) : {};
  return {
    name: json.name,
    dir: dir === "" ? "." : dir,
    ...(typeof json.version === "string" ? { version: json.version } : {}),
    scripts,
    dependencies,
  };
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}
