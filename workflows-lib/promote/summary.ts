import { renderRollout } from "../rollout/rollout-report.ts";
import { STATUS_ICON, blocks, code, details, duration, escapeCell, heading, link, shortSha, table } from "../report/markdown.ts";
import { currentLive, stateOf, type LedgerEntry } from "./ledger.ts";
import { describePlan, type PromotionPlan, type PromotionResult } from "./run-promotion.ts";

export interface SummaryLinks {
  /** `https://github.com/<owner>/<repo>` for commit links; absent locally. */
  repoUrl?: string;
}

const commitRef = (sha: string, links: SummaryLinks): string =>
  links.repoUrl ? link(shortSha(sha), `${links.repoUrl}/commit/${sha}`) : code(shortSha(sha));

function title(result: PromotionResult): string {
  const { plan } = result;
  const verb = plan.operation === "promote" ? "Promotion" : plan.operation === "rollback" ? "Rollback" : "Deploy";
  const icon =
    result.outcome === "deployed" ? STATUS_ICON.ok : result.outcome === "verified" ? STATUS_ICON.pending : result.outcome === "rolled-back" ? STATUS_ICON.warning : STATUS_ICON.failed;
  const what =
    result.outcome === "verified"
      ? `${shortSha(plan.sha)} is verified idle on ${plan.environment} and waits for the approved switch`
      : result.outcome === "deployed"
      ? `${shortSha(plan.sha)} is live on ${plan.environment}`
      : result.outcome === "rolled-back"
        ? `${shortSha(plan.sha)} failed on ${plan.environment}, rolled back to ${shortSha(result.rollback!.sha)}`
        : `${shortSha(plan.sha)} failed on ${plan.environment}`;
  return `${icon} ${verb}: ${escapeCell(what)}`;
}

export function changesBlock(plan: PromotionPlan, links: SummaryLinks): string | undefined {
  const changes = plan.changes;
  if (!changes) return plan.live ? undefined : `First deployment to ${escapeCell(plan.environment)}.`;
  if (changes.aheadBy === 0 && changes.behindBy > 0) {
    return `Goes back ${changes.behindBy} commit(s) from ${commitRef(plan.live!.sha, links)}.`;
  }
  const rows = changes.commits.map((commit) => [
    commitRef(commit.sha, links),
    escapeCell(commit.message.split("\n")[0] ?? ""),
    escapeCell(commit.author ?? ""),
  ]);
  const more = changes.aheadBy > changes.commits.length ? `\n\n…and ${changes.aheadBy - changes.commits.length} more.` : "";
  const compare = changes.url ? ` (${link("compare", changes.url)})` : "";
  return details(
    `${changes.aheadBy} commit(s) since ${shortSha(plan.live!.sha)}${compare}`,
    `${table(["commit", "message", "author"], rows)}${more}`,
    changes.aheadBy <= 10,
  );
}

/** Step summary (GitHub) or `.alchkit/out/` report (CLI) for one deploy, promotion or rollback. */
export function renderPromotionSummary(result: PromotionResult, links: SummaryLinks = {}): string {
  const { plan } = result;
  const from = plan.operation === "promote" ? `${escapeCell(plan.from ?? "")} → ` : "";
  const rows: string[][] = [
    ["Target", `${from}${escapeCell(plan.environment)} (stage ${code(plan.stage)})`],
    ["SHA", commitRef(plan.sha, links)],
    ["Was live", plan.live ? commitRef(plan.live.sha, links) : "nothing"],
    ["URL", result.url ? link(result.url, result.url) : "—"],
    [
      "Health",
      result.health
        ? `${result.health.healthy ? STATUS_ICON.ok : STATUS_ICON.failed} ${escapeCell(result.health.detail)} (${result.health.attempts} attempt(s))`
        : "not probed",
    ],
    [
      "Durations",
      [
        result.durations.deploy !== undefined ? `deploy ${duration(result.durations.deploy)}` : "",
        result.durations.health !== undefined ? `health ${duration(result.durations.health)}` : "",
        result.durations.rollback !== undefined ? `rollback ${duration(result.durations.rollback)}` : "",
        `total ${duration(result.durations.total)}`,
      ]
        .filter(Boolean)
        .join(", "),
    ],
  ];
  if (plan.checks) {
    rows.push(["Required checks", `${STATUS_ICON.ok} ${plan.checks.passing.length} green`]);
  }
  if (result.rollback) {
    rows.push([
      "Rollback",
      `${result.rollback.error ? STATUS_ICON.failed : STATUS_ICON.ok} ${commitRef(result.rollback.sha, links)}${
        result.rollback.error ? ` failed: ${escapeCell(result.rollback.error)}` : " restored"
      }`,
    ]);
  }
  if (result.switchover) {
    rows.push([
      "Switch",
      `blue-green: version ${code(result.switchover.candidate)} replaced ${code(result.switchover.stable)} in one deployment, after the approval (verified in entry ${escapeCell(result.switchover.verifiedEntry)})`,
    ]);
  } else if (result.outcome === "verified" && result.rollout) {
    rows.push([
      "Switch",
      `waits for approval: version ${code(result.rollout.candidate)} passed idle (0 %, reached through the override header) beside ${code(result.rollout.stable)}, which still serves 100 %`,
    ]);
  }
  if (result.restoreMethod) {
    rows.push(["Restored by", result.restoreMethod === "re-point" ? "re-pointing traffic to the recorded Workers version (no rebuild)" : "redeploying the SHA"]);
  }
  const timeline = table(
    ["+time", "event"],
    result.timeline.map((event) => [duration(event.at), escapeCell(event.what)]),
    ["right", "left"],
  );
  return blocks(
    heading(2, title(result)),
    table(["", ""], rows),
    result.rollout ? renderRollout(result.rollout.plan, result.rollout.result, result.rollout) : undefined,
    result.rollout?.allAtOnce ? `Deployed all at once: ${escapeCell(result.rollout.allAtOnce)}.` : undefined,
    changesBlock(plan, links),
    result.error ? `**Why it failed:** ${escapeCell(result.error)}` : undefined,
    details("Timeline", timeline, result.outcome !== "deployed"),
  );
}

/** The plan job's summary: what would be promoted, before anyone approves it. */
export function renderPlanSummary(plan: PromotionPlan, links: SummaryLinks = {}): string {
  return blocks(
    heading(2, `${STATUS_ICON.pending} ${escapeCell(describePlan(plan))}`),
    plan.checks ? `${STATUS_ICON.ok} Required checks green: ${plan.checks.passing.map(escapeCell).join(", ") || "none reported"}` : undefined,
    changesBlock(plan, links),
  );
}

/** Attempts of one entry that failed before its last one (a re-run of the job continues the same entry). */
function earlierFailures(entry: LedgerEntry): number {
  return entry.statuses.slice(0, -1).filter((status) => status.state === "failure" || status.state === "error").length;
}

/**
 * `alchkit ledger`: per environment, what is live now (derived from the entries) and every entry, newest first:
 * each operation and record on its own row.
 */
export function renderLedger(entries: LedgerEntry[]): string {
  const environments = [...new Set(entries.map((entry) => entry.environment))].sort();
  if (environments.length === 0) return "No deployments recorded yet.";
  return blocks(
    ...environments.map((environment) => {
      const live = currentLive(entries, environment);
      const liveUrl = live?.statuses.findLast((status) => status.url)?.url;
      return blocks(
        heading(3, escapeCell(environment)),
        live
          ? `Live: ${code(shortSha(live.sha))} (${live.kind}, entry ${live.id})${liveUrl ? ` at ${link(liveUrl, liveUrl)}` : ""}`
          : "Nothing live.",
        table(
          ["entry", "kind", "state", "sha", "since", "url", "note"],
          entries
            .filter((entry) => entry.environment === environment)
            .map((entry) => {
              const last = entry.statuses.at(-1);
              const failed = earlierFailures(entry);
              const note = [
                last?.description ?? "",
                failed > 0 ? `after ${failed} failed attempt(s)` : "",
                entry.about ? `about entry ${entry.about}` : "",
              ].filter(Boolean);
              return [
                entry.id,
                entry.kind,
                stateOf(entry),
                code(shortSha(entry.sha)),
                last?.at ?? entry.createdAt,
                entry.statuses.findLast((status) => status.url)?.url ?? "",
                escapeCell(note.join("; ")),
              ];
            }),
        ),
      );
    }),
  );
}
