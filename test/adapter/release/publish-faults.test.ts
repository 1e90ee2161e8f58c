// Releasing through a flaky GitHub: writes that land but whose answer is lost (the retry meets its own result),
// 502s and secondary rate limits. The outcome must be exactly one release, tags where they belong, one feed
// commit per file, one asset per name. Also: feeds as release assets.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createGitHubClient } from "../../../workflows-lib/github/client.ts";
import { githubReleasePlatform } from "../../../workflows-lib/github/release-platform.ts";
import { publishRelease, type PublishReleaseOptions } from "../../../workflows-lib/release/publish-release.ts";
import { assertNoViolations, startGitHubStandIn, type GitHubStandIn } from "../../github/index.ts";

const REPO = "octo/app";

describe("publishRelease under faults, and feeds as release assets", () => {
  let gh: GitHubStandIn;
  let platform: ReturnType<typeof githubReleasePlatform>;
  const repo = () => gh.state.requireRepo(REPO);
  const options = (tag: string, feeds: PublishReleaseOptions["feeds"]): PublishReleaseOptions => ({
    tag,
    changelogPath: "CHANGELOG.md",
    overwriteNotes: false,
    moveFloatingTags: true,
    feeds,
  });

  before(async () => {
    gh = await startGitHubStandIn({ viewer: { login: "octocat", id: 583231 } });
    gh.seed.commit(REPO, { parents: [], branch: "gh-pages", message: "Pages", files: { "index.html": "site" } });
    gh.seed.tag(REPO, "v1.0.0", gh.seed.commit(REPO, { branch: "main", message: "One" }).sha);
    gh.seed.tag(REPO, "v1.1.0", gh.seed.commit(REPO, { branch: "main", message: "Two" }).sha);
    platform = githubReleasePlatform(createGitHubClient({ token: gh.token, baseUrl: gh.url, timeScale: 0.001 }), { owner: "octo", repo: "app" });
  });
  after(() => gh.close());

  it("answers lost after the write, 502s and a secondary rate limit: one release, one commit per feed file", async () => {
    for (const route of ["repos/create-release", "git/create-ref", "repos/create-or-update-file-contents"]) {
      gh.faults.add({ route, kind: "reset-after-write", times: 1 });
    }
    gh.faults.add({ route: "repos/list-releases", kind: 502, times: 2 });
    gh.faults.add({ route: "repos/get-content", kind: "secondary-rate-limit", times: 1, retryAfter: 1 });
    const result = await publishRelease(platform, options("v1.0.0", { target: "branch", branch: "gh-pages", directory: "feeds" }));
    gh.faults.clear();
    assert.equal(result.release?.write, "created");
    assert.equal([...repo().releases.values()].filter((r) => r.tagName === "v1.0.0").length, 1);
    assert.equal(repo().refs.get("refs/tags/v1"), undefined, "v1.1.0 is already tagged: v1 is not for v1.0.0");
    assert.equal(repo().refs.get("refs/tags/v1.0"), repo().refs.get("refs/tags/v1.0.0"));
    // gh-pages: the seed commit plus exactly one commit per feed file.
    let commits = 0;
    for (let sha: string | undefined = repo().refs.get("refs/heads/gh-pages"); sha; sha = repo().commits.get(sha)!.parents[0]) commits++;
    assert.equal(commits, 4);
    // Each lost answer made the client retry into its own result, which the adapter recognised.
    assert.deepEqual(gh.calls.of("repos/create-release").map((c) => c.status ?? c.faulted), ["reset-after-write", 422]);
    assert.deepEqual(gh.calls.of("git/create-ref").map((c) => c.status ?? c.faulted), ["reset-after-write", 422]);
    assert.deepEqual(gh.calls.of("repos/create-or-update-file-contents").map((c) => c.status ?? c.faulted), ["reset-after-write", 422, 201, 201]);
    assertNoViolations(gh);
  });

  it("feeds as assets of the latest release: permanent latest/download URLs, replaced (not duplicated) on re-run", async () => {
    const feeds = { target: "release-assets" as const, branch: "gh-pages", directory: "" };
    const first = await publishRelease(platform, options("v1.1.0", feeds));
    assert.equal(first.feeds?.rss, "https://github.com/octo/app/releases/latest/download/rss.xml");
    assert.equal(first.feeds?.json, "https://github.com/octo/app/releases/latest/download/feed.json");
    const latest = [...repo().releases.values()].find((r) => r.tagName === "v1.1.0")!;
    assert.deepEqual(latest.assets.map((a) => a.name).sort(), ["atom.xml", "feed.json", "rss.xml"]);
    assert.equal(latest.assets.find((a) => a.name === "rss.xml")!.contentType, "application/rss+xml");
    const atom = latest.assets.find((a) => a.name === "atom.xml")!.content.toString("utf8");
    assert.match(atom, /<link type="application\/atom\+xml" rel="self" href="https:\/\/github\.com\/octo\/app\/releases\/latest\/download\/atom\.xml"\/>/);
    assert.equal((atom.match(/<entry>/g) ?? []).length, 2);

    // A patch of the older line: the feeds stay on v1.1.0 (the latest), now with three entries.
    gh.seed.tag(REPO, "v1.0.1", gh.seed.commit(REPO, { parents: [repo().refs.get("refs/tags/v1.0.0")!], message: "Fix" }).sha);
    gh.faults.add({ route: "repos/upload-release-asset", kind: "reset-after-write", times: 1 });
    await publishRelease(platform, options("v1.0.1", feeds));
    gh.faults.clear();
    const patch = [...repo().releases.values()].find((r) => r.tagName === "v1.0.1")!;
    assert.deepEqual(patch.assets, []);
    assert.deepEqual(latest.assets.map((a) => a.name).sort(), ["atom.xml", "feed.json", "rss.xml"], "one asset per name");
    assert.equal((latest.assets.find((a) => a.name === "atom.xml")!.content.toString("utf8").match(/<entry>/g) ?? []).length, 3);
    assertNoViolations(gh);
  });
});
