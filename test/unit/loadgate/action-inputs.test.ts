import { test } from "node:test";
import assert from "node:assert/strict";
import { loadGateInputs, shouldSaveBaseline } from "../../../workflows-lib/loadgate/action-inputs.ts";
import { parseInputs, kebab } from "../../../workflows-lib/validate.ts";
import { InputError } from "../../../workflows-lib/errors.ts";

const push = (ref: string, eventName = "push") => ({ eventName, ref, event: { repository: { default_branch: "main" } } });

test("save-baseline auto: pushes, manual and scheduled runs on the default branch only", () => {
  assert.equal(shouldSaveBaseline("auto", push("refs/heads/main")), true);
  assert.equal(shouldSaveBaseline("auto", push("refs/heads/main", "workflow_dispatch")), true);
  assert.equal(shouldSaveBaseline("auto", push("refs/heads/feature")), false);
  assert.equal(shouldSaveBaseline("auto", push("refs/pull/1/merge", "pull_request")), false);
  assert.equal(shouldSaveBaseline("auto", push("refs/tags/v1.0.0")), false);
  assert.equal(shouldSaveBaseline("auto", { eventName: "push", ref: "refs/heads/main", event: {} }), false, "unknown default branch: never");
  assert.equal(shouldSaveBaseline("true", push("refs/heads/feature", "pull_request")), true);
  assert.equal(shouldSaveBaseline("false", push("refs/heads/main")), false);
});

test("inputs: defaults, and one error naming a bad input", () => {
  const ok = parseInputs(loadGateInputs, { url: "https://pr-1.example.workers.dev", thresholds: "load/thresholds.json" }, kebab);
  assert.equal(ok.engine, "autocannon");
  assert.equal(ok.k6Version, "1.3.0");
  assert.equal(ok.comment, true);
  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ url: "ftp://x", thresholds: "t" }, /^url: /],
    [{ url: "http://x", thresholds: "t", engine: "jmeter" }, /^engine: expected autocannon or k6/],
    [{ url: "http://x", thresholds: "t", "k6Version": "latest" }, /^k6-version: /],
    [{ url: "http://x", thresholds: "t", k6Sha256: "abc" }, /^k6-sha256: expected a sha256/],
    [{ url: "http://x", thresholds: "t", duration: "10" }, /^duration: /],
    [{ url: "http://x", thresholds: "t", connections: "-1" }, /^connections: /],
    [{ url: "http://x", thresholds: "t", zeroSamples: "ignore" }, /^zero-samples: /],
  ];
  for (const [raw, message] of bad) {
    assert.throws(() => parseInputs(loadGateInputs, raw, kebab), (e: unknown) => e instanceof InputError && message.test(e.message), JSON.stringify(raw));
  }
});
