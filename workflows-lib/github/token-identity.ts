import type { GitHubClient } from "./client.ts";

/**
 * The account a token acts as: what the kit's own comments are recognised by. A marker in a comment proves
 * nothing (anyone who can comment can type it); the author does. GitHub's GraphQL `viewer` answers for every
 * kind of token (a user's, a GitHub App installation's, the run's GITHUB_TOKEN, which is the
 * `github-actions[bot]` app); `GET /user` is the fallback for servers without it (it refuses installation
 * tokens, which then can only be the run's app).
 */
export interface TokenIdentity {
  /** REST login: `octocat`, `github-actions[bot]`. */
  login: string;
  bot: boolean;
}

/** The Actions app that GITHUB_TOKEN belongs to. */
export const ACTIONS_BOT: TokenIdentity = { login: "github-actions[bot]", bot: true };

const known = new WeakMap<GitHubClient, Promise<TokenIdentity>>();

/** Looked up once per client. */
export function tokenIdentity(octokit: GitHubClient): Promise<TokenIdentity> {
  let identity = known.get(octokit);
  if (!identity) {
    identity = lookUp(octokit);
    known.set(octokit, identity);
    identity.catch(() => known.delete(octokit));
  }
  return identity;
}

async function lookUp(octokit: GitHubClient): Promise<TokenIdentity> {
  try {
    const { viewer } = await octokit.graphql<{ viewer: { login: string; __typename: string } }>("query { viewer { login __typename } }");
    const bot = viewer.__typename === "Bot";
    return { login: bot && !viewer.login.endsWith("[bot]") ? `${viewer.login}[bot]` : viewer.login, bot };
  } catch (error) {
    if (isAuthFailure(error)) throw error;
  }
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return { login: data.login, bot: data.type === "Bot" };
  } catch (error) {
    // "Resource not accessible by integration": an installation token, i.e. the run's own app.
    if ((error as { status?: number }).status === 403) return ACTIONS_BOT;
    throw error;
  }
}

function isAuthFailure(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  return status === 401;
}

/** A comment (or anything with GitHub's `user`) written by this identity. */
export function writtenBy(identity: TokenIdentity, user: { login?: string; type?: string } | null | undefined): boolean {
  if (!user?.login) return false;
  return user.login.toLowerCase() === identity.login.toLowerCase() && (user.type === "Bot") === identity.bot;
}
