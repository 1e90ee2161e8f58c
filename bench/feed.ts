// Release feeds for 5,000 releases: every page read from the GitHub stand-in through the kit's real client
// (falls back to a generated file of REST objects when the stand-in is not available), then markdown → sanitized
// HTML → RSS 2.0 + Atom 1.0 + JSON Feed 1.1. Side by side in the same run: the `feed` npm package serializing
// the same entries (given our already-rendered HTML, as it renders and sanitizes nothing itself).
// Usage: node_modules/.bin/node bench/feed.ts [releases=5000]
import { loadavg } from "node:os";
import { Feed } from "feed";
import { feedFromSource, type ReleaseSource } from "../workflows-lib/feed/collect.ts";
import { buildFeed } from "../workflows-lib/feed/model.ts";
import type { GitHubRelease } from "../workflows-lib/feed/release.ts";
import { renderFeeds } from "../workflows-lib/feed/render.ts";
import { createGitHubClient } from "../workflows-lib/github/client.ts";
import { githubReleasePlatform } from "../workflows-lib/github/release-platform.ts";

const count = Number(process.argv[2] ?? 5000);
const notes = (i: number) =>
  [
    `## What's changed in v${i}`,
    "",
    `- Faster **deploys** & previews (#${i}) by @octocat`,
    "- Fixed `a < b && c` escaping <script>alert(1)</script>",
    "",
    "| Area | Change |",
    "| --- | --- |",
    "| API | new `/orders` endpoint |",
    "| CLI | `alchkit feed` |",
    "",
    `**Full Changelog**: https://github.com/octo/app/compare/v${i - 1}...v${i} 🎉`,
  ].join("\n");

const seeds = Array.from({ length: count }, (_, i) => ({
  tag_name: `v${Math.floor(i / 100)}.${i % 100}.0`,
  body: notes(i),
  prerelease: i % 50 === 7,
  created_at: new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
}));

const ms = (from: number) => performance.now() - from;
let source: ReleaseSource;
let via: string;
let close = async () => {};
try {
  const { startGitHubStandIn } = await import("../test/github/index.ts");
  const gh = await startGitHubStandIn({ viewer: { login: "octocat", id: 583231 } });
  gh.seed.releases("octo/app", seeds);
  source = githubReleasePlatform(createGitHubClient({ token: gh.token, baseUrl: gh.url }), { owner: "octo", repo: "app" });
  via = "GitHub stand-in (REST, every response validated against GitHub's OpenAPI description)";
  close = () => gh.close();
} catch (error) {
  const releases: GitHubRelease[] = seeds.map((s, i) => ({
    id: i + 1,
    name: s.tag_name,
    draft: false,
    published_at: s.created_at,
    html_url: `https://github.com/octo/app/releases/tag/${s.tag_name}`,
    author: { login: "octocat" },
    ...s,
  }));
  source = { repository: async () => ({ owner: "octo", name: "app", htmlUrl: "https://github.com/octo/app", id: 1 }), listReleases: async () => ({ releases, pages: 0 }) };
  via = `generated objects (stand-in unavailable: ${(error as Error).message})`;
}

try {
  let started = performance.now();
  const listing = await source.listReleases();
  const fetchMs = ms(started);
  const repository = await source.repository();
  const fixed: ReleaseSource = { repository: async () => repository, listReleases: async () => listing };

  started = performance.now();
  const all = await feedFromSource(fixed, { limit: count, siteUrl: "https://octo.github.io/app/releases/" });
  const allMs = ms(started);
  started = performance.now();
  const latest = await feedFromSource(fixed, { siteUrl: "https://octo.github.io/app/releases/" });
  const latestMs = ms(started);

  // Serialization only, both sides: our renderers vs the `feed` package, on the same entries.
  const model = buildFeed(listing.releases, { repository, limit: count, siteUrl: "https://octo.github.io/app/releases/" });
  started = performance.now();
  const ours = renderFeeds(model);
  const oursMs = ms(started);
  started = performance.now();
  const peer = new Feed({ title: model.title, id: model.id, link: model.homeUrl, description: model.description, copyright: "", updated: model.updated, feedLinks: model.selfUrls });
  for (const e of model.entries) {
    peer.addItem({ title: e.title, id: e.id, link: e.url, date: e.updated, published: e.published, description: e.summary, content: e.contentHtml, author: [{ name: e.author.login, link: e.author.url }] });
  }
  const theirs = { rss: peer.rss2(), atom: peer.atom1(), json: peer.json1() };
  const peerMs = ms(started);

  const size = (f: { rss: string; atom: string; json: string }) =>
    `${((Buffer.byteLength(f.rss) + Buffer.byteLength(f.atom) + Buffer.byteLength(f.json)) / 1024 / 1024).toFixed(1)} MB`;
  console.log(`command: node_modules/.bin/node bench/feed.ts ${count}   (node ${process.version}, load average ${loadavg()[0]!.toFixed(1)})`);
  console.log(`source: ${via}`);
  console.log(`releases read: ${listing.releases.length} in ${listing.pages} API page(s) of 100, ${(fetchMs / 1000).toFixed(2)} s`);
  console.log(`feeds of all ${all.feed.entries.length} entries (markdown → sanitize → 3 formats): ${(allMs / 1000).toFixed(2)} s, ${size(all.files)}, ${(allMs / all.feed.entries.length).toFixed(2)} ms/entry`);
  console.log(`feeds of the newest ${latest.feed.entries.length} (the default limit): ${latestMs.toFixed(0)} ms`);
  console.log(`serialization only, ${model.entries.length} entries × 3 formats: alchkit ${oursMs.toFixed(0)} ms (${size(ours)}), feed@6 ${peerMs.toFixed(0)} ms (${size(theirs)}); ratio ${(oursMs / peerMs).toFixed(2)}× (feed@6 writes JSON Feed 1.0, no sanitizing)`);
} finally {
  await close();
}
