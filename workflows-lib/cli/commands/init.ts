import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { defineCommand, type CliContext } from "../command.ts";
import { EXIT, InputError } from "../../errors.ts";
import { planInit } from "../../init/plan-init.ts";
import { readFacts, writePlan } from "../../init/project-files.ts";
import type { PlannedFile } from "../../init/plan-files.ts";
import { protectRepository } from "../../github/protect-repository.ts";

const version = (JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }).version;

const VERB: Record<PlannedFile["action"], string> = { create: "create", "update-section": "update", unchanged: "same", conflict: "keep" };

function show(plan: PlannedFile[], ctx: CliContext, dryRun: boolean): void {
  for (const file of plan) {
    const note = file.action === "conflict" ? "  (exists and differs; not overwritten — the diff shows what init would write)" : file.action === "update-section" ? (file.path === ".gitignore" ? "  (alchkit lines appended)" : "  (alchkit section only)") : "";
    const would = dryRun && (file.action === "create" || file.action === "update-section") ? "would " : "";
    ctx.stdout(`${would}${VERB[file.action].padEnd(7)}${file.path}${note}\n`);
    if (file.diff) ctx.stdout(`${file.diff.split("\n").filter((l) => !l.startsWith("  ")).map((l) => `    ${l}`).join("\n")}\n`);
  }
}

export const initCommand = defineCommand({
  path: ["init"],
  summary: "Scaffold alchkit into a repository: workflows, config, load test, README section",
  description:
    "Detects the Alchemy entry and the package manager, then writes .github/workflows/ (preview, ci, deploy, promote, rollback, " +
    "release) calling the kit at a pinned version, alchkit.config.json (with a JSON Schema for editors), a k6 script and " +
    "thresholds, and a README section. Never overwrites a file that exists: it shows what it would change instead, so running " +
    "it twice is safe. --protect also creates the staging and production environments and the branch rule through the API.",
  flags: z.object({
    dir: z.string().default(".").describe("Repository to scaffold"),
    kitRef: z.string().regex(/^v\d+(\.\d+){0,2}$/, { error: "a release tag such as v1 or v1.2.3" }).default(`v${version}`).describe("Release of alchkit the workflows call"),
    dryRun: z.boolean().optional().describe("Show what would change; write nothing"),
    skipPolicy: z.boolean().optional().describe("Leave the policy gate out: no policies/ starter, no library policies, policy: false in the deploy and promote workflows"),
    protect: z.boolean().optional().describe("Also create the environments (production with required reviewers) and the branch rule via the GitHub API (GITHUB_TOKEN)"),
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { error: "OWNER/NAME" }).optional().describe("Repository for --protect (default GITHUB_REPOSITORY)"),
    reviewer: z.array(z.string().regex(/^[A-Za-z0-9-]+$/, { error: "a GitHub login" })).optional().describe("Required reviewer of production deployments (login); repeatable"),
  }),
  examples: ["alchkit init", "alchkit init --dir ../my-app --dry-run", "GITHUB_TOKEN=… alchkit init --protect --reviewer octocat"],
  async run({ flags }, ctx) {
    const root = path.resolve(ctx.cwd, flags.dir);
    if (!existsSync(root)) throw new InputError("--dir", "an existing folder", root);
    if (flags.protect && !(ctx.env.GITHUB_TOKEN || ctx.env.GH_TOKEN)) throw new InputError("GITHUB_TOKEN", "a token with administration rights for --protect (or GH_TOKEN)");
    const plan = planInit(readFacts(root), flags.kitRef, { policy: flags.skipPolicy !== true });
    show(plan, ctx, flags.dryRun === true);
    if (!flags.dryRun) writePlan(root, plan);
    if (flags.protect) {
      const repository = flags.repo ?? ctx.env.GITHUB_REPOSITORY;
      if (!repository) throw new InputError("--repo", "OWNER/NAME", "not given and GITHUB_REPOSITORY is unset");
      const result = await protectRepository(
        { token: (ctx.env.GITHUB_TOKEN || ctx.env.GH_TOKEN)!, baseUrl: ctx.env.GITHUB_API_URL ?? "https://api.github.com", repository, reviewers: flags.reviewer ?? [], dryRun: flags.dryRun === true, env: ctx.env },
      );
      ctx.stdout(`${result.map((line) => `${flags.dryRun ? "would " : ""}${line}`).join("\n")}\n`);
    }
    const conflicts = plan.filter((f) => f.action === "conflict").length;
    ctx.stdout(`${conflicts > 0 ? `${conflicts} file(s) kept as they are. ` : ""}Next: add the secrets CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID, ALCHEMY_PASSWORD, ALCHEMY_STATE_TOKEN and push.\n`);
    return EXIT.ok;
  },
});
