import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EntryReport } from "../run-entry.ts";
import type { MatrixEntry } from "../plan-matrix.ts";

/** Writes a matrix job's report where the workflow uploads it from; one file per entry. */
export async function writeEntryReport(dir: string, report: EntryReport): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${createHash("sha256").update(report.entry).digest("hex").slice(0, 16)}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

/** Reads the reports the matrix jobs uploaded; a missing folder means no job reported (e.g. all were cancelled). */
export async function readEntryReports(dir: string): Promise<EntryReport[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { recursive: true })).filter((n) => n.endsWith(".json"));
  } catch {
    return [];
  }
  const reports: EntryReport[] = [];
  for (const name of names.sort()) {
    try {
      const parsed = JSON.parse(await readFile(path.join(dir, name), "utf8")) as EntryReport;
      if (typeof parsed.entry === "string" && Array.isArray(parsed.packages)) reports.push(parsed);
    } catch {
      // A truncated upload counts as no report: the summary table says so.
    }
  }
  return reports;
}

/** File name of the plan's matrix, uploaded next to the job reports so the summary can read it back. */
export const PLAN_FILE = "alchkit-plan.json";

export async function writePlanMatrix(dir: string, matrix: { include: MatrixEntry[] }): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, PLAN_FILE);
  await writeFile(file, `${JSON.stringify(matrix)}\n`);
  return file;
}

/**
 * The plan's matrix from the downloaded artifacts. A large matrix does not fit an action input: inputs reach
 * the action as environment variables, and Linux refuses one longer than 128 KiB.
 */
export async function readPlanMatrix(dir: string): Promise<unknown> {
  let names: string[];
  try {
    names = (await readdir(dir, { recursive: true })).filter((n) => path.basename(n) === PLAN_FILE);
  } catch {
    return undefined;
  }
  if (names.length === 0) return undefined;
  try {
    return JSON.parse(await readFile(path.join(dir, names[0]!), "utf8")) as unknown;
  } catch {
    return undefined;
  }
}
