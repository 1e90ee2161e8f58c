import path from "node:path";
import type { EntryLike } from "../dashboard/history.ts";
import type { DashboardPorts } from "../dashboard/model.ts";
import type { GitHubClient } from "../github/client.ts";
import { createDeploymentsLedger } from "../github/deployments-ledger.ts";
import { githubOpenPreviews } from "../github/open-previews.ts";
import { createCommitTimes } from "../local/commit-times.ts";
import { createFileLedger, ledgerPath } from "../local/ledger-file.ts";
import { localOpenPreviews } from "../local/preview-log.ts";

export interface DashboardSources {
  entries(): Promise<EntryLike[]>;
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

/** GitHub: the Deployments ledger and preview deployments; commit times from the checkout's git history. */
export function githubDashboardSources(root: string, github: GitHubClient, repository: { owner: string; repo: string }): DashboardSources {
  const commits = createCommitTimes(root);
  return {
    entries: async () => (await createDeploymentsLedger(github, { ...repository, depth: 100 }).history()) as EntryLike[],
    ports: { changeStart: commits.changeStart, versionOf: commits.versionOf, previews: () => githubOpenPreviews(github, repository) },
  };
}
