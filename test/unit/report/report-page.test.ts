import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { z } from "zod";
import { defineCommand } from "../../../workflows-lib/cli/command.ts";
import { runCli } from "../../../workflows-lib/cli/run-cli.ts";
import { writeReportFile } from "../../../workflows-lib/local/report-files.ts";
import { renderGitHubMarkdown } from "../../../workflows-lib/report/github-html.ts";
import { renderReportPage } from "../../../workflows-lib/report/report-page.ts";

test("GitHub-flavoured markdown: tables, collapsible sections, task lists, mermaid blocks kept for drawing, no scripts", () => {
  const html = renderGitHubMarkdown(
    [
      "| a | b |",
      "| --- | ---: |",
      "| 1 | 2 |",
      "",
      "<details><summary>More</summary>\n\nhidden **bold**\n\n</details>",
      "",
      "- [x] done",
      "",
      "```mermaid\nxychart-beta\n  bar [1, 2]\n```",
      "",
      "<script>alert(1)</script><img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\">x</a>",
      "line one",
      "line two",
    ].join("\n"),
  );
  assert.match(html, /<table>[\s\S]*<td align="right">2<\/td>/);
  assert.match(html, /<details><summary>More<\/summary>[\s\S]*<strong>bold<\/strong>/);
  assert.match(html, /<input type="checkbox" disabled checked \/> done/);
  assert.match(html, /<pre class="mermaid">xychart-beta\n  bar \[1, 2\]<\/pre>/);
  assert.doesNotMatch(html, /<script|onerror|javascript:/);
  assert.match(html, /line one<br \/>line two/, "hard line breaks, as in comments");
});

test("the page lists every report, single comments instead of their concatenation, and loads mermaid only when needed", () => {
  const docs = [
    { path: "comment.md", markdown: "all" },
    { path: "comment-preview.md", markdown: "# Preview" },
    { path: "summary.md", markdown: "```mermaid\npie\n```" },
  ];
  const page = renderReportPage(docs, { css: "/*css*/", mermaidSrc: "assets/mermaid.tiny.js" });
  assert.ok(page.includes('data-path="comment-preview.md"') && page.includes('data-path="summary.md"'));
  assert.ok(!page.includes('data-path="comment.md"'));
  assert.match(page, /<script src="assets\/mermaid\.tiny\.js"><\/script>/);
  const plain = renderReportPage([{ path: "summary.md", markdown: "no charts" }], { css: "", mermaidSrc: "assets/mermaid.tiny.js" });
  assert.doesNotMatch(plain, /mermaid\.tiny/);
});

test("a command that writes into .alchkit/out gets index.html rendered once at its end and its path printed", async (t) => {
  const cwd = await mkdtemp(path.join(tmpdir(), "alchkit-report-"));
  t.after(() => rm(cwd, { recursive: true, force: true }));
  const writes = defineCommand({
    path: ["writes"],
    summary: "test",
    flags: z.object({}),
    async run() {
      await writeReportFile(path.join(cwd, ".alchkit", "out", "summary.md"), "## Summary\n\n| x |\n| - |\n| 1 |\n");
      await writeReportFile(path.join(cwd, ".alchkit", "out", "load-gate", "report.md"), "### Load gate");
      return 0;
    },
  });
  const quiet = defineCommand({ path: ["quiet"], summary: "test", flags: z.object({}), run: async () => 0 });
  let stderr = "";
  const ctx = { cwd, env: {}, isTTY: false, stdout: () => {}, stderr: (text: string) => void (stderr += text) };
  assert.equal(await runCli([writes, quiet], ["writes"], ctx, "test"), 0);
  assert.equal(stderr, `What GitHub would show, rendered: ${path.join(".alchkit", "out", "index.html")}\n`);
  const page = await readFile(path.join(cwd, ".alchkit", "out", "index.html"), "utf8");
  assert.ok(page.includes('data-path="load-gate/report.md"'));
  assert.ok(!existsSync(path.join(cwd, ".alchkit", "out", "assets")), "no charts, no mermaid copied");
  stderr = "";
  assert.equal(await runCli([writes, quiet], ["quiet"], ctx, "test"), 0);
  assert.equal(stderr, "", "a command that wrote nothing prints nothing");
});
