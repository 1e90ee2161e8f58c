import type { GitHubClient } from "./client.ts";
import { fromCheckRun, fromStatuses, type CommitCheck } from "../promote/checks.ts";
import type { ChecksPort, ComparePort } from "../promote/ports.ts";

export interface CommitChecksOptions {
  owner: string;
  repo: string;
  /** The current workflow run: its own jobs (e.g. the plan job itself) are not checks of the candidate. */
  ignoreRunId?: string;
}

/** Every check run (latest per name) and commit status (latest per context) on a SHA. */
export function createCommitChecks(github: GitHubClient, options: CommitChecksOptions): ChecksPort {
  const { owner, repo } = options;
  const ownRun = options.ignoreRunId ? `/actions/runs/${options.ignoreRunId}/` : undefined;
  return {
    async list(sha): Promise<CommitCheck[]> {
      const runs = await github.paginate(github.rest.checks.listForRef, {
        owner,
        repo,
        ref: sha,
        filter: "latest",
        per_page: 100,
      });
      const statuses = await github.paginate(github.rest.repos.listCommitStatusesForRef, {
        owner,
        repo,
        ref: sha,
        per_page: 100,
      });
      return [
        ...runs
          .filter((run) => !ownRun || !`${run.html_url ?? ""} ${run.details_url ?? ""}`.includes(ownRun))
          .map(fromCheckRun),
        ...fromStatuses(statuses),
      ];
    },
  };
}

/** What a SHA brings compared with the one live on the target (GitHub's compare, up to 250 commits). */
export function createGitHubCompare(github: GitHubClient, options: { owner: string; repo: string }): ComparePort {
  return {
    async compare(base, head) {
      const { data } = await github.rest.repos.compareCommitsWithBasehead({
        owner: options.owner,
        repo: options.repo,
        basehead: `${base}...${head}`,
        per_page: 100,
      });
      return {
        commits: data.commits.map((commit) => ({
          sha: commit.sha,
          message: commit.commit.message,
          ...(commit.author?.login || commit.commit.author?.name
            ? { author: commit.author?.login ?? commit.commit.author?.name ?? "" }
            : {}),
        })),
        aheadBy: data.ahead_by,
        behindBy: data.behind_by,
        url: data.html_url,
      };
    },
  };
}
