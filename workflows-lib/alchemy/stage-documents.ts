import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { InputError } from "../errors.ts";
import { fileStateApps, readFileStateEntries } from "./file-state.ts";
import { localStateRoot } from "./stage-dir.ts";
import type { AlchemyCliOptions } from "./alchemy-cli.ts";
import { readStageDocuments } from "./state-reader.ts";

/**
 * A stage's resources as Alchemy keeps them, for the policy facts: from the local file store (`--local`,
 * what `alchemy dev` and `alchkit deploy --local` wrote) or through the app's own `alchemy state` (its
 * configured state store, e.g. CloudflareStateStore in CI).
 */

export interface StageDocuments {
  source: "alchemy-state" | "local-state";
  app?: string;
  entries: { fqn: string; state: unknown }[];
}

/**
 * Reads `.alchemy/<app>/<stage>/` of the stage's local root (its folder under `.alchkit/stages/` when alchkit
 * ran it, else the app directory); `app` is needed only when several apps have the stage.
 */
export function readLocalStageDocuments(appDir: string, stage: string, app?: string, stateDir?: string): StageDocuments {
  const root = localStateRoot(appDir, stage, stateDir);
  const apps = app ? [app] : fileStateApps(root, stage);
  if (apps.length > 1) throw new InputError("--app", `one of ${apps.join(", ")}`, `several apps have a stage "${stage}" in ${path.join(appDir, ".alchemy")}`);
  const name = apps[0];
  const entries = name ? readFileStateEntries(root, name, stage) : undefined;
  if (!name || !entries) {
    throw new InputError("--stage", `a stage with local Alchemy state in ${path.join(appDir, ".alchemy")}`, `"${stage}" has none (run it locally first: alchkit deploy --local, or alchemy dev --stage ${stage})`);
  }
  return {
    source: "local-state",
    app: name,
    entries: entries.map((entry) => {
      try {
        return { fqn: entry.fqn, state: JSON.parse(entry.text) as unknown };
      } catch (error) {
        throw new InputError(path.join(appDir, ".alchemy", name, stage), "Alchemy state files of valid JSON", `${entry.fqn}: ${(error as Error).message}`);
      }
    }),
  };
}

export async function readAlchemyStageDocuments(stage: string, flags: { profile?: string; app?: string }, options: AlchemyCliOptions): Promise<StageDocuments> {
  const entries = await readStageDocuments(stage, flags, options);
  const app = entries[0]?.fqn.split("/")[0];
  return { source: "alchemy-state", ...(app ? { app } : {}), entries };
}

/**
 * A Worker's built script size, from Alchemy's build folder `.alchemy/out/<script>/` (source maps and the
 * esbuild metafile are not uploaded, so they do not count). Undefined when it was not built here.
 */
export function bundleSize(appDir: string, scriptName: string): { bytes: number; gzipBytes: number } | undefined {
  const dir = path.join(appDir, ".alchemy", "out", scriptName);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  let bytes = 0;
  let gzipBytes = 0;
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (!entry.name.endsWith(".map") && entry.name !== "metafile.json") {
        const content = readFileSync(file);
        bytes += content.length;
        gzipBytes += gzipSync(content).length;
      }
    }
  };
  walk(dir);
  return bytes > 0 ? { bytes, gzipBytes } : undefined;
}
