import { renderGitHubMarkdown } from "./github-html.ts";

/** One markdown file of `.alchkit/out/`, by its path relative to that folder. */
export interface ReportDocument {
  path: string;
  markdown: string;
}

export interface ReportPageAssets {
  /** GitHub's markdown stylesheet (github-markdown-css), inlined. */
  css: string;
  /** Relative URL of mermaid's script beside the page; only needed when a document has a mermaid block. */
  mermaidSrc?: string;
}

const esc = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const anchor = (path: string): string => `doc-${path.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "")}`;

/** Comments first (what the pull request shows), then summaries, then the rest, each group by path. */
function order(a: ReportDocument, b: ReportDocument): number {
  const rank = (d: ReportDocument) => (d.path === "comment.md" ? 0 : /(^|\/)comment/.test(d.path) ? 1 : /summary/.test(d.path) ? 2 : 3);
  return rank(a) - rank(b) || a.path.localeCompare(b.path);
}

export const hasMermaid = (documents: readonly ReportDocument[]): boolean => documents.some((d) => /^```mermaid\s*$/m.test(d.markdown));

/**
 * Every comment and summary a local run wrote, on one page, rendered as GitHub renders them: GitHub's markdown
 * styles, tables, collapsible sections, and mermaid charts drawn by mermaid's own script (a file beside the page,
 * so the page works offline). `comment.md` (all comments joined) is left out when the single comments are there.
 */
export function renderReportPage(documents: readonly ReportDocument[], assets: ReportPageAssets, title = "What GitHub would show"): string {
  const singles = documents.some((d) => /^comment-.+\.md$/.test(d.path));
  const shown = documents.filter((d) => !(singles && d.path === "comment.md")).sort(order);
  const mermaid = assets.mermaidSrc && hasMermaid(shown);
  const nav = shown.map((d) => `<li><a href="#${anchor(d.path)}">${esc(d.path)}</a></li>`).join("");
  const articles = shown
    .map(
      (d) => `<section class="doc" id="${anchor(d.path)}" data-path="${esc(d.path)}">
<div class="doc-head"><code>${esc(d.path)}</code></div>
<article class="markdown-body">${renderGitHubMarkdown(d.markdown)}</article>
</section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title>
<style>${assets.css}</style>
<style>
body{margin:0;background:#f6f8fa;font:14px -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif}
@media (prefers-color-scheme:dark){body{background:#010409;color:#e6edf3}.doc{background:#0d1117!important;border-color:#30363d!important}.doc-head{background:#161b22!important;border-color:#30363d!important}}
.layout{display:flex;gap:24px;max-width:1280px;margin:0 auto;padding:24px}nav{flex:0 0 220px;position:sticky;top:24px;align-self:flex-start}nav ul{list-style:none;padding:0;margin:0}nav li{margin:4px 0;overflow-wrap:anywhere}
main{flex:1;min-width:0}.doc{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin-bottom:24px}.doc-head{background:#f6f8fa;border-bottom:1px solid #d0d7de;padding:8px 16px;border-radius:6px 6px 0 0}
.markdown-body{padding:16px 24px;box-sizing:border-box}pre.mermaid{background:transparent;text-align:center}h1.page{font-size:20px;margin:0 0 16px}
</style></head>
<body><div class="layout">
<nav><h1 class="page">${esc(title)}</h1><ul>${nav}</ul></nav>
<main>${articles || `<p>No reports yet.</p>`}</main>
</div>
${
  mermaid
    ? `<script src="${esc(assets.mermaidSrc!)}"></script>
<script>
mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "default" });
mermaid.run({ querySelector: "pre.mermaid" }).then(function () { document.documentElement.setAttribute("data-mermaid", "drawn"); }, function (error) { document.documentElement.setAttribute("data-mermaid", "failed: " + error); });
</script>`
    : ""
}
</body></html>
`;
}
