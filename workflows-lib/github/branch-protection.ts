import type { GitHubClient } from "./client.ts";
import type { BranchProtectionPort } from "../protect/apply-protection.ts";
import { ProtectionUnavailable } from "../protect/apply-protection.ts";

function status(error: unknown): number | undefined {
  return typeof (error as { status?: unknown })?.status === "number" ? (error as { status: number }).status : undefined;
}

/** Branch protection and repository rulesets through the REST API. */
export function githubBranchProtection(octokit: GitHubClient, owner: string, repo: string): BranchProtectionPort {
  const unavailable = (what: string) => (error: unknown): never => {
    const code = status(error);
    if (code === 403 || code === 404) {
      throw new ProtectionUnavailable(`${what} is not available for ${owner}/${repo} (GitHub answered ${code}: ${(error as Error).message})`);
    }
    throw error;
  };
  return {
    async defaultBranch() {
      const { data } = await octokit.rest.repos.get({ owner, repo });
      return data.default_branch;
    },
    async listRulesets() {
      const rulesets = await octokit
        .paginate(octokit.rest.repos.getRepoRulesets, { owner, repo, per_page: 100, includes_parents: false })
        .catch(unavailable("Repository rulesets"));
      return rulesets.filter((r) => r.source_type === undefined || r.source_type === "Repository").map((r) => ({ id: r.id, name: r.name }));
    },
    async getRuleset(id) {
      const { data } = await octokit.rest.repos.getRepoRuleset({ owner, repo, ruleset_id: id });
      return data as Record<string, any>;
    },
    async createRuleset(body) {
      const { data } = await octokit.rest.repos.createRepoRuleset({ owner, repo, ...body } as never).catch(unavailable("Repository rulesets"));
      return { id: (data as { id: number }).id };
    },
    async updateRuleset(id, body) {
      await octokit.rest.repos.updateRepoRuleset({ owner, repo, ruleset_id: id, ...body } as never);
    },
    async getClassicProtection(branch) {
      try {
        const { data } = await octokit.rest.repos.getBranchProtection({ owner, repo, branch });
        return data as Record<string, any>;
      } catch (error) {
        // 404 "Branch not protected" is the normal answer for an unprotected branch.
        if (status(error) === 404 && /not protected/i.test((error as Error).message)) return undefined;
        return unavailable("Branch protection")(error);
      }
    },
    async putClassicProtection(branch, body) {
      await octokit.rest.repos.updateBranchProtection({ owner, repo, branch, ...body } as never).catch(unavailable("Branch protection"));
    },
  };
}
