// A release end to end against the GitHub stand-in: GitHub release with notes, floating tags moved through the
// git refs API (and never backwards), feeds rebuilt and committed to gh-pages; re-runs write nothing.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { XMLParser } from "fast-xml-parser";
import { createGitHubClient } from "../../../workflows-lib/github/client.ts";
import { githubReleasePlatform } from "../../../workflows-lib/github/release-platform.ts";
import { publishRelease, type PublishReleaseOptions } from "../../../workflows-lib/release/publish-release.ts";
import { InputError } from "../../../workflows-lib/errors.ts";
import { assertNoViolations, startGitHubStandIn, type GitHubStandIn } from "../../github/index.ts";

const REPO = "octo/app";
const WRITES = /^(POST|PATCH|PUT|DELETE)$/;

describe("publishRelease against the GitHub stand-in", () => {
  let gh: GitHubStandIn;
  let platform: ReturnType<typeof githubReleasePlatform>;
  const sha: Record<string, string> = {};

  const options = (tag: string, overrides: Partial<PublishReleaseOptions> = {}): PublishReleaseOptions => ({
    tag,
    sha: sha[tag]!,
    changelogPath: "CHANGELOG.md",
    overwriteNotes: false,
    moveFloatingTags: true,
    feeds: { target: "branch", branch: "gh-pages", directory: "releases" },
    ...overrides,
  });
  const tagSha = (tag: string) => gh.state.requireRepo(REPO).refs.get(`refs/tags/${tag}`);
  const pagesFile = (path: string) => {
    const repo = gh.state.requireRepo(REPO);
    return repo.commits.get(repo.refs.get("refs/heads/gh-pages")!)!.tree.get(path)?.content.toString("utf8");
  };
  const writesSince = (mark: number) => gh.calls.all.slice(mark).filter((c) => WRITES.test(c.method));

  before(async () => {
    gh = await startGitHubStandIn({ viewer: { login: "octocat", id: 583231 } });
    const s = gh.seed;
    // v1.0.0 and v1.1.0 released; v1 and v1.1 float on v1.1.0; gh-pages is an orphan branch with a page.
    sha["v1.0.0"] = s.commit(REPO, { branch: "main", message: "First feature" }).sha;
    s.release(REPO, { tag_name: "v1.0.0", target_commitish: sha["v1.0.0"], created_at: "2025-01-01T00:00:00Z" });
    sha["v1.1.0"] = s.commit(REPO, { branch: "main", message: "Second feature" }).sha;
    s.release(REPO, { tag_name: "v1.1.0", target_commitish: sha["v1.1.0"], created_at: "2025-02-01T00:00:00Z" });
    s.tag(REPO, "v1", sha["v1.1.0"]);
    s.tag(REPO, "v1.1", sha["v1.1.0"]);
    s.commit(REPO, { parents: [], branch: "gh-pages", message: "Pages", files: { "index.html": "<h1>app</h1>" } });
    // v1.2.0: a CHANGELOG section; pushed as a tag, no release yet.
    sha["v1.2.0"] = s.commit(REPO, {
      branch: "main",
      message: "Prepare 1.2.0",
      files: { "CHANGELOG.md": "# Changelog\n\n## [1.2.0] - 2025-03-01\n### Added\n- Release feeds & tags\n\n## [1.1.0]\n- older\n" },
    }).sha;
    s.tag(REPO, "v1.2.0", sha["v1.2.0"]);
    platform = githubReleasePlatform(createGitHubClient({ token: gh.token, baseUrl: gh.url, timeScale: 0.001 }), { owner: "octo", repo: "app" });
  });
  after(() => gh.close());

  it("creates the release from the CHANGELOG, moves v1 and creates v1.2, publishes feeds to gh-pages", async () => {
    const mark = gh.calls.length;
    const result = await publishRelease(platform, options("v1.2.0"));
    assert.equal(result.release?.write, "created");
    assert.equal(result.notesSource, "changelog");
    const release = [...gh.state.requireRepo(REPO).releases.values()].find((r) => r.tagName === "v1.2.0")!;
    assert.equal(release.body, "### Added\n- Release feeds & tags");
    assert.equal(release.prerelease, false);

    assert.deepEqual(result.tagMoves.map((m) => [m.tag, m.result]), [["v1", "updated"], ["v1.2", "created"]]);
    assert.equal(tagSha("v1"), sha["v1.2.0"]);
    assert.equal(tagSha("v1.2"), sha["v1.2.0"]);
    assert.equal(tagSha("v1.1"), sha["v1.1.0"], "v1.1 is not this release's line");
    const refWrites = writesSince(mark).filter((c) => c.operationId?.startsWith("git/"));
    assert.deepEqual(refWrites.map((c) => c.operationId), ["git/update-ref", "git/create-ref"]);

    assert.deepEqual(result.feeds && [result.feeds.rss, result.feeds.atom, result.feeds.json], [
      "https://octo.github.io/app/releases/rss.xml",
      "https://octo.github.io/app/releases/atom.xml",
      "https://octo.github.io/app/releases/feed.json",
    ]);
    const atom = new XMLParser({ ignoreAttributes: false, isArray: (_n, p) => p === "feed.entry" }).parse(pagesFile("releases/atom.xml")!).feed;
    assert.deepEqual(atom.entry.map((e: { title: string }) => e.title), ["v1.2.0", "v1.1.0", "v1.0.0"]);
    assert.match(pagesFile("releases/rss.xml")!, /Release feeds &amp;amp; tags/);
    assert.equal(JSON.parse(pagesFile("releases/feed.json")!).items.length, 3);
    assert.equal(pagesFile("index.html"), "<h1>app</h1>", "the rest of the site is untouched");
    assertNoViolations(gh);
  });

  it("a re-run (or the release event after the tag push) writes nothing", async () => {
    const mark = gh.calls.length;
    const result = await publishRelease(platform, options("v1.2.0"));
    assert.equal(result.release?.write, "unchanged");
    assert.equal(result.notesSource, "existing");
    assert.deepEqual(result.tagMoves.map((m) => m.result), ["unchanged", "unchanged"]);
    assert.deepEqual(result.feeds?.writes, ["unchanged", "unchanged", "unchanged"]);
    assert.deepEqual(writesSince(mark), []);
    assertNoViolations(gh);
  });

  it("a patch of an older line moves its vX.Y only; v1 never goes backwards; notes come from the commits", async () => {
    sha["v1.1.1"] = gh.seed.commit(REPO, { parents: [sha["v1.1.0"]!], message: "Fix the old line", author: { name: "Mona", email: "mona@example.com", login: "mona" } }).sha;
    gh.seed.tag(REPO, "v1.1.1", sha["v1.1.1"]);
    const result = await publishRelease(platform, options("v1.1.1"));
    assert.equal(result.notesSource, "commits");
    const release = [...gh.state.requireRepo(REPO).releases.values()].find((r) => r.tagName === "v1.1.1")!;
    assert.match(release.body!, /- Fix the old line \([0-9a-f]{7} by @mona\)/);
    assert.match(release.body!, /Full Changelog\*\*: https:\/\/github\.com\/octo\/app\/compare\/v1\.1\.0\.\.\.v1\.1\.1/);
    assert.deepEqual(result.tagMoves.map((m) => [m.tag, m.move]), [["v1", false], ["v1.1", true]]);
    assert.equal(tagSha("v1"), sha["v1.2.0"]);
    assert.equal(tagSha("v1.1"), sha["v1.1.1"]);
    const create = gh.calls.of("repos/create-release").at(-1)!;
    assert.equal((create.requestBody as { make_latest?: string }).make_latest, "false", "v1.2.0 stays the latest release");
    assertNoViolations(gh);
  });

  it("a pre-release is marked and moves no floating tag", async () => {
    sha["v2.0.0-rc.1"] = gh.seed.commit(REPO, { branch: "main", message: "Break everything" }).sha;
    gh.seed.tag(REPO, "v2.0.0-rc.1", sha["v2.0.0-rc.1"]);
    const mark = gh.calls.length;
    const result = await publishRelease(platform, options("v2.0.0-rc.1"));
    assert.equal(result.release?.prerelease, true);
    assert.deepEqual(result.tagMoves.map((m) => m.move), [false, false]);
    assert.equal(tagSha("v2"), undefined);
    assert.equal(writesSince(mark).filter((c) => c.operationId?.startsWith("git/")).length, 0);
    const json = JSON.parse(pagesFile("releases/feed.json")!);
    assert.equal(json.items[0].title, "v2.0.0-rc.1 (pre-release)");
    assert.deepEqual(json.items[0].tags, ["prerelease"]);
    assertNoViolations(gh);
  });

  it("a floating tag push is skipped; a tag that is no version is bad input; a draft is left alone", async () => {
    const mark = gh.calls.length;
    assert.match((await publishRelease(platform, options("v1"))).skipped ?? "", /floating tag/);
    await assert.rejects(publishRelease(platform, options("nightly")), (e) => e instanceof InputError && e.input === "tag");
    gh.seed.release(REPO, { tag_name: "v3.0.0", draft: true, body: "wip" });
    sha["v3.0.0"] = sha["v2.0.0-rc.1"]!;
    assert.match((await publishRelease(platform, options("v3.0.0"))).skipped ?? "", /draft/);
    assert.deepEqual(writesSince(mark), []);
    assertNoViolations(gh);
  });

  it("a release someone marked as a pre-release stays one and moves no floating tag", async () => {
    sha["v1.3.0"] = gh.seed.commit(REPO, { branch: "main", message: "Trial" }).sha;
    gh.seed.release(REPO, { tag_name: "v1.3.0", target_commitish: sha["v1.3.0"], prerelease: true, body: "Trying it out" });
    const mark = gh.calls.length;
    const result = await publishRelease(platform, options("v1.3.0"));
    assert.equal(result.release?.write, "unchanged");
    assert.deepEqual(result.tagMoves.map((m) => [m.tag, m.move, m.reason]), [
      ["v1", false, "v1.3.0 is marked as a pre-release"],
      ["v1.3", false, "v1.3.0 is marked as a pre-release"],
    ]);
    assert.equal(tagSha("v1"), sha["v1.2.0"]);
    assert.equal(gh.calls.all.slice(mark).filter((c) => c.operationId?.startsWith("git/") && WRITES.test(c.method)).length, 0);
    assertNoViolations(gh);
  });

  it("without a Pages host to derive the URL from (GitHub Enterprise Server), asks for site-url before writing", async () => {
    const ghes = await startGitHubStandIn({ htmlUrl: "https://git.example.com" });
    try {
      ghes.seed.tag(REPO, "v1.0.0");
      const client = githubReleasePlatform(createGitHubClient({ token: ghes.token, baseUrl: ghes.url, timeScale: 0.001 }), { owner: "octo", repo: "app" });
      await assert.rejects(publishRelease(client, options("v1.0.0", { sha: undefined })), (e) => e instanceof InputError && e.input === "site-url");
      assert.equal(ghes.calls.all.filter((c) => WRITES.test(c.method)).length, 0);
    } finally {
      await ghes.close();
    }
  });

  it("a missing gh-pages branch fails with a message that says how to create it", async () => {
    await assert.rejects(
      publishRelease(platform, options("v1.2.0", { feeds: { target: "branch", branch: "site", directory: "" } })),
      /Branch site does not exist in octo\/app: create it once \(git switch --orphan site/,
    );
  });
});
