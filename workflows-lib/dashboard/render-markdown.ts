import { blocks, code, escapeCell, heading, link, shortSha, table } from "../report/markdown.ts";
import type { DashboardModel } from "./model.ts";
import { formatDuration, formatFrequency, formatRate } from "./render-html.ts";

/** The dashboard's numbers as a step summary: live per environment and the DORA table. */
export function renderDashboardSummary(model: DashboardModel, pageUrl?: string): string {
  const live = table(
    ["environment", "live", "since", "traffic", "health"],
    model.environments.map((e) => [
      escapeCell(e.environment),
      e.sha ? code(shortSha(e.sha)) : "—",
      e.since ?? "—",
      e.traffic.map((t) => `${shortSha(t.sha)} ${t.share} %`).join(", ") || "—",
      e.health.state,
    ]),
  );
  const w = model.dora.windows;
  const dora = table(
    ["", ...w.map((x) => `last ${x.days} days`)],
    [
      ["Deployment frequency", ...w.map((x) => `${formatFrequency(x.deploymentFrequency)} (${x.bands.deploymentFrequency})`)],
      ["Lead time for changes", ...w.map((x) => `${formatDuration(x.leadTimeMs)}${x.bands.leadTime ? ` (${x.bands.leadTime})` : ""}`)],
      ["Change failure rate", ...w.map((x) => `${formatRate(x.changeFailureRate)} of ${x.changes}${x.bands.changeFailureRate ? ` (${x.bands.changeFailureRate})` : ""}`)],
      ["Time to restore", ...w.map((x) => `${formatDuration(x.timeToRestoreMs)}${x.bands.timeToRestore ? ` (${x.bands.timeToRestore})` : ""}`)],
    ],
  );
  return blocks(
    heading(2, `Delivery dashboard: ${escapeCell(model.repository)}`),
    pageUrl ? `Published at ${link(pageUrl, pageUrl)}.` : undefined,
    live,
    heading(3, `DORA metrics (${escapeCell(model.dora.environments.join(", "))})`),
    dora,
  );
}
