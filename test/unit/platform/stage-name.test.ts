import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../../workflows-lib/errors.ts";
import { assertDestroyable, isValidStage, normalizeStage, WORKER_NAME_MAX } from "../../../workflows-lib/platform/stage-name.ts";

test("branch names become stage names", () => {
  assert.equal(normalizeStage("feature/Add-Orders"), "feature-add-orders");
  assert.equal(normalizeStage("refs/heads/fix//Double__under"), "fix-double-under");
  assert.equal(normalizeStage("  PR-12  "), "pr-12");
  assert.equal(normalizeStage("dependabot/npm_and_yarn/hono-4.13.19"), "dependabot-npm-and-yarn-hono-4-13-19");
});

test("long names fit the Worker name limit with the app prefix and stay distinct", () => {
  const prefix = "consumer-app-api";
  const a = normalizeStage(`feature/${"very-long-branch-name-".repeat(4)}one`, { prefix });
  const b = normalizeStage(`feature/${"very-long-branch-name-".repeat(4)}two`, { prefix });
  assert.ok(`${prefix}-${a}`.length <= WORKER_NAME_MAX, a);
  assert.notEqual(a, b);
  assert.ok(isValidStage(a));
  assert.match(a, /^feature-very-long-branch.*-[0-9a-f]{6}$/);
});

test("a name with nothing usable, or a prefix that leaves no room, is one InputError", () => {
  assert.throws(() => normalizeStage("///"), (e) => e instanceof InputError && /stage: expected a name/.test(e.message));
  assert.throws(() => normalizeStage("pr-1", { prefix: "x".repeat(60) }), InputError);
});

test("protected stages are refused whatever their case; others pass", () => {
  for (const stage of ["prod", "production", "staging", "Prod"]) {
    assert.throws(() => assertDestroyable(stage), (e) => e instanceof InputError && e.message.includes(`refusing to destroy "${stage}"`));
  }
  assert.throws(() => assertDestroyable("live", ["live"]), InputError);
  assert.doesNotThrow(() => assertDestroyable("pr-1"));
  assert.doesNotThrow(() => assertDestroyable("staging", []));
});
