import path from "node:path";
import type { DeploymentFacts } from "./facts-schema.ts";

/**
 * Dependency facts: every package the lockfile installs, with the license its installed package.json
 * declares (what is actually shipped, not what the registry said when the lock was written). npm's lockfile
 * (v2/v3 `packages`) is read; without one, the app's direct dependencies as installed.
 */

export type DependencyFact = DeploymentFacts["dependencies"][number];

export interface DependencyPorts {
  /** A file's text, or undefined when it does not exist. */
  readText(file: string): Promise<string | undefined>;
}

type Manifest = {
  name?: string;
  version?: string;
  license?: unknown;
  licenses?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};

type LockPackage = { version?: string; dev?: boolean; link?: boolean; name?: string; optional?: boolean; devOptional?: boolean };

/** The SPDX expression a package.json declares: `license`, or the legacy `license: {type}` / `licenses: [{type}]`. */
export function declaredLicense(manifest: Manifest): string | null {
  const { license, licenses } = manifest;
  if (typeof license === "string" && license.trim()) return license.trim();
  if (license && typeof license === "object" && typeof (license as { type?: unknown }).type === "string") return (license as { type: string }).type;
  if (Array.isArray(licenses)) {
    const types = licenses.map((l) => (typeof l === "string" ? l : (l as { type?: unknown })?.type)).filter((t): t is string => typeof t === "string");
    if (types.length === 1) return types[0]!;
    if (types.length > 1) return `(${types.join(" OR ")})`;
  }
  return null;
}

async function readJson<T>(ports: DependencyPorts, file: string): Promise<T | undefined> {
  const text = await ports.readText(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** The package name of a lockfile key: `node_modules/a/node_modules/@s/b` → `@s/b`. */
function nameOfKey(key: string): string {
  const at = key.lastIndexOf("node_modules/");
  return key.slice(at + "node_modules/".length);
}

/**
 * Dependencies of the app in `appDir`. `lockDir` is where package-lock.json is (the repository root of a
 * workspace); installed packages are read below it.
 */
export async function dependencyFacts(appDir: string, lockDir: string, ports: DependencyPorts): Promise<DependencyFact[]> {
  const app = (await readJson<Manifest>(ports, path.join(appDir, "package.json"))) ?? {};
  const runtime = new Set(Object.keys({ ...app.dependencies, ...app.optionalDependencies }));
  const devOnly = new Set(Object.keys(app.devDependencies ?? {}).filter((name) => !runtime.has(name)));
  const lock = await readJson<{ packages?: Record<string, LockPackage> }>(ports, path.join(lockDir, "package-lock.json"));
  const facts = new Map<string, DependencyFact>();
  const add = async (name: string, version: string, installedAt: string, dev: boolean): Promise<void> => {
    const key = `${name}@${version}`;
    if (facts.has(key)) return;
    const installed = await readJson<Manifest>(ports, path.join(installedAt, "package.json"));
    facts.set(key, {
      name,
      version,
      license: installed ? declaredLicense(installed) : null,
      direct: runtime.has(name) || devOnly.has(name),
      dev,
    });
  };
  if (lock?.packages) {
    for (const [key, entry] of Object.entries(lock.packages)) {
      if (!key.includes("node_modules/") || entry.link || !entry.version) continue;
      await add(entry.name ?? nameOfKey(key), entry.version, path.join(lockDir, key), entry.dev === true);
    }
  } else {
    for (const name of [...runtime, ...devOnly]) {
      const installedAt = path.join(appDir, "node_modules", name);
      const installed = await readJson<Manifest>(ports, path.join(installedAt, "package.json"));
      await add(name, installed?.version ?? "unknown", installedAt, devOnly.has(name));
    }
  }
  return [...facts.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}
