// `npm run build [-- name…]`: bundles each actions/<name>/main.ts with ncc (minified, licenses listed) into
// actions/<name>/dist/. `--out DIR` writes to DIR/<name>/ instead (the check-dist test compares the two).
// A bundle whose inputs did not change since its last build here (scripts/bundle-inputs.ts) is left as it is;
// `--force` rebuilds every one.
import { createRequire } from "node:module";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { bundleInputDigest, readDist, recordBuild, upToDate } from "./bundle-inputs.ts";

type NccAsset = { source: string | Buffer };
type Ncc = (entry: string, options: Record<string, unknown>) => Promise<{ code: string; assets: Record<string, NccAsset> }>;
const ncc = createRequire(import.meta.url)("@vercel/ncc") as Ncc;

const root = resolve(import.meta.dirname, "..");

export async function actionNames(): Promise<string[]> {
  const entries = await readdir(join(root, "actions"), { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && existsSync(join(root, "actions", e.name, "main.ts"))).map((e) => e.name).sort();
}

/** Bundles one action; returns the files of its dist/ (relative path → content). */
export async function bundleAction(name: string): Promise<Map<string, string | Buffer>> {
  const { code, assets } = await ncc(join(root, "actions", name, "main.ts"), {
    minify: true,
    license: "licenses.txt",
    target: "es2023",
    quiet: true,
    sourceMap: false,
    cache: false,
    transpileOnly: true,
    esm: true,
  });
  const files = new Map<string, string | Buffer>([["index.js", code]]);
  for (const [path, asset] of Object.entries(assets)) files.set(path, asset.source);
  return files;
}

export async function writeDist(dir: string, files: Map<string, string | Buffer>): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  for (const [path, content] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { out: { type: "string" }, force: { type: "boolean" } }, allowPositionals: true });
  const names = positionals.length > 0 ? positionals : await actionNames();
  for (const name of names) {
    const started = performance.now();
    const dir = values.out ? join(resolve(values.out), name) : join(root, "actions", name, "dist");
    const inputs = bundleInputDigest(name);
    if (!values.force && !values.out && (await upToDate(name, inputs, readDist(dir)))) {
      console.log(`${name}: up to date`);
      continue;
    }
    const files = await bundleAction(name);
    await writeDist(dir, files);
    if (!values.out) await recordBuild(name, inputs, files);
    const size = Buffer.byteLength(files.get("index.js")!);
    console.log(`${name}: dist/index.js ${(size / 1024).toFixed(0)} kB (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}

if (import.meta.main) await main();
