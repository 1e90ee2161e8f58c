// What an action bundle is made of, for skipping a rebuild whose inputs did not change: the project files
// reachable from actions/<name>/main.ts through relative imports, every non-TypeScript file beside or below
// them (assets a module reads, such as the policy library), the lockfile (every package), the build script
// and ncc's version. A bundle whose input digest and output digest match the last build is up to date.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const cacheDir = join(root, "node_modules", ".cache", "alchkit-build");

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;

/** Project files reachable from `entry` by relative imports (static, dynamic and side-effect imports). */
function reachableFiles(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    if (!/\.(?:[cm]?[jt]s)$/.test(file)) continue;
    for (const match of readFileSync(file, "utf8").matchAll(SPECIFIER)) queue.push(resolve(dirname(file), match[1]!));
  }
  return seen;
}

/** Every file below `dir` that is not TypeScript source (modules are covered by the import walk). */
function assetsBelow(dir: string, into: Set<string>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "dist" && !entry.name.startsWith(".")) assetsBelow(full, into);
    } else if (!/\.ts$/.test(entry.name)) into.add(full);
  }
}

/** The digest of everything the bundle of one action is built from. */
export function bundleInputDigest(name: string): string {
  const files = reachableFiles(join(root, "actions", name, "main.ts"));
  const inputs = new Set(files);
  for (const dir of new Set([...files].map((file) => dirname(file)))) assetsBelow(dir, inputs);
  for (const extra of ["package-lock.json", "scripts/build.ts", "scripts/bundle-inputs.ts", "node_modules/@vercel/ncc/package.json"]) {
    inputs.add(join(root, extra));
  }
  const hash = createHash("sha256");
  for (const file of [...inputs].sort()) {
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

/** The digest of a dist/ as files (relative path → content). */
export function distDigest(files: Map<string, string | Buffer>): string {
  const hash = createHash("sha256");
  for (const path of [...files.keys()].sort()) hash.update(path).update("\0").update(files.get(path)!).update("\0");
  return hash.digest("hex");
}

/** The committed dist/ of an action, read as files. */
export function readDist(dir: string): Map<string, string | Buffer> {
  const files = new Map<string, string | Buffer>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else files.set(rel, readFileSync(join(dir, rel)));
    }
  };
  if (existsSync(dir)) walk("");
  return files;
}

interface BuildRecord {
  inputs: string;
  output: string;
}

/** True when the last build of `name` had these inputs and produced exactly `dist`. */
export async function upToDate(name: string, inputs: string, dist: Map<string, string | Buffer>): Promise<boolean> {
  try {
    const record = JSON.parse(await readFile(join(cacheDir, `${name}.json`), "utf8")) as BuildRecord;
    return record.inputs === inputs && record.output === distDigest(dist);
  } catch {
    return false;
  }
}

export async function recordBuild(name: string, inputs: string, dist: Map<string, string | Buffer>): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const record: BuildRecord = { inputs, output: distDigest(dist) };
  await writeFile(join(cacheDir, `${name}.json`), `${JSON.stringify(record)}\n`);
}
