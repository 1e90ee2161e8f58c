import { z } from "zod";
import { InputError } from "../errors.ts";
import { parseInput } from "../validate.ts";

/**
 * The fields of a GitHub release (REST `GET /repos/{owner}/{repo}/releases`) that feeds use. Objects
 * straight from the API, or a file of them, carry many more fields; those pass through untouched.
 */
export interface GitHubRelease {
  id: number;
  tag_name: string;
  name: string | null;
  body?: string | null;
  draft: boolean;
  prerelease: boolean;
  created_at: string;
  published_at: string | null;
  updated_at?: string | null;
  html_url: string;
  /** Where assets are uploaded (`…/assets{?name,label}`). */
  upload_url?: string;
  author: { login: string; html_url?: string; avatar_url?: string } | null;
}

const isoDate = z.iso.datetime({ offset: true });

export const releaseSchema = z
  .looseObject({
    id: z.number().int(),
    tag_name: z.string().min(1),
    name: z.string().nullable(),
    body: z.string().nullable().optional(),
    draft: z.boolean(),
    prerelease: z.boolean(),
    created_at: isoDate,
    published_at: isoDate.nullable(),
    updated_at: isoDate.nullable().optional(),
    html_url: z.url({ protocol: /^https?$/ }),
    author: z
      .looseObject({ login: z.string(), html_url: z.string().optional(), avatar_url: z.string().optional() })
      .nullable(),
  });

export const releasesSchema = z.array(releaseSchema);

/** Parses a JSON array of REST release objects; `inputName` names the input in the error (e.g. `--releases`). */
export function parseReleases(value: unknown, inputName: string): GitHubRelease[] {
  return parseInput(releasesSchema, value, inputName) as GitHubRelease[];
}

/** The repository a feed describes. `id` makes entry ids identical to GitHub's own releases.atom. */
export interface FeedRepository {
  owner: string;
  name: string;
  /** https://github.com/OWNER/NAME (or the GitHub Enterprise Server host). */
  htmlUrl: string;
  id?: number;
}

/** Reads the repository from a release's html_url (`https://HOST/OWNER/NAME/releases/tag/TAG`). */
export function repositoryFromRelease(release: GitHubRelease, inputName: string): FeedRepository {
  const url = new URL(release.html_url);
  const match = /^\/([^/]+)\/([^/]+)\/releases\//.exec(url.pathname);
  if (!match) {
    throw new InputError(inputName, "release objects whose html_url is https://HOST/OWNER/NAME/releases/tag/TAG", release.html_url);
  }
  const owner = decodeURIComponent(match[1]!);
  const name = decodeURIComponent(match[2]!);
  return { owner, name, htmlUrl: `${url.origin}/${match[1]}/${match[2]}` };
}
