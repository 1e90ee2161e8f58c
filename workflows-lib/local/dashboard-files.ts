import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { DashboardModel } from "../dashboard/model.ts";

/** Writes `index.html` and `dashboard.json` into `dir`, each with an atomic rename (a reader never sees half). */
export async function writeDashboardFiles(dir: string, html: string, model: DashboardModel): Promise<{ html: string; json: string }> {
  await mkdir(dir, { recursive: true });
  const files = { html: path.join(dir, "index.html"), json: path.join(dir, "dashboard.json") };
  for (const [file, content] of [
    [files.html, html],
    [files.json, `${JSON.stringify(model, null, 2)}\n`],
  ] as const) {
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, content);
    await rename(temp, file);
  }
  return files;
}
