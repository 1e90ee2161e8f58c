import { HOUR_MS, type Band, type WindowMetrics } from "./dora.ts";
import type { DashboardModel, EnvironmentView, HistoryRow } from "./model.ts";

/** The chart library's files, inlined so the page works offline (file://, GitHub Pages, an artifact). */
export interface ChartAssets {
  script: string;
  css: string;
}

const esc = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
const short = (sha: string | undefined): string => (sha ? sha.slice(0, 7) : "—");

/** JSON inside a <script> element: `</script>` and `<!--` in data must not end it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** Inline scripts must not contain a closing tag either. */
const inlineScript = (code: string): string => code.replace(/<\/(script)/gi, "<\\/$1");

export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < HOUR_MS) return `${Math.round(ms / 60_000)} min`;
  if (ms < 48 * HOUR_MS) return `${(ms / HOUR_MS).toFixed(1)} h`;
  return `${(ms / (24 * HOUR_MS)).toFixed(1)} d`;
}

export function formatFrequency(perDay: number): string {
  if (perDay >= 1) return `${perDay.toFixed(2)} / day`;
  if (perDay * 7 >= 1) return `${(perDay * 7).toFixed(2)} / week`;
  return `${(perDay * 30).toFixed(2)} / month`;
}

export const formatRate = (rate: number | null): string => (rate === null ? "—" : `${(rate * 100).toFixed(1)} %`);

const badge = (band: Band | null): string => (band ? `<span class="band band-${band}">${band}</span>` : "");

function commitLink(model: DashboardModel, sha: string | undefined): string {
  if (!sha) return "—";
  return model.repositoryUrl ? `<a class="sha" href="${esc(`${model.repositoryUrl}/commit/${sha}`)}">${short(sha)}</a>` : `<code class="sha">${short(sha)}</code>`;
}

function relative(iso: string | undefined, now: number): string {
  if (!iso) return "";
  return `${formatDuration(Math.max(0, now - Date.parse(iso)))} ago`;
}

function environmentCard(model: DashboardModel, view: EnvironmentView, now: number): string {
  const traffic = view.traffic.length
    ? `<div class="traffic" aria-label="traffic split">${view.traffic
        .map((t, i) => `<span class="share share-${i === view.traffic.length - 1 ? "stable" : "canary"}" style="width:${t.share}%" title="${esc(`${short(t.sha)} ${t.share} %`)}">${short(t.sha)} ${t.share} %</span>`)
        .join("")}</div>`
    : `<div class="traffic empty">nothing live</div>`;
  return `<article class="env" data-environment="${esc(view.environment)}">
  <header><h3>${esc(view.environment)}</h3>${view.production ? `<span class="tag">DORA</span>` : ""}<span class="health health-${view.health.state}" data-field="health">${view.health.state}</span></header>
  <dl>
    <dt>live</dt><dd data-field="sha">${commitLink(model, view.sha)}</dd>
    <dt>version</dt><dd data-field="version">${esc(view.version ?? "—")}</dd>
    <dt>since</dt><dd data-field="since">${view.since ? `<time datetime="${esc(view.since)}">${esc(view.since.replace("T", " ").replace(/\.\d+Z$/, " UTC"))}</time> <span class="muted">(${relative(view.since, now)})</span>` : "—"}</dd>
    <dt>url</dt><dd>${view.url ? `<a href="${esc(view.url)}">${esc(view.url)}</a>` : "—"}</dd>
  </dl>
  ${traffic}
  ${view.health.detail ? `<p class="muted small">${esc(view.health.detail)}</p>` : ""}
</article>`;
}

function metricRow(name: string, key: string, windows: WindowMetrics[], cell: (w: WindowMetrics) => { text: string; value: number | null; band: Band | null; note?: string }): string {
  return `<tr><th scope="row">${esc(name)}</th>${windows
    .map((w) => {
      const c = cell(w);
      return `<td data-metric="${key}" data-window="${w.days}" data-value="${c.value === null ? "" : c.value}"><span class="value">${esc(c.text)}</span> ${badge(c.band)}${c.note ? `<div class="muted small">${esc(c.note)}</div>` : ""}</td>`;
    })
    .join("")}</tr>`;
}

function historyRow(model: DashboardModel, row: HistoryRow): string {
  const classes = [row.restore ? "restore" : "", row.failedChange ? "failed-change" : "", row.state === "failure" || row.state === "error" ? "failed" : ""].filter(Boolean).join(" ");
  const mark = row.restore ? `<span class="mark mark-restore">↩ ${esc(row.kind)}</span>` : row.failedChange ? `<span class="mark mark-failed">rolled back / failed</span>` : "";
  return `<tr class="${classes}" data-kind="${esc(row.kind)}"><td><time datetime="${esc(row.at)}">${esc(row.at.replace("T", " ").replace(/\.\d+Z$/, ""))}</time></td><td>${esc(row.environment)}</td><td>${esc(row.kind)}${row.traffic < 100 ? ` (${row.traffic} %)` : ""}</td><td>${commitLink(model, row.sha)}</td><td>${esc(row.state)}</td><td>${mark}</td><td class="small">${row.url ? `<a href="${esc(row.url)}">${esc(row.url)}</a>` : ""}</td></tr>`;
}

const STYLE = `
:root{color-scheme:light dark;--bg:#f6f8fa;--card:#fff;--fg:#1f2328;--muted:#656d76;--border:#d0d7de;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--accent:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#161b22;--fg:#e6edf3;--muted:#8d96a0;--border:#30363d;--ok:#3fb950;--bad:#f85149;--warn:#d29922;--accent:#4493f8}}
*{box-sizing:border-box}body{margin:0;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;background:var(--bg);color:var(--fg)}
main{max-width:1200px;margin:0 auto;padding:24px}h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 12px;border-bottom:1px solid var(--border);padding-bottom:6px}
a{color:var(--accent)}.muted{color:var(--muted)}.small{font-size:12px}code,.sha{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px}
.envs{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:16px}.env{background:var(--card);border:1px solid var(--border);border-radius:8px;padding:16px}
.env header{display:flex;align-items:center;gap:8px}.env h3{margin:0;font-size:16px;flex:1}.env dl{display:grid;grid-template-columns:70px 1fr;gap:2px 8px;margin:12px 0}.env dt{color:var(--muted)}.env dd{margin:0;overflow-wrap:anywhere}
.tag{font-size:11px;border:1px solid var(--border);border-radius:10px;padding:0 6px;color:var(--muted)}
.health{font-size:12px;font-weight:600;border-radius:10px;padding:1px 8px;color:#fff}.health-healthy{background:var(--ok)}.health-unhealthy{background:var(--bad)}.health-unknown{background:var(--muted)}
.traffic{display:flex;height:22px;border-radius:4px;overflow:hidden;font-size:11px;line-height:22px;color:#fff;white-space:nowrap}.share{padding:0 6px;overflow:hidden}.share-stable{background:var(--ok)}.share-canary{background:var(--warn)}.traffic.empty{color:var(--muted);background:transparent}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--border);border-radius:8px}th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--border);vertical-align:top}thead th{font-size:12px;color:var(--muted);font-weight:600}
.metrics td .value{font-size:18px;font-weight:600}.band{font-size:11px;border-radius:10px;padding:1px 7px;margin-left:4px;color:#fff}.band-elite{background:#8250df}.band-high{background:var(--ok)}.band-medium{background:var(--warn)}.band-low{background:var(--bad)}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(540px,1fr));gap:16px}.chart{background:var(--card);border:1px solid var(--border);border-radius:8px;padding:12px}.chart h3{margin:0 0 8px;font-size:14px}
tr.restore{background:rgba(154,103,0,.08)}tr.failed-change td:first-child{box-shadow:inset 3px 0 var(--bad)}.mark{font-size:12px;font-weight:600}.mark-restore{color:var(--warn)}.mark-failed{color:var(--bad)}
footer{margin:32px 0;color:var(--muted);font-size:12px}`;

/** The script drawing the charts from the embedded data (uPlot). */
const CHARTS = `
(function(){
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var weeks = data.dora.weekly;
  var x = weeks.map(function(w){ return Math.round((w.start + 7 * 864e5) / 1000); });
  var css = getComputedStyle(document.documentElement);
  var color = function(name){ return css.getPropertyValue(name).trim() || "#888"; };
  var bars = uPlot.paths.bars({ size: [0.6, 40] });
  function chart(id, title, series){
    var el = document.getElementById(id);
    var width = Math.max(320, el.clientWidth - 24);
    var opts = { title: title, width: width, height: 220, scales: { x: { time: true } },
      axes: [{ stroke: color("--muted"), grid: { stroke: color("--border") } }, { stroke: color("--muted"), grid: { stroke: color("--border") } }],
      series: [{}].concat(series.map(function(s){ return { label: s.label, stroke: s.stroke, fill: s.fill, width: 2, paths: s.bars ? bars : undefined, points: { show: !s.bars }, spanGaps: true }; })) };
    new uPlot(opts, [x].concat(series.map(function(s){ return s.values; })), el);
  }
  chart("chart-frequency", "Deployments per week", [
    { label: "deployments", values: weeks.map(function(w){ return w.deployments; }), stroke: color("--ok"), fill: color("--ok"), bars: true },
    { label: "failed changes", values: weeks.map(function(w){ return w.failed; }), stroke: color("--bad"), fill: color("--bad"), bars: true }
  ]);
  chart("chart-lead", "Lead time for changes (median, hours)", [
    { label: "lead time (h)", values: weeks.map(function(w){ return w.leadTimeHours; }), stroke: color("--accent") }
  ]);
  chart("chart-failure", "Change failure rate (%)", [
    { label: "failure rate (%)", values: weeks.map(function(w){ return w.changes ? Math.round(1000 * w.failed / w.changes) / 10 : null; }), stroke: color("--bad") }
  ]);
  chart("chart-restore", "Time to restore (median, minutes)", [
    { label: "time to restore (min)", values: weeks.map(function(w){ return w.restoreMinutes; }), stroke: color("--warn") }
  ]);
  document.documentElement.setAttribute("data-charts", "drawn");
})();`;

/** The whole dashboard as one HTML file: data, styles, chart library and drawing script inline. */
export function renderDashboardHtml(model: DashboardModel, assets: ChartAssets, options: { historyLimit?: number } = {}): string {
  const now = Date.parse(model.generatedAt);
  const limit = options.historyLimit ?? 300;
  const windows = model.dora.windows;
  const metrics = `<table class="metrics"><thead><tr><th></th>${windows.map((w) => `<th>last ${w.days} days</th>`).join("")}</tr></thead><tbody>
${metricRow("Deployment frequency", "deploymentFrequency", windows, (w) => ({ text: formatFrequency(w.deploymentFrequency), value: w.deploymentFrequency, band: w.bands.deploymentFrequency, note: `${w.deployments} deployment(s)` }))}
${metricRow("Lead time for changes", "leadTime", windows, (w) => ({ text: formatDuration(w.leadTimeMs), value: w.leadTimeMs, band: w.bands.leadTime, note: `median of ${w.leadTimeSamples}` }))}
${metricRow("Change failure rate", "changeFailureRate", windows, (w) => ({ text: formatRate(w.changeFailureRate), value: w.changeFailureRate, band: w.bands.changeFailureRate, note: `${w.failedChanges} of ${w.changes} change(s)` }))}
${metricRow("Time to restore", "timeToRestore", windows, (w) => ({ text: formatDuration(w.timeToRestoreMs), value: w.timeToRestoreMs, band: w.bands.timeToRestore, note: `median of ${w.restored}${w.unrestored ? `, ${w.unrestored} not restored yet` : ""}` }))}
</tbody></table>`;
  const previews = model.previews.length
    ? `<table><thead><tr><th>preview</th><th>pull request</th><th>commit</th><th>url</th><th>since</th></tr></thead><tbody>${model.previews
        .map(
          (p) =>
            `<tr data-preview="${esc(p.environment)}"><td>${esc(p.environment)}</td><td>${p.pullRequest ? (model.repositoryUrl ? `<a href="${esc(`${model.repositoryUrl}/pull/${p.pullRequest}`)}">#${p.pullRequest}</a>` : `#${p.pullRequest}`) : "—"}</td><td>${commitLink(model, p.sha)}</td><td><a href="${esc(p.url)}">${esc(p.url)}</a></td><td>${esc(p.since ?? "")}</td></tr>`,
        )
        .join("")}</tbody></table>`
    : `<p class="muted">No open previews.</p>`;
  const rows = model.history.slice(0, limit);
  const history = rows.length
    ? `<table class="history"><thead><tr><th>when</th><th>environment</th><th>operation</th><th>commit</th><th>state</th><th></th><th>url</th></tr></thead><tbody>${rows.map((row) => historyRow(model, row)).join("")}</tbody></table>${
        model.history.length > limit ? `<p class="muted small">The ${limit} most recent of ${model.history.length} operations; dashboard.json has them all.</p>` : ""
      }`
    : `<p class="muted">No deployments recorded yet.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(model.repository)} — delivery dashboard</title>
<style>${assets.css}</style><style>${STYLE}</style></head>
<body><main>
<h1>${esc(model.repository)}</h1>
<p class="muted">Delivery dashboard · from ${model.source === "github" ? "GitHub Deployments" : "the local ledger (.alchkit/ledger.json)"} · generated <time datetime="${esc(model.generatedAt)}">${esc(model.generatedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC"))}</time></p>
<h2>Live now</h2>
<section class="envs">${model.environments.map((view) => environmentCard(model, view, now)).join("\n") || `<p class="muted">Nothing deployed yet.</p>`}</section>
<h2>DORA metrics <span class="muted small">(${esc(model.dora.environments.join(", ") || "no production environment")})</span></h2>
${metrics}
<div class="charts" style="margin-top:16px">
<div class="chart"><div id="chart-frequency"></div></div>
<div class="chart"><div id="chart-lead"></div></div>
<div class="chart"><div id="chart-failure"></div></div>
<div class="chart"><div id="chart-restore"></div></div>
</div>
<h2>Open previews</h2>
${previews}
<h2>History</h2>
${history}
<footer>Definitions: deployment frequency counts changes that went live on the production environments; lead time runs from the first commit a change brings to when it went live; a change failed when its deploy or health check failed, it was rolled back or aborted, or a post-deploy watch found it unhealthy; time to restore runs from the failure to the next healthy deploy. ${model.counts.operations} operation(s) in ${model.counts.entries} ledger entries.</footer>
</main>
<script type="application/json" id="dashboard-data">${scriptJson({ dora: { weekly: model.dora.weekly } })}</script>
<script>${inlineScript(assets.script)}</script>
<script>${inlineScript(CHARTS)}</script>
</body></html>
`;
}
