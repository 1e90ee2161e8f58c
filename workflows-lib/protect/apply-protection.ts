import type { BranchRule, ClassicProtectionBody, RulesetBody } from "./branch-rule.ts";
import { classicDifferences, desiredClassicProtection, desiredRuleset, rulesetDifferences } from "./branch-rule.ts";

/** The repository settings `alchkit protect` reads and writes (adapter: `github/branch-protection.ts`). */
export interface BranchProtectionPort {
  defaultBranch(): Promise<string>;
  /** Rulesets defined on the repository itself (not inherited from the organization), without their rules. */
  listRulesets(): Promise<Array<{ id: number; name: string }>>;
  getRuleset(id: number): Promise<Record<string, any>>;
  createRuleset(body: RulesetBody): Promise<{ id: number }>;
  updateRuleset(id: number, body: RulesetBody): Promise<void>;
  /** Current classic protection of a branch; undefined when the branch is not protected. */
  getClassicProtection(branch: string): Promise<Record<string, any> | undefined>;
  putClassicProtection(branch: string, body: ClassicProtectionBody): Promise<void>;
}

/** The plan or repository does not offer this kind of protection (GitHub answers 403 or 404). */
export class ProtectionUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProtectionUnavailable";
  }
}

export type ProtectionMode = "ruleset" | "classic" | "auto";

export interface ProtectOptions {
  mode: ProtectionMode;
  /** Branch to protect; the repository's default branch when absent. */
  branch?: string;
  checks: string[];
  checkAppId?: number;
  approvals: number;
  dismissStaleReviews: boolean;
  strict: boolean;
  rulesetName: string;
  /** Report what would change without writing. */
  dryRun: boolean;
}

export interface ProtectResult {
  mode: "ruleset" | "classic";
  branch: string;
  outcome: "created" | "updated" | "unchanged";
  /** What differed (empty when unchanged). With dryRun nothing was written. */
  changes: string[];
  dryRun: boolean;
  rulesetId?: number;
}

/**
 * Makes the branch require a pull request and the CI summary check. Reads the current rule first and writes
 * only when it differs, so running it again changes nothing. `auto` prefers a ruleset and falls back to
 * classic protection where rulesets are not available.
 */
export async function applyProtection(port: BranchProtectionPort, options: ProtectOptions): Promise<ProtectResult> {
  const defaultBranch = await port.defaultBranch();
  const branch = options.branch ?? defaultBranch;
  const rule: BranchRule = {
    branch,
    checks: options.checks,
    approvals: options.approvals,
    dismissStaleReviews: options.dismissStaleReviews,
    strict: options.strict,
    ...(options.checkAppId !== undefined ? { checkAppId: options.checkAppId } : {}),
  };
  if (options.mode !== "classic") {
    try {
      return await applyRuleset(port, rule, options, branch === defaultBranch);
    } catch (error) {
      if (!(error instanceof ProtectionUnavailable) || options.mode === "ruleset") throw error;
    }
  }
  return applyClassic(port, rule, options.dryRun);
}

async function applyRuleset(port: BranchProtectionPort, rule: BranchRule, options: ProtectOptions, isDefault: boolean): Promise<ProtectResult> {
  const desired = desiredRuleset(rule, options.rulesetName, isDefault);
  const findOurs = async () => (await port.listRulesets()).find((r) => r.name === options.rulesetName);
  let found = await findOurs();
  const base = { mode: "ruleset" as const, branch: rule.branch, dryRun: options.dryRun };
  if (!found) {
    const changes = [`create ruleset "${options.rulesetName}"`];
    if (options.dryRun) return { ...base, outcome: "created", changes };
    try {
      const created = await port.createRuleset(desired);
      return { ...base, outcome: "created", changes, rulesetId: created.id };
    } catch (error) {
      // A create whose answer was lost may have happened (the retry then meets "name must be unique"):
      // converge on the ruleset that exists rather than fail or duplicate.
      found = await findOurs();
      if (!found) throw error;
    }
  }
  const existing = await port.getRuleset(found.id);
  const changes = rulesetDifferences(existing, desired);
  if (changes.length === 0) return { ...base, outcome: "unchanged", changes, rulesetId: found.id };
  if (!options.dryRun) await port.updateRuleset(found.id, desired);
  return { ...base, outcome: "updated", changes, rulesetId: found.id };
}

async function applyClassic(port: BranchProtectionPort, rule: BranchRule, dryRun: boolean): Promise<ProtectResult> {
  const existing = await port.getClassicProtection(rule.branch);
  const changes = classicDifferences(existing, rule);
  const base = { mode: "classic" as const, branch: rule.branch, dryRun };
  if (changes.length === 0) return { ...base, outcome: "unchanged", changes };
  if (!dryRun) await port.putClassicProtection(rule.branch, desiredClassicProtection(rule, existing));
  return { ...base, outcome: existing ? "updated" : "created", changes };
}
