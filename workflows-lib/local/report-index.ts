import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { hasMermaid, renderReportPage, type ReportDocument } from "../report/report-page.ts";
import { packageFilePath, readPackageText } from "./package-files.ts";
import { writeFileAtomically } from "./report-files.ts";

const MERMAID = "@mermaid-js/tiny/dist/mermaid.tiny.js";

async function markdownFiles(dir: string, base = dir): Promise<ReportDocument[]> {
  const documents: ReportDocument[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const full = path.join(dir, name);
    if (name === "assets" && dir === base) continue;
    const info = await stat(full);
    if (info.isDirectory()) documents.push(...(await markdownFiles(full, base)));
    else if (name.endsWith(".md")) documents.push({ path: path.relative(base, full).split(path.sep).join("/"), markdown: await readFile(full, "utf8") });
  }
  return documents;
}

/**
 * Writes `<dir>/index.html`: every markdown report in the folder (and its subfolders) on one page as GitHub
 * renders it. Mermaid's script is copied to `<dir>/assets/` when a report has a chart. Returns the page's path.
 */
export async function writeReportIndex(dir: string): Promise<string> {
  const documents = await markdownFiles(dir);
  const page = path.join(dir, "index.html");
  let mermaidSrc: string | undefined;
  if (hasMermaid(documents)) {
    const target = path.join(dir, "assets", "mermaid.tiny.js");
    const source = packageFilePath(MERMAID);
    if (!existsSync(target) || (await stat(target)).size !== (await stat(source)).size) {
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(source, target);
    }
    mermaidSrc = "assets/mermaid.tiny.js";
  }
  const css = await readPackageText("github-markdown-css/github-markdown.css");
  await writeFileAtomically(page, renderReportPage(documents, { css, ...(mermaidSrc ? { mermaidSrc } : {}) }));
  return page;
}
