import { appendFile, mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * The one writer of `.alchkit/out/`, where local runs put what GitHub would show (comments, step summaries,
 * reports). Every write goes through here, so the folder's page (`index.html`, every report rendered as GitHub
 * renders it) can be brought up to date once, when the command ends (`takeWrittenReportDirs`).
 */
export const reportsDir = (root: string): string => path.join(root, ".alchkit", "out");

const written = new Set<string>();

/** The `.alchkit/out` folder a file lies in, if any. */
function reportsDirOf(file: string): string | undefined {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    if (path.basename(dir) === "out" && path.basename(path.dirname(dir)) === ".alchkit") return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function remember(file: string): void {
  const dir = reportsDirOf(file);
  if (dir) written.add(dir);
}

/** Writes a file whole, atomically: a reader never sees half of it. */
export async function writeFileAtomically(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, content);
  await rename(temp, file);
}

/** Writes a report file whole (atomically). */
export async function writeReportFile(file: string, content: string): Promise<void> {
  await writeFileAtomically(file, content);
  remember(file);
}

/** Appends to a report file (step summaries accumulate like GitHub's). */
export async function appendReportFile(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, content);
  remember(file);
}

/** The `.alchkit/out` folders written since the last call (and forgets them). */
export function takeWrittenReportDirs(): string[] {
  const dirs = [...written];
  written.clear();
  return dirs;
}
