import type { FeedRepository, GitHubRelease } from "../feed/release.ts";
import type { CommitSummary } from "./commit-notes.ts";

export type WriteResult = "created" | "updated" | "unchanged";

export interface ReleaseFields {
  tag: string;
  name: string;
  body: string;
  prerelease: boolean;
  /** Commit the tag points at; given so GitHub never creates a tag on another commit. */
  targetCommitish?: string;
  /** Whether GitHub shows it as the repository's latest release (false for an older line's patch). */
  latest?: boolean;
}

/**
 * What releasing needs from the code host. The GitHub adapter (github-platform.ts) implements it over the REST
 * API; everything in this folder takes it as an argument.
 */
export interface ReleasePlatform {
  repository(): Promise<FeedRepository & { defaultBranch: string }>;
  /** Every release, all pages; `pages` counts the API pages it took. */
  listReleases(): Promise<{ releases: GitHubRelease[]; pages: number }>;
  releaseByTag(tag: string): Promise<GitHubRelease | undefined>;
  createRelease(fields: ReleaseFields): Promise<GitHubRelease>;
  updateRelease(id: number, fields: Partial<ReleaseFields>): Promise<GitHubRelease>;
  /** Tag names starting with `prefix` (`v`), with the commit each points at. */
  listTags(prefix: string): Promise<{ name: string; sha: string }[]>;
  /** The commit a tag points at (annotated tags peeled), or undefined when the tag does not exist. */
  tagCommit(tag: string): Promise<string | undefined>;
  /** Points `refs/tags/<tag>` at `sha`, creating it or force-updating it. */
  setTag(tag: string, sha: string): Promise<WriteResult>;
  /** Commits in `base...head`, oldest first, and the comparison page. */
  compare(base: string, head: string): Promise<{ commits: CommitSummary[]; totalCommits: number; htmlUrl: string }>;
  /** A file's text at `ref`, or undefined when it does not exist there. */
  readFile(path: string, ref: string): Promise<string | undefined>;
  /** Writes a file on `branch` with one commit, unless it already has this content. */
  writeFile(branch: string, path: string, content: string, message: string): Promise<WriteResult>;
  /** Replaces (or adds) a release asset; returns its download URL. */
  putReleaseAsset(release: { id: number; upload_url?: string }, name: string, content: string, contentType: string): Promise<string>;
}
