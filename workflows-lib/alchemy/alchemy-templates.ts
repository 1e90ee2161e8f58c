import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { AppFiles } from "../app-templates/instantiate.ts";
import { findAlchemyPackage } from "./alchemy-cli.ts";
import { AlchemyError } from "./alchemy-errors.ts";

/** Extensions read as text (everything else keeps its bytes: icons, images). */
const TEXT = /\.(ts|tsx|js|mjs|cjs|jsx|json|jsonc|md|html|css|svg|txt|toml|yaml|yml|d\.ts|example)$|(^|\/)_[a-z.]+$|(^|\/)\.[a-z]+$/;

/** One of the templates shipped inside the installed `alchemy` package (`templates/<name>`). */
export function readAlchemyTemplate(name: string, fromDir: string): { files: AppFiles; alchemyVersion: string } {
  return readTemplateOf(findAlchemyPackage(fromDir), name);
}

/** Where the compiled CLI of the npm package keeps its copies of Alchemy's templates (scripts/build-cli.ts). */
export const SHIPPED_TEMPLATES_DIR = "dist/alchemy";

/**
 * A template of Alchemy's for `alchkit create`: from the copies the npm package ships under dist/alchemy (the
 * templates of the Alchemy version the kit is built and tested with), else — in the kit's own clone — from its
 * installed `alchemy` package.
 */
export function readKitAlchemyTemplate(name: string, kitDir: string): { files: AppFiles; alchemyVersion: string } {
  const shipped = path.join(kitDir, SHIPPED_TEMPLATES_DIR);
  const manifest = path.join(shipped, "package.json");
  if (existsSync(manifest)) {
    return readTemplateOf({ dir: shipped, version: (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version }, name);
  }
  return readAlchemyTemplate(name, kitDir);
}

function readTemplateOf(pkg: { dir: string; version: string }, name: string): { files: AppFiles; alchemyVersion: string } {
  const root = path.join(pkg.dir, "templates", name);
  let names: string[];
  try {
    names = readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"));
  } catch {
    const shipped = readdirSync(path.join(pkg.dir, "templates")).sort().join(", ");
    throw new AlchemyError(`alchemy ${pkg.version} ships no template "${name}" (it has: ${shipped}).`);
  }
  const files: AppFiles = {};
  for (const file of names.sort()) {
    const bytes = readFileSync(path.join(root, file));
    files[file] = TEXT.test(file) ? bytes.toString("utf8") : new Uint8Array(bytes);
  }
  return { files, alchemyVersion: pkg.version };
}

/** Writes an app's files under `dir` (folders created as needed). */
export function writeAppFiles(dir: string, files: AppFiles): void {
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(dir, ...file.split("/"));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}
