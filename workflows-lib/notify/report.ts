import { STATUS_ICON, blocks, escapeCell, heading, table } from "../report/markdown.ts";
import type { NotifyReport } from "./deliver.ts";

const ICON = { sent: STATUS_ICON.ok, skipped: STATUS_ICON.skipped, failed: STATUS_ICON.failed } as const;

/** Step summary (GitHub) or `.alchkit/out/notify.md` (CLI): who got the event and who did not. */
export function renderNotifyReport(report: NotifyReport): string {
  if (report.results.length === 0) return blocks(heading(3, `Notifications: ${escapeCell(report.event.title)}`), "No receiver is configured.");
  return blocks(
    heading(3, `Notifications: ${escapeCell(report.event.title)}`),
    table(
      ["receiver", "", "detail", "requests"],
      report.results.map((result) => [escapeCell(result.name), ICON[result.status], escapeCell(result.detail), String(result.requests)]),
      ["left", "center", "left", "right"],
    ),
  );
}
