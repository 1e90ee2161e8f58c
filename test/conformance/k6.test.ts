// k6's own summary fixtures (grafana/k6 internal/js/summary_test.go), both shapes k6 writes.
// Note: k6's test mocks threshold verdicts (it sets them by hand), so the recorded flags do not follow from
// the values; what must hold is that both shapes read to the same model and the same recorded verdicts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseSummary, findPercentile } from "../../workflows-lib/loadgate/summary.ts";
import { parseThresholds } from "../../workflows-lib/loadgate/thresholds.ts";
import { evaluateThresholds } from "../../workflows-lib/loadgate/evaluate.ts";
import { InputError } from "../../workflows-lib/errors.ts";
import { corpusSkip } from "../support/conformance.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const corpus = path.resolve(repoRoot, "../shared/conformance/k6");
const load = (name: string): unknown => JSON.parse(readFileSync(path.join(corpus, name), "utf8"));

const skip = corpusSkip("k6");
const modern = skip ? (undefined as never) : parseSummary(load("handle-summary-data.json"));
const legacy = skip ? (undefined as never) : parseSummary(load("summary-export-legacy.json"));

test("shapes are detected", { skip }, () => {
  assert.equal(modern.shape, "handleSummary");
  assert.equal(legacy.shape, "legacy");
  assert.equal(modern.testRunDurationMs, 1000);
  assert.deepEqual(modern.summaryTrendStats, ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)", "count"]);
});

test("both shapes read to the same metric types and values", { skip }, () => {
  assert.deepEqual(Object.keys(legacy.metrics).sort(), Object.keys(modern.metrics).sort());
  for (const [name, m] of Object.entries(modern.metrics)) {
    const l = legacy.metrics[name]!;
    assert.equal(l.type, m.type, `${name} type`);
    assert.deepEqual(l.values, m.values, `${name} values`);
  }
  assert.equal(modern.metrics.checks!.type, "rate");
  assert.equal(legacy.metrics.checks!.values.rate, 0.75); // legacy writes a rate as `value`
  assert.equal(legacy.metrics.my_trend!.type, "trend");
  assert.equal(legacy.metrics.http_reqs!.type, "counter");
  assert.equal(legacy.metrics.vus!.type, "gauge");
  assert.equal(findPercentile(legacy.metrics.my_trend!.values, 99), 19.9);
});

test("recorded verdicts agree: legacy `true` means failed, handleSummary `ok` means passed", { skip }, () => {
  for (const [name, m] of Object.entries(modern.metrics)) {
    assert.deepEqual(legacy.metrics[name]!.thresholds, m.thresholds, name);
  }
  assert.deepEqual(legacy.metrics.http_reqs!.thresholds, { "rate<100": { ok: false } });
  assert.deepEqual(legacy.metrics.checks!.thresholds, { "rate>70": { ok: true } });
});

for (const summary of skip ? [] : [modern, legacy]) {
  test(`the fixture's valid thresholds evaluate by k6 semantics (${summary.shape})`, () => {
    const specs = parseThresholds({ checks: ["rate>70", "rate>0.7"], http_reqs: ["rate<100", "count==3"], vus: ["value===1"] });
    const results = evaluateThresholds(specs, summary);
    assert.deepEqual(
      results.map((r) => [r.metric, r.expression, r.ok, r.actual]),
      [
        ["checks", "rate>70", false, 0.75],
        ["checks", "rate>0.7", true, 0.75],
        ["http_reqs", "rate<100", true, 3],
        ["http_reqs", "count==3", true, 3],
        ["vus", "value===1", true, 1],
      ],
    );
    // k6's recorded (mocked) verdicts are carried along for transparency.
    assert.equal(results[0]!.k6Verdict, true);
    assert.equal(results[2]!.k6Verdict, false);
  });

  test(`the fixture's "my_trend<1000" is invalid configuration naming the threshold (${summary.shape})`, () => {
    assert.throws(
      () => parseThresholds({ my_trend: ["my_trend<1000"] }),
      (e: unknown) => e instanceof InputError && e.message.includes('thresholds["my_trend"][0]') && e.message.includes("my_trend<1000"),
    );
  });

  test(`p(99.9) is not in the fixture's summaryTrendStats: an error, never a pass (${summary.shape})`, () => {
    const specs = parseThresholds({ my_trend: ["p(99.9)<1000"] });
    assert.throws(() => evaluateThresholds(specs, summary), (e: unknown) => e instanceof InputError && /summaryTrendStats/.test(e.message));
  });

  test(`wrong method for the metric type is invalid configuration (${summary.shape})`, () => {
    const specs = parseThresholds({ my_trend: ["count>1"] });
    assert.throws(() => evaluateThresholds(specs, summary), (e: unknown) =>
      e instanceof InputError && /unsupported aggregation method count on a metric of type trend/.test(e.message) && e.message.includes("my_trend"));
  });
}
