import type { GitHubStandIn } from "../github/index.ts";

/** A `pull_request` event payload for a PR of the stand-in, as the runner writes it to GITHUB_EVENT_PATH. */
export function pullRequestEvent(
  gh: GitHubStandIn,
  options: { repo?: string; number?: number; action?: string; headSha?: string; fork?: string; labels?: string[]; merged?: boolean } = {},
): Record<string, unknown> {
  const repo = options.repo ?? "octo/app";
  const number = options.number ?? 1;
  const record = gh.state.repo(repo)?.pulls.get(number) as { head?: { sha?: string; ref?: string } } | undefined;
  const headSha = options.headSha ?? record?.head?.sha ?? gh.defaults?.headSha ?? "0".repeat(40);
  const headRepo = options.fork ? `${options.fork}/${repo.split("/")[1]}` : repo;
  const action = options.action ?? "synchronize";
  return {
    action,
    number,
    pull_request: {
      number,
      state: action === "closed" ? "closed" : "open",
      merged: options.merged ?? false,
      html_url: `https://github.com/${repo}/pull/${number}`,
      labels: (options.labels ?? []).map((name) => ({ name })),
      head: { sha: headSha, ref: "feature/orders", repo: { full_name: headRepo, fork: !!options.fork } },
      base: { sha: gh.defaults?.baseSha ?? "", ref: "main", repo: { full_name: repo } },
    },
    repository: { full_name: repo, name: repo.split("/")[1], owner: { login: repo.split("/")[0] } },
  };
}
