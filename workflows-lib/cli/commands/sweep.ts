import { resolve } from "node:path";
import { z } from "zod";
import { createCloudflareRuntime } from "../../alchemy/cloudflare-runtime.ts";
import { configuredLauncher } from "../../alchemy/alchemy-launcher.ts";
import { loadConfig } from "../../local/config-file.ts";
import { accountInventoryFor } from "../../cloudflare/account-from-env.ts";
import { EXIT, InputError } from "../../errors.ts";
import { timeScale } from "../../github/action-shell.ts";
import { createGitHubClient } from "../../github/client.ts";
import { DEFAULT_PROTECTED_STAGES } from "../../platform/stage-name.ts";
import { stagePrefixInput } from "../../preview/preview-inputs.ts";
import { renderSweepMarkdown, runSweep } from "../../sweep/run-sweep.ts";
import { sweepPorts } from "../../wiring/sweep-ports.ts";
import { defineCommand } from "../command.ts";

const flags = z.object({
  yes: z.boolean().default(false).describe("Destroy what the dry run lists, then verify the account (default: dry run)"),
  format: z.enum(["json", "markdown"], { error: "json or markdown" }).default("json").describe("Output: json or markdown"),
  prefix: stagePrefixInput.describe("Stage prefix of previews (the preview action's stage-prefix)"),
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { error: "OWNER/NAME" }).optional().describe("Repository whose pull requests the stages belong to (default GITHUB_REPOSITORY)"),
  protected: z.array(z.string().min(1)).default([...DEFAULT_PROTECTED_STAGES]).describe("A stage never touched; repeat it"),
  profile: z.string().regex(/^[A-Za-z0-9_-]+$/, { error: "a profile name" }).optional().describe("Alchemy profile with the Cloudflare credentials"),
  cwd: z.string().min(1).default(".").describe("The Alchemy app's directory (for alchemy destroy)"),
});

export const sweepCommand = defineCommand({
  path: ["sweep"],
  summary: "Find and destroy preview stages left in the Cloudflare account",
  description:
    "Lists the Cloudflare account (Workers, KV, D1, R2, Queues) for resources of preview stages (<prefix><number>) whose pull " +
    "request is closed or missing, or that Alchemy has no state for any more. Dry run by default; --yes destroys them " +
    "(alchemy destroy where there is state, then deletes what is left) and lists the account again to verify. Protected " +
    "stages are never touched. Needs CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID (or --profile) and GITHUB_TOKEN. " +
    "Exit 1 when something could not be removed.",
  flags,
  examples: ["alchkit sweep --repo octo/app", "alchkit sweep --repo octo/app --yes --format markdown"],
  async run({ flags }, ctx) {
    const account = await accountInventoryFor(ctx.env, flags.profile);
    if (!account) throw new InputError("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID (or --profile with an Alchemy profile)");
    const token = ctx.env.GITHUB_TOKEN || ctx.env.GH_TOKEN;
    if (!token) throw new InputError("GITHUB_TOKEN", "a token that can read the repository's pull requests (or GH_TOKEN)");
    const repository = flags.repo ?? ctx.env.GITHUB_REPOSITORY;
    if (!repository) throw new InputError("--repo", "OWNER/NAME (or GITHUB_REPOSITORY)");
    const [owner, repo] = repository.split("/") as [string, string];
    const octokit = createGitHubClient({ token, baseUrl: ctx.env.GITHUB_API_URL ?? "https://api.github.com", timeScale: timeScale(ctx.env) });
    const cwd = resolve(ctx.cwd, flags.cwd);
    const launcher = configuredLauncher(cwd, (await loadConfig(cwd)).config.app);
    const runtime = createCloudflareRuntime({ cwd, env: ctx.env, ...(launcher ? { launcher } : {}) });
    const outcome = await runSweep(
      { prefix: flags.prefix, protectedStages: flags.protected, yes: flags.yes },
      sweepPorts({ account, octokit, owner, repo, runtime, ...(flags.profile ? { profile: flags.profile } : {}), protectedStages: flags.protected }),
    );
    ctx.stdout(flags.format === "markdown" ? renderSweepMarkdown(outcome) : `${JSON.stringify(outcome, null, 2)}\n`);
    return outcome.leftovers.length > 0 || outcome.problems.length > 0 ? EXIT.gateFailed : EXIT.ok;
  },
});
