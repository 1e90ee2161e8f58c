import { InputError } from "../errors.ts";
import { createGitHubClient, type GitHubClient } from "../github/client.ts";

/** The repository a CLI command talks to on GitHub: --repo (or GITHUB_REPOSITORY), GITHUB_TOKEN, GITHUB_API_URL. */
export function githubTarget(
  flags: { repo?: string | undefined },
  env: NodeJS.ProcessEnv,
  need = "a token that can read deployments",
): { github: GitHubClient; owner: string; repo: string; repoUrl: string } {
  const slug = flags.repo ?? env.GITHUB_REPOSITORY;
  if (!slug) throw new InputError("--repo", "OWNER/NAME (or GITHUB_REPOSITORY), or --local to work without GitHub");
  const token = env.GITHUB_TOKEN ?? env.GH_TOKEN;
  if (!token) throw new InputError("GITHUB_TOKEN", `${need}, or --local to work without GitHub`);
  const [owner, repo] = slug.split("/") as [string, string];
  const github = createGitHubClient({ token, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) });
  return { github, owner, repo, repoUrl: `${(env.GITHUB_SERVER_URL ?? "https://github.com").replace(/\/$/, "")}/${slug}` };
}
