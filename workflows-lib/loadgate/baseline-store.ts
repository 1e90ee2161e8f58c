/**
 * Baselines on a data branch: each default-branch run writes `load-gate/<name>.json` (the k6-shaped summary
 * plus where it came from) to a branch of the repository (default `alchkit-data`) through the contents API;
 * pull requests read it from there. A data branch, unlike an artifact, never expires (artifacts do after
 * 90 days), needs no run lookup, and its history is the performance record of the default branch.
 * The branch is created from the default branch's head on first write.
 */
import type { Summary } from "./summary.ts";

export interface BaselineRecord {
  summary: Summary;
  sha: string;
  ref: string;
  engine: string;
  scenario: string;
  runUrl?: string;
  recordedAt: string;
}

export interface BaselineStore {
  read(): Promise<BaselineRecord | undefined>;
  write(record: BaselineRecord): Promise<{ commitSha: string; path: string }>;
}

/** Where a baseline lives on the data branch. */
export const baselinePath = (name: string): string => `load-gate/${name}.json`;
