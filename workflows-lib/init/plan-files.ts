/**
 * What `alchkit init` would do to each file. It never clobbers: a file that exists with other content is a
 * conflict, shown as a diff and left alone. Only the README section between alchkit's markers is ours to
 * rewrite.
 */
export type FileAction = "create" | "unchanged" | "conflict" | "update-section";

export interface PlannedFile {
  path: string;
  action: FileAction;
  /** Content to write for create/update-section. */
  content: string;
  /** For conflicts: unified-style diff from the existing file to what init would write. */
  diff?: string;
  /** What changes, when it is not the whole file or alchkit's section (a key added to package.json). */
  note?: string;
}

export const SECTION_START = "<!-- alchkit:start -->";
export const SECTION_END = "<!-- alchkit:end -->";

export function planFile(path: string, desired: string, existing: string | undefined): PlannedFile {
  if (existing === undefined) return { path, action: "create", content: desired };
  if (existing === desired) return { path, action: "unchanged", content: desired };
  return { path, action: "conflict", content: desired, diff: lineDiff(existing, desired) };
}

/** The README: alchkit's section is appended, or replaced between its markers; the rest is never touched. */
export function planSection(path: string, section: string, existing: string | undefined): PlannedFile {
  const block = `${SECTION_START}\n${section.trim()}\n${SECTION_END}`;
  if (existing === undefined) return { path, action: "create", content: `${block}\n` };
  const start = existing.indexOf(SECTION_START);
  const end = existing.indexOf(SECTION_END);
  if (start >= 0 && end > start) {
    const next = existing.slice(0, start) + block + existing.slice(end + SECTION_END.length);
    return next === existing ? { path, action: "unchanged", content: existing } : { path, action: "update-section", content: next };
  }
  return { path, action: "update-section", content: `${existing.replace(/\n*$/, "\n\n")}${block}\n` };
}

/** A small line diff (longest common subsequence) for showing conflicts; files here are short. */
export function lineDiff(before: string, after: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push(`- ${a[i++]}`);
    else out.push(`+ ${b[j++]}`);
  }
  return out.join("\n");
}

/** `.gitignore`: the lines alchkit needs are appended when missing; nothing else is touched. */
export function planIgnoreLines(path: string, lines: string[], existing: string | undefined): PlannedFile {
  const present = new Set((existing ?? "").split("\n").map((l) => l.trim()));
  const missing = lines.filter((l) => !present.has(l) && !present.has(l.replace(/\/$/, "")) && !present.has(`/${l}`));
  if (missing.length === 0) return { path, action: "unchanged", content: existing ?? "" };
  const block = `# alchkit: local state, processes and the markdown written in place of GitHub comments\n${missing.join("\n")}\n`;
  if (existing === undefined) return { path, action: "create", content: block };
  return { path, action: "update-section", content: `${existing.replace(/\n*$/, "\n\n")}${block}` };
}
