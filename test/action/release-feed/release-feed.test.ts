// actions/release-feed's built bundle, run as the runner runs it, against the GitHub stand-in.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runActionDist } from "../../harness/run-action.ts";
import { assertNoViolations, startGitHubStandIn, type GitHubStandIn } from "../../github/index.ts";

const REPO = "octo/app";
const WRITES = /^(POST|PATCH|PUT|DELETE)$/;

describe("actions/release-feed", () => {
  let gh: GitHubStandIn;
  const sha: Record<string, string> = {};
  const tagSha = (tag: string) => gh.state.requireRepo(REPO).refs.get(`refs/tags/${tag}`);
  const pagesFile = (path: string) => {
    const repo = gh.state.requireRepo(REPO);
    return repo.commits.get(repo.refs.get("refs/heads/gh-pages")!)!.tree.get(path)?.content.toString("utf8");
  };

  before(async () => {
    gh = await startGitHubStandIn();
    gh.seed.commit(REPO, { parents: [], branch: "gh-pages", message: "Pages", files: { "index.html": "site" } });
    sha["v1.0.0"] = gh.seed.commit(REPO, { branch: "main", message: "Ship it", files: { "CHANGELOG.md": "## v1.0.0\n\n- First & best `<release>`\n" } }).sha;
    gh.seed.tag(REPO, "v1.0.0", sha["v1.0.0"]);
  });
  after(() => gh.close());

  it("on the push of v1.0.0: creates the release, creates v1 and v1.0, publishes the feeds, outputs their URLs", async () => {
    const run = await runActionDist({
      action: "release-feed",
      github: { url: gh.url, token: gh.token },
      eventName: "push",
      event: { ref: "refs/tags/v1.0.0", after: sha["v1.0.0"] },
      ref: "refs/tags/v1.0.0",
      sha: sha["v1.0.0"],
    });
    assert.equal(run.exitCode, 0, run.log);
    assert.equal(run.outputs.outcome, "created");
    assert.equal(run.outputs["notes-source"], "changelog");
    assert.equal(run.outputs["moved-tags"], "v1,v1.0");
    assert.equal(run.outputs["rss-url"], "https://octo.github.io/app/releases/rss.xml");
    assert.equal(run.outputs["atom-url"], "https://octo.github.io/app/releases/atom.xml");
    assert.equal(run.outputs["json-url"], "https://octo.github.io/app/releases/feed.json");
    assert.match(run.outputs["release-url"]!, /^https:\/\/github\.com\/octo\/app\/releases\/tag\/v1\.0\.0$/);
    assert.equal(tagSha("v1"), sha["v1.0.0"]);
    assert.equal(tagSha("v1.0"), sha["v1.0.0"]);
    assert.deepEqual(gh.calls.of("git/create-ref").map((c) => (c.requestBody as { ref: string }).ref), ["refs/tags/v1", "refs/tags/v1.0"]);
    assert.match(pagesFile("releases/atom.xml")!, /First &amp;amp; best &lt;code&gt;&amp;lt;release&amp;gt;&lt;\/code&gt;/);
    assert.match(run.summary, /Release `v1\.0\.0`/);
    assert.match(run.summary, /\| `v1` \| created \|/);
    assertNoViolations(gh);
  });

  it("on the release event for v1.1.0 written by a person: keeps the notes, moves v1 (a ref update), adds the entry", async () => {
    sha["v1.1.0"] = gh.seed.commit(REPO, { branch: "main", message: "More" }).sha;
    const release = gh.seed.release(REPO, { tag_name: "v1.1.0", target_commitish: sha["v1.1.0"], body: "Hand-written **notes**" });
    const mark = gh.calls.length;
    const run = await runActionDist({
      action: "release-feed",
      github: { url: gh.url, token: gh.token },
      eventName: "release",
      event: { action: "published", release: { id: release.id, tag_name: "v1.1.0" } },
      ref: "refs/tags/v1.1.0",
      sha: sha["v1.1.0"],
    });
    assert.equal(run.exitCode, 0, run.log);
    assert.equal(run.outputs.outcome, "unchanged");
    assert.equal(run.outputs["notes-source"], "existing");
    assert.equal(run.outputs["moved-tags"], "v1,v1.1");
    const refWrites = gh.calls.all.slice(mark).filter((c) => c.operationId?.startsWith("git/") && WRITES.test(c.method));
    assert.deepEqual(refWrites.map((c) => [c.operationId, decodeURIComponent(c.path)]), [
      ["git/update-ref", "/repos/octo/app/git/refs/tags/v1"],
      ["git/create-ref", "/repos/octo/app/git/refs"],
    ]);
    assert.equal(tagSha("v1"), sha["v1.1.0"]);
    const json = JSON.parse(pagesFile("releases/feed.json")!);
    assert.deepEqual(json.items.map((i: { title: string }) => i.title), ["v1.1.0", "v1.0.0"]);
    assert.equal(json.items[0].content_html, "<p>Hand-written <strong>notes</strong></p>");
    assertNoViolations(gh);
  });

  it("the push of a floating tag is a notice, not a release", async () => {
    const mark = gh.calls.length;
    const run = await runActionDist({ action: "release-feed", github: { url: gh.url, token: gh.token }, eventName: "push", ref: "refs/tags/v1", sha: sha["v1.1.0"] });
    assert.equal(run.exitCode, 0, run.log);
    assert.equal(run.outputs.outcome, "skipped");
    assert.ok(run.annotations.some((a) => a.level === "notice" && /floating tag/.test(a.message)));
    assert.equal(gh.calls.length, mark);
  });

  it("bad input: one ::error:: naming the input, nothing written", async () => {
    const mark = gh.calls.length;
    const bad = await runActionDist({ action: "release-feed", github: { url: gh.url, token: gh.token }, eventName: "push", ref: "refs/tags/v1.1.0", inputs: { feeds: "ftp" } });
    assert.equal(bad.exitCode, 1);
    const errors = bad.annotations.filter((a) => a.level === "error");
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /^Input feeds: expected one of branch, release-assets, none/);
    const noTag = await runActionDist({ action: "release-feed", github: { url: gh.url, token: gh.token }, eventName: "workflow_dispatch", ref: "refs/heads/main" });
    assert.equal(noTag.exitCode, 1);
    assert.match(noTag.annotations.find((a) => a.level === "error")!.message, /^Input tag: expected a tag to release/);
    assert.equal(gh.calls.all.slice(mark).filter((c) => WRITES.test(c.method)).length, 0);
  });
});
