import { test } from "node:test";
import assert from "node:assert/strict";
import {
  checkMethodForType,
  compare,
  ExpressionError,
  parseGoFloat,
  parseThresholdExpression,
  statisticKey,
  type MetricType,
} from "../../../workflows-lib/loadgate/expression.ts";

// Accepted expressions: [source, method key, operator, value]
const valid: Array<[string, string, string, number]> = [
  ["p(95)<200", "p(95)", "<", 200],
  ["p(95) < 200", "p(95)", "<", 200],
  ["  p(95)\t<=\n200  ", "p(95)", "<=", 200],
  ["p(99.90)<300", "p(99.9)", "<", 300],
  ["p(99.9) < 300", "p(99.9)", "<", 300],
  ["p(0)>=0", "p(0)", ">=", 0],
  ["p(100)<1000", "p(100)", "<", 1000],
  ["avg<100.5", "avg", "<", 100.5],
  ["min>0", "min", ">", 0],
  ["med<=50", "med", "<=", 50],
  ["max < 1e3", "max", "<", 1000],
  ["count>=10", "count", ">=", 10],
  ["count===10", "count", "===", 10],
  ["count == 10", "count", "==", 10],
  ["count!=0", "count", "!=", 0],
  ["rate<0.01", "rate", "<", 0.01],
  ["rate>-1", "rate", ">", -1],
  ["value>=+2", "value", ">=", 2],
  ["rate<.5", "rate", "<", 0.5],
  ["value<0x10p0", "value", "<", 16],
];

for (const [source, key, operator, value] of valid) {
  test(`grammar accepts ${JSON.stringify(source)}`, () => {
    const expr = parseThresholdExpression(source);
    assert.equal(statisticKey(expr), key);
    assert.equal(expr.operator, operator);
    assert.equal(expr.value, value);
    assert.equal(expr.source, source);
  });
}

// Rejected expressions, with a fragment of the reason.
const invalid: Array<[string, RegExp]> = [
  ["p(95)", /malformed threshold expression/],
  ["p95<200", /unknown aggregation method "p95"/],
  ["P(95)<200", /unknown aggregation method/],
  ["p( 95 )<200", /malformed percentile/],
  ["p()<200", /malformed percentile/],
  ["p(abc)<200", /malformed percentile/],
  ["p(101)<200", /out of range/],
  ["p(-1)<200", /out of range/],
  ["average<200", /unknown aggregation method "average"/],
  ["my_trend<1000", /unknown aggregation method "my_trend"/],
  ["avg<", /right-hand side/],
  ["avg<abc", /right-hand side/],
  ["avg<200ms", /right-hand side/],
  ["avg<1_000", /right-hand side/],
  ["avg=200", /malformed threshold expression/],
  ["avg=<200", /unknown aggregation method "avg="/],
  ["", /malformed threshold expression/],
  ["<200", /unknown aggregation method ""/],
];

for (const [source, reason] of invalid) {
  test(`grammar rejects ${JSON.stringify(source)}`, () => {
    assert.throws(() => parseThresholdExpression(source), (e: unknown) => e instanceof ExpressionError && reason.test(e.message));
  });
}

test("operators scan in k6's order: the first operator found in the list splits the expression", () => {
  // "<=" is tried before "<", "===" before "==": both parse as the longer operator.
  assert.equal(parseThresholdExpression("avg<=1").operator, "<=");
  assert.equal(parseThresholdExpression("avg===1").operator, "===");
  // "avg>=<1": "<" is tried before ">=", so the left side becomes "avg>=" (invalid), exactly as in k6.
  assert.throws(() => parseThresholdExpression("avg>=<1"), /unknown aggregation method "avg>="/);
});

test("Go float syntax: what strconv.ParseFloat accepts and refuses", () => {
  assert.equal(parseGoFloat("1.5e2"), 150);
  assert.equal(parseGoFloat("1."), 1);
  assert.equal(parseGoFloat("-.25"), -0.25);
  assert.equal(parseGoFloat("0x1.8p1"), 3);
  assert.equal(parseGoFloat("0x_1p4"), 16);
  assert.equal(parseGoFloat("+Inf"), Infinity);
  assert.ok(Number.isNaN(parseGoFloat("NaN")));
  for (const bad of ["", "1e", "1_0", "0x10", "1,5", " 1", "1e400", "e5"]) assert.equal(parseGoFloat(bad), undefined, bad);
});

test("comparison semantics: == and === are equal on numbers, NaN only satisfies !=", () => {
  assert.equal(compare(1, "==", 1), true);
  assert.equal(compare(1, "===", 1), true);
  assert.equal(compare(1, "!=", 1), false);
  assert.equal(compare(NaN, "<", 1), false);
  assert.equal(compare(NaN, ">=", 1), false);
  assert.equal(compare(NaN, "!=", 1), true);
  assert.equal(compare(200, "<", 200), false);
  assert.equal(compare(200, "<=", 200), true);
});

// Method × type: which pairs k6 accepts.
const pairs: Array<[MetricType, string, boolean]> = [
  ["counter", "count>1", true], ["counter", "rate>1", true], ["counter", "value>1", false], ["counter", "avg>1", false], ["counter", "p(95)>1", false],
  ["gauge", "value>1", true], ["gauge", "count>1", false], ["gauge", "rate>1", false], ["gauge", "max>1", false],
  ["rate", "rate>0.5", true], ["rate", "count>1", false], ["rate", "value>1", false], ["rate", "avg>1", false],
  ["trend", "avg>1", true], ["trend", "min>1", true], ["trend", "med>1", true], ["trend", "max>1", true], ["trend", "p(99.9)>1", true],
  ["trend", "count>1", false], ["trend", "rate>1", false], ["trend", "value>1", false],
];
for (const [type, source, allowed] of pairs) {
  test(`${type} ${allowed ? "supports" : "rejects"} ${source}`, () => {
    const expr = parseThresholdExpression(source);
    if (allowed) checkMethodForType(expr, type);
    else assert.throws(() => checkMethodForType(expr, type), /unsupported aggregation method/);
  });
}

test("--duration replaces every stage's duration and keeps the ramp's shape", async () => {
  const { parseScenario } = await import("../../../workflows-lib/loadgate/scenario.ts");
  const ramp = { requests: [{ path: "/" }], stages: [{ connections: 2, duration: "20s" }, { connections: 8, duration: "40s" }] };
  assert.deepEqual(parseScenario(ramp, "scenario", { durationMs: 3000 }).stages.map((s) => [s.connections, s.durationMs]), [[2, 3000], [8, 3000]]);
  assert.deepEqual(parseScenario(ramp).stages.map((s) => s.durationMs), [20_000, 40_000]);
});
