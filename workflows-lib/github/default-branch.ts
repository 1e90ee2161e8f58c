import type { GitHubClient } from "./client.ts";
import type { BranchPort } from "../promote/ports.ts";

/**
 * Whether a commit is on the repository's default branch, asked of GitHub (a CI checkout is often shallow):
 * the default branch is `identical` to the commit or `ahead` of it when the commit is in its history.
 */
export function createGitHubDefaultBranch(github: GitHubClient, options: { owner: string; repo: string }): BranchPort {
  let branch: Promise<string> | undefined;
  return {
    async defaultBranchContains(sha) {
      branch ??= github.rest.repos.get(options).then(({ data }) => data.default_branch);
      const name = await branch;
      const { data } = await github.rest.repos.compareCommitsWithBasehead({ ...options, basehead: `${sha}...${name}`, per_page: 1 });
      return { branch: name, contains: data.status === "identical" || data.status === "ahead" };
    },
  };
}
