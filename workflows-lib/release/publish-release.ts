import { InputError } from "../errors.ts";
import { githubPagesUrl } from "./pages-url.ts";
import { buildFeed, DEFAULT_LIMIT, FEED_FILES, type FeedFiles } from "../feed/model.ts";
import type { GitHubRelease } from "../feed/release.ts";
import { renderFeeds } from "../feed/render.ts";
import { changelogSection } from "./changelog.ts";
import { notesFromCommits } from "./commit-notes.ts";
import { planFloatingTags, type FloatingTagPlan } from "./floating-tags.ts";
import type { ReleasePlatform, WriteResult } from "./platform.ts";
import { compareVersions, isPrerelease, previousVersion, versionsOf, parseVersion, type Version } from "./semver.ts";

export type FeedTarget = "branch" | "release-assets" | "none";

export interface PublishReleaseOptions {
  /** The pushed or released tag, e.g. `v1.2.3`. */
  tag: string;
  /**
   * The commit the tag points at, when known (GITHUB_SHA on the tag's push and release events); otherwise it
   * is read from the tag.
   */
  sha?: string;
  /** CHANGELOG path in the repository, read at the tag; empty skips it. */
  changelogPath: string;
  /** Replace notes a person already wrote on an existing release. */
  overwriteNotes: boolean;
  moveFloatingTags: boolean;
  feeds: {
    target: FeedTarget;
    /** Branch for target "branch" (a gh-pages-style branch that already exists). */
    branch: string;
    /** Folder inside the branch; "" for its root. */
    directory: string;
    /** Public URL of that folder; defaults to GitHub Pages for github.com. */
    siteUrl?: string;
    limit?: number;
    title?: string;
  };
  log?: (message: string) => void;
}

export interface TagMove extends FloatingTagPlan {
  result?: WriteResult;
}

export interface PublishReleaseResult {
  /** Nothing happened: the tag is a draft's or not a release version (see `skipped`). */
  skipped?: string;
  release?: { id: number; url: string; write: WriteResult; prerelease: boolean };
  notesSource?: "changelog" | "commits" | "existing" | "first-release";
  tagMoves: TagMove[];
  feeds?: { rss: string; atom: string; json: string; writes: WriteResult[] };
  feedEntries: number;
  apiPages: number;
}

/**
 * One release, end to end: create or update the GitHub release for `tag` (notes from the CHANGELOG section, or
 * the commits since the previous release), move the floating `vX`/`vX.Y` tags, rebuild the feeds from every
 * release and publish them. Each step converges, so a re-run (or a second trigger for the same tag, e.g. the
 * tag push and the `release: published` event) changes nothing.
 */
export async function publishRelease(platform: ReleasePlatform, options: PublishReleaseOptions): Promise<PublishReleaseResult> {
  const log = options.log ?? (() => {});
  const version = parseVersion(options.tag);
  if (!version) {
    // Floating tags (`v1`) match the same `v*` trigger; they are not releases.
    if (/^v?\d+(\.\d+)?$/.test(options.tag)) {
      return { skipped: `${options.tag} is a floating tag, not a release`, tagMoves: [], feedEntries: 0, apiPages: 0 };
    }
    throw new InputError("tag", "a semantic version tag like v1.2.3 or v2.0.0-rc.1", options.tag);
  }
  const prefix = options.tag.startsWith("v") ? "v" : "";
  const [repository, listing, tags] = await Promise.all([
    platform.repository(),
    platform.listReleases(),
    platform.listTags(prefix),
  ]);
  const tagNames = tags.map((t) => t.name);
  if (!tagNames.includes(options.tag)) tagNames.push(options.tag);
  const releases = listing.releases;
  const existing = releases.find((r) => r.tag_name === options.tag);
  if (existing?.draft) {
    return {
      skipped: `the release for ${options.tag} is a draft; publish it to release`,
      tagMoves: [],
      feedEntries: 0,
      apiPages: listing.pages,
    };
  }

  const sha = options.sha ?? (await platform.tagCommit(options.tag));
  if (!sha) throw new InputError("tag", "an existing tag (push it first)", `${options.tag} does not exist`);
  // Where the feeds will be served must be known before anything is written.
  const pagesUrl = options.feeds.target === "branch" ? feedSiteUrl(options.feeds, repository) : undefined;

  // Notes: a person's words win; then the CHANGELOG; then the commits since the previous release.
  const notes = await releaseNotes(platform, options, version, tagNames, existing);
  // A release someone marked as a pre-release on GitHub stays one; new releases follow the version.
  const prerelease = existing ? existing.prerelease : isPrerelease(version);
  const latest = !prerelease && !versionsOf(tagNames).some((v) => v.prerelease.length === 0 && compareVersions(v, version) > 0);
  let release: GitHubRelease;
  let write: WriteResult;
  if (!existing) {
    release = await platform.createRelease({ tag: options.tag, name: options.tag, body: notes.body, prerelease, targetCommitish: sha, latest });
    write = "created";
    releases.push(release);
  } else if (notes.source !== "existing") {
    release = await platform.updateRelease(existing.id, { body: notes.body });
    write = "updated";
    releases[releases.indexOf(existing)] = release;
  } else {
    release = existing;
    write = "unchanged";
  }
  log(`Release ${options.tag}: ${write} (notes from ${notes.source})`);

  const tagMoves: TagMove[] = [];
  if (options.moveFloatingTags) {
    for (const planned of planFloatingTags(version, tagNames, prefix)) {
      const plan = prerelease && planned.move ? { ...planned, move: false, reason: `${options.tag} is marked as a pre-release` } : planned;
      const move: TagMove = { ...plan };
      if (plan.move) move.result = await platform.setTag(plan.tag, sha);
      log(`${plan.tag}: ${move.result ?? "stays"} (${plan.reason})`);
      tagMoves.push(move);
    }
  }

  const result: PublishReleaseResult = {
    release: { id: release.id, url: release.html_url, write, prerelease },
    notesSource: notes.source,
    tagMoves,
    feedEntries: 0,
    apiPages: listing.pages,
  };
  if (options.feeds.target === "none") return result;

  // Assets go on the latest stable release, whose `latest/download` URL never changes; before the first stable
  // release, on this one.
  const assetTarget = options.feeds.target === "release-assets" ? latestStable(releases) ?? release : undefined;
  const siteUrl =
    assetTarget && assetTarget.prerelease && !options.feeds.siteUrl
      ? `${repository.htmlUrl}/releases/download/${encodeURIComponent(assetTarget.tag_name)}/`
      : (pagesUrl ?? feedSiteUrl(options.feeds, repository));
  const feed = buildFeed(releases, {
    repository,
    siteUrl,
    limit: options.feeds.limit ?? DEFAULT_LIMIT,
    ...(options.feeds.title ? { title: options.feeds.title } : {}),
  });
  const files = renderFeeds(feed);
  result.feedEntries = feed.entries.length;
  result.feeds = assetTarget
    ? await publishAsAssets(platform, assetTarget, files, siteUrl)
    : await publishToBranch(platform, options, files, siteUrl);
  log(`Feeds (${feed.entries.length} entries): ${result.feeds.rss}, ${result.feeds.atom}, ${result.feeds.json}`);
  return result;
}

async function releaseNotes(
  platform: ReleasePlatform,
  options: PublishReleaseOptions,
  version: Version,
  tagNames: string[],
  existing: GitHubRelease | undefined,
): Promise<{ body: string; source: NonNullable<PublishReleaseResult["notesSource"]> }> {
  if (existing?.body?.trim() && !options.overwriteNotes) return { body: existing.body, source: "existing" };
  if (options.changelogPath) {
    const changelog = await platform.readFile(options.changelogPath, options.tag);
    const section = changelog === undefined ? undefined : changelogSection(changelog, version);
    if (section) return { body: section, source: "changelog" };
  }
  const previous = previousVersion(version, tagNames);
  if (!previous) return { body: `First release: ${options.tag}.`, source: "first-release" };
  const comparison = await platform.compare(previous.raw, options.tag);
  return {
    body: notesFromCommits(comparison.commits, {
      tag: options.tag,
      previousTag: previous.raw,
      compareUrl: comparison.htmlUrl,
      totalCommits: comparison.totalCommits,
    }),
    source: "commits",
  };
}

/** GitHub Pages URL of the feed folder (`https://OWNER.github.io/REPO/DIR/`), or the given site URL. */
export function feedSiteUrl(
  feeds: PublishReleaseOptions["feeds"],
  repository: { owner: string; name: string; htmlUrl: string },
): string {
  if (feeds.siteUrl) return feeds.siteUrl.replace(/\/?$/, "/");
  if (feeds.target === "release-assets") return `${repository.htmlUrl}/releases/latest/download/`;
  if (new URL(repository.htmlUrl).host !== "github.com") {
    throw new InputError("site-url", "the public URL of the feed folder (required outside github.com)");
  }
  return githubPagesUrl(repository.owner, repository.name, feeds.directory);
}

async function publishToBranch(
  platform: ReleasePlatform,
  options: PublishReleaseOptions,
  files: FeedFiles,
  siteUrl: string,
): Promise<NonNullable<PublishReleaseResult["feeds"]>> {
  const dir = options.feeds.directory.replace(/^\/+|\/+$/g, "");
  const path = (name: string) => (dir ? `${dir}/${name}` : name);
  const writes: WriteResult[] = [];
  const message = `Update release feeds for ${options.tag}`;
  // One at a time: each contents-API write is a commit on the branch and must see the previous one.
  writes.push(await platform.writeFile(options.feeds.branch, path(FEED_FILES.rss), files.rss, message));
  writes.push(await platform.writeFile(options.feeds.branch, path(FEED_FILES.atom), files.atom, message));
  writes.push(await platform.writeFile(options.feeds.branch, path(FEED_FILES.json), files.json, message));
  return {
    rss: new URL(FEED_FILES.rss, siteUrl).href,
    atom: new URL(FEED_FILES.atom, siteUrl).href,
    json: new URL(FEED_FILES.json, siteUrl).href,
    writes,
  };
}

function latestStable(releases: GitHubRelease[]): GitHubRelease | undefined {
  return releases
    .filter((r) => !r.draft && !r.prerelease && parseVersion(r.tag_name))
    .sort((a, b) => compareVersions(parseVersion(b.tag_name)!, parseVersion(a.tag_name)!))[0];
}

/** Feeds as assets of `target`, replacing the previous ones; URLs under `siteUrl` (its download folder). */
async function publishAsAssets(
  platform: ReleasePlatform,
  target: GitHubRelease,
  files: FeedFiles,
  siteUrl: string,
): Promise<NonNullable<PublishReleaseResult["feeds"]>> {
  await platform.putReleaseAsset(target, FEED_FILES.rss, files.rss, "application/rss+xml");
  await platform.putReleaseAsset(target, FEED_FILES.atom, files.atom, "application/atom+xml");
  await platform.putReleaseAsset(target, FEED_FILES.json, files.json, "application/feed+json");
  return {
    rss: new URL(FEED_FILES.rss, siteUrl).href,
    atom: new URL(FEED_FILES.atom, siteUrl).href,
    json: new URL(FEED_FILES.json, siteUrl).href,
    writes: ["updated", "updated", "updated"],
  };
}
