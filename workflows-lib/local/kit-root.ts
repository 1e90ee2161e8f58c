import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface KitManifest {
  name: string;
  version: string;
  engines: { node: string };
}

const isKitManifest = (file: string): boolean => {
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { name?: unknown }).name === "alchkit";
  } catch {
    return false;
  }
};

/**
 * The kit's own folder (where its package.json is), found by walking up from a module: the same answer from the
 * sources (workflows-lib/…), the compiled CLI of the installed package (dist/cli/…) and an action's bundle
 * (actions/<name>/dist/…), whose modules sit at different depths.
 */
export function kitRoot(fromUrl: string = import.meta.url): string {
  const start = path.dirname(fileURLToPath(fromUrl));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json")) && isKitManifest(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`internal: no package.json of alchkit above ${start}`);
  }
}

let manifest: KitManifest | undefined;

/** The kit's package.json (its version, the Node.js versions it supports). */
export function kitManifest(): KitManifest {
  manifest ??= JSON.parse(readFileSync(path.join(kitRoot(), "package.json"), "utf8")) as KitManifest;
  return manifest;
}
