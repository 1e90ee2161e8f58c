import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { buildDashboard, dashboardHorizon } from "../../dashboard/model.ts";
import { renderDashboardHtml } from "../../dashboard/render-html.ts";
import { EXIT, InputError } from "../../errors.ts";
import { chartAssets } from "../../local/bundled-assets.ts";
import { writeDashboardFiles } from "../../local/dashboard-files.ts";
import { isProductionLike } from "../../promote/environments.ts";
import { listInput } from "../../validate.ts";
import { githubDashboardSources, localDashboardSources } from "../../wiring/dashboard-ports.ts";
import { defineCommand } from "../command.ts";
import { githubTarget } from "../github-target.ts";

export const dashboardCommand = defineCommand({
  path: ["dashboard"],
  summary: "Write the delivery dashboard: what is live where, history with rollbacks, open previews, DORA metrics",
  description:
    "Reads the ledger (GitHub Deployments, or .alchkit/ledger.json with --local) and writes --out/index.html, one offline page " +
    "(charts inlined, no CDN) for GitHub Pages or an artifact, and --out/dashboard.json with the same numbers. DORA metrics " +
    "(deployment frequency, lead time for changes, change failure rate, time to restore) over 7, 30 and 90 days count the " +
    "production environments (--production; default production, prod and live). Lead times come from the git history of --cwd.",
  flags: z.object({
    out: z.string().min(1).describe("Folder to write index.html and dashboard.json into"),
    local: z.boolean().default(false).describe("Read the local ledger .alchkit/ledger.json instead of GitHub Deployments"),
    cwd: z.string().optional().describe("Repository root (default: the current directory)"),
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { error: "OWNER/NAME" }).optional().describe("GitHub repository (default GITHUB_REPOSITORY)"),
    production: listInput.optional().describe("Environments the DORA metrics count (default: those named production, prod or live)"),
    trustedDeployers: listInput.optional().describe("Logins besides the token's own whose deployments the ledger trusts (GitHub only)"),
  }),
  examples: ["alchkit dashboard --local --out .alchkit/out/dashboard", "alchkit dashboard --out site/dashboard"],
  async run({ flags }, ctx) {
    const root = path.resolve(ctx.cwd, flags.cwd ?? ".");
    const out = path.resolve(ctx.cwd, flags.out);
    if (existsSync(out) && !statSync(out).isDirectory()) throw new InputError("--out", "a folder (or a path to create one at)", `${flags.out} is a file`);
    const target = flags.local ? undefined : githubTarget(flags, ctx.env);
    if (flags.local && flags.trustedDeployers) throw new InputError("--trusted-deployers", "no --trusted-deployers with --local (the local ledger has one writer)");
    const sources = target
      ? githubDashboardSources(
          root,
          { github: target.github, owner: target.owner, repo: target.repo, ...(flags.trustedDeployers ? { trustedDeployers: flags.trustedDeployers } : {}) },
          (line) => ctx.stderr(`${line}\n`),
        )
      : localDashboardSources(root);
    const now = Date.now();
    const entries = await sources.entries(dashboardHorizon({ now }));
    const environments = [...new Set(entries.map((entry) => entry.environment))];
    const production = flags.production ?? (environments.some(isProductionLike) ? environments.filter(isProductionLike) : ["production"]);
    const model = await buildDashboard(
      {
        entries,
        now,
        production,
        repository: target ? `${target.owner}/${target.repo}` : path.basename(root),
        ...(target ? { repositoryUrl: target.repoUrl } : {}),
        source: target ? "github" : "local",
      },
      sources.ports,
    );
    const files = await writeDashboardFiles(out, renderDashboardHtml(model, await chartAssets()), model);
    const month = model.dora.windows.find((w) => w.days === 30);
    ctx.stdout(
      `${JSON.stringify(
        {
          html: path.relative(ctx.cwd, files.html) || files.html,
          json: path.relative(ctx.cwd, files.json) || files.json,
          environments: model.environments.map((e) => ({ environment: e.environment, sha: e.sha ?? null, health: e.health.state })),
          previews: model.previews.length,
          dora: model.dora.windows,
        },
        null,
        2,
      )}\n`,
    );
    ctx.stderr(`Dashboard: ${files.html}${month ? ` (last 30 days: ${month.deployments} deployment(s), ${month.failedChanges} failed change(s))` : ""}\n`);
    return EXIT.ok;
  },
});
