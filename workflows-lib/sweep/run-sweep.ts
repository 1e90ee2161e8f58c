import type { AccountInventory } from "../platform/account-inventory.ts";
import { describeResource, resourcesOfStage, type StageResource } from "../teardown/stage-resources.ts";
import { planSweep, previewStagesIn, type PullRequestState, type SweepPlan } from "./plan-sweep.ts";

/**
 * `alchkit sweep`: finds the preview stages left in the Cloudflare account (see plan-sweep.ts) and, with
 * `yes`, destroys them — `alchemy destroy` where Alchemy still has state, then whatever is still in the
 * account is deleted directly — and lists the account again to verify. Protected stages are never touched.
 */

export interface SweepPorts {
  account: AccountInventory;
  /** Deletes one resource from the account (Worker, KV namespace, D1 database, R2 bucket, Queue). */
  remove(resource: StageResource): Promise<void>;
  /** The state of these pull requests (`missing` when the repository has no such number). */
  pulls(numbers: number[]): Promise<Map<number, PullRequestState>>;
  /** Which of these stages Alchemy still has state for. */
  stagesWithState(stages: string[]): Promise<Set<string>>;
  /** `alchemy destroy` of a stage. */
  destroy(stage: string): Promise<void>;
}

export interface SweepRequest {
  prefix: string;
  protectedStages: readonly string[];
  yes: boolean;
}

export interface SweepOutcome {
  dryRun: boolean;
  plan: SweepPlan;
  /** What was deleted directly from the account (after `alchemy destroy`, or instead of it). */
  removed: string[];
  /** Problems met on the way (a destroy that failed), one line each. */
  problems: string[];
  /** Resources of swept stages still in the account at the end: non-empty fails the sweep. */
  leftovers: string[];
}

export async function runSweep(request: SweepRequest, ports: SweepPorts): Promise<SweepOutcome> {
  const resources = await ports.account.list();
  const stages = previewStagesIn(resources, request.prefix);
  const candidates = [...stages.keys()].filter((s) => !request.protectedStages.includes(s));
  const [pulls, stagesWithState] = await Promise.all([ports.pulls([...new Set(candidates.map((s) => stages.get(s)!))]), ports.stagesWithState(candidates)]);
  const plan = planSweep({ resources, prefix: request.prefix, pulls, stagesWithState, protectedStages: request.protectedStages });
  if (!request.yes) return { dryRun: true, plan, removed: [], problems: [], leftovers: [] };

  const removed: string[] = [];
  const problems: string[] = [];
  for (const stage of plan.stages) {
    if (stage.hasState) {
      await ports.destroy(stage.stage).catch((e: unknown) => problems.push(`alchemy destroy of ${stage.stage} failed: ${(e as Error).message}`));
    }
    const left = resourcesOfStage(await ports.account.list(), stage.stage);
    for (const resource of left) {
      try {
        await ports.remove(resource);
        removed.push(describeResource(resource));
      } catch (e) {
        problems.push(`deleting ${describeResource(resource)} failed: ${(e as Error).message}`);
      }
    }
  }
  const after = await ports.account.list();
  const leftovers = plan.stages.flatMap((s) => resourcesOfStage(after, s.stage).map(describeResource));
  return { dryRun: false, plan, removed, problems, leftovers };
}

export function renderSweepMarkdown(outcome: SweepOutcome): string {
  const lines = [`## ${outcome.dryRun ? "Sweep (dry run)" : "Sweep"}`, ""];
  if (outcome.plan.stages.length === 0) lines.push("No leaked preview stage in the Cloudflare account.");
  for (const stage of outcome.plan.stages) {
    lines.push(`- \`${stage.stage}\`: ${stage.reason}`);
    for (const r of stage.resources) lines.push(`  - ${describeResource(r)}`);
  }
  if (outcome.plan.kept.length > 0) lines.push("", `Kept: ${outcome.plan.kept.map((k) => `\`${k.stage}\` (${k.reason})`).join(", ")}.`);
  if (outcome.dryRun && outcome.plan.stages.length > 0) lines.push("", "Nothing was deleted. Run again with `--yes` to destroy these stages.");
  if (outcome.problems.length > 0) lines.push("", "Problems:", ...outcome.problems.map((p) => `- ${p}`));
  if (!outcome.dryRun) lines.push("", outcome.leftovers.length === 0 ? "Verified: nothing of these stages is left in the account." : `Still in the account: ${outcome.leftovers.join(", ")}.`);
  return `${lines.join("\n")}\n`;
}
