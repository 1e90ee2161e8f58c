// The rules the W3C feed validator (validator.w3.org/feed) applies to RSS 2.0 and Atom 1.0, and the JSON Feed 1.1
// spec's required fields, checked on real parsed output (fast-xml-parser), for ordinary and hostile releases.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { buildFeed } from "../../../workflows-lib/feed/model.ts";
import { renderFeeds } from "../../../workflows-lib/feed/render.ts";
import { release, repository } from "./release-fixtures.ts";

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (_name, jpath) =>
    ["rss.channel.item", "rss.channel.item.category", "feed.link", "feed.entry", "feed.entry.link", "feed.entry.category"].includes(String(jpath)),
});
const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const EMAIL_WITH_NAME = /^[^\s@()]+@[^\s@()]+\.[a-z]+ \([^()]+\)$/;

const hostile = release({
  tag_name: "v2.0.0",
  name: "Tom & Jerry <b>v2</b> 🎉\u0001",
  body: [
    "Fixes <script>alert(document.cookie)</script> and `a < b && c`.",
    '<img src="x.png" onerror="alert(1)"> <a href="javascript:alert(1)">click</a> <a href="https://ok.example/?a=1&b=2" onclick="steal()">ok</a>',
    "",
    "| Area | Change |",
    "|------|--------|",
    "| API  | `&amp;` handling |",
    "",
    "Emoji 🚀 and a control char \u0007 and ]]> too.",
  ].join("\n"),
  published_at: "2024-06-01T08:30:00Z",
});
const releases = [
  release({ tag_name: "v1.0.0", published_at: "2024-01-10T09:00:00Z" }),
  release({ tag_name: "v1.1.0", published_at: "2024-02-10T09:00:00Z", author: null }),
  release({ tag_name: "v2.0.0-rc.1", prerelease: true, published_at: "2024-05-20T09:00:00Z" }),
  release({ tag_name: "v3.0.0", draft: true, published_at: null, body: "secret plans" }),
  hostile,
];
const feed = buildFeed(releases, { repository, siteUrl: "https://octo.github.io/app/releases" });
const files = renderFeeds(feed);

function assertSafeHtml(html: string): void {
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, "no event handler attributes");
  assert.doesNotMatch(html, /javascript:/i);
}

describe("RSS 2.0 by the feed validator's rules", () => {
  it("is well-formed XML", () => {
    assert.equal(XMLValidator.validate(files.rss), true);
  });
  const rss = parser.parse(files.rss).rss;
  const channel = rss.channel;
  it("has the required channel elements and a self link", () => {
    assert.equal(rss["@version"], "2.0");
    assert.equal(channel.title, "Release notes from app");
    assert.equal(channel.link, "https://github.com/octo/app/releases");
    assert.ok(channel.description);
    assert.match(channel.lastBuildDate, RFC822);
    const self = channel["atom:link"];
    assert.equal(self["@rel"], "self");
    assert.equal(self["@href"], "https://octo.github.io/app/releases/rss.xml");
    assert.equal(self["@type"], "application/rss+xml");
  });
  it("lists published releases newest first, never drafts", () => {
    assert.deepEqual(
      channel.item.map((i: { link: string }) => i.link.split("/").pop()),
      ["v2.0.0", "v2.0.0-rc.1", "v1.1.0", "v1.0.0"],
    );
    assert.doesNotMatch(files.rss, /secret plans|v3\.0\.0/);
  });
  it("gives every item title, permalink, unique non-permalink guid, RFC 822 date and an e-mail author", () => {
    const guids = new Set<string>();
    for (const item of channel.item) {
      assert.ok(item.title);
      assert.ok(new URL(item.link).protocol === "https:");
      assert.equal(item.guid["@isPermaLink"], "false");
      assert.match(item.guid["#text"], /^tag:github\.com,2008:Repository\/4242\/v\d/);
      guids.add(item.guid["#text"]);
      assert.match(item.pubDate, RFC822);
      assert.match(item.author, EMAIL_WITH_NAME);
      assert.ok(item.description);
      assert.ok(item["content:encoded"]);
    }
    assert.equal(guids.size, channel.item.length);
    assert.equal(channel.item[3].author, "noreply@github.com (octocat)");
    assert.equal(channel.item[2].author, "noreply@github.com (ghost)", "a deleted author is GitHub's ghost");
  });
  it("marks pre-releases", () => {
    const rc = channel.item[1];
    assert.match(rc.title, /\(pre-release\)$/);
    assert.deepEqual(rc.category, ["prerelease"]);
    assert.equal(channel.item[0].category, undefined);
  });
  it("escapes &, <, and strips control characters; content carries sanitized HTML with the table", () => {
    const item = channel.item[0];
    assert.equal(item.title, "Tom & Jerry <b>v2</b> 🎉");
    assert.doesNotMatch(files.rss, /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    const html: string = item["content:encoded"];
    assertSafeHtml(html);
    assert.match(html, /<table>[\s\S]*<td>API<\/td>/);
    assert.match(html, /<code>a &lt; b &amp;&amp; c<\/code>/);
    assert.match(html, /href="https:\/\/ok\.example\/\?a=1&amp;b=2"/);
    assert.match(html, /<img src="https:\/\/github\.com\/octo\/app\/raw\/v2\.0\.0\/x\.png"/, "relative image made absolute");
    assert.match(html, /🚀/);
  });
});

describe("Atom 1.0 by the feed validator's rules", () => {
  it("is well-formed XML", () => {
    assert.equal(XMLValidator.validate(files.atom), true);
  });
  const atom = parser.parse(files.atom).feed;
  it("has id, title, updated, self and alternate links and an author", () => {
    assert.equal(atom["@xmlns"], "http://www.w3.org/2005/Atom");
    assert.equal(atom.id, "tag:github.com,2008:https://github.com/octo/app/releases");
    assert.ok(atom.title);
    assert.match(atom.updated, RFC3339);
    assert.equal(atom.updated, "2024-06-01T08:30:00Z", "the newest entry's time, so output is reproducible");
    const rels = Object.fromEntries(atom.link.map((l: Record<string, string>) => [l["@rel"], l["@href"]]));
    assert.equal(rels.self, "https://octo.github.io/app/releases/atom.xml");
    assert.equal(rels.alternate, "https://github.com/octo/app/releases");
    assert.equal(atom.author.name, "octo/app");
  });
  it("gives every entry id, title, updated, published, alternate link, author and html content", () => {
    const ids = new Set<string>();
    for (const entry of atom.entry) {
      ids.add(entry.id);
      assert.ok(entry.title);
      assert.match(entry.updated, RFC3339);
      assert.match(entry.published, RFC3339);
      assert.ok(entry.updated >= entry.published);
      assert.equal(entry.link[0]["@rel"], "alternate");
      assert.ok(new URL(entry.link[0]["@href"]));
      assert.ok(entry.author.name);
      assert.equal(entry.content["@type"], "html");
      assertSafeHtml(entry.content["#text"]);
    }
    assert.equal(ids.size, 4);
    assert.equal(atom.entry[1].category[0]["@term"], "prerelease");
  });
});

describe("JSON Feed 1.1", () => {
  const json = JSON.parse(files.json);
  it("has the 1.1 version URL and the top-level fields", () => {
    assert.equal(json.version, "https://jsonfeed.org/version/1.1");
    assert.equal(json.title, "Release notes from app");
    assert.equal(json.home_page_url, "https://github.com/octo/app/releases");
    assert.equal(json.feed_url, "https://octo.github.io/app/releases/feed.json");
    assert.equal(json.author, undefined, "1.1 uses authors, not the deprecated author");
  });
  it("items: unique id, url, title, content_html, RFC 3339 dates, authors; pre-releases tagged", () => {
    assert.equal(json.items.length, 4);
    assert.equal(new Set(json.items.map((i: { id: string }) => i.id)).size, 4);
    for (const item of json.items) {
      assert.equal(typeof item.id, "string");
      assert.ok(new URL(item.url));
      assert.match(item.date_published, RFC3339);
      assert.ok(Array.isArray(item.authors) && item.authors[0].name);
      assertSafeHtml(item.content_html);
    }
    assert.equal(json.items[0].title, "Tom & Jerry <b>v2</b> 🎉");
    assert.deepEqual(json.items[1].tags, ["prerelease"]);
  });
});

describe("feed options", () => {
  it("limits entries to the newest N", () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      release({ tag_name: `v1.${i}.0`, published_at: new Date(Date.UTC(2024, 0, 1 + i)).toISOString() }),
    );
    const limited = buildFeed(many, { repository, limit: 5 });
    assert.deepEqual(limited.entries.map((e) => e.tag), ["v1.29.0", "v1.28.0", "v1.27.0", "v1.26.0", "v1.25.0"]);
  });
  it("leaves out self links without a site URL, and ids fall back to OWNER/NAME without a repository id", () => {
    const plain = renderFeeds(buildFeed([release({ tag_name: "v1.0.0" })], { repository: { owner: "octo", name: "app", htmlUrl: "https://github.com/octo/app" } }));
    assert.doesNotMatch(plain.atom, /rel="self"/);
    assert.doesNotMatch(plain.rss, /atom:link/);
    assert.match(plain.atom, /<id>tag:github\.com,2008:Repository\/octo\/app\/v1\.0\.0<\/id>/);
  });
  it("uses the GitHub Enterprise host in ids", () => {
    const ghes = buildFeed([release({ tag_name: "v1.0.0", html_url: "https://git.example.com/octo/app/releases/tag/v1.0.0" })], {
      repository: { owner: "octo", name: "app", htmlUrl: "https://git.example.com/octo/app", id: 7 },
    });
    assert.equal(ghes.entries[0]!.id, "tag:git.example.com,2008:Repository/7/v1.0.0");
  });
  it("an empty repository still makes valid feeds", () => {
    const empty = renderFeeds(buildFeed([], { repository }));
    assert.equal(XMLValidator.validate(empty.rss), true);
    assert.equal(XMLValidator.validate(empty.atom), true);
    assert.deepEqual(JSON.parse(empty.json).items, []);
  });
});
