import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { kitRoot } from "./kit-root.ts";

const require = createRequire(import.meta.url);

/**
 * Browser files shipped in npm packages (the chart library, mermaid, GitHub's markdown CSS, Swagger UI) that pages
 * inline or copy: no CDN, the pages work offline. The compiled CLI of the npm package carries copies of exactly
 * these in dist/assets/<specifier> (scripts/build-cli.ts), so the packages are no dependencies of the kit.
 */
export const BROWSER_FILES = [
  "@mermaid-js/tiny/dist/mermaid.tiny.js",
  "github-markdown-css/github-markdown.css",
  "uplot/dist/uPlot.iife.min.js",
  "uplot/dist/uPlot.min.css",
  "swagger-ui-dist/swagger-ui.css",
  "swagger-ui-dist/swagger-ui-bundle.js",
  "swagger-ui-dist/favicon-32x32.png",
  "swagger-ui-dist/favicon-16x16.png",
  "swagger-ui-dist/LICENSE",
  "swagger-ui-dist/NOTICE",
] as const;

/** Where a package file is: where Node resolves the package (the kit's repository), else the npm package's copy (BROWSER_FILES only). */
export function packageFilePath(specifier: string): string {
  try {
    return require.resolve(specifier);
  } catch (error) {
    const shipped = path.join(kitRoot(), "dist", "assets", ...specifier.split("/"));
    if (existsSync(shipped)) return shipped;
    throw error;
  }
}

export const readPackageText = (specifier: string): Promise<string> => readFile(packageFilePath(specifier), "utf8");
