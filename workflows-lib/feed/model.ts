import type { FeedRepository, GitHubRelease } from "./release.ts";
import { renderNotes, summarize } from "./render-notes.ts";
import { stripForbiddenChars } from "./xml.ts";

export interface FeedOptions {
  repository: FeedRepository;
  /** Where rss.xml, atom.xml and feed.json are served from (a directory URL); gives the feeds' self links. */
  siteUrl?: string;
  /** Most entries per feed, newest first. */
  limit?: number;
  /** Feed title; default "Release notes from NAME" like GitHub's releases.atom. */
  title?: string;
  language?: string;
}

export interface FeedAuthor {
  login: string;
  url: string;
  avatarUrl?: string;
}

export interface FeedEntry {
  /** Stable id: GitHub's `tag:github.com,2008:Repository/<id>/<tag>` when the repository id is known. */
  id: string;
  tag: string;
  title: string;
  url: string;
  published: Date;
  updated: Date;
  prerelease: boolean;
  author: FeedAuthor;
  contentHtml: string;
  summary: string;
}

export interface FeedFiles {
  rss: string;
  atom: string;
  json: string;
}

export interface Feed {
  id: string;
  title: string;
  description: string;
  language: string;
  /** The repository's releases page. */
  homeUrl: string;
  /** OWNER/NAME and its page: the feed-level author. */
  repository: { fullName: string; url: string };
  /** Absolute URLs of the three files, when the site URL is known. */
  selfUrls?: { rss: string; atom: string; json: string };
  /** Newest entry's update time; the epoch for an empty feed, so output is reproducible. */
  updated: Date;
  entries: FeedEntry[];
}

export const FEED_FILES = { rss: "rss.xml", atom: "atom.xml", json: "feed.json" } as const;
export const DEFAULT_LIMIT = 50;

/**
 * GitHub release objects → the feed every format renders. Drafts never appear (they are not public);
 * prereleases appear, marked; newest published first; at most `limit` entries.
 */
export function buildFeed(releases: readonly GitHubRelease[], options: FeedOptions): Feed {
  const { repository } = options;
  const host = new URL(repository.htmlUrl).host;
  const homeUrl = `${repository.htmlUrl}/releases`;
  const limit = options.limit ?? DEFAULT_LIMIT;
  // Pick the newest first and render only those: notes are the expensive part.
  const published = (r: GitHubRelease) => Date.parse(r.published_at ?? r.created_at);
  const entries = releases
    .filter((release) => !release.draft)
    .sort((a, b) => published(b) - published(a) || b.tag_name.localeCompare(a.tag_name))
    .slice(0, limit)
    .map((release) => toEntry(release, repository, host));
  const updated = entries.reduce((max, entry) => (entry.updated > max ? entry.updated : max), new Date(0));
  const siteUrl = options.siteUrl === undefined ? undefined : options.siteUrl.replace(/\/?$/, "/");
  return {
    id: `tag:${host},2008:${homeUrl}`,
    title: options.title ?? `Release notes from ${repository.name}`,
    description: `Releases of ${repository.owner}/${repository.name}`,
    language: options.language ?? "en-US",
    homeUrl,
    repository: { fullName: `${repository.owner}/${repository.name}`, url: repository.htmlUrl },
    ...(siteUrl === undefined
      ? {}
      : {
          selfUrls: {
            rss: new URL(FEED_FILES.rss, siteUrl).href,
            atom: new URL(FEED_FILES.atom, siteUrl).href,
            json: new URL(FEED_FILES.json, siteUrl).href,
          },
        }),
    updated,
    entries,
  };
}

function toEntry(release: GitHubRelease, repository: FeedRepository, host: string): FeedEntry {
  const published = new Date(release.published_at ?? release.created_at);
  const edited = release.updated_at ? new Date(release.updated_at) : published;
  const tagPath = encodeURI(release.tag_name);
  const id =
    repository.id === undefined
      ? `tag:${host},2008:Repository/${encodeURI(repository.owner)}/${encodeURI(repository.name)}/${tagPath}`
      : `tag:${host},2008:Repository/${repository.id}/${tagPath}`;
  // Links inside notes resolve like they do on GitHub: against the repository at the tag.
  const contentHtml = renderNotes(release.body ?? "", {
    repository: repository.htmlUrl,
    links: `${repository.htmlUrl}/blob/${tagPath}/`,
    images: `${repository.htmlUrl}/raw/${tagPath}/`,
  });
  const name = stripForbiddenChars(release.name?.trim() || release.tag_name);
  const login = stripForbiddenChars(release.author?.login ?? "ghost");
  return {
    id,
    tag: release.tag_name,
    title: release.prerelease ? `${name} (pre-release)` : name,
    url: release.html_url,
    published,
    updated: edited > published ? edited : published,
    prerelease: release.prerelease,
    author: {
      login,
      url: release.author?.html_url ?? `${new URL(repository.htmlUrl).origin}/${encodeURIComponent(login)}`,
      ...(release.author?.avatar_url ? { avatarUrl: release.author.avatar_url } : {}),
    },
    contentHtml,
    summary: summarize(contentHtml) || name,
  };
}
