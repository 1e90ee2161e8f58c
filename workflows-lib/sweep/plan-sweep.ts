import type { AccountResources } from "../platform/account-inventory.ts";
import { describeResource, resourcesOfStage, type StageResource } from "../teardown/stage-resources.ts";

/**
 * What `alchkit sweep` would remove: the resources of preview stages (`<prefix><number>`) that are left in the
 * Cloudflare account although their pull request is closed (or gone), or although Alchemy has no state for
 * them any more (nothing would ever destroy them). Pure: the account listing, the pull requests' states and
 * the stages with state are inputs.
 */

export type PullRequestState = "open" | "closed" | "missing";

export interface SweepFacts {
  resources: AccountResources;
  /** Stage prefix of previews, e.g. `pr-`. */
  prefix: string;
  /** State of each pull request number found in the account. */
  pulls: ReadonlyMap<number, PullRequestState>;
  /** Stages Alchemy still has state for. */
  stagesWithState: ReadonlySet<string>;
  protectedStages: readonly string[];
}

export interface SweepStage {
  stage: string;
  pullRequest: number;
  /** Why it is swept, in one line. */
  reason: string;
  hasState: boolean;
  resources: StageResource[];
}

export interface SweepPlan {
  stages: SweepStage[];
  /** Preview stages found and kept (their pull request is open and their state is there). */
  kept: { stage: string; reason: string }[];
}

/** Preview stage numbers named in the account, e.g. `consumer-app-api-pr-12` → 12 for prefix `pr-`. */
export function previewStagesIn(resources: AccountResources, prefix: string): Map<string, number> {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`(?:^|-)(${escaped}(\\d+))(?:-|$)`, "i");
  const stages = new Map<string, number>();
  for (const list of Object.values(resources) as string[][]) {
    for (const name of list) {
      const match = pattern.exec(name);
      if (match) stages.set(match[1]!.toLowerCase(), Number(match[2]));
    }
  }
  return stages;
}

export function planSweep(facts: SweepFacts): SweepPlan {
  const plan: SweepPlan = { stages: [], kept: [] };
  const stages = [...previewStagesIn(facts.resources, facts.prefix)].sort((a, b) => a[1] - b[1]);
  for (const [stage, number] of stages) {
    if (facts.protectedStages.includes(stage)) {
      plan.kept.push({ stage, reason: "protected stage" });
      continue;
    }
    const pull = facts.pulls.get(number) ?? "missing";
    const hasState = facts.stagesWithState.has(stage);
    const resources = resourcesOfStage(facts.resources, stage);
    if (pull === "open" && hasState) {
      plan.kept.push({ stage, reason: `pull request #${number} is open` });
      continue;
    }
    const reason =
      pull === "closed"
        ? `pull request #${number} is closed`
        : pull === "missing"
          ? `there is no pull request #${number}`
          : `pull request #${number} is open but Alchemy has no state for ${stage}: nothing would destroy these`;
    plan.stages.push({ stage, pullRequest: number, reason, hasState, resources });
  }
  return plan;
}

export function sweepSummary(plan: SweepPlan): string[] {
  return plan.stages.map((s) => `${s.stage}: ${s.reason} — ${s.resources.map(describeResource).join(", ")}`);
}
