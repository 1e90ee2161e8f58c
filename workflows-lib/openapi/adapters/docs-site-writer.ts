import { copyFile, mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../../errors.ts";
import type { DocsSiteFile } from "../docs-site.ts";

/**
 * Swagger UI's files. Written as `new URL(literal, import.meta.url)` so that ncc copies them next to an
 * action's bundle (where no node_modules exists); from source they resolve into the installed package.
 */
const BUNDLED_ASSETS: Record<string, URL> = {
  "swagger-ui.css": new URL("../../../node_modules/swagger-ui-dist/swagger-ui.css", import.meta.url),
  "swagger-ui-bundle.js": new URL("../../../node_modules/swagger-ui-dist/swagger-ui-bundle.js", import.meta.url),
  "favicon-32x32.png": new URL("../../../node_modules/swagger-ui-dist/favicon-32x32.png", import.meta.url),
  "favicon-16x16.png": new URL("../../../node_modules/swagger-ui-dist/favicon-16x16.png", import.meta.url),
  LICENSE: new URL("../../../node_modules/swagger-ui-dist/LICENSE", import.meta.url),
  NOTICE: new URL("../../../node_modules/swagger-ui-dist/NOTICE", import.meta.url),
};

/** Where one of swagger-ui-dist's files is: the installed package when resolvable, else the bundled copy. */
export function swaggerUiAsset(name: string): string {
  try {
    return createRequire(import.meta.url).resolve(`swagger-ui-dist/${name}`);
  } catch {
    const bundled = BUNDLED_ASSETS[name];
    if (!bundled) throw new Error(`internal: no bundled Swagger UI file ${name}`);
    return fileURLToPath(bundled);
  }
}

/**
 * Writes the planned site into `outDir`. The files go to a sibling staging folder first and replace `outDir`
 * only when all are written, so a failure never leaves a half-written site.
 */
export async function writeDocsSite(
  outDir: string,
  files: DocsSiteFile[],
  input: { name: string; given: string } = { name: "out", given: outDir },
  assetPath: (name: string) => string = swaggerUiAsset,
): Promise<string[]> {
  const target = resolve(outDir);
  await assertReplaceable(target, input.given, input.name);
  const staging = `${target}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    for (const file of files) {
      const path = join(staging, file.path);
      await mkdir(dirname(path), { recursive: true });
      if ("text" in file) await writeFile(path, file.text);
      else await copyFile(assetPath(file.copyOf), path);
    }
    await rm(target, { recursive: true, force: true });
    await mkdir(dirname(target), { recursive: true });
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return files.map((f) => join(target, f.path));
}

/** `outDir` is replaced whole: only an absent or empty folder, or a site written before, may be. */
async function assertReplaceable(target: string, outDir: string, inputName: string): Promise<void> {
  const expected = "an empty or new folder, or one holding an API reference written before";
  if (process.cwd() === target || process.cwd().startsWith(`${target}/`)) {
    throw new InputError(inputName, expected, `${outDir} contains the current directory`);
  }
  const info = await stat(target).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory()) throw new InputError(inputName, expected, `${outDir} is a file`);
  const entries = await readdir(target);
  if (entries.length === 0) return;
  if (!["index.html", "openapi.js", "init.js", "assets"].every((name) => entries.includes(name))) {
    throw new InputError(inputName, expected, `${outDir} holds other files`);
  }
}
