// `alchkit feed --repo` against the GitHub stand-in: every page of releases is read through the real client,
// drafts stay out, hostile notes render safely, and every call is one GitHub would accept.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { commands } from "../../../workflows-lib/cli/commands/index.ts";
import { runCli } from "../../../workflows-lib/cli/run-cli.ts";
import { assertNoViolations, startGitHubStandIn, type GitHubStandIn } from "../../github/index.ts";

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  isArray: (_n, jpath) => ["rss.channel.item", "feed.entry"].includes(String(jpath)),
});

describe("feeds from the GitHub API (stand-in)", () => {
  let gh: GitHubStandIn;
  let out: string;
  let stdout = "";
  let exitCode: number;

  before(async () => {
    // Releases published by a person (the default viewer is the Actions bot).
    gh = await startGitHubStandIn({ viewer: { login: "octocat", id: 583231 } });
    // 247 ordinary releases, one hostile release, two drafts: 250 objects, three pages of 100.
    gh.seed.releases("octo/app", 247);
    gh.seed.release("octo/app", {
      tag_name: "v9.0.0",
      name: "Tom & Jerry <script>alert(1)</script> 🎉",
      body: 'Hello <script>alert("pwned")</script>\n\n<img src="logo.png" onerror="alert(1)"> <a href="javascript:alert(2)">x</a>\n\n| a | b |\n|---|---|\n| & | < |\n\n🚀 shipped',
      created_at: "2026-01-01T00:00:00Z",
    });
    gh.seed.release("octo/app", { tag_name: "v10.0.0", draft: true, body: "unannounced" });
    gh.seed.release("octo/app", { tag_name: "v11.0.0", draft: true, body: "unannounced" });
    out = await mkdtemp(join(tmpdir(), "feed-api-"));
    exitCode = await runCli(
      commands,
      ["feed", "--repo", "octo/app", "--out", out, "--site-url", "https://octo.github.io/app/releases/", "--limit", "1000"],
      { cwd: out, env: { GITHUB_API_URL: gh.url, GITHUB_TOKEN: gh.token }, isTTY: false, stdout: (t) => void (stdout += t), stderr: (t) => void (stdout += t) },
      "test",
    );
  });
  after(async () => {
    await gh.close();
    await rm(out, { recursive: true, force: true });
  });

  it("reads all 250 releases over 3 pages and writes 248 entries (no drafts)", () => {
    assert.equal(exitCode, 0, stdout);
    const summary = JSON.parse(stdout);
    assert.equal(summary.releasesRead, 250);
    assert.equal(summary.apiPages, 3);
    assert.equal(summary.entries, 248);
    assert.equal(gh.calls.count("repos/list-releases"), 3);
    assertNoViolations(gh);
  });

  it("writes three valid feeds with the same entries, newest first, ids from the repository id", async () => {
    const rss = await readFile(join(out, "rss.xml"), "utf8");
    const atom = await readFile(join(out, "atom.xml"), "utf8");
    const json = JSON.parse(await readFile(join(out, "feed.json"), "utf8"));
    assert.equal(XMLValidator.validate(rss), true);
    assert.equal(XMLValidator.validate(atom), true);
    const items = parser.parse(rss).rss.channel.item;
    const entries = parser.parse(atom).feed.entry;
    assert.equal(items.length, 248);
    assert.equal(entries.length, 248);
    assert.equal(json.items.length, 248);
    const repoId = gh.state.requireRepo("octo/app").id;
    assert.equal(entries[0].id, `tag:github.com,2008:Repository/${repoId}/v9.0.0`);
    assert.equal(entries[1].id, `tag:github.com,2008:Repository/${repoId}/v1.24.6`);
    assert.equal(entries.at(-1).id, `tag:github.com,2008:Repository/${repoId}/v1.0.0`);
    assert.equal(new Set(items.map((i: { guid: { "#text": string } }) => i.guid["#text"])).size, 248);
    for (const text of [rss, atom, JSON.stringify(json)]) assert.doesNotMatch(text, /unannounced|v1[01]\.0\.0/);
  });

  it("renders the hostile release safely: escaped title, no script, no handlers, no javascript: links, emoji kept", async () => {
    const atom = parser.parse(await readFile(join(out, "atom.xml"), "utf8")).feed.entry[0];
    assert.equal(atom.title, "Tom & Jerry <script>alert(1)</script> 🎉", "the title is text: escaped, shown as typed");
    const html: string = atom.content["#text"];
    assert.doesNotMatch(html, /<script|onerror|javascript:|pwned/i);
    assert.match(html, /<img src="https:\/\/github\.com\/octo\/app\/raw\/v9\.0\.0\/logo\.png" \/>/);
    assert.match(html, /<td>&amp;<\/td>\s*<td>&lt;<\/td>/);
    assert.match(html, /🚀 shipped/);
    const item = parser.parse(await readFile(join(out, "rss.xml"), "utf8")).rss.channel.item[0];
    assert.doesNotMatch(item["content:encoded"], /<script|onerror|javascript:/i);
    const json = JSON.parse(await readFile(join(out, "feed.json"), "utf8")).items[0];
    assert.doesNotMatch(json.content_html, /<script|onerror|javascript:/i);
  });
});
