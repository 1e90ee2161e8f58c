import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { callerWorkflowFile, rangeFromEvent } from "../../../workflows-lib/matrix/event-range.ts";
import { InputError } from "../../../workflows-lib/errors.ts";

const sha = "a".repeat(40);

describe("rangeFromEvent", () => {
  it("a pull request compares its base commit with its head commit (not the merge commit)", () => {
    const event = { pull_request: { base: { sha: "b1" }, head: { sha: "h1" } } };
    assert.deepEqual(rangeFromEvent({ eventName: "pull_request", event, sha }), { kind: "compare", base: "b1", head: "h1" });
    assert.deepEqual(rangeFromEvent({ eventName: "pull_request_target", event, sha }), { kind: "compare", base: "b1", head: "h1" });
  });

  it("a merge queue group compares its base with its head", () => {
    const event = { merge_group: { base_sha: "b2", head_sha: "h2" } };
    assert.deepEqual(rangeFromEvent({ eventName: "merge_group", event, sha }), { kind: "compare", base: "b2", head: "h2" });
  });

  it("a push compares before with after; a tag push runs everything", () => {
    assert.deepEqual(rangeFromEvent({ eventName: "push", event: { before: "p1", after: "p2", ref: "refs/heads/main" }, sha }), {
      kind: "push",
      before: "p1",
      after: "p2",
    });
    const tag = rangeFromEvent({ eventName: "push", event: { before: "0".repeat(40), after: "p2", ref: "refs/tags/v1.2.0" }, sha });
    assert.equal(tag.kind, "everything");
  });

  it("manual and scheduled runs run everything, explicit inputs win, all wins over everything", () => {
    assert.equal(rangeFromEvent({ eventName: "workflow_dispatch", event: {}, sha }).kind, "everything");
    assert.equal(rangeFromEvent({ eventName: "schedule", event: {}, sha }).kind, "everything");
    assert.deepEqual(rangeFromEvent({ eventName: "workflow_dispatch", event: {}, sha, base: "main" }), { kind: "compare", base: "main", head: sha });
    assert.equal(rangeFromEvent({ eventName: "pull_request", event: { pull_request: { base: { sha: "b" }, head: { sha: "h" } } }, sha, all: true }).kind, "everything");
  });

  it("head without base is bad input naming base", () => {
    assert.throws(() => rangeFromEvent({ eventName: "push", event: {}, sha, head: "x" }), (e: unknown) => e instanceof InputError && /^base: /.test(e.message));
  });
});

describe("callerWorkflowFile", () => {
  it("takes the caller's workflow path from GITHUB_WORKFLOW_REF", () => {
    assert.deepEqual(callerWorkflowFile("octo/app/.github/workflows/ci.yml@refs/pull/3/merge"), [".github/workflows/ci.yml"]);
    assert.deepEqual(callerWorkflowFile(undefined), []);
    assert.deepEqual(callerWorkflowFile("garbage"), []);
  });
});
