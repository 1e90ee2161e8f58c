import { z } from "zod";
import { InputError } from "../errors.ts";
import { booleanInput, positiveIntInput } from "../validate.ts";
import { DEFAULT_LIMIT } from "../feed/model.ts";
import type { PublishReleaseOptions, PublishReleaseResult } from "./publish-release.ts";
import { blocks, code, heading, link, table } from "../report/markdown.ts";

/** Inputs of `actions/release-feed` (kebab-case in action.yml). */
export const releaseFeedInputs = z.object({
  tag: z.string().min(1).optional(),
  changelogPath: z.string().default("CHANGELOG.md"),
  overwriteNotes: booleanInput.default(false),
  floatingTags: booleanInput.default(true),
  feeds: z.enum(["branch", "release-assets", "none"], { error: "one of branch, release-assets, none" }).default("branch"),
  feedsBranch: z.string().regex(/^[\w./-]+$/, { error: "a branch name" }).default("gh-pages"),
  feedsDirectory: z.string().regex(/^[\w./-]*$/, { error: "a folder path inside the branch" }).refine((d) => !d.split("/").includes(".."), { error: "a folder inside the branch (no ..)" }).default("releases"),
  siteUrl: z.url({ protocol: /^https?$/, error: "an http(s) URL" }).optional(),
  limit: positiveIntInput.default(DEFAULT_LIMIT),
  title: z.string().min(1).optional(),
});
export type ReleaseFeedInputs = z.output<typeof releaseFeedInputs>;

/**
 * The tag to release and, when the run was triggered by that tag, its commit: the `tag` input, else the
 * published release's tag (`release` event), else the pushed tag (`push` of `refs/tags/…`).
 */
export function resolveReleaseTag(
  inputs: ReleaseFeedInputs,
  context: { eventName: string; event: Record<string, any>; ref: string; sha: string },
): { tag: string; sha?: string } {
  const fromEvent =
    context.eventName === "release" && typeof context.event.release?.tag_name === "string"
      ? (context.event.release.tag_name as string)
      : context.ref.startsWith("refs/tags/")
        ? context.ref.slice("refs/tags/".length)
        : undefined;
  const tag = inputs.tag ?? fromEvent;
  if (!tag) throw new InputError("tag", "a tag to release (the run was not triggered by a tag push or a published release)");
  // GITHUB_SHA is the tag's commit only when this run is about that tag.
  return tag === fromEvent && context.sha ? { tag, sha: context.sha } : { tag };
}

export function publishOptions(inputs: ReleaseFeedInputs, target: { tag: string; sha?: string }): PublishReleaseOptions {
  return {
    tag: target.tag,
    ...(target.sha ? { sha: target.sha } : {}),
    changelogPath: inputs.changelogPath,
    overwriteNotes: inputs.overwriteNotes,
    moveFloatingTags: inputs.floatingTags,
    feeds: {
      target: inputs.feeds,
      branch: inputs.feedsBranch,
      directory: inputs.feedsDirectory === "." || inputs.feedsDirectory === "/" ? "" : inputs.feedsDirectory,
      limit: inputs.limit,
      ...(inputs.siteUrl ? { siteUrl: inputs.siteUrl } : {}),
      ...(inputs.title ? { title: inputs.title } : {}),
    },
  };
}

/** The step summary: what happened to the release, the floating tags and the feeds. */
export function releaseSummary(tag: string, result: PublishReleaseResult): string {
  if (result.skipped) return blocks(heading(3, `Release ${code(tag)}`), `Skipped: ${result.skipped}.`);
  const moves = result.tagMoves.map((m) => [code(m.tag), m.move ? (m.result ?? "moved") : "stays", m.reason]);
  return blocks(
    heading(3, `Release ${code(tag)}`),
    result.release &&
      `${link(`Release ${tag}`, result.release.url)}: ${result.release.write}${result.release.prerelease ? " (pre-release)" : ""}, notes from ${result.notesSource}.`,
    moves.length > 0 && table(["Floating tag", "Change", "Why"], moves),
    result.feeds &&
      table(
        ["Feed", "URL", "Write"],
        [
          ["RSS 2.0", result.feeds.rss, result.feeds.writes[0] ?? ""],
          ["Atom 1.0", result.feeds.atom, result.feeds.writes[1] ?? ""],
          ["JSON Feed 1.1", result.feeds.json, result.feeds.writes[2] ?? ""],
        ],
      ),
    result.feeds && `${result.feedEntries} entries from ${result.apiPages} page(s) of releases.`,
  );
}
