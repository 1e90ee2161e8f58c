/**
 * Repositories with one hazard each (test/fixtures/apps/hazards/<check>/): the clean `base` repository with the
 * hazard's files laid over it (and the files its hazard.json removes), in a temp folder.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FIXTURES_DIR } from "./app-fixtures.ts";

export const HAZARDS_DIR = path.join(FIXTURES_DIR, "hazards");

export interface HazardSpec {
  remove?: string[];
  expect: Array<{ id: string; file: string; line: number }>;
}

export const hazardNames = (): string[] =>
  readdirSync(HAZARDS_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== "base")
    .map((e) => e.name)
    .sort();

export function hazardSpec(name: string): HazardSpec {
  return JSON.parse(readFileSync(path.join(HAZARDS_DIR, name, "hazard.json"), "utf8")) as HazardSpec;
}

/** A temp copy of the base repository with `name`'s files over it (`undefined`: the clean base); removed in t.after. */
export function hazardRepo(t: { after(fn: () => void): void }, name?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "alchkit-doctor-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(HAZARDS_DIR, "base"), dir, { recursive: true });
  if (name) {
    cpSync(path.join(HAZARDS_DIR, name), dir, { recursive: true, filter: (src) => path.basename(src) !== "hazard.json" });
    for (const file of hazardSpec(name).remove ?? []) rmSync(path.join(dir, file), { force: true });
  }
  return dir;
}
