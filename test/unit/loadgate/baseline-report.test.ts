import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../../../workflows-lib/errors.ts";
import { compareWithBaseline, DEFAULT_BUDGETS, parseBudgets } from "../../../workflows-lib/loadgate/baseline.ts";
import { decideGate, gateJson } from "../../../workflows-lib/loadgate/gate.ts";
import { renderLoadGateReport } from "../../../workflows-lib/loadgate/report.ts";
import { parseSummary } from "../../../workflows-lib/loadgate/summary.ts";
import { parseThresholds } from "../../../workflows-lib/loadgate/thresholds.ts";
import { xyChart } from "../../../workflows-lib/report/mermaid.ts";

const summaryWith = (med: number, p95: number, p99: number, failed: number, reqs: number) =>
  parseSummary({
    state: { testRunDurationMs: 2000 },
    metrics: {
      http_req_duration: { type: "trend", contains: "time", values: { avg: med, min: 1, med, max: p99 * 2, "p(90)": p95 * 0.8, "p(95)": p95, "p(99)": p99, count: reqs } },
      http_req_failed: { type: "rate", contains: "default", values: { rate: failed, passes: Math.round(failed * reqs), fails: reqs - Math.round(failed * reqs) } },
      http_reqs: { type: "counter", contains: "default", values: { count: reqs, rate: reqs / 2 } },
    },
  });

// A synthetic pair: main ran at p95 100 ms; the PR at 135 ms (+35 %, +35 ms): beyond 10 % and 20 ms.
const main = summaryWith(40, 100, 150, 0, 1000);
const pr = summaryWith(42, 135, 170, 0.004, 900);
const thresholds = parseThresholds({ http_req_duration: ["p(95)<200"], http_req_failed: ["rate<0.01"] });

test("regression budgets: worse by more than both the relative and the absolute allowance", () => {
  const { checks } = compareWithBaseline(pr, main, DEFAULT_BUDGETS);
  const by = Object.fromEntries(checks.map((c) => [`${c.metric} ${c.statistic}`, c]));
  assert.equal(by["http_req_duration p(95)"]!.ok, false); // +35 ms > max(10 ms, 20 ms)
  assert.equal(by["http_req_duration p(95)"]!.allowed, 20);
  assert.equal(by["http_req_duration p(99)"]!.ok, true); // +20 ms ≤ max(22.5 ms, 30 ms)
  assert.equal(by["http_req_duration med"]!.ok, true); // +2 ms
  assert.equal(by["http_req_failed rate"]!.ok, true); // +0.4 pp ≤ 1 pp
  // A large relative change on a fast endpoint stays within the absolute floor.
  const fast = compareWithBaseline(summaryWith(1, 2, 3, 0, 10), summaryWith(1, 1, 2, 0, 10), DEFAULT_BUDGETS);
  assert.ok(fast.checks.every((c) => c.ok));
  // Throughput: lower is worse.
  const tput = compareWithBaseline(pr, main, { http_reqs: { rate: { relative: 0.05 } } });
  assert.equal(tput.checks[0]!.worse, "lower");
  assert.equal(tput.checks[0]!.ok, false); // 450/s vs 500/s: −10 %
});

test("the gate fails on a regression even when every threshold passes, and the report shows it", () => {
  const gate = decideGate({ thresholds, summary: pr, baseline: main });
  assert.equal(gate.passed, false);
  assert.ok(gate.thresholds.every((t) => t.ok));
  assert.equal(gate.thresholds[0]!.baseline, 100);
  assert.equal(gate.thresholds[0]!.delta, 35);
  const json = gateJson(gate) as { passed: boolean; regressions: Array<{ ok: boolean; statistic: string }> };
  assert.equal(json.passed, false);
  assert.deepEqual(json.regressions.filter((r) => !r.ok).map((r) => r.statistic), ["p(95)"]);

  const md = renderLoadGateReport(gate, pr, { engine: "autocannon", scenario: "orders-ramp", baselineLabel: "main @ 1a2b3c4" }, main);
  assert.match(md, /Load gate failed/);
  assert.match(md, /`http_req_duration p\(95\)` regressed/);
  assert.match(md, /\| ✓ \| `http_req_duration` \| `p\(95\)<200` \| 135 ms \| 100 ms \| \+35\.0 ms \(\+35\.0 %\) \|/);
  assert.match(md, /\| ✗ \| `http_req_duration p\(95\)` \| 100 ms \| 135 ms \| \+35\.0 ms \(\+35\.0 %\) \| \+20\.0 ms \|/);
  assert.match(md, /main @ 1a2b3c4/);
  assert.match(md, /```mermaid\nxychart-beta/);
  assert.match(md, /bar \[40, 80, 100, 150\]\n {2}line \[42, 108, 135, 170\]/);
  assert.match(md, /engine `autocannon` · scenario `orders-ramp`/);
});

test("without a baseline the report says so and the gate judges thresholds only", () => {
  const gate = decideGate({ thresholds, summary: pr });
  assert.equal(gate.passed, true);
  const md = renderLoadGateReport(gate, pr, { engine: "k6 v1.3.0", scenario: "script.js" });
  assert.match(md, /Load gate passed/);
  assert.match(md, /No baseline yet/);
  assert.match(md, /\| ✓ \| `http_req_failed` \| `rate<0\.01` \| 0\.40 % \| — \| — \|/);
});

test("a failed threshold is named in the verdict line", () => {
  const slow = summaryWith(300, 320, 350, 0, 100);
  const gate = decideGate({ thresholds, summary: slow });
  const md = renderLoadGateReport(gate, slow, { engine: "autocannon", scenario: "s" });
  assert.match(md, /Load gate failed\*\*: `http_req_duration: p\(95\)<200`/);
});

test("budgets file validation names the entry", () => {
  assert.throws(() => parseBudgets({ http_req_duration: { "p95": { relative: 0.1 } } }), (e: unknown) => e instanceof InputError && e.message.includes('budgets["http_req_duration"]["p95"]'));
  assert.throws(() => parseBudgets({ http_req_duration: { "p(95)": {} } }), InputError);
  assert.throws(() => parseBudgets({ http_req_duration: { "p(95)": { relative: -1 } } }), InputError);
  assert.deepEqual(parseBudgets({ "http_req_duration{status:200}": { "p(99.9)": { absolute: 5, worse: "higher" } } }), {
    "http_req_duration{status:200}": { "p(99.9)": { absolute: 5, worse: "higher" } },
  });
});

test("mermaid chart: quotes in titles cannot break out, series must match labels", () => {
  const chart = xyChart({ title: 'a "quoted"\ntitle', xLabels: ["x"], series: [{ name: "s", kind: "bar", values: [null] }] });
  assert.match(chart, /title "a 'quoted''title"/);
  assert.match(chart, /bar \[0\]/);
  assert.throws(() => xyChart({ title: "t", xLabels: ["a", "b"], series: [{ name: "s", kind: "line", values: [1] }] }), /2 labels/);
});
