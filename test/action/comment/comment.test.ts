import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertNoViolations, startGitHubStandIn, type GitHubStandIn } from "../../github/index.ts";
import { runActionDist } from "../../harness/run-action.ts";
import { pullRequestEvent } from "../../support/pr-event.ts";

async function standIn(t: { after(fn: () => Promise<void>): void }): Promise<GitHubStandIn> {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  return gh;
}

const comments = (gh: GitHubStandIn) => [...gh.state.repo("octo/app")!.comments.values()] as Array<{ id: number; body: string; minimized: { reason: string } | null }>;

function run(gh: GitHubStandIn, inputs: Record<string, string>, event?: Record<string, unknown>, workspace?: string) {
  return runActionDist({ action: "comment", inputs, event: event ?? pullRequestEvent(gh), github: { url: gh.url, token: gh.token }, ...(workspace ? { workspace } : {}) });
}

test("posts a sticky comment, then edits it in place; the token never shows in the log", async (t) => {
  const gh = await standIn(t);
  const first = await run(gh, { body: "Coverage 80 %", header: "coverage" });
  assert.equal(first.exitCode, 0, first.log);
  assert.equal(first.outputs.outcome, "created");
  assert.match(first.outputs.url ?? "", /^https:\/\/github\.com\/octo\/app\/pull\/1#issuecomment-\d+$/);

  const second = await run(gh, { body: "Coverage 85 %", header: "coverage" });
  assert.equal(second.outputs.outcome, "updated");
  assert.equal(second.outputs["comment-id"], first.outputs["comment-id"]);
  const third = await run(gh, { body: "Coverage 85 %", header: "coverage" });
  assert.equal(third.outputs.outcome, "unchanged");

  const all = comments(gh);
  assert.equal(all.length, 1);
  assert.match(all[0]!.body, /^<!-- alchkit:sticky:coverage -->\nCoverage 85 %$/);
  assert.equal(gh.calls.count("issues/create-comment"), 1);
  assert.ok(first.masked.includes(gh.token), "the token is masked before use");
  assert.ok(!first.log.includes(gh.token) && !second.log.includes(gh.token));
  assertNoViolations(gh);
});

test("another header is another comment; body-path reads a file", async (t) => {
  const gh = await standIn(t);
  const dir = await mkdtemp(join(tmpdir(), "alchkit-comment-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, "report.md"), "| a | b |\n|---|---|\n| 1 | 2 |\n");
  assert.equal((await run(gh, { body: "one", header: "a" })).exitCode, 0);
  const fromFile = await run(gh, { "body-path": join(dir, "report.md"), header: "b" }, undefined, dir);
  assert.equal(fromFile.exitCode, 0, fromFile.log);
  const bodies = comments(gh).map((c) => c.body);
  assert.equal(bodies.length, 2);
  assert.ok(bodies[1]!.includes("| 1 | 2 |"));
  assertNoViolations(gh);
});

test("recreate, hide-older and delete", async (t) => {
  const gh = await standIn(t);
  await run(gh, { body: "v1", header: "h" });
  const recreated = await run(gh, { body: "v2", header: "h", mode: "recreate" });
  assert.equal(recreated.outputs.outcome, "created");
  assert.deepEqual(comments(gh).map((c) => c.body.split("\n")[1]), ["v2"]);

  await run(gh, { body: "v3", header: "h", mode: "hide-older" });
  const afterHide = comments(gh);
  assert.equal(afterHide.length, 2);
  assert.deepEqual(afterHide[0]!.minimized, { reason: "outdated" }, "the older comment is minimized as outdated");
  assert.ok(!afterHide[1]!.minimized);

  const deleted = await run(gh, { header: "h", mode: "delete" });
  assert.equal(deleted.exitCode, 0, deleted.log);
  assert.equal(deleted.outputs.outcome, "deleted");
  assert.equal(comments(gh).length, 0);
  assertNoViolations(gh);
});

test("upsert heals duplicates left behind by an earlier failure", async (t) => {
  const gh = await standIn(t);
  gh.seed.comment("octo/app", 1, "<!-- alchkit:sticky:h -->\nold 1", { user: "github-actions[bot]" });
  gh.seed.comment("octo/app", 1, "someone else's comment");
  gh.seed.comment("octo/app", 1, "<!-- alchkit:sticky:h -->\nold 2", { user: "github-actions[bot]" });
  const result = await run(gh, { body: "new", header: "h" });
  assert.equal(result.exitCode, 0, result.log);
  assert.deepEqual(comments(gh).map((c) => c.body), ["<!-- alchkit:sticky:h -->\nnew", "someone else's comment"]);
  assertNoViolations(gh);
});

test("bad inputs: one ::error:: naming the input, exit 1, nothing written", async (t) => {
  const gh = await standIn(t);
  const cases: Array<[string, Record<string, string>, Record<string, unknown> | undefined, RegExp]> = [
    ["no body", {}, undefined, /^Input body: expected the comment's markdown in body or body-path$/],
    ["unknown mode", { body: "x", mode: "sideways" }, undefined, /^Input mode: expected one of upsert, recreate, delete, hide-older$/],
    ["both body and body-path", { body: "x", "body-path": "x.md" }, undefined, /^Input body: expected either body or body-path, not both$/],
    ["no PR in the event", { body: "x" }, { ref: "refs/heads/main" }, /^Input number: expected a pull request or issue number/],
    ["bad header", { body: "x", header: "Has Spaces" }, undefined, /^Input header: expected lower case letters/],
  ];
  for (const [name, inputs, event, message] of cases) {
    const result = await run(gh, inputs, event);
    assert.equal(result.exitCode, 1, name);
    const errors = result.annotations.filter((a) => a.level === "error");
    assert.equal(errors.length, 1, `${name}: ${result.log}`);
    assert.match(errors[0]!.message, message, name);
  }
  assert.equal(gh.calls.length, 0, "no GitHub call was made");
  assert.equal(comments(gh).length, 0);
});
