import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { z } from "zod";
import { EXIT, InputError } from "../../errors.ts";
import { feedFromSource, type ReleaseSource } from "../../feed/collect.ts";
import { DEFAULT_LIMIT } from "../../feed/model.ts";
import { parseReleases, repositoryFromRelease } from "../../feed/release.ts";
import { writeFeedFiles } from "../../feed/write-feed-files.ts";
import { createGitHubClient } from "../../github/client.ts";
import { githubReleasePlatform } from "../../github/release-platform.ts";
import { parseJsonInput, positiveIntInput } from "../../validate.ts";
import { defineCommand } from "../command.ts";

const flags = z.object({
  releases: z.string().optional().describe("JSON file: an array of release objects as GitHub's REST API returns them"),
  repo: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/, { error: "OWNER/NAME" })
    .optional()
    .describe("Read every release of OWNER/NAME from the GitHub API (GITHUB_TOKEN, GITHUB_API_URL)"),
  out: z.string().min(1).describe("Folder to write rss.xml, atom.xml and feed.json into"),
  siteUrl: z.url({ protocol: /^https?$/, error: "an http(s) URL" }).optional().describe("Public URL of the --out folder (the feeds' self links)"),
  limit: positiveIntInput.default(DEFAULT_LIMIT).describe("Most entries per feed, newest first"),
  title: z.string().min(1).optional().describe('Feed title (default "Release notes from NAME")'),
  repositoryId: positiveIntInput
    .optional()
    .describe("Repository id for --releases, so entry ids match GitHub's own feed (read from the API with --repo)"),
});

export const feedCommand = defineCommand({
  path: ["feed"],
  summary: "Release feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) from GitHub releases",
  description:
    "Builds rss.xml, atom.xml and feed.json from a repository's releases: newest first, drafts never, pre-releases marked, " +
    "release notes rendered from markdown and sanitized. Files are replaced only once all three are complete.",
  flags,
  examples: [
    "alchkit feed --repo octo/app --out site/releases --site-url https://octo.github.io/app/releases/",
    "alchkit feed --releases releases.json --out feeds",
  ],
  async run({ flags }, ctx) {
    if ((flags.releases === undefined) === (flags.repo === undefined)) {
      throw new InputError("--releases/--repo", "exactly one of --releases FILE or --repo OWNER/NAME");
    }
    const source = flags.releases !== undefined ? await fileSource(resolve(ctx.cwd, flags.releases), flags.releases, flags.repositoryId) : apiSource(flags.repo!, ctx.env);
    const collected = await feedFromSource(source, {
      limit: flags.limit,
      ...(flags.siteUrl ? { siteUrl: flags.siteUrl } : {}),
      ...(flags.title ? { title: flags.title } : {}),
    });
    const written = await writeFeedFiles(resolve(ctx.cwd, flags.out), collected.files);
    ctx.stdout(
      `${JSON.stringify({ files: written, entries: collected.feed.entries.length, releasesRead: collected.releasesRead, apiPages: collected.pages }, null, 2)}\n`,
    );
    return EXIT.ok;
  },
});

async function fileSource(path: string, given: string, repositoryId: number | undefined): Promise<ReleaseSource> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new InputError("--releases", "a readable JSON file", `${given}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const releases = parseReleases(parseJsonInput(text, "--releases", "a JSON array of GitHub release objects", given), "--releases");
  const first = releases[0];
  if (!first) throw new InputError("--releases", "at least one release (the repository is read from their html_url)", given);
  const repository = repositoryFromRelease(first, "--releases");
  for (const release of releases) {
    const other = repositoryFromRelease(release, "--releases");
    if (other.htmlUrl.toLowerCase() !== repository.htmlUrl.toLowerCase()) {
      throw new InputError("--releases", `releases of one repository (${repository.owner}/${repository.name})`, release.html_url);
    }
  }
  if (repositoryId !== undefined) repository.id = repositoryId;
  return { repository: async () => repository, listReleases: async () => ({ releases, pages: 0 }) };
}

function apiSource(fullName: string, env: NodeJS.ProcessEnv): ReleaseSource {
  const [owner, repo] = fullName.split("/") as [string, string];
  const octokit = createGitHubClient({
    token: env.GITHUB_TOKEN ?? env.GH_TOKEN ?? "",
    ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
  });
  return githubReleasePlatform(octokit, { owner, repo });
}
