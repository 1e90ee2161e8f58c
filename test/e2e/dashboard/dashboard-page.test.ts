import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { buildDashboard } from "../../../workflows-lib/dashboard/model.ts";
import { renderDashboardHtml } from "../../../workflows-lib/dashboard/render-html.ts";
import { chartAssets } from "../../../workflows-lib/local/bundled-assets.ts";
import { artifactPath } from "../../support/artifacts.ts";
import { chromium, dumpDom, screenshot } from "../../support/chromium.ts";
import { expectedDora, shaOf, syntheticLedger, syntheticPorts } from "../../support/synthetic-ledger.ts";

const COUNT = 500;

test("the dashboard renders offline in Chromium: charts drawn, the DORA numbers of the synthetic ledger, a screenshot kept", { skip: chromium.skip }, async (t) => {
  const { entries, now, firstCommit } = syntheticLedger(COUNT);
  const model = await buildDashboard(
    { entries, now, production: ["production"], repository: "octo/app", repositoryUrl: "https://github.com/octo/app", source: "github" },
    syntheticPorts(firstCommit),
  );
  const dir = await mkdtemp(path.join(tmpdir(), "alchkit-dashboard-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, "index.html");
  await writeFile(file, renderDashboardHtml(model, await chartAssets()));
  const dom = await dumpDom(pathToFileURL(file).href);

  assert.match(dom, /<html[^>]*data-charts="drawn"/, "the chart script ran to its end");
  assert.equal((dom.match(/<canvas/g) ?? []).length, 4, "four charts drawn by uPlot");
  for (const days of [7, 30, 90]) {
    const want = expectedDora(now, days, COUNT);
    const cell = (metric: string) => new RegExp(`data-metric="${metric}" data-window="${days}" data-value="([^"]*)"`).exec(dom)?.[1];
    assert.equal(Number(cell("deploymentFrequency")), want.deploymentFrequency, `deployment frequency, ${days} days`);
    assert.equal(Number(cell("leadTime")), want.leadTimeMs, `lead time, ${days} days`);
    assert.equal(Number(cell("changeFailureRate")), want.changeFailureRate, `change failure rate, ${days} days`);
    assert.equal(Number(cell("timeToRestore")), want.timeToRestoreMs, `time to restore, ${days} days`);
  }
  // What people read: the 30-day numbers as text.
  assert.match(dom, /4\.47 \/ day/);
  assert.match(dom, /16\.1 %/);
  // Live now, the open preview, rollbacks marked in the history.
  assert.match(dom, new RegExp(`data-environment="production"[\\s\\S]*?${shaOf(COUNT - 1).slice(0, 7)}`));
  assert.match(dom, /data-preview="preview\/pr-9"/);
  assert.ok((dom.match(/class="mark mark-restore"/g) ?? []).length > 10, "rollbacks are marked");
  assert.ok(!/https?:\/\/(cdn|unpkg|fonts)\./.test(dom), "nothing loaded from a CDN");

  const png = artifactPath("dashboard.png");
  await screenshot(pathToFileURL(file).href, png, { width: 1280, height: 1600 });
  assert.ok(existsSync(png) && statSync(png).size > 20_000, "a screenshot with content");
});
