import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { DeployedResource } from "../platform/runtime.ts";
import { parseStateGet } from "./state-output.ts";

/**
 * Reads a stage from Alchemy's default file-system state store (`.alchemy/<app>/<stage>/**.json`, the same
 * JSON `alchemy state get` prints) without starting Alchemy: about 3 s faster per local start. Returns
 * undefined when the app keeps its state elsewhere, so the caller falls back to `alchemy state`.
 */
export function readFileStateStore(rootDir: string, app: string, stage: string): DeployedResource[] | undefined {
  const stageDir = path.join(rootDir, ".alchemy", app, stage);
  if (!existsSync(stageDir)) return undefined;
  const resources: DeployedResource[] = [];
  const walk = (dir: string, chain: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), [...chain, entry.name]);
      else if (entry.name.endsWith(".json")) {
        // Alchemy stores "/" inside keys as ":" in file names.
        const id = entry.name.slice(0, -".json".length).replaceAll(":", "/");
        const fqn = [...chain, id].join("/");
        resources.push(parseStateGet(readFileSync(path.join(dir, entry.name), "utf8"), fqn));
      }
    }
  };
  walk(stageDir, [app, stage]);
  return resources.length > 0 ? resources : undefined;
}
