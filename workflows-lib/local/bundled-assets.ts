import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * Browser files shipped in npm packages (the chart library, mermaid, GitHub's markdown CSS), read from where npm
 * installed them so pages can inline or copy them: no CDN, the pages work offline.
 */
export const packageFilePath = (specifier: string): string => require.resolve(specifier);

export const readPackageText = (specifier: string): Promise<string> => readFile(packageFilePath(specifier), "utf8");

/**
 * Reads a package file: at `near` (a URL relative to this module, which the action bundler copies into an
 * action's dist/), else where Node resolves the package (an installed kit).
 */
async function read(near: URL, specifier: string): Promise<string> {
  try {
    return await readFile(near, "utf8");
  } catch {
    return readFile(packageFilePath(specifier), "utf8");
  }
}

/** uPlot (the dashboard's charts): its IIFE build and its stylesheet. */
export async function chartAssets(): Promise<{ script: string; css: string }> {
  const [script, css] = await Promise.all([
    read(new URL("../../node_modules/uplot/dist/uPlot.iife.min.js", import.meta.url), "uplot/dist/uPlot.iife.min.js"),
    read(new URL("../../node_modules/uplot/dist/uPlot.min.css", import.meta.url), "uplot/dist/uPlot.min.css"),
  ]);
  return { script, css };
}
