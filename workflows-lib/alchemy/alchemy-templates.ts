import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { AppFiles } from "../app-templates/instantiate.ts";
import { findAlchemyPackage } from "./alchemy-cli.ts";
import { AlchemyError } from "./alchemy-errors.ts";

/** Extensions read as text (everything else keeps its bytes: icons, images). */
const TEXT = /\.(ts|tsx|js|mjs|cjs|jsx|json|jsonc|md|html|css|svg|txt|toml|yaml|yml|d\.ts|example)$|(^|\/)_[a-z.]+$|(^|\/)\.[a-z]+$/;

/** One of the templates shipped inside the installed `alchemy` package (`templates/<name>`). */
export function readAlchemyTemplate(name: string, fromDir: string): { files: AppFiles; alchemyVersion: string } {
  const pkg = findAlchemyPackage(fromDir);
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
