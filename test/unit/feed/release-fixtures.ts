import type { GitHubRelease } from "../../../workflows-lib/feed/release.ts";

/** A release object shaped like the REST API's, with the fields feeds read. */
export function release(overrides: Partial<GitHubRelease> & { tag_name: string }): GitHubRelease {
  const when = overrides.published_at ?? "2024-05-01T12:00:00Z";
  return {
    id: Math.floor(Math.random() * 1e9),
    name: overrides.tag_name,
    body: `Notes for ${overrides.tag_name}`,
    draft: false,
    prerelease: false,
    created_at: when,
    published_at: when,
    html_url: `https://github.com/octo/app/releases/tag/${overrides.tag_name}`,
    author: { login: "octocat", html_url: "https://github.com/octocat", avatar_url: "https://avatars.githubusercontent.com/u/583231?v=4" },
    ...overrides,
  };
}

export const repository = { owner: "octo", name: "app", htmlUrl: "https://github.com/octo/app", id: 4242 };
