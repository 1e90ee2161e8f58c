import { test } from "node:test";
import assert from "node:assert/strict";
import { hasMarker, planSticky, stickyMarker, withMarker } from "../../../workflows-lib/comment/sticky-plan.ts";

test("the marker is hidden, per purpose, and added once", () => {
  const body = withMarker("hello", "preview");
  assert.ok(body.startsWith("<!-- alchkit:sticky:preview -->\n"));
  assert.equal(withMarker(body, "preview"), body);
  assert.ok(hasMarker(body, "preview"));
  assert.ok(!hasMarker(body, "openapi"), "another purpose's comment is not ours");
  assert.ok(!hasMarker(stickyMarker("preview-2"), "preview"), "a purpose that extends another does not match it");
});

test("upsert creates when nothing is found, updates the first, and deletes duplicates", () => {
  assert.deepEqual(planSticky("upsert", [], "b"), [{ kind: "create", body: "b" }]);
  assert.deepEqual(planSticky("upsert", [{ id: 1, body: "a" }, { id: 2, body: "a" }], "b"), [
    { kind: "update", id: 1, body: "b" },
    { kind: "delete", id: 2 },
  ]);
});

test("upsert of an unchanged body writes nothing", () => {
  assert.deepEqual(planSticky("upsert", [{ id: 7, body: "same" }], "same"), [{ kind: "keep", id: 7 }]);
});

test("recreate, delete and hide-older converge from duplicates", () => {
  const found = [{ id: 1, body: "a" }, { id: 2, body: "b", minimized: true }];
  assert.deepEqual(planSticky("recreate", found, "c"), [{ kind: "delete", id: 1 }, { kind: "delete", id: 2 }, { kind: "create", body: "c" }]);
  assert.deepEqual(planSticky("delete", found, ""), [{ kind: "delete", id: 1 }, { kind: "delete", id: 2 }]);
  assert.deepEqual(planSticky("hide-older", found, "c"), [{ kind: "hide", id: 1 }, { kind: "create", body: "c" }]);
});
