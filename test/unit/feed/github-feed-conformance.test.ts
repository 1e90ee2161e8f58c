// Field by field against a real releases.atom that GitHub served (../shared/conformance/feeds): given the same
// releases as REST objects, our Atom feed must carry the same ids, links, titles, times, content and authors, so a
// subscriber moving from GitHub's feed to ours sees no duplicate entries.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { XMLParser } from "fast-xml-parser";
import { buildFeed } from "../../../workflows-lib/feed/model.ts";
import { renderFeeds } from "../../../workflows-lib/feed/render.ts";
import type { GitHubRelease } from "../../../workflows-lib/feed/release.ts";
import { corpusSkip } from "../../support/conformance.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const skip = corpusSkip("feeds");
const githubAtom = skip ? "" : readFileSync(new URL("../shared/conformance/feeds/github-releases-vscode-2018.atom", `file://${repoRoot}`), "utf8");

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  isArray: (_name, jpath) => ["feed.link", "feed.entry", "feed.entry.link"].includes(String(jpath)),
});

// The same two releases as the REST API returned them (ids and avatars from the feed; times in UTC).
const releases: GitHubRelease[] = [
  {
    id: 10474112,
    tag_name: "1.22.2",
    name: "1.22.2",
    body: "update release number",
    draft: false,
    prerelease: false,
    created_at: "2018-04-12T16:15:03Z",
    published_at: "2018-04-12T16:21:42Z",
    html_url: "https://github.com/Microsoft/vscode/releases/tag/1.22.2",
    author: { login: "kieferrm", html_url: "https://github.com/kieferrm", avatar_url: "https://avatars3.githubusercontent.com/u/4674940?v=4" },
  },
  {
    id: 10371389,
    tag_name: "1.22.1",
    name: "1.22.1",
    body: "Empty commit since the previous was a bad build for 1.22.1",
    draft: false,
    prerelease: false,
    created_at: "2018-04-06T00:01:30Z",
    published_at: "2018-04-06T00:06:35Z",
    html_url: "https://github.com/Microsoft/vscode/releases/tag/1.22.1",
    author: { login: "roblourens", html_url: "https://github.com/roblourens", avatar_url: "https://avatars3.githubusercontent.com/u/323878?v=4" },
  },
];

const theirs = parser.parse(githubAtom).feed;
const ours = parser.parse(
  renderFeeds(
    buildFeed(releases, {
      repository: { owner: "Microsoft", name: "vscode", htmlUrl: "https://github.com/Microsoft/vscode", id: 41881900 },
      siteUrl: "https://microsoft.github.io/vscode/releases/",
    }),
  ).atom,
).feed;

const instant = (text: string): number => new Date(text).getTime();
const linkOf = (links: Record<string, string>[], rel: string) => links.find((l) => l["@rel"] === rel);

describe("Atom feed against GitHub's own releases.atom", { skip }, () => {
  it("feed: id, title, language, updated, alternate link", () => {
    assert.equal(ours.id, theirs.id);
    assert.equal(ours.title, theirs.title);
    assert.equal(ours["@xml:lang"], theirs["@xml:lang"]);
    assert.equal(instant(ours.updated), instant(theirs.updated));
    assert.deepEqual(
      { href: linkOf(ours.link, "alternate")?.["@href"], type: linkOf(ours.link, "alternate")?.["@type"] },
      { href: linkOf(theirs.link, "alternate")?.["@href"], type: linkOf(theirs.link, "alternate")?.["@type"] },
    );
    assert.equal(linkOf(ours.link, "self")?.["@type"], linkOf(theirs.link, "self")?.["@type"]);
  });

  it("entries in the same order with the same id, updated, link, title, content and author", () => {
    assert.equal(ours.entry.length, theirs.entry.length);
    theirs.entry.forEach((their: Record<string, any>, i: number) => {
      const our = ours.entry[i];
      assert.equal(our.id, their.id, `entry ${i} id`);
      assert.equal(instant(our.updated), instant(their.updated), `entry ${i} updated`);
      assert.equal(our.link[0]["@href"], their.link[0]["@href"], `entry ${i} link`);
      assert.equal(our.link[0]["@rel"], their.link[0]["@rel"]);
      assert.equal(our.link[0]["@type"], their.link[0]["@type"]);
      assert.equal(our.title, their.title, `entry ${i} title`);
      assert.equal(our.content["@type"], their.content["@type"]);
      assert.equal(our.content["#text"], their.content["#text"], `entry ${i} content`);
      assert.equal(our.author.name, their.author.name, `entry ${i} author`);
      const ourThumb = new URL(our["media:thumbnail"]["@url"]);
      const theirThumb = new URL(their["media:thumbnail"]["@url"]);
      assert.equal(ourThumb.origin + ourThumb.pathname, theirThumb.origin + theirThumb.pathname);
      assert.equal(ourThumb.searchParams.get("s"), theirThumb.searchParams.get("s"));
      assert.equal(our["media:thumbnail"]["@width"], their["media:thumbnail"]["@width"]);
    });
  });

  it("adds what GitHub's feed lacks: published time, author uri, a feed author", () => {
    assert.equal(theirs.entry[0].published, undefined);
    assert.equal(instant(ours.entry[0].published), instant("2018-04-12T16:21:42Z"));
    assert.equal(ours.entry[0].author.uri, "https://github.com/kieferrm");
    assert.equal(theirs.author, undefined);
    assert.equal(ours.author.name, "Microsoft/vscode");
  });
});
