import path from "node:path";
import { runAction } from "../../workflows-lib/github/action-shell.ts";
import { buildDashboard, dashboardHorizon } from "../../workflows-lib/dashboard/model.ts";
import { dashboardInputs } from "../../workflows-lib/dashboard/dashboard-inputs.ts";
import { renderDashboardHtml } from "../../workflows-lib/dashboard/render-html.ts";
import { renderDashboardSummary } from "../../workflows-lib/dashboard/render-markdown.ts";
import { githubReleasePlatform } from "../../workflows-lib/github/release-platform.ts";
import { chartAssets } from "../../workflows-lib/local/bundled-assets.ts";
import { writeDashboardFiles } from "../../workflows-lib/local/dashboard-files.ts";
import { isProductionLike } from "../../workflows-lib/promote/environments.ts";
import { githubPagesUrl } from "../../workflows-lib/release/pages-url.ts";
import { githubDashboardSources } from "../../workflows-lib/wiring/dashboard-ports.ts";

export async function run(): Promise<void> {
  await runAction(async (io) => {
    const inputs = io.inputs(dashboardInputs);
    const { owner, repo, serverUrl, workspace } = io.context;
    const github = io.github();
    const sources = githubDashboardSources(workspace, { github, owner, repo, trustedDeployers: inputs.trustedDeployers }, (line) => io.info(line));
    const now = Date.now();
    const entries = await sources.entries(dashboardHorizon({ now }));
    const environments = [...new Set(entries.map((entry) => entry.environment))];
    const production = inputs.production ?? (environments.some(isProductionLike) ? environments.filter(isProductionLike) : ["production"]);
    const repositoryUrl = `${serverUrl}/${owner}/${repo}`;
    const model = await buildDashboard(
      { entries, now, production, repository: `${owner}/${repo}`, repositoryUrl, source: "github" },
      sources.ports,
    );
    const html = renderDashboardHtml(model, await chartAssets());
    const files = await writeDashboardFiles(path.resolve(workspace, inputs.out), html, model);
    io.setOutput("path", files.html);
    let url: string | undefined;
    if (inputs.branch !== "none") {
      const platform = githubReleasePlatform(github, { owner, repo });
      const dir = inputs.directory.replace(/^\/+|\/+$/g, "");
      const at = (name: string) => (dir ? `${dir}/${name}` : name);
      const message = `Dashboard of ${model.generatedAt}`;
      const written = [
        await platform.writeFile(inputs.branch, at("index.html"), html, message),
        await platform.writeFile(inputs.branch, at("dashboard.json"), `${JSON.stringify(model, null, 2)}\n`, message),
      ];
      // GitHub Pages lives at github.io for github.com; elsewhere only the given site URL is known.
      url = inputs.siteUrl ? inputs.siteUrl.replace(/\/?$/, "/") : new URL(serverUrl).host === "github.com" ? githubPagesUrl(owner, repo, dir) : undefined;
      io.setOutput("url", url ?? "");
      io.info(`Dashboard on ${inputs.branch}/${dir || "."}: ${written.join(", ")}${url ? `; ${url}` : ""}`);
    }
    await io.summary(renderDashboardSummary(model, url));
  });
}

await run();
