// `node scripts/doc-screenshots.ts`: regenerates the screenshots in docs/images/ from what the kit itself renders
// (the dashboard page, the local report page), in headless Chromium.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildDashboard } from "../workflows-lib/dashboard/model.ts";
import { renderDashboardHtml } from "../workflows-lib/dashboard/render-html.ts";
import { chartAssets } from "../workflows-lib/local/bundled-assets.ts";
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

const dir = await mkdtemp(path.join(tmpdir(), "alchkit-screenshots-"));
try {
  await dashboard(dir);
  console.log(`wrote ${path.relative(root, images)}/dashboard.png (node scripts/doc-screenshots.ts)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
