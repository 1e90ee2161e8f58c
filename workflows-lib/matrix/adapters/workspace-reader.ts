import { existsSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { BunTool, LernaTool, NpmTool, PnpmTool, RushTool, YarnTool } from "@manypkg/tools";
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
  const packageManager = detectPackageManager(rootDir, manifest, tool?.type);
  let listed: Package[];
  if (tool) {
    try {
      listed = (await tool.getPackages(rootDir)).packages;
    } catch (error) {
      throw new InputError(inputName, "a readable workspace", `${tool.type} workspace at ${rootDir}: ${(error as Error).message}`);
    }
  } else {
    // A single-package repository may leave out "name"; its folder names it then.
    const name = typeof manifest.name === "string" && manifest.name ? manifest.name : path.basename(rootDir);
    listed = [{ dir: rootDir, relativeDir: ".", packageJson: { ...manifest, name } as unknown as Package["packageJson"] }];
  }
  const packages = listed.map((pkg) => toWorkspacePackage(pkg, root, inputName));
  return { tool: tool ? (tool.type as Workspace["tool"]) : "single", packageManager, root, packages };
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

function detectTool(rootDir: string, manifest: Record<string, unknown>): Tool | undefined {
  const has = (name: string) => existsSync(path.join(rootDir, name));
  if (has("pnpm-workspace.yaml")) return PnpmTool;
  if (has("rush.json")) return RushTool;
  const workspaces = manifest.workspaces;
  const hasWorkspaces =
    (Array.isArray(workspaces) && workspaces.length > 0) ||
    (typeof workspaces === "object" && workspaces !== null && Array.isArray((workspaces as { packages?: unknown }).packages));
  if (hasWorkspaces) {
    if (has("bun.lock") || has("bun.lockb")) return BunTool;
    if (has("yarn.lock") || !Array.isArray(workspaces)) return YarnTool;
    return NpmTool;
  }
  if (has("lerna.json")) return LernaTool;
  return undefined;
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
