import { gitOrUndefined } from "../../local/git.ts";
import { resolve } from "node:path";
import { z } from "zod";
import { EXIT, InputError } from "../../errors.ts";
import { githubBranchProtection } from "../../github/branch-protection.ts";
import { createGitHubClient } from "../../github/client.ts";
import { timeScale } from "../../github/action-shell.ts";
import { applyProtection } from "../../protect/apply-protection.ts";
import { DEFAULT_REQUIRED_CHECK, DEFAULT_RULESET_NAME } from "../../protect/branch-rule.ts";
import { repositoryFromRemoteUrl } from "../../protect/repository-slug.ts";
import { defineCommand } from "../command.ts";

const slug = z.string().regex(/^[\w.-]+\/[\w.-]+$/, { error: "OWNER/NAME" });

const flags = z.object({
  repo: slug.optional().describe("Repository (default: GITHUB_REPOSITORY, else the origin remote of --cwd)"),
  branch: z.string().min(1).optional().describe("Branch to protect (default: the repository's default branch)"),
  check: z
    .array(z.string().min(1))
    .default([DEFAULT_REQUIRED_CHECK])
    .describe(`Required status check; repeat it (default "${DEFAULT_REQUIRED_CHECK}": the summary job of the reusable CI workflow called from a job named ci)`),
  checkAppId: z.coerce
    .number({ error: "a GitHub App id" })
    .int({ error: "a GitHub App id" })
    .positive({ error: "a GitHub App id" })
    .optional()
    .describe("Only accept the checks from this app (15368 is GitHub Actions on github.com)"),
  approvals: z.coerce
    .number({ error: "a whole number" })
    .int({ error: "a whole number from 0 to 10" })
    .min(0, { error: "a whole number from 0 to 10" })
    .max(10, { error: "a whole number from 0 to 10" })
    .default(0)
    .describe("Approving reviews a pull request needs"),
  dismissStaleReviews: z.boolean().default(false).describe("Dismiss approvals when new commits are pushed"),
  strict: z.boolean().default(false).describe("Require the branch to be up to date before merging"),
  mode: z
    .enum(["auto", "ruleset", "classic"], { error: "auto, ruleset or classic" })
    .default("auto")
    .describe("auto: a ruleset, or classic branch protection where rulesets are unavailable"),
  name: z.string().min(1).default(DEFAULT_RULESET_NAME).describe("Name of the ruleset alchkit owns"),
  dryRun: z.boolean().default(false).describe("Say what would change, write nothing"),
  cwd: z.string().min(1).default(".").describe("Folder whose origin remote names the repository"),
});

export const protectCommand = defineCommand({
  path: ["protect"],
  summary: "Require a pull request and the CI summary check on the default branch",
  description:
    "Creates or updates a repository ruleset (or classic branch protection) so the default branch only changes through " +
    "pull requests whose CI summary check passed. Reads the current rule first and writes only what differs: running it " +
    "again changes nothing. Needs a token with administration rights on the repository in GITHUB_TOKEN (or GH_TOKEN).",
  flags,
  examples: [
    "alchkit protect",
    "alchkit protect --repo octo/app --approvals 1 --dismiss-stale-reviews",
    'alchkit protect --check "ci / summary" --check "preview / preview" --check-app-id 15368 --dry-run',
  ],
  async run({ flags }, ctx) {
    const token = ctx.env.GITHUB_TOKEN || ctx.env.GH_TOKEN;
    if (!token) throw new InputError("GITHUB_TOKEN", "a token with administration rights on the repository (or GH_TOKEN)");
    const repository = flags.repo ?? ctx.env.GITHUB_REPOSITORY ?? (await originRepository(resolve(ctx.cwd, flags.cwd)));
    if (!repository || !/^[\w.-]+\/[\w.-]+$/.test(repository)) {
      throw new InputError("--repo", "OWNER/NAME", "not given, GITHUB_REPOSITORY is unset and no GitHub origin remote was found");
    }
    const [owner, repo] = repository.split("/") as [string, string];
    const octokit = createGitHubClient({ token, baseUrl: ctx.env.GITHUB_API_URL ?? "https://api.github.com", timeScale: timeScale(ctx.env) });
    const result = await applyProtection(githubBranchProtection(octokit, owner, repo), {
      mode: flags.mode,
      ...(flags.branch ? { branch: flags.branch } : {}),
      checks: flags.check,
      ...(flags.checkAppId !== undefined ? { checkAppId: flags.checkAppId } : {}),
      approvals: flags.approvals,
      dismissStaleReviews: flags.dismissStaleReviews,
      strict: flags.strict,
      rulesetName: flags.name,
      dryRun: flags.dryRun,
    });
    ctx.stdout(`${JSON.stringify({ repository, ...result }, null, 2)}\n`);
    return EXIT.ok;
  },
});

async function originRepository(cwd: string): Promise<string | undefined> {
  const url = await gitOrUndefined(cwd, ["remote", "get-url", "origin"]);
  return url === undefined ? undefined : repositoryFromRemoteUrl(url);
}
