// Releases as workflows: init's release.yml on the push of a version tag, then the release guide's workflow on
// the `release` event GitHub sends when that release is published — the second trigger for the same tag
// changes nothing. The release, the floating tags and the feeds on gh-pages are the stand-in's records.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { tool } from "../../support/tools.ts";
import { documentedWorkflow } from "../../support/markdown-blocks.ts";
import { CONSUMER } from "../../act/consumer-repo.ts";
import { pushEvent, releaseEvent } from "../../act/events.ts";
import { defectiveWorkflow, plantDefect, type PlantedDefect } from "../../act/planted-defects.ts";
import { resultsOf, type ActRun } from "../../act/run-act.ts";
import { assertNoViolations, assertPassed, startActStory, type ActStory } from "../../act/story.ts";
import { parseWorkflowFile } from "../../support/workflow-parser.ts";
import { actionlint } from "../../../workflows-lib/workflow-lint/actionlint.ts";

const act = tool("act", "running the kit's workflows");
const ZERO = "0".repeat(40);

let story: ActStory;
let released: string;
before(async () => {
  if (act.skip) return;
  story = await startActStory(act.require());
  const { repo } = story;
  // The guide's one-time setup: the branch the feeds are published on.
  repo.orphanBranch("gh-pages");
  // The guide's release workflow, for releases published in the UI.
  writeFileSync(path.join(repo.work.dir, ".github/workflows/release-published.yml"), documentedWorkflow("docs/release-feed.md", "release.yml"));
  released = tagRelease("1.0.0", "The orders API, with notes on orders.");
});
after(() => story?.close());

/** Commits a CHANGELOG section for `version` on main, tags it and pushes the tag. Returns the SHA. */
function tagRelease(version: string, note: string): string {
  const sha = story.repo.commit("main", `Release ${version}`, { "CHANGELOG.md": `# Changelog\n\n## [${version}] - 2026-12-01\n\n### Added\n\n- ${note}\n` });
  story.repo.work.git("tag", `v${version}`, sha);
  story.repo.push(`refs/tags/v${version}:refs/tags/v${version}`);
  return sha;
}

const tagPush = (version: string, sha: string) => pushEvent(story.gh, CONSUMER, `refs/tags/v${version}`, ZERO, sha);

function assertReleased(run: ActRun, version: string): void {
  assertPassed(run, "release on a tag push");
  assert.deepEqual(resultsOf(run, "release/release"), ["success"]);
  const outputs = run.needs.release?.outputs ?? {};
  assert.equal(outputs["release-url"], `https://github.com/octo/app/releases/tag/v${version}`, "the release's page flows out of workflow_call");
  assert.equal(outputs["moved-tags"], `v1,v${version.split(".").slice(0, 2).join(".")}`, "the floating tags moved flow out");
  for (const [output, file] of [["rss-url", "rss.xml"], ["atom-url", "atom.xml"], ["json-url", "feed.json"]] as const) {
    assert.equal(outputs[output], `https://octo.github.io/app/releases/${file}`);
  }
}

test("a pushed version tag becomes a release with the CHANGELOG's notes, moves v1 and v1.0, and publishes the feeds", { skip: act.skip }, async () => {
  const run = await story.run("release.yml", await tagPush("1.0.0", released), released);
  assertReleased(run, "1.0.0");
  const record = story.gh.state.repo(CONSUMER)!;
  const releases = [...record.releases.values()];
  assert.equal(releases.length, 1);
  assert.match(releases[0]!.body ?? "", /The orders API, with notes on orders/);
  assert.equal(record.refs.get("refs/tags/v1"), released);
  assert.equal(record.refs.get("refs/tags/v1.0"), released);
  const pages = record.commits.get(record.refs.get("refs/heads/gh-pages")!)!;
  assert.deepEqual(["releases/atom.xml", "releases/feed.json", "releases/rss.xml"].filter((f) => pages.tree.has(f)), ["releases/atom.xml", "releases/feed.json", "releases/rss.xml"]);
  assert.match(pages.tree.get("releases/rss.xml")!.content.toString("utf8"), /<title>v1\.0\.0<\/title>|v1\.0\.0/);
  assertNoViolations(story.gh);
});

test("the release event for the same release changes nothing: no second release, no new feed commit", { skip: act.skip }, async () => {
  const record = story.gh.state.repo(CONSUMER)!;
  const pagesBefore = record.refs.get("refs/heads/gh-pages");
  story.gh.calls.reset();
  const run = await story.run("release-published.yml", await releaseEvent(story.gh, CONSUMER, "v1.0.0", "published"), released);
  assertPassed(run, "release event");
  assert.deepEqual(resultsOf(run, "release/release"), ["success"]);
  assert.equal(record.releases.size, 1);
  assert.equal(record.refs.get("refs/heads/gh-pages"), pagesBefore, "the feeds are already current");
  const writes = story.gh.calls.all.filter((c) => c.method !== "GET").map((c) => c.operationId);
  assert.deepEqual(writes, [], "no release, tag or file written");
  assert.equal(record.refs.get("refs/tags/v1"), released);
  assertNoViolations(story.gh);
});

const defect: PlantedDefect = {
  workflow: "release.yml",
  what: "a misspelt step output in the job's outputs",
  replace: ["moved-tags: ${{ steps.release.outputs.moved-tags }}", "moved-tags: ${{ steps.release.outputs.moved_tags }}"],
};

test(`planted defect, ${defect.what}: lint and GitHub's parser accept it, the release run fails its check`, { skip: act.skip }, async () => {
  const text = defectiveWorkflow(defect);
  assert.deepEqual(await actionlint(defect.workflow, text), []);
  assert.deepEqual((await parseWorkflowFile(defect.workflow, text)).errors, []);
  // A new version, so the run has floating tags to move and outputs to report.
  const sha = tagRelease("1.1.0", "Totals in cents.");
  const run = await story.run("release.yml", await tagPush("1.1.0", sha), sha, { rewriteUses: plantDefect(story.repo.work.dir, defect) });
  assert.equal(story.gh.state.repo(CONSUMER)!.refs.get("refs/tags/v1.1"), sha, "the copy did move the tags");
  assert.throws(() => assertReleased(run, "1.1.0"), /the floating tags moved flow out/);
});
