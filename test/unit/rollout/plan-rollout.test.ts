import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../../workflows-lib/errors.ts";
import { parseConfig } from "../../../workflows-lib/config/parse-config.ts";
import { describeRollout, planRollout } from "../../../workflows-lib/rollout/plan-rollout.ts";

const bad = (raw: unknown, pattern: RegExp) =>
  assert.throws(
    () => planRollout(raw, "rollout.production"),
    (error: unknown) => error instanceof InputError && pattern.test(error.message),
  );

test("all-at-once (and no strategy at all) plans no rollout", () => {
  assert.equal(planRollout("all-at-once", "rollout.production"), undefined);
  assert.equal(planRollout({ strategy: "all-at-once" }, "rollout.production"), undefined);
});

test("canary: the canary share for its duration, then all traffic; the roadmap's {canary, stable} form works", () => {
  const plan = planRollout({ strategy: "canary", traffic: { canary: 10, stable: 90 }, duration: "30m", metrics: ["error_rate", "latency"] }, "rollout.production")!;
  assert.deepEqual(plan.steps, [
    { traffic: 10, holdMs: 1_800_000 },
    { traffic: 100, holdMs: 0 },
  ]);
  assert.deepEqual(
    plan.gate.thresholds.map((t) => `${t.metric} ${t.expression.source}`),
    ["http_req_failed rate<0.01", "http_req_duration p(95)<500", "http_req_duration p(99)<1000"],
  );
  assert.equal(describeRollout(plan), "canary: 10 % for 30m → 100 %");
  assert.deepEqual(planRollout("canary", "r")!.steps, [
    { traffic: 10, holdMs: 600_000 },
    { traffic: 100, holdMs: 0 },
  ]);
});

test("progressive: the stages as written; a last stage below 100 is followed by 100", () => {
  const plan = planRollout({ strategy: "progressive", stages: [{ traffic: 10, duration: "30m" }, { traffic: 50, duration: "1h" }, { traffic: 100 }] }, "r")!;
  assert.deepEqual(plan.steps.map((s) => [s.traffic, s.holdMs]), [[10, 1_800_000], [50, 3_600_000], [100, 0]]);
  assert.deepEqual(planRollout({ strategy: "progressive", stages: [{ traffic: 25 }] }, "r")!.steps.map((s) => s.traffic), [25, 100]);
});

test("blue-green: the idle version at 0 % (override only), then the switch; manual or automatic", () => {
  const plan = planRollout({ strategy: "blue-green", switchover: "manual", duration: "2m" }, "r")!;
  assert.deepEqual(plan.steps, [
    { traffic: 0, holdMs: 120_000 },
    { traffic: 100, holdMs: 0 },
  ]);
  assert.equal(plan.switchover, "manual");
  assert.equal(planRollout("blue-green", "r")!.switchover, "automatic");
});

test("bad configuration is one clear error naming the key", () => {
  bad({ strategy: "progressive", stages: [{ traffic: 50 }, { traffic: 20 }] }, /^rollout\.production\.stages\.1\.traffic: expected more traffic than the stage before \(50 %\)/);
  bad({ strategy: "progressive", stages: [{ traffic: 10 }, { traffic: 10 }] }, /stages\.1\.traffic: expected more traffic than the stage before \(10 %\)/);
  bad({ strategy: "progressive", stages: [{ traffic: 10 }, { traffic: 150 }] }, /^rollout\.production\.stages\.1\.traffic: expected a stage share of at most 100 %/);
  bad({ strategy: "canary", traffic: 0 }, /traffic: expected a canary share of at least 1 %/);
  bad({ strategy: "canary", traffic: { canary: 20, stable: 90 } }, /traffic: expected canary and stable adding up to 100/);
  bad({ strategy: "canary", thresholds: { http_req_failed: ["rate<>0.01"] } }, /^rollout\.production\.thresholds\.http_req_failed: expected a k6 threshold expression such as p\(95\)<200 .*; got "rate<>0\.01"/);
  bad({ strategy: "canary", thresholds: { http_req_duration: ["p95 < 200"] } }, /thresholds\.http_req_duration: expected a k6 threshold expression/);
  bad({ strategy: "canary", thresholds: { iterations: ["count>1"] } }, /thresholds\["iterations"\]\[0\]: expected a threshold on http_req_failed, http_req_duration, http_reqs/);
  bad({ strategy: "canary", thresholds: { workers_requests_failed: ["rate<0.01"] } }, /without analytics: true/);
  bad({ strategy: "canary", duration: "half an hour" }, /duration: expected a duration such as "30s"/);
  bad({ strategy: "rainbow" }, /^rollout\.production\.strategy: expected a strategy: all-at-once, canary, progressive, blue-green/);
  bad({ strategy: "blue-green", switchover: "later" }, /switchover: expected automatic or manual/);
  bad({ strategy: "canary", stages: [{ traffic: 10 }] }, /rollout\.production/);
  bad({ strategy: "canary", compare: { http_req_duration: { "p(95)": { relative: -1 } } } }, /^rollout\.production\.compare\.http_req_duration: expected/);
});

test("the section is part of alchkit.config: a bad value fails loading the file, naming it and the key", () => {
  assert.throws(
    () => parseConfig({ rollout: { production: { strategy: "progressive", stages: [{ traffic: 60 }, { traffic: 50 }] } } }, "alchkit.config.json"),
    /^InputError: alchkit\.config\.json\.rollout\.production\.stages\.1\.traffic: expected more traffic than the stage before \(60 %\)/,
  );
  assert.throws(
    () => parseConfig({ rollout: { production: { strategy: "canary", thresholds: { http_req_failed: "rate>>1" } } } }, "alchkit.config.ts"),
    /alchkit\.config\.ts\.rollout\.production\.thresholds\.http_req_failed: expected a k6 threshold expression/,
  );
  const config = parseConfig({ rollout: { production: "canary", staging: { strategy: "progressive", stages: [{ traffic: 20, duration: "1m" }] } } }, "alchkit.config.json");
  assert.equal(config.rollout?.production?.strategy, "canary");
});
