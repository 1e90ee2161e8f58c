// Planted defects: a copy of one of the kit's reusable workflows with one wiring mistake that lint and GitHub's
// parser accept and only a run shows. The copy goes into the consumer's working copy as a local reusable
// workflow, and the caller's `uses:` is pointed at it; the kit's actions it uses are still the real ones.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../harness/run-action.ts";

export interface PlantedDefect {
  /** The kit workflow copied, e.g. `ci.yml`. */
  workflow: string;
  what: string;
  /** The text replaced and its replacement (exactly one occurrence). */
  replace: [string, string];
}

/** The defective copy's text. */
export function defectiveWorkflow(defect: PlantedDefect): string {
  const text = readFileSync(path.join(repoRoot, ".github/workflows", defect.workflow), "utf8");
  const [from, to] = defect.replace;
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`${defect.workflow}: "${from}" must occur exactly once to plant "${defect.what}"`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/**
 * Writes the copy into `workdir/.github/workflows/` and returns the `rewriteUses` for runAct: the caller's call
 * of the kit's workflow becomes a call of the copy.
 */
export function plantDefect(workdir: string, defect: PlantedDefect): (uses: string) => string {
  const file = `planted-${defect.workflow}`;
  writeFileSync(path.join(workdir, ".github/workflows", file), defectiveWorkflow(defect));
  return (uses) => (uses.startsWith(`alchkit/alchkit/.github/workflows/${defect.workflow}@`) ? `./.github/workflows/${file}` : uses);
}
