import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../../../workflows-lib/errors.ts";
import { evaluateThresholds } from "../../../workflows-lib/loadgate/evaluate.ts";
import { parseThresholds } from "../../../workflows-lib/loadgate/thresholds.ts";
import { parseSummary, type Summary } from "../../../workflows-lib/loadgate/summary.ts";
import { percentile, trendValues } from "../../../workflows-lib/loadgate/http-summary.ts";
import { parseMetricName, metricKey } from "../../../workflows-lib/loadgate/metric-name.ts";
import { shouldAbortRun } from "../../../workflows-lib/loadgate/gate.ts";

function summary(metrics: Record<string, unknown>, durationMs = 2000): Summary {
  return parseSummary({ state: { testRunDurationMs: durationMs }, metrics });
}

const trend = (values: Record<string, number>) => ({ type: "trend", contains: "time", values });

const base = summary({
  http_req_duration: trend({ avg: 50, min: 1, med: 40, max: 400, "p(90)": 90, "p(95)": 150, "p(99)": 300, "p(99.90)": 390, count: 100 }),
  "http_req_duration{status:200}": trend({ avg: 20, min: 1, med: 15, max: 90, "p(90)": 30, "p(95)": 40, "p(99)": 80, count: 90 }),
  'http_req_duration{method:GET,scenario:"orders"}': trend({ avg: 30, min: 1, med: 25, max: 95, "p(90)": 35, "p(95)": 45, "p(99)": 85, count: 50 }),
  "http_req_duration{status:500}": trend({ avg: 0, min: 0, med: 0, max: 0, "p(90)": 0, "p(95)": 0, "p(99)": 0, count: 0 }),
  http_req_failed: { type: "rate", contains: "default", values: { rate: 0.1, passes: 10, fails: 90 } },
  http_reqs: { type: "counter", contains: "default", values: { count: 100 } },
});

const run = (thresholds: Record<string, unknown>, s: Summary = base, zeroSamples?: "fail" | "pass") =>
  evaluateThresholds(parseThresholds(thresholds), s, zeroSamples ? { zeroSamples } : {}).map((r) => [r.expression, r.ok, r.actual]);

test("trend statistics and percentiles, p(99.9) finds the summary's p(99.90)", () => {
  assert.deepEqual(run({ http_req_duration: ["p(95)<200", "p(99) < 250", "p(99.9)<=390", "avg==50", "max!=400"] }), [
    ["p(95)<200", true, 150],
    ["p(99) < 250", false, 300],
    ["p(99.9)<=390", true, 390],
    ["avg==50", true, 50],
    ["max!=400", false, 400],
  ]);
});

test("submetrics match by tag set, whatever the order, spacing and quotes", () => {
  assert.deepEqual(run({ "http_req_duration{ status : 200 }": ["p(95)<50"] }), [["p(95)<50", true, 40]]);
  assert.deepEqual(run({ "http_req_duration{scenario:orders, method:'GET'}": ["med<30"] }), [["med<30", true, 25]]);
  assert.equal(metricKey(parseMetricName("m{b:2,a:1}")), metricKey(parseMetricName("m{a:1, b:2}")));
});

test("malformed submetric selectors are invalid configuration naming the key", () => {
  for (const key of ["http_req_duration{status:200", "http_req_duration{status}", "http_req_duration{status:}", "http_req_duration{status:200}x", "http_req_duration{}"]) {
    assert.throws(() => parseThresholds({ [key]: ["p(95)<1"] }), (e: unknown) => e instanceof InputError && e.message.includes(key), key);
  }
});

test("a counter's rate is its count per second of the test run when the summary lacks it", () => {
  assert.deepEqual(run({ http_reqs: ["rate>=50", "count>99"] }), [["rate>=50", true, 50], ["count>99", true, 100]]);
});

test("zero samples fail by default and pass when switched to k6's behaviour", () => {
  const zero = { "http_req_duration{status:500}": ["p(95)<1"], "http_req_duration{status:404}": ["max<1"], my_counter: ["count<1"] };
  assert.deepEqual(run(zero), [["p(95)<1", false, null], ["max<1", false, null], ["count<1", false, null]]);
  assert.deepEqual(run(zero, base, "pass"), [["p(95)<1", true, null], ["max<1", true, null], ["count<1", true, null]]);
});

test("a statistic absent from the summary is an error naming the threshold, never a pass", () => {
  assert.throws(() => run({ "http_req_duration{status:200}": ["p(99.9)<100"] }), (e: unknown) =>
    e instanceof InputError && e.message.includes('thresholds["http_req_duration{status:200}"][0]') && /summaryTrendStats/.test(e.message));
});

test("wrong method/type pairs name the threshold, also for submetrics and absent built-in metrics", () => {
  assert.throws(() => run({ "http_req_duration{status:200}": ["rate<1"] }), /rate<1.*trend/);
  assert.throws(() => run({ vus: ["count<1"] }), /vus: count<1.*gauge/);
  assert.throws(() => run({ http_req_failed: ["p(95)<1"] }), /unsupported aggregation method p\(N\) on a metric of type rate/);
});

test("thresholds file: object form, single values, and bad shapes", () => {
  const specs = parseThresholds({ http_reqs: "count>1", http_req_failed: { threshold: "rate<0.1", abortOnFail: true, delayAbortEval: "10s" } });
  assert.equal(specs.length, 2);
  assert.equal(specs[1]!.abortOnFail, true);
  assert.equal(specs[1]!.delayAbortEval, "10s");
  assert.throws(() => parseThresholds([]), /thresholds: expected an object/);
  assert.throws(() => parseThresholds({ a: [] }), /thresholds\["a"\]: expected at least one/);
  assert.throws(() => parseThresholds({ a: [{ threshold: "count>1", abortOnFail: "yes" }] }), /thresholds\["a"\]\[0\]\.abortOnFail: expected a boolean/);
  assert.throws(() => parseThresholds({ a: [{ threshold: "count>1", delayAbortEval: "soon" }] }), /delayAbortEval/);
  assert.throws(() => parseThresholds({ a: [{ threshold: "count>1", abortOnFial: true }] }), /abortOnFial/);
  assert.throws(() => parseThresholds({ a: [42] }), /thresholds\["a"\]\[0\]: expected a threshold expression/);
});

test("k6's percentile interpolation over sorted samples", () => {
  const sorted = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(percentile(sorted, 50), 5.5);
  assert.equal(percentile(sorted, 90), 9.1);
  assert.equal(percentile(sorted, 0), 1);
  assert.equal(percentile(sorted, 100), 10);
  const values = trendValues([10, 1, 5], [99.9, 50]);
  assert.equal(values["p(50)"], 5, "a p(50) threshold finds its statistic");
  assert.deepEqual([values.min, values.med, values.max, values.count], [1, 5, 10, 3]);
  assert.ok(Math.abs(values["p(99.9)"]! - 9.99) < 1e-9);
});

test("abortOnFail: stops only after delayAbortEval, never for lack of samples", () => {
  const specs = parseThresholds({ http_req_duration: [{ threshold: "p(95)<100", abortOnFail: true, delayAbortEval: "5s" }], http_reqs: ["count>1000"] });
  assert.equal(shouldAbortRun(specs, base, 1000), false);
  assert.equal(shouldAbortRun(specs, base, 6000), true);
  const notAborting = parseThresholds({ http_req_duration: ["p(95)<100"] }); // fails, but without abortOnFail
  assert.equal(shouldAbortRun(notAborting, base, 6000), false);
  const failing = parseThresholds({ http_req_duration: [{ threshold: "p(95)<100", abortOnFail: true }] });
  assert.equal(shouldAbortRun(failing, base, 10), true);
  const unsampled = parseThresholds({ "http_req_duration{status:500}": [{ threshold: "p(95)<1", abortOnFail: true }] });
  assert.equal(shouldAbortRun(unsampled, base, 10), false);
});
