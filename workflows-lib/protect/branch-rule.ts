/**
 * Branch protection as code: the rule alchkit wants on the default branch (pull requests required, the CI
 * summary check required), as a repository ruleset or as classic branch protection, and the comparison that
 * keeps `alchkit protect` idempotent — read, compare, write only what differs.
 */

/** The check the reusable CI workflow reports: "<caller job> / summary". */
export const DEFAULT_REQUIRED_CHECK = "ci / summary";
export const DEFAULT_RULESET_NAME = "alchkit: protect default branch";

export interface BranchRule {
  branch: string;
  /** Status check contexts that must pass before merging. */
  checks: string[];
  /** App that must report the checks (15368 is GitHub Actions on github.com); undefined: any source. */
  checkAppId?: number;
  /** Approving reviews required on a pull request (0: a pull request, no approval). */
  approvals: number;
  /** Approvals are dismissed when new commits are pushed. */
  dismissStaleReviews: boolean;
  /** The branch must be up to date with the base before merging. */
  strict: boolean;
}

/** The ruleset fields alchkit manages, as sent to POST/PUT /repos/{owner}/{repo}/rulesets. */
export interface RulesetBody {
  name: string;
  target: "branch";
  enforcement: "active";
  conditions: { ref_name: { include: string[]; exclude: string[] } };
  rules: Array<{ type: string; parameters?: Record<string, unknown> }>;
}

export function desiredRuleset(rule: BranchRule, name: string, isDefaultBranch: boolean): RulesetBody {
  return {
    name,
    target: "branch",
    enforcement: "active",
    conditions: { ref_name: { include: [isDefaultBranch ? "~DEFAULT_BRANCH" : `refs/heads/${rule.branch}`], exclude: [] } },
    rules: [
      { type: "deletion" },
      { type: "non_fast_forward" },
      {
        type: "pull_request",
        parameters: {
          required_approving_review_count: rule.approvals,
          dismiss_stale_reviews_on_push: rule.dismissStaleReviews,
          require_code_owner_review: false,
          require_last_push_approval: false,
          required_review_thread_resolution: false,
        },
      },
      {
        type: "required_status_checks",
        parameters: {
          strict_required_status_checks_policy: rule.strict,
          required_status_checks: rule.checks.map((context) => ({
            context,
            ...(rule.checkAppId !== undefined ? { integration_id: rule.checkAppId } : {}),
          })),
        },
      },
    ],
  };
}

/** Differences between an existing ruleset (as GitHub returns it) and the desired one; empty: nothing to do. */
export function rulesetDifferences(existing: Record<string, any>, desired: RulesetBody): string[] {
  const diffs: string[] = [];
  if (existing.enforcement !== desired.enforcement) diffs.push(`enforcement ${existing.enforcement} → ${desired.enforcement}`);
  if (existing.target !== desired.target) diffs.push(`target ${existing.target} → ${desired.target}`);
  const include = [...(existing.conditions?.ref_name?.include ?? [])].sort();
  const exclude = [...(existing.conditions?.ref_name?.exclude ?? [])].sort();
  if (!sameJson(include, [...desired.conditions.ref_name.include].sort()) || exclude.length > 0) {
    diffs.push(`branches ${JSON.stringify(include)} → ${JSON.stringify(desired.conditions.ref_name.include)}`);
  }
  const byType = new Map<string, Record<string, unknown> | undefined>(
    (existing.rules ?? []).map((r: { type: string; parameters?: Record<string, unknown> }) => [r.type, r.parameters]),
  );
  for (const rule of desired.rules) {
    if (!byType.has(rule.type)) {
      diffs.push(`add rule ${rule.type}`);
      continue;
    }
    if (rule.parameters && !sameJson(normalizeParameters(rule.type, byType.get(rule.type)), normalizeParameters(rule.type, rule.parameters))) {
      diffs.push(`update rule ${rule.type}`);
    }
  }
  return diffs;
}

function normalizeParameters(type: string, parameters: Record<string, unknown> | undefined): unknown {
  if (!parameters) return {};
  if (type === "required_status_checks") {
    const checks = ((parameters.required_status_checks as Array<{ context: string; integration_id?: number }>) ?? [])
      .map((c) => ({ context: c.context, integration_id: c.integration_id ?? null }))
      .sort((a, b) => a.context.localeCompare(b.context));
    return { strict: parameters.strict_required_status_checks_policy === true, checks };
  }
  if (type === "pull_request") {
    return {
      approvals: parameters.required_approving_review_count ?? 0,
      dismiss: parameters.dismiss_stale_reviews_on_push === true,
      codeOwners: parameters.require_code_owner_review === true,
      lastPush: parameters.require_last_push_approval === true,
      threads: parameters.required_review_thread_resolution === true,
    };
  }
  return sortKeys(parameters);
}

/** Body of PUT /repos/{owner}/{repo}/branches/{branch}/protection. */
export interface ClassicProtectionBody {
  /** `contexts` is deprecated but still required by the API; it names the same checks as `checks`. */
  required_status_checks: { strict: boolean; contexts: string[]; checks: Array<{ context: string; app_id?: number }> } | null;
  enforce_admins: boolean | null;
  required_pull_request_reviews: {
    dismiss_stale_reviews: boolean;
    require_code_owner_reviews: boolean;
    required_approving_review_count: number;
    require_last_push_approval: boolean;
  } | null;
  restrictions: { users: string[]; teams: string[]; apps?: string[] } | null;
  required_linear_history?: boolean;
  allow_force_pushes?: boolean;
  allow_deletions?: boolean;
  block_creations?: boolean;
  required_conversation_resolution?: boolean;
  lock_branch?: boolean;
  allow_fork_syncing?: boolean;
}

/**
 * The classic protection to PUT. The PUT replaces every setting, so what alchkit does not manage is carried
 * over from the current protection (other required checks, admin enforcement, push restrictions, history
 * rules); approvals are raised to the rule's minimum, never lowered.
 */
export function desiredClassicProtection(rule: BranchRule, existing: Record<string, any> | undefined): ClassicProtectionBody {
  const currentChecks: Array<{ context: string; app_id?: number | null }> =
    existing?.required_status_checks?.checks ??
    (existing?.required_status_checks?.contexts ?? []).map((context: string) => ({ context }));
  const checks = new Map<string, { context: string; app_id?: number }>();
  for (const c of currentChecks) checks.set(c.context, { context: c.context, ...(typeof c.app_id === "number" ? { app_id: c.app_id } : {}) });
  for (const context of rule.checks) {
    checks.set(context, { context, ...(rule.checkAppId !== undefined ? { app_id: rule.checkAppId } : {}) });
  }
  const reviews = existing?.required_pull_request_reviews;
  const restrictions = existing?.restrictions
    ? {
        users: (existing.restrictions.users ?? []).map((u: { login: string }) => u.login),
        teams: (existing.restrictions.teams ?? []).map((t: { slug: string }) => t.slug),
        apps: (existing.restrictions.apps ?? []).map((a: { slug: string }) => a.slug),
      }
    : null;
  const flag = (name: string) => existing?.[name]?.enabled === true;
  const sorted = [...checks.values()].sort((a, b) => a.context.localeCompare(b.context));
  return {
    required_status_checks: {
      strict: rule.strict || existing?.required_status_checks?.strict === true,
      contexts: sorted.map((c) => c.context),
      checks: sorted,
    },
    enforce_admins: existing?.enforce_admins?.enabled === true,
    required_pull_request_reviews: {
      dismiss_stale_reviews: rule.dismissStaleReviews || reviews?.dismiss_stale_reviews === true,
      require_code_owner_reviews: reviews?.require_code_owner_reviews === true,
      required_approving_review_count: Math.max(rule.approvals, reviews?.required_approving_review_count ?? 0),
      require_last_push_approval: reviews?.require_last_push_approval === true,
    },
    restrictions,
    required_linear_history: flag("required_linear_history"),
    allow_force_pushes: flag("allow_force_pushes"),
    allow_deletions: flag("allow_deletions"),
    block_creations: flag("block_creations"),
    required_conversation_resolution: flag("required_conversation_resolution"),
    lock_branch: flag("lock_branch"),
    allow_fork_syncing: flag("allow_fork_syncing"),
  };
}

/** What alchkit manages in classic protection, missing from the current settings; empty: nothing to do. */
export function classicDifferences(existing: Record<string, any> | undefined, rule: BranchRule): string[] {
  if (!existing) return ["the branch is not protected"];
  const diffs: string[] = [];
  const checks: Array<{ context: string; app_id?: number | null }> =
    existing.required_status_checks?.checks ?? (existing.required_status_checks?.contexts ?? []).map((context: string) => ({ context }));
  for (const context of rule.checks) {
    const found = checks.find((c) => c.context === context);
    if (!found) diffs.push(`require check "${context}"`);
    else if (rule.checkAppId !== undefined && found.app_id !== rule.checkAppId) diffs.push(`require check "${context}" from app ${rule.checkAppId}`);
  }
  if (rule.strict && existing.required_status_checks?.strict !== true) diffs.push("require branches to be up to date");
  const reviews = existing.required_pull_request_reviews;
  if (!reviews) diffs.push("require a pull request");
  else {
    if ((reviews.required_approving_review_count ?? 0) < rule.approvals) diffs.push(`require ${rule.approvals} approval(s)`);
    if (rule.dismissStaleReviews && reviews.dismiss_stale_reviews !== true) diffs.push("dismiss stale approvals");
  }
  return diffs;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
