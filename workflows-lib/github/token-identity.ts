import type { GitHubClient } from "./client.ts";

/**
 * The login GitHub records as the author of what this token writes (deployments, comments): GraphQL's
 * `viewer`, which answers for a user's token and for an installation token alike (GITHUB_TOKEN:
 * `github-actions[bot]`), where REST's `GET /user` refuses installation tokens.
 */
export async function tokenIdentity(github: GitHubClient): Promise<string> {
  const { viewer } = await github.graphql<{ viewer: { login: string } }>("query { viewer { login } }");
  return viewer.login;
}
