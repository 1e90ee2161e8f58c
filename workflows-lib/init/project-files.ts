// The repository side of `alchkit init`: what is there (the Alchemy entry, the package manager, the files init
// may write) and writing the plan. The decisions are in plan-init.ts.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync, type Dirent } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.ts";
import { detectPackageManager } from "../setup/package-manager.ts";
import { CONFIG_FILE, alchkitConfigSchema } from "../config/config-schema.ts";
import { INIT_PATHS, checkRepositoryPath, type ProjectFacts } from "./plan-init.ts";
import type { PlannedFile } from "./plan-files.ts";

function isRepositoryPath(value: string): boolean {
  try {
    checkRepositoryPath(value, "path");
    return true;
  } catch {
    return false;
  }
}

const ENTRY_NAMES = ["alchemy.run.ts", "alchemy.run.mts", "alchemy.run.js", "alchemy.run.mjs"];

/** Finds the Alchemy entry: the root first, then up to three folders deep (node_modules and dot-folders skipped). */
export function findAlchemyEntry(root: string): { directory: string; entry: string } | undefined {
  const queue: Array<[string, number]> = [[root, 0]];
  while (queue.length > 0) {
    const [dir, depth] = queue.shift()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    const entry = ENTRY_NAMES.find((name) => entries.some((e) => e.isFile() && e.name === name));
    if (entry) return { directory: path.relative(root, dir) || ".", entry };
    if (depth < 3) {
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        if (e.isDirectory() && e.name !== "node_modules" && !e.name.startsWith(".")) queue.push([path.join(dir, e.name), depth + 1]);
      }
    }
  }
  return undefined;
}

export function readFacts(root: string): ProjectFacts {
  const found = findAlchemyEntry(root);
  if (!found) throw new InputError("--dir", "a repository with an Alchemy app (an alchemy.run.ts at most three folders deep)", `none found in ${root}`);
  const read = (rel: string) => (existsSync(path.join(root, rel)) ? readFileSync(path.join(root, rel), "utf8") : undefined);
  const existing: Record<string, string | undefined> = {};
  for (const p of INIT_PATHS) existing[p] = read(p);
  const config = existing[CONFIG_FILE] ? alchkitConfigSchema.safeParse(JSON.parse(existing[CONFIG_FILE]!)) : undefined;
  // Only paths inside the repository are read; planInit refuses the others with a clear error.
  if (config?.success) {
    for (const p of [config.data.loadGate.script, config.data.loadGate.scenario, config.data.loadGate.thresholds]) {
      if (isRepositoryPath(p)) existing[p] = read(p);
    }
  }
  let packageManager: ProjectFacts["packageManager"];
  try {
    const manifestText = read("package.json");
    packageManager = detectPackageManager(readdirSync(root), manifestText ? (JSON.parse(manifestText) as { packageManager?: unknown }) : undefined).name;
  } catch {
    packageManager = undefined; // no lockfile yet: the setup action will say so in CI
  }
  return { appDirectory: found.directory, entry: found.entry, ...(packageManager ? { packageManager } : {}), existing };
}

/**
 * Writes what the plan creates or updates, each file whole (temp file, then rename). `target` resolves a
 * planned path to where it is written, refusing one that would leave the repository (the shell passes
 * local/contained-path.ts); every target is resolved before anything is written.
 */
export function writePlan(root: string, plan: PlannedFile[], target: (relative: string) => string = (relative) => path.join(root, relative)): void {
  const writes = plan.filter((file) => file.action === "create" || file.action === "update-section").map((file) => ({ file, target: target(file.path) }));
  for (const { file, target } of writes) {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(`${target}.alchkit-tmp`, file.content);
    renameSync(`${target}.alchkit-tmp`, target);
  }
}
