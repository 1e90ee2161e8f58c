import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * Browser files shipped in npm packages (the chart library, mermaid, GitHub's markdown CSS), read from where npm
 * installed them so pages can inline or copy them: no CDN, the pages work offline.
 */
export async function readPackageFile(specifier: string): Promise<string> {
  return readFile(require.resolve(specifier), "utf8");
}

export const packageFilePath = (specifier: string): string => require.resolve(specifier);

/** uPlot (the dashboard's charts): its IIFE build and its stylesheet. */
export async function chartAssets(): Promise<{ script: string; css: string }> {
  const [script, css] = await Promise.all([readPackageFile("uplot/dist/uPlot.iife.min.js"), readPackageFile("uplot/dist/uPlot.min.css")]);
  return { script, css };
}
