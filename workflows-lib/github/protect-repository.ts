import { createGitHubClient } from "./client.ts";
import { timeScale } from "./action-shell.ts";
import { githubBranchProtection } from "./branch-protection.ts";
import { applyProtection } from "../protect/apply-protection.ts";
import { DEFAULT_REQUIRED_CHECK, DEFAULT_RULESET_NAME } from "../protect/branch-rule.ts";
import { InputError } from "../errors.ts";
import { currentSettings, desiredEnvironments, settingsDiffer } from "../init/environment-rules.ts";
import { planSecrets } from "../init/secret-plan.ts";
import type { EnvironmentNames } from "../init/environment-names.ts";
import { setSecrets } from "./set-secrets.ts";

export interface ProtectRepositoryOptions {
  token: string;
  baseUrl: string;
  /** OWNER/NAME */
  repository: string;
  /** Logins required to approve production deployments. */
  reviewers: string[];
  /** The configuration's environments by role: the names the workflows init writes use. */
  environments: EnvironmentNames;
  dryRun: boolean;
  env: NodeJS.ProcessEnv;
  /** Set the credentials as secrets from these variables (init's own environment); undefined: leave secrets alone. */
  secretsFrom?: NodeJS.ProcessEnv;
  overwriteSecrets?: boolean;
}

/**
 * `alchkit init --protect`: environments and the branch rule, idempotently (read, compare, write only what
 * differs). Returns one line per thing it looked at.
 */
export async function protectRepository(options: ProtectRepositoryOptions): Promise<string[]> {
  const [owner, repo] = options.repository.split("/") as [string, string];
  const octokit = createGitHubClient({ token: options.token, baseUrl: options.baseUrl, timeScale: timeScale(options.env) });
  const reviewerIds: number[] = [];
  for (const login of options.reviewers) {
    const user = await octokit.rest.users.getByUsername({ username: login }).catch((error: { status?: number }) => {
      if (error.status === 404) throw new InputError("--reviewer", "an existing GitHub user", `${login} not found`);
      throw error;
    });
    reviewerIds.push(user.data.id);
  }
  const environments = desiredEnvironments(options.environments, reviewerIds);
  const secrets = options.secretsFrom ? planSecrets(options.secretsFrom, options.environments) : undefined;
  const lines: string[] = [];
  for (const [name, desired] of Object.entries(environments)) {
    const existing = await octokit.rest.repos
      .getEnvironment({ owner, repo, environment_name: name })
      .then((r) => r.data as unknown as Record<string, any>)
      .catch((error: { status?: number }) => {
        if (error.status === 404) return undefined;
        throw error;
      });
    const current = currentSettings(existing);
    if (!settingsDiffer(current, desired)) {
      lines.push(`environment ${name}: unchanged`);
      continue;
    }
    if (!options.dryRun) {
      await octokit.rest.repos.createOrUpdateEnvironment({
        owner,
        repo,
        environment_name: name,
        wait_timer: desired.waitTimer,
        prevent_self_review: desired.preventSelfReview,
        reviewers: desired.reviewerIds.map((id) => ({ type: "User" as const, id })),
        deployment_branch_policy: { protected_branches: desired.protectedBranchesOnly, custom_branch_policies: false },
      });
    }
    lines.push(`environment ${name}: ${existing ? "updated" : "created"}${desired.reviewerIds.length ? ` (required reviewers: ${options.reviewers.join(", ")}, no self-review)` : ""}`);
  }
  const rule = await applyProtection(githubBranchProtection(octokit, owner, repo), {
    mode: "auto",
    checks: [DEFAULT_REQUIRED_CHECK],
    approvals: 0,
    dismissStaleReviews: false,
    strict: false,
    rulesetName: DEFAULT_RULESET_NAME,
    dryRun: options.dryRun,
  });
  lines.push(`branch rule on ${rule.branch} (${rule.mode}): ${rule.outcome}${rule.changes.length ? ` — ${rule.changes.join("; ")}` : ""}`);
  if (secrets) lines.push(...(await setSecrets(octokit, owner, repo, secrets, { dryRun: options.dryRun, overwrite: options.overwriteSecrets === true })));
  else lines.push("secrets: left alone (--secrets-from-env sets them from init's environment)");
  return lines;
}
