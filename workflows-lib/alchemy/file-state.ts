import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { DeployedResource } from "../platform/runtime.ts";
import { parseStateGet } from "./state-output.ts";

/** One resource's state document as Alchemy's file store keeps it, with its fully-qualified name. */
export interface FileStateEntry {
  fqn: string;
  /** The JSON text, exactly what `alchemy state get <fqn>` prints. */
  text: string;
}

/**
 * Every resource file of a stage in Alchemy's default file-system state store (`.alchemy/<app>/<stage>/`),
 * nested scopes included; undefined when the stage has no folder there.
 */
export function readFileStateEntries(rootDir: string, app: string, stage: string): FileStateEntry[] | undefined {
  const stageDir = path.join(rootDir, ".alchemy", app, stage);
  if (!existsSync(stageDir)) return undefined;
  const entries: FileStateEntry[] = [];
  const walk = (dir: string, chain: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), [...chain, entry.name]);
      else if (entry.name.endsWith(".json")) {
        // Alchemy stores "/" inside keys as ":" in file names.
        const id = entry.name.slice(0, -".json".length).replaceAll(":", "/");
        entries.push({ fqn: [...chain, id].join("/"), text: readFileSync(path.join(dir, entry.name), "utf8") });
      }
    }
  };
  walk(stageDir, [app, stage]);
  return entries;
}

/** Apps of the file store that have `stage` (`.alchemy/<app>/<stage>/`); `out` is Alchemy's build folder. */
export function fileStateApps(rootDir: string, stage: string): string[] {
  const base = path.join(rootDir, ".alchemy");
  if (!existsSync(base)) return [];
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== "out" && existsSync(path.join(base, entry.name, stage)))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Reads a stage from Alchemy's default file-system state store (`.alchemy/<app>/<stage>/**.json`, the same
 * JSON `alchemy state get` prints) without starting Alchemy: about 3 s faster per local start. Returns
 * undefined when the app keeps its state elsewhere, so the caller falls back to `alchemy state`.
 */
export function readFileStateStore(rootDir: string, app: string, stage: string): DeployedResource[] | undefined {
  const entries = readFileStateEntries(rootDir, app, stage);
  if (!entries || entries.length === 0) return undefined;
  return entries.map((entry) => parseStateGet(entry.text, entry.fqn));
}
