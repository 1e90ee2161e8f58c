// `node scripts/doc-screenshots.ts`: regenerates the screenshots in docs/images/ from what the kit itself renders
// (the dashboard page, the local report page), in headless Chromium.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildDashboard } from "../workflows-lib/dashboard/model.ts";
import { renderDashboardHtml } from "../workflows-lib/dashboard/render-html.ts";
import { chartAssets } from "../workflows-lib/local/bundled-assets.ts";
import { readPackageText } from "../workflows-lib/local/package-files.ts";
import { buildEvent } from "../workflows-lib/notify/build-event.ts";
import type { NotifyReport } from "../workflows-lib/notify/deliver.ts";
import { discordMessage } from "../workflows-lib/notify/receivers/discord.ts";
import { slackMessage } from "../workflows-lib/notify/receivers/slack.ts";
import { webhookBody } from "../workflows-lib/notify/receivers/webhook.ts";
import { renderNotifyReport } from "../workflows-lib/notify/report.ts";
import { renderReportPage } from "../workflows-lib/report/report-page.ts";
import { screenshot } from "../test/support/chromium.ts";
import { syntheticLedger, syntheticPorts } from "../test/support/synthetic-ledger.ts";

const root = path.resolve(import.meta.dirname, "..");
const images = path.join(root, "docs", "images");

async function dashboard(dir: string): Promise<void> {
  const { entries, now, firstCommit } = syntheticLedger(500);
  const model = await buildDashboard(
    { entries, now, production: ["production"], repository: "acme/orders-api", repositoryUrl: "https://github.com/acme/orders-api", source: "github" },
    syntheticPorts(firstCommit),
  );
  const file = path.join(dir, "dashboard.html");
  await writeFile(file, renderDashboardHtml(model, await chartAssets(), { historyLimit: 12 }));
  await screenshot(pathToFileURL(file).href, path.join(images, "dashboard.png"), { width: 1280, height: 1500 });
}

/** One event, the step summary the notify step writes, and what Slack, Discord and the webhook receive. */
async function notifications(dir: string): Promise<void> {
  const event = buildEvent({
    operation: "deploy",
    outcome: "rolled-back",
    repository: "acme/orders-api",
    repositoryUrl: "https://github.com/acme/orders-api",
    environment: "production",
    sha: "3f2a9c1d5e7b8a9c0d1e2f3a4b5c6d7e8f9a0b1c",
    rollbackSha: "9b1d0e4c2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d",
    url: "https://orders-api.acme.workers.dev",
    reason: "post-deploy watch: http_req_failed rate=0.3333 breached rate<0.01",
    runUrl: "https://github.com/acme/orders-api/actions/runs/123456",
    runId: "123456",
    at: "2025-03-01T10:21:00.000Z",
  });
  const report: NotifyReport = {
    event,
    ok: true,
    results: [
      { name: "slack", type: "slack", status: "sent", detail: "posted", requests: 2 },
      { name: "discord", type: "discord", status: "sent", detail: "message 1200000000000000001", requests: 1 },
      { name: "teams", type: "teams", status: "sent", detail: "posted", requests: 1 },
      { name: "webhook", type: "webhook", status: "sent", detail: `delivery ${event.id}`, requests: 1 },
      { name: "sentry", type: "sentry", status: "sent", detail: "release 9b1d0e4c…, deploy 12 to production", requests: 3 },
    ],
  };
  const json = (value: unknown) => `\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\``;
  const documents = [
    { path: "step summary", markdown: renderNotifyReport(report) },
    { path: "Slack (Block Kit)", markdown: json(slackMessage(event)) },
    { path: "Discord (embed)", markdown: json(discordMessage(event)) },
    { path: "generic webhook body", markdown: json(JSON.parse(webhookBody(event))) },
  ];
  const file = path.join(dir, "notify.html");
  await writeFile(file, renderReportPage(documents, { css: await readPackageText("github-markdown-css/github-markdown-light.css") }, "What a rollback tells people"));
  await screenshot(pathToFileURL(file).href, path.join(images, "notify.png"), { width: 1280, height: 1400 });
}

const dir = await mkdtemp(path.join(tmpdir(), "alchkit-screenshots-"));
try {
  await dashboard(dir);
  await notifications(dir);
  console.log(`wrote ${path.relative(root, images)}/dashboard.png, notify.png (node scripts/doc-screenshots.ts)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
