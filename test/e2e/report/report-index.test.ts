import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { writeReportIndex } from "../../../workflows-lib/local/report-index.ts";
import { details, table } from "../../../workflows-lib/report/markdown.ts";
import { xyChart } from "../../../workflows-lib/report/mermaid.ts";
import { artifactPath } from "../../support/artifacts.ts";
import { chromium, dumpDom, screenshot } from "../../support/chromium.ts";

test(".alchkit/out/index.html in Chromium: tables, collapsible sections and the kit's mermaid charts drawn, offline", { skip: chromium.skip }, async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), "alchkit-report-index-"));
  t.after(() => rm(root, { recursive: true, force: true }));
  const out = path.join(root, ".alchkit", "out");
  await mkdir(path.join(out, "load-gate"), { recursive: true });
  const chart = xyChart({
    title: "p(95) by run",
    xLabels: ["base", "head"],
    yLabel: "ms",
    series: [
      { name: "p(95)", kind: "bar", values: [120, 180] },
      { name: "threshold", kind: "line", values: [200, 200] },
    ],
  });
  await writeFile(path.join(out, "comment-load-gate.md"), `## Load gate passed\n\n${table(["metric", "value"], [["p(95)", "180 ms"]])}\n\n${chart}\n`);
  await writeFile(path.join(out, "summary.md"), `## Summary\n\n${details("Timeline", "| +time | event |\n| ---: | --- |\n| 0 ms | started |")}\n`);
  await writeFile(path.join(out, "load-gate", "report.md"), "### Load gate\n\n- [x] thresholds met\n");
  const page = await writeReportIndex(out);
  assert.equal(page, path.join(out, "index.html"));
  assert.ok(existsSync(path.join(out, "assets", "mermaid.tiny.js")));

  const dom = await dumpDom(pathToFileURL(page).href, 20_000);
  assert.match(dom, /<html[^>]*data-mermaid="drawn"/, "mermaid ran without an error");
  assert.match(dom, /<pre class="mermaid"[^>]*>[\s\S]*?<svg[\s\S]*?p\(95\) by run/, "the xychart is an SVG with its title");
  assert.match(dom, /<details><summary>Timeline<\/summary>/);
  assert.match(dom, /<table>[\s\S]*180 ms/);
  assert.match(dom, /data-path="load-gate\/report.md"/);
  const png = artifactPath("report-index.png");
  await screenshot(pathToFileURL(page).href, png, { width: 1280, height: 900 }, 20_000);
  assert.ok(statSync(png).size > 10_000);
});
