import { buildFeed, type Feed, type FeedFiles, type FeedOptions } from "./model.ts";
import type { FeedRepository, GitHubRelease } from "./release.ts";
import { renderFeeds } from "./render.ts";

/** Where releases come from: the GitHub API (all pages) or a file of REST objects. */
export interface ReleaseSource {
  repository(): Promise<FeedRepository>;
  listReleases(): Promise<{ releases: GitHubRelease[]; pages: number }>;
}

export interface CollectedFeed {
  feed: Feed;
  files: FeedFiles;
  /** Releases read (drafts included) and API pages it took (0 for a file). */
  releasesRead: number;
  pages: number;
}

/** Reads every release from the source and renders the three feeds. */
export async function feedFromSource(source: ReleaseSource, options: Omit<FeedOptions, "repository">): Promise<CollectedFeed> {
  const [repository, { releases, pages }] = await Promise.all([source.repository(), source.listReleases()]);
  const feed = buildFeed(releases, { ...options, repository });
  return { feed, files: renderFeeds(feed), releasesRead: releases.length, pages };
}
