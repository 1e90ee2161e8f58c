import type { EnvironmentNames } from "./environment-names.ts";

/**
 * The GitHub environments `alchkit init --protect` sets up: staging deploys from protected branches; production
 * additionally waits for a required reviewer who may not approve their own run. Pure: desired settings and
 * what differs from the current ones.
 */
export interface EnvironmentSettings {
  reviewerIds: number[];
  preventSelfReview: boolean;
  waitTimer: number;
  protectedBranchesOnly: boolean;
}

/** Keyed by the configuration's own names; with one environment in both roles, production's settings win. */
export function desiredEnvironments(names: EnvironmentNames, reviewerIds: number[]): Record<string, EnvironmentSettings> {
  return {
    [names.staging]: { reviewerIds: [], preventSelfReview: false, waitTimer: 0, protectedBranchesOnly: true },
    [names.production]: { reviewerIds, preventSelfReview: reviewerIds.length > 0, waitTimer: 0, protectedBranchesOnly: true },
  };
}

/** Reads GitHub's `environment` object (protection_rules, deployment_branch_policy) into settings. */
export function currentSettings(environment: Record<string, any> | undefined): EnvironmentSettings | undefined {
  if (!environment) return undefined;
  const rules: Array<Record<string, any>> = environment.protection_rules ?? [];
  const reviewers = rules.find((r) => r.type === "required_reviewers");
  const timer = rules.find((r) => r.type === "wait_timer");
  return {
    reviewerIds: ((reviewers?.reviewers ?? []) as Array<{ reviewer?: { id?: number } }>).map((r) => r.reviewer?.id ?? 0).sort((a, b) => a - b),
    preventSelfReview: reviewers?.prevent_self_review === true,
    waitTimer: Number(timer?.wait_timer ?? 0),
    protectedBranchesOnly: environment.deployment_branch_policy?.protected_branches === true,
  };
}

export function settingsDiffer(current: EnvironmentSettings | undefined, desired: EnvironmentSettings): boolean {
  if (!current) return true;
  return (
    current.preventSelfReview !== desired.preventSelfReview ||
    current.waitTimer !== desired.waitTimer ||
    current.protectedBranchesOnly !== desired.protectedBranchesOnly ||
    [...current.reviewerIds].sort((a, b) => a - b).join(",") !== [...desired.reviewerIds].sort((a, b) => a - b).join(",")
  );
}
