import { blocks, code, details, duration, escapeCell, link, shortSha, table, STATUS_ICON } from "../report/markdown.ts";
import type { DeployedResource } from "../platform/runtime.ts";
import type { PreviewDeployRecord, PreviewState } from "./preview-state.ts";
import { encodeState } from "./preview-state.ts";

/** Links the comment needs; they differ between GitHub and local runs. */
export interface PreviewLinks {
  commit(sha: string): string | undefined;
  run?: string;
}

export interface DeployView {
  stage: string;
  record: PreviewDeployRecord;
  resources: DeployedResource[];
  error?: string;
  healthPath?: string;
}

const when = (iso: string) => iso.replace("T", " ").replace(/\.\d+Z$/, " UTC").replace(/Z$/, " UTC");

function commitLink(sha: string, links: PreviewLinks): string {
  const url = links.commit(sha);
  return url ? link(shortSha(sha), url) : code(shortSha(sha));
}

function resourceTable(resources: DeployedResource[]): string {
  if (resources.length === 0) return "_No resources reported by Alchemy._";
  return table(
    ["Resource", "Kind", "URL"],
    resources.map((r) => [code(r.fqn.split("/").slice(2).join("/") || r.fqn), escapeCell(r.kind), r.url ? link(r.url, r.url) : ""]),
  );
}

function historyBlock(state: PreviewState, links: PreviewLinks, skipSha?: string): string | undefined {
  const earlier = state.history.filter((r) => r.sha !== skipSha);
  if (earlier.length === 0) return undefined;
  const rows = earlier.map((r) => [
    commitLink(r.sha, links),
    `${r.outcome === "deployed" ? STATUS_ICON.ok : STATUS_ICON.failed} ${r.outcome}`,
    when(r.at),
    duration(r.durationMs),
    r.runUrl ? link("run", r.runUrl) : "",
  ]);
  return details(`History (${earlier.length} earlier deploy${earlier.length === 1 ? "" : "s"})`, table(["Commit", "Result", "Started", "Duration", "Run"], rows));
}

function healthLine(record: PreviewDeployRecord, healthPath = "/health"): string {
  if (!record.health) return "not probed";
  const h = record.health;
  return h.healthy
    ? `${STATUS_ICON.ok} ${h.status ?? ""} on ${code(healthPath)}`.replace("  ", " ")
    : `${STATUS_ICON.failed} ${code(healthPath)}: ${escapeCell(h.reason ?? "no answer")}`;
}

export function renderDeployComment(view: DeployView, state: PreviewState, links: PreviewLinks): string {
  const { record } = view;
  const title =
    record.outcome === "deployed"
      ? `## ${STATUS_ICON.ok} Preview ready: ${code(view.stage)}`
      : record.outcome === "unhealthy"
        ? `## ${STATUS_ICON.failed} Preview deployed but unhealthy: ${code(view.stage)}`
        : `## ${STATUS_ICON.failed} Preview failed: ${code(view.stage)}`;
  const facts = table(
    ["", ""],
    [
      ["**URL**", record.url ? link(record.url, record.url) : "—"],
      ["**Commit**", commitLink(record.sha, links)],
      ["**Deployed**", `${when(record.at)} in ${duration(record.durationMs)}`],
      ["**Health**", healthLine(record, view.healthPath)],
      ...(links.run ? [["**Run**", link("logs", links.run)]] : []),
    ],
  );
  return blocks(
    title,
    facts,
    view.error ? `**Error**\n\n\`\`\`\n${view.error.replace(/```/g, "ˋˋˋ")}\n\`\`\`` : undefined,
    view.resources.length > 0 || record.outcome === "deployed" ? resourceTable(view.resources) : undefined,
    historyBlock(state, links, record.sha),
    encodeState(state),
  );
}

export function renderDestroyedComment(stage: string, state: PreviewState, links: PreviewLinks, deactivated: number): string {
  const leftovers = state.destroyed?.leftovers ?? [];
  const account = state.destroyed?.accountChecked === true;
  const check =
    leftovers.length === 0
      ? `${STATUS_ICON.ok} Teardown verified: the stage's state is empty${account ? " and the Cloudflare account holds nothing of it" : ""}.`
      : `${STATUS_ICON.failed} Teardown incomplete. Still ${account ? "in state or in the Cloudflare account" : "in state"}:\n\n${leftovers.map((l) => `- ${code(l)}`).join("\n")}`;
  return blocks(
    `## 🧹 Preview destroyed: ${code(stage)}`,
    check,
    `${deactivated} deployment${deactivated === 1 ? "" : "s"} marked inactive${state.destroyed ? ` at ${when(state.destroyed.at)}` : ""}.${links.run ? ` ${link("Run", links.run)}.` : ""}`,
    historyBlock(state, links),
    encodeState(state),
  );
}

export function renderForkComment(headRepo: string, optInLabel: string | undefined, unreviewedSha?: string): string {
  const from = headRepo ? `the fork ${code(headRepo)}` : "a fork that no longer exists";
  return blocks(
    `## ${STATUS_ICON.skipped} No preview for this pull request`,
    unreviewedSha
      ? `New commits were pushed to this pull request from ${from} after it was opted in (now at ${code(unreviewedSha.slice(0, 7))}). ` +
          `The ${code(optInLabel ?? "")} label vouched for the earlier commits only, so it was removed and nothing was deployed.`
      : `This pull request comes from ${from}. GitHub does not give workflows triggered from forks ` +
          "any secrets, so alchkit cannot deploy it to Cloudflare, and it will not try.",
    optInLabel
      ? `A maintainer who has reviewed the changes can add the ${code(optInLabel)} label to deploy a preview of exactly ` +
          "the commit reviewed, with the repository's preview credentials. Review first: the fork's code then runs with those secrets."
      : "Maintainers can enable label-gated previews for trusted forks (see alchkit's preview docs).",
  );
}
