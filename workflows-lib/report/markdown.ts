/** Markdown building blocks for PR comments, step summaries and files written by the CLI. */

/** Escapes text for a table cell or inline text: pipes, HTML-significant characters and line breaks. */
export function escapeCell(text: string): string {
  return escapeInline(text).replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

/** Escapes characters GitHub would render as HTML or markdown emphasis. */
export function escapeInline(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/([\\`*_[\]])/g, "\\$1");
}

/** Inline code that survives backticks inside the text. */
export function code(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

export function link(text: string, url: string): string {
  return `[${escapeInline(text)}](${url.replace(/\)/g, "%29").replace(/ /g, "%20")})`;
}

export type Align = "left" | "right" | "center";

/**
 * A GitHub table. Cells are raw markdown (escape user text with escapeCell first); `align` per column.
 */
export function table(header: string[], rows: string[][], align: Align[] = []): string {
  const rule = header.map((_, i) => {
    const a = align[i] ?? "left";
    return a === "right" ? "---:" : a === "center" ? ":---:" : "---";
  });
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\r?\n/g, " ")).join(" | ")} |`;
  return [line(header), line(rule), ...rows.map((r) => line(header.map((_, i) => r[i] ?? "")))].join("\n");
}

/** A collapsible block; the blank lines let GitHub render markdown inside it. */
export function details(summary: string, body: string, open = false): string {
  return `<details${open ? " open" : ""}><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

export function heading(level: 1 | 2 | 3 | 4, text: string): string {
  return `${"#".repeat(level)} ${text}`;
}

/** Joins blocks with one blank line between them, skipping empty ones. */
export function blocks(...parts: Array<string | undefined | false | null>): string {
  return parts.filter((p): p is string => typeof p === "string" && p.trim() !== "").join("\n\n");
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** "1.2 s", "340 ms", "2 min 5 s". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export const STATUS_ICON = { ok: "✅", failed: "❌", warning: "⚠️", pending: "⏳", skipped: "⏭️", info: "ℹ️" } as const;
