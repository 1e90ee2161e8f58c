import { gitOrUndefined } from "../../local/git.ts";
import { createHash } from "node:crypto";
import type { FeedRepository, GitHubRelease } from "../../feed/release.ts";

/** A tag of a local git repository, as `git for-each-ref refs/tags` describes it. */
export interface GitTag {
  name: string;
  /** ISO 8601: the tagger date of an annotated tag, the commit date of a lightweight one. */
  date: string;
  /** Tagger (annotated) or commit author (lightweight). */
  author: string;
  /** First line of the tag message (annotated) or of the commit message (lightweight). */
  subject: string;
  body: string;
}

const FIELD = "%00";
const RECORD = "%1e";
const FORMAT = ["%(refname:short)", "%(creatordate:iso-strict)", "%(if)%(taggername)%(then)%(taggername)%(else)%(authorname)%(end)", "%(contents:subject)", "%(contents:body)"].join(FIELD) + RECORD;

/** Parses the output of `git for-each-ref --format=<FORMAT> refs/tags`. */
export function parseTagList(output: string): GitTag[] {
  return output
    .split("\x1e")
    .map((record) => record.replace(/^\n/, ""))
    .filter((record) => record.trim() !== "")
    .map((record) => {
      const [name = "", date = "", author = "", subject = "", body = ""] = record.split("\0");
      return { name, date, author, subject, body: body.trim() };
    })
    .filter((tag) => tag.name !== "" && !Number.isNaN(Date.parse(tag.date)));
}

/**
 * Release objects shaped like GitHub's REST API returns them, one per tag, so the feed use-case reads local
 * tags exactly as it reads a repository's releases. A tag with a pre-release suffix (`v1.2.0-rc.1`) is a
 * pre-release; the tag message (or the tagged commit's message) is the release notes.
 */
export function releasesFromTags(tags: readonly GitTag[], repository: FeedRepository): GitHubRelease[] {
  return tags.map((tag) => {
    const date = new Date(tag.date).toISOString();
    return {
      id: stableId(`${repository.htmlUrl}#${tag.name}`),
      tag_name: tag.name,
      name: tag.subject && tag.subject !== tag.name ? `${tag.name}: ${tag.subject}` : tag.name,
      body: tag.body || tag.subject || null,
      draft: false,
      prerelease: /^v?\d+\.\d+\.\d+-/.test(tag.name),
      created_at: date,
      published_at: date,
      html_url: `${repository.htmlUrl}/releases/tag/${encodeURIComponent(tag.name)}`,
      author: tag.author ? { login: tag.author.replace(/[^\w-]+/g, "-").replace(/^-+|-+$/g, "") || "unknown" } : null,
    };
  });
}

/** owner/name of a GitHub remote URL (https or ssh), or undefined for other hosts. */
export function repositoryFromRemote(remoteUrl: string | undefined): FeedRepository | undefined {
  const match = /^(?:https?:\/\/(?:[^@/]+@)?github\.com\/|git@github\.com:|ssh:\/\/git@github\.com\/)([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(remoteUrl?.trim() ?? "");
  if (!match) return undefined;
  return { owner: match[1]!, name: match[2]!, htmlUrl: `https://github.com/${match[1]}/${match[2]}` };
}

function stableId(text: string): number {
  return Number.parseInt(createHash("sha256").update(text).digest("hex").slice(0, 12), 16);
}

/** The tags of the repository around `cwd` (undefined when it is not a git repository) and its origin remote. */
export async function readLocalTags(cwd: string): Promise<{ tags: GitTag[]; remote?: string } | undefined> {
  const output = await gitOrUndefined(cwd, ["for-each-ref", "--sort=-creatordate", `--format=${FORMAT}`, "refs/tags"]);
  if (output === undefined) return undefined;
  const remote = (await gitOrUndefined(cwd, ["remote", "get-url", "origin"]))?.trim();
  return { tags: parseTagList(output), ...(remote ? { remote } : {}) };
}
