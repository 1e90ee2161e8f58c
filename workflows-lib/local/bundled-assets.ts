import { readFile } from "node:fs/promises";
import { readPackageText } from "./package-files.ts";

/**
 * Reads a package file: at `near` (a URL relative to this module, which the action bundler copies into an
 * action's dist/), else as packageFilePath finds it (package-files.ts).
 */
async function read(near: URL, specifier: string): Promise<string> {
  try {
    return await readFile(near, "utf8");
  } catch {
    return readPackageText(specifier);
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
