import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Each local stage gets a folder of its own, given to Alchemy as its project root (`--root-dir`): its
 * `.alchemy/` holds the stage's state and its Miniflare storage (`.alchemy/miniflare/v3`: D1, KV, R2, Durable
 * Objects, queues, workflows, the cache). Alchemy 0.94 otherwise keeps the storage of every stage of every app in
 * one folder at the workspace root, so two stages up at once open the same SQLite files (`SQLITE_BUSY: database
 * is locked`) and share KV namespaces, queues and workflows whose local id is the logical id.
 *
 * Alchemy puts the storage at the *workspace root* above its root dir (the first folder with a lockfile,
 * `.git`, or a package.json with `workspaces`): the stage folder holds such a package.json so that it is its
 * own root. Everything of the stage goes when the folder goes (`preview down`).
 */
export const stagesDir = (stateDir: string): string => path.join(stateDir, "stages");
export const stageDir = (stateDir: string, stage: string): string => path.join(stagesDir(stateDir), stage);
export const miniflareDir = (root: string): string => path.join(root, ".alchemy", "miniflare");

const MARKER = {
  private: true,
  description: "Local data of one alchkit stage (Alchemy state and Miniflare storage); removed by `alchkit preview down --local`.",
  workspaces: [],
};

/**
 * The kit's local folder (dev records, locks, the stages' state and storage): `.alchkit/` of `root`, or the
 * folder `ALCHKIT_STATE_DIR` names (relative to `root`), e.g. one that outlives a CI job's checkout when the
 * kit's workflows run on a laptop under act with ALCHKIT_RUNTIME=local (docs/local.md).
 */
export function kitStateDir(root: string, env: Readonly<Record<string, string | undefined>>): string {
  const named = env.ALCHKIT_STATE_DIR?.trim();
  return named ? path.resolve(root, named) : path.join(root, ".alchkit");
}

/**
 * Where the local state of `stage` of the app in `appDir` is: the stage's own folder under the app's
 * `.alchkit/` (or `stateDir`) when alchkit ran it, else the app's own `.alchemy/` (a stage run with `alchemy dev` directly).
 */
export function localStateRoot(appDir: string, stage: string, stateDir: string = path.join(appDir, ".alchkit")): string {
  const own = stageDir(stateDir, stage);
  return existsSync(path.join(own, ".alchemy")) ? own : appDir;
}

export function prepareStageDir(root: string): void {
  mkdirSync(root, { recursive: true });
  const marker = path.join(root, "package.json");
  if (!existsSync(marker)) writeFileSync(marker, `${JSON.stringify(MARKER, null, 2)}\n`);
}

export function removeStageDir(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/**
 * A module preloaded into the stage's Node and bun processes (NODE_OPTIONS `--import`, BUN_OPTIONS `--preload`):
 * a server that listens without a host (Alchemy's Worker proxy does, which means every interface) listens on
 * 127.0.0.1 instead, so a local stage is not reachable from the network.
 */
export const LOOPBACK_PRELOAD = `// Written by alchkit: local apps listen on loopback only.
import http from "node:http";
import net from "node:net";
const host = "127.0.0.1";
const patch = (proto) => {
  const listen = proto.listen;
  if (listen.alchkitLoopback) return;
  const loopback = function (...args) {
    const first = args[0];
    if (first === undefined || first === null || typeof first === "function") {
      if (typeof first !== "function") args.shift();
      args.unshift(0, host);
    } else if (typeof first === "number" || (typeof first === "string" && /^\\d+$/.test(first))) {
      if (typeof args[1] !== "string") args.splice(1, 0, host);
    } else if (typeof first === "object" && first.host === undefined && first.path === undefined && first.fd === undefined && first.handle === undefined && first._handle === undefined) {
      args[0] = { ...first, host };
    }
    return listen.apply(this, args);
  };
  loopback.alchkitLoopback = true;
  proto.listen = loopback;
};
patch(net.Server.prototype);
patch(http.Server.prototype);
`;

/** Writes the loopback preload into the stage folder; returns the NODE_OPTIONS and BUN_OPTIONS that load it. */
export function loopbackOptions(root: string, env: NodeJS.ProcessEnv): { NODE_OPTIONS: string; BUN_OPTIONS: string } {
  const file = path.join(root, "loopback.mjs");
  if (!existsSync(file) || readFileSync(file, "utf8") !== LOOPBACK_PRELOAD) {
    writeFileSync(`${file}.tmp`, LOOPBACK_PRELOAD);
    renameSync(`${file}.tmp`, file);
  }
  return {
    NODE_OPTIONS: [env.NODE_OPTIONS, `--import=${pathToFileURL(file).href}`].filter(Boolean).join(" "),
    BUN_OPTIONS: [env.BUN_OPTIONS, `--preload=${file}`].filter(Boolean).join(" "),
  };
}
