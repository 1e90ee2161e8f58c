import path from "node:path";
import type { EntryLike } from "../dashboard/history.ts";
import type { DashboardPorts } from "../dashboard/model.ts";
import { githubOpenPreviews } from "../github/open-previews.ts";
import { createCommitTimes } from "../local/commit-times.ts";
import { createFileLedger, ledgerPath } from "../local/ledger-file.ts";
import { localOpenPreviews } from "../local/preview-log.ts";
import { githubLedger, type GitHubLedgerSettings } from "./github-ledger.ts";

export interface DashboardSources {
  /** The ledger's entries: at least everything since `since` (ms), which the metrics look at. */
  entries(since: number): Promise<EntryLike[]>;
  ports: DashboardPorts;
}

/** A laptop: the file ledger, the local previews' deployment log, commit times from git. */
export function localDashboardSources(root: string): DashboardSources {
  const commits = createCommitTimes(root);
  return {
    entries: async () => (await createFileLedger(ledgerPath(root)).history()) as EntryLike[],
    ports: { changeStart: commits.changeStart, versionOf: commits.versionOf, previews: () => localOpenPreviews(path.join(root, ".alchkit")) },
  };
}

/** How much of GitHub's deployment history the dashboard reads at least, however old. */
const RECENT_DEPLOYMENTS = 100;

/**
 * GitHub: the Deployments ledger as the kit's jobs read it (only deployments by the token's identity or a trusted
 * deployer; the others are said in `log`), every deployment back to the metrics' horizon and at least the 100
 * newest; preview deployments; commit times from the checkout's git history.
 */
export function githubDashboardSources(root: string, gh: GitHubLedgerSettings, log: (line: string) => void): DashboardSources {
  const commits = createCommitTimes(root);
  const repository = { owner: gh.owner, repo: gh.repo };
  return {
    entries: async (since) =>
      (await githubLedger(gh, log, { depth: RECENT_DEPLOYMENTS, since: new Date(since).toISOString() }).history()) as EntryLike[],
    ports: { changeStart: commits.changeStart, versionOf: commits.versionOf, previews: () => githubOpenPreviews(gh.github, repository) },
  };
}
