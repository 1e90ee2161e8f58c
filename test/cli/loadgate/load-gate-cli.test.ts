// `alchkit load-gate run|evaluate` through the CLI's own entry (runCli): exit codes, JSON, files written.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { commands } from "../../../workflows-lib/cli/commands/index.ts";
import { corpusSkip } from "../../support/conformance.ts";
import { alchkitInProcess } from "../../support/cli.ts";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const k6Fixtures = path.resolve(repoRoot, "../shared/conformance/k6");

async function cli(argv: string[], cwd: string) {
  const { code, stdout, stderr } = await alchkitInProcess(argv, { cwd, commands, env: {}, outputs: [cwd] });
  return { code, stdout, stderr };
}

function workdir(t: { after: (fn: () => void) => void }, files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "alchkit-load-gate-cli-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), typeof content === "string" ? content : JSON.stringify(content));
  return dir;
}

test("evaluate: exit 0 when every threshold holds, JSON as documented", { skip: corpusSkip("k6") }, async (t) => {
  const dir = workdir(t, { "t.json": { http_reqs: ["count==3", "rate<100"], checks: ["rate>0.7"], vus: ["value>=1"] } });
  const r = await cli(["load-gate", "evaluate", "--summary", path.join(k6Fixtures, "handle-summary-data.json"), "--thresholds", "t.json"], dir);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as { passed: boolean; thresholds: Array<Record<string, unknown>>; regressions: unknown[] };
  assert.equal(json.passed, true);
  assert.deepEqual(json.thresholds.map((x) => [x.metric, x.expression, x.ok, x.actual]), [
    ["http_reqs", "count==3", true, 3], ["http_reqs", "rate<100", true, 3], ["checks", "rate>0.7", true, 0.75], ["vus", "value>=1", true, 1],
  ]);
  assert.deepEqual(json.regressions, []);
});

test("evaluate: exit 1 when a threshold fails (legacy export, object form), markdown names it", { skip: corpusSkip("k6") }, async (t) => {
  const dir = workdir(t, { "t.json": { my_trend: ["p(95) < 19", { threshold: "max<=20", abortOnFail: true }] } });
  const args = ["load-gate", "evaluate", "--summary", path.join(k6Fixtures, "summary-export-legacy.json"), "--thresholds", "t.json"];
  const r = await cli(args, dir);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual((JSON.parse(r.stdout) as { thresholds: Array<{ ok: boolean }> }).thresholds.map((x) => x.ok), [false, true]);
  const md = await cli([...args, "--format", "markdown"], dir);
  assert.equal(md.code, 1);
  assert.match(md.stdout, /Load gate failed\*\*: `my_trend: p\(95\) < 19`/);
});

test("evaluate: a baseline regression alone fails with exit 1", async (t) => {
  const summary = (p95: number) => ({ metrics: { http_req_duration: { type: "trend", contains: "time", values: { avg: 10, min: 1, med: 10, max: 300, "p(90)": 50, "p(95)": p95, "p(99)": 200, count: 50 } } } });
  const dir = workdir(t, { "t.json": { http_req_duration: ["p(95)<500"] }, "pr.json": summary(160), "main.json": summary(100) });
  const r = await cli(["load-gate", "evaluate", "--summary", "pr.json", "--thresholds", "t.json", "--baseline", "main.json"], dir);
  assert.equal(r.code, 1);
  const json = JSON.parse(r.stdout) as { thresholds: Array<{ ok: boolean; baseline: number; delta: number }>; regressions: Array<{ statistic: string; ok: boolean }> };
  assert.equal(json.thresholds[0]!.ok, true);
  assert.equal(json.thresholds[0]!.baseline, 100);
  assert.equal(json.thresholds[0]!.delta, 60);
  assert.deepEqual(json.regressions.filter((x) => !x.ok).map((x) => x.statistic), ["p(95)"]);
  const relaxed = workdir(t, { "b.json": { http_req_duration: { "p(95)": { relative: 1 } } } });
  const ok = await cli(["load-gate", "evaluate", "--summary", path.join(dir, "pr.json"), "--thresholds", path.join(dir, "t.json"), "--baseline", path.join(dir, "main.json"), "--budgets", "b.json"], relaxed);
  assert.equal(ok.code, 0, ok.stdout);
});

test("evaluate: invalid expressions and wrong method/type pairs exit 2 naming the threshold", { skip: corpusSkip("k6") }, async (t) => {
  const cases: Array<[unknown, RegExp]> = [
    [{ http_req_duration: ["p95<200"] }, /--thresholds\["http_req_duration"\]\[0\] \(http_req_duration: p95<200\).*unknown aggregation method "p95"/],
    [{ http_req_duration: ["p(95)<"] }, /\(http_req_duration: p\(95\)<\).*right-hand side/],
    [{ http_reqs: ["avg<1"] }, /\(http_reqs: avg<1\): expected a method a counter metric supports/],
    [{ checks: ["count>1"] }, /\(checks: count>1\): expected a method a rate metric supports/],
    [{ vus: ["rate>1"] }, /\(vus: rate>1\): expected a method a gauge metric supports/],
    [{ my_trend: ["p(99.9)<1"] }, /\(my_trend: p\(99\.9\)<1\).*summaryTrendStats/],
    [{ "http_req_duration{status:200": ["p(95)<1"] }, /--thresholds\["http_req_duration\{status:200"\]/],
  ];
  for (const [thresholds, message] of cases) {
    const dir = workdir(t, { "t.json": thresholds });
    const r = await cli(["load-gate", "evaluate", "--summary", path.join(k6Fixtures, "handle-summary-data.json"), "--thresholds", "t.json"], dir);
    assert.equal(r.code, 2, JSON.stringify(thresholds));
    assert.match(r.stderr, message);
    assert.equal(r.stdout, "", "nothing half-written");
  }
  const dir = workdir(t, { "t.json": { http_reqs: ["count>1"] }, "bad.json": "{", "nope.json": { metrics: { x: { type: "histogram", values: {} } } } });
  assert.match((await cli(["load-gate", "evaluate", "--summary", "bad.json", "--thresholds", "t.json"], dir)).stderr, /--summary: expected a JSON file/);
  assert.match((await cli(["load-gate", "evaluate", "--summary", "nope.json", "--thresholds", "t.json"], dir)).stderr, /--summary: expected a k6 summary.*metrics\.x\.type/);
  assert.match((await cli(["load-gate", "evaluate", "--summary", "missing.json", "--thresholds", "t.json"], dir)).stderr, /--summary: expected a readable file/);
  assert.equal((await cli(["load-gate", "evaluate", "--summary", "bad.json", "--thresholds", "t.json", "--format", "html"], dir)).code, 2);
});

test("run: autocannon against a local server, files in --out; a slow endpoint fails the gate", async (t) => {
  const server = http.createServer((req, res) => {
    if (req.url === "/slow") setTimeout(() => res.end("slow"), 250);
    else res.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = workdir(t, {
    "t.json": { http_req_duration: ["p(95)<200"], http_req_failed: ["rate<0.01"], "http_reqs{status:200}": ["count>0"] },
    "fast.json": { name: "fast", requests: [{ path: "/" }] },
    "slow.json": { name: "slow", requests: [{ path: "/slow" }] },
  });
  const fast = await cli(["load-gate", "run", "--url", url, "--thresholds", "t.json", "--script", "fast.json", "--duration", "1s", "--connections", "2", "--out", "out-fast"], dir);
  assert.equal(fast.code, 0, fast.stderr + fast.stdout);
  const json = JSON.parse(fast.stdout) as { passed: boolean; engine: string; scenario: string };
  assert.deepEqual([json.passed, json.engine, json.scenario], [true, "autocannon", "fast"]);
  for (const f of ["summary.json", "result.json", "report.md"]) assert.ok(existsSync(path.join(dir, "out-fast", f)), f);
  // The written summary is itself a valid --summary for evaluate (and a --baseline).
  const again = await cli(["load-gate", "evaluate", "--summary", "out-fast/summary.json", "--thresholds", "t.json"], dir);
  assert.equal(again.code, 0, again.stderr);

  const slow = await cli(["load-gate", "run", "--url", url, "--thresholds", "t.json", "--script", "slow.json", "--duration", "1s", "--connections", "2", "--out", "out-slow", "--baseline", "out-fast/summary.json"], dir);
  assert.equal(slow.code, 1);
  const report = readFileSync(path.join(dir, "out-slow", "report.md"), "utf8");
  assert.match(report, /Load gate failed\*\*: `http_req_duration: p\(95\)<200`/);
  assert.match(report, /Regression against the baseline/);

  const bad = await cli(["load-gate", "run", "--url", "ftp://x", "--thresholds", "t.json"], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--url/);
  const noScript = await cli(["load-gate", "run", "--url", url, "--thresholds", "t.json", "--engine", "k6"], dir);
  assert.equal(noScript.code, 2);
  assert.match(noScript.stderr, /--script: expected a k6 script/);
});
