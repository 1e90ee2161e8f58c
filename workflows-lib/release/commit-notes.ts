export interface CommitSummary {
  sha: string;
  message: string;
  /** GitHub login when the commit is linked to an account. */
  login?: string;
}

/**
 * Release notes from the commits since the previous release, in the order they landed: one line per commit (its subject),
 * the short sha, and the author's handle; a "Full Changelog" link to the comparison, like GitHub's generated
 * notes. Merge commits are skipped when the range has other commits (their subjects repeat the PR titles).
 */
export function notesFromCommits(
  commits: readonly CommitSummary[],
  options: { previousTag?: string; tag: string; compareUrl?: string; totalCommits?: number },
): string {
  const nonMerge = commits.filter((commit) => !/^Merge (pull request|branch|remote-tracking)/.test(commit.message));
  const shown = nonMerge.length > 0 ? nonMerge : commits;
  const lines = ["## What's changed", ""];
  if (shown.length === 0) lines.push("No changes since the previous release.");
  for (const commit of shown) {
    const subject = commit.message.split("\n", 1)[0]!.trim();
    lines.push(`- ${subject} (${commit.sha.slice(0, 7)}${commit.login ? ` by @${commit.login}` : ""})`);
  }
  const more = (options.totalCommits ?? commits.length) - commits.length;
  if (more > 0) lines.push(`- …and ${more} more commit${more === 1 ? "" : "s"}`);
  if (options.compareUrl && options.previousTag) {
    lines.push("", `**Full Changelog**: ${options.compareUrl}`);
  } else if (!options.previousTag) {
    lines.push("", `First release: ${options.tag}.`);
  }
  return lines.join("\n");
}
