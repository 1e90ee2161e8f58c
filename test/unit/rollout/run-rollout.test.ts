// The rollout use-case on a virtual step clock: "30m" and "1h" steps run in milliseconds. The ports are small
// doubles of the platform (a routing table) and of the load engine (summaries built by the engine's own code).
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildHttpSummary } from "../../../workflows-lib/loadgate/http-summary.ts";
import { planRollout } from "../../../workflows-lib/rollout/plan-rollout.ts";
import type { TrafficSplit } from "../../../workflows-lib/rollout/ports.ts";
import { renderRollout } from "../../../workflows-lib/rollout/rollout-report.ts";
import { runRollout, type RolloutTarget } from "../../../workflows-lib/rollout/run-rollout.ts";

const TARGET: RolloutTarget = {
  environment: "production",
  sha: "c0ffee0000000000000000000000000000000000",
  url: "https://api.example.workers.dev",
  script: "api",
  stable: "11111111-0000-4000-8000-000000000000",
  candidate: "22222222-0000-4000-8000-000000000000",
};

/** A version's answers: the share that fails and the latency, possibly changing with the (virtual) time. */
type Behaviour = (at: number) => { failing: number; ms: number };

function harness(behaviours: { candidate: Behaviour; stable: Behaviour }, options: { routeFails?: (split: TrafficSplit) => boolean } = {}) {
  let clock = 1_000_000;
  const routes: Array<{ at: number; split: TrafficSplit }> = [];
  const measured: Array<{ at: number; versionId: string }> = [];
  const log: string[] = [];
  const events: string[] = [];
  const ports = {
    versions: {
      async route(script: string, split: TrafficSplit) {
        assert.equal(script, "api");
        if (options.routeFails?.(split)) throw new Error("Cloudflare answered 503");
        routes.push({ at: clock, split });
      },
      async restore(): Promise<boolean> {
        throw new Error("a rollout never restores a recorded version; it routes");
      },
    },
    measure: {
      async measure(target: { versionId: string; requests: number }) {
        measured.push({ at: clock, versionId: target.versionId });
        const { failing, ms } = (target.versionId === TARGET.candidate ? behaviours.candidate : behaviours.stable)(clock);
        const bad = Math.round(target.requests * failing);
        const durations = new Map<number, number[]>();
        if (target.requests - bad > 0) durations.set(200, Array.from({ length: target.requests - bad }, (_, i) => ms + (i % 5)));
        if (bad > 0) durations.set(500, Array.from({ length: bad }, () => ms));
        return buildHttpSummary({ durationsByStatus: durations, errors: 0, bytesSent: 0, bytesReceived: 0, connections: [4], durationMs: 1000 });
      },
    },
    clock: { now: () => clock, sleep: async (ms: number) => void (clock += ms) },
    events: {
      stepStarted: async (step: { traffic: number }, index: number) => void events.push(`start ${index} ${step.traffic}`),
      stepEnded: async (outcome: { index: number; verdict: string }) => void events.push(`end ${outcome.index} ${outcome.verdict}`),
      aborted: async (abort: { traffic: number }) => void events.push(`abort ${abort.traffic}`),
    },
    log: (line: string) => log.push(line),
  };
  return { ports, routes, measured, log, events, started: clock, now: () => clock };
}

const healthy: Behaviour = () => ({ failing: 0, ms: 20 });

test("a healthy candidate goes 10 → 50 → 100 in three deployments, measured side by side every interval, without waiting an hour", async () => {
  const plan = planRollout({ strategy: "progressive", stages: [{ traffic: 10, duration: "30m" }, { traffic: 50, duration: "1h" }, { traffic: 100 }], interval: "10m", settle: "5s" }, "rollout")!;
  const h = harness({ candidate: healthy, stable: healthy });
  const wall = performance.now();
  const result = await runRollout(plan, TARGET, h.ports);
  assert.ok(performance.now() - wall < 2000, "the 1h30m rollout ran on the virtual clock");
  assert.equal(result.outcome, "completed");
  assert.deepEqual(
    h.routes.map((r) => r.split.versions.map((v) => `${v.versionId.slice(0, 1)}:${v.percentage}`).join(" ")),
    ["1:90 2:10", "1:50 2:50", "2:100"],
  );
  assert.deepEqual(result.steps.map((s) => [s.traffic, s.verdict, s.measurements.length]), [[10, "passed", 4], [50, "passed", 7], [100, "final", 0]]);
  // Every measurement loads both versions at the same moment.
  for (let i = 0; i < h.measured.length; i += 2) assert.equal(h.measured[i]!.at, h.measured[i + 1]!.at);
  assert.equal(result.durationMs, 30 * 60_000 + 60 * 60_000);
  assert.deepEqual(h.events, ["start 1 10", "end 1 passed", "start 2 50", "end 2 passed", "start 3 100", "end 3 final"]);
});

test("a candidate whose error rate breaches at 10 % is aborted at the first measurement: stable back to 100 % within one interval", async () => {
  const plan = planRollout({ strategy: "progressive", stages: [{ traffic: 10, duration: "30m" }, { traffic: 50, duration: "1h" }], interval: "1m", settle: "5s" }, "rollout")!;
  const h = harness({ candidate: () => ({ failing: 0.2, ms: 20 }), stable: healthy });
  const result = await runRollout(plan, TARGET, h.ports);
  assert.equal(result.outcome, "aborted");
  assert.equal(h.routes.length, 2);
  assert.deepEqual(h.routes[1]!.split, { versions: [{ versionId: TARGET.stable, percentage: 100 }] });
  assert.ok(h.routes[1]!.at - h.routes[0]!.at <= plan.gate.intervalMs, "stable serves 100 % again within one step interval");
  assert.equal(result.abort?.traffic, 10);
  assert.match(result.abort!.reason, /^http_req_failed rate=0\.2 breached rate<0\.01$/);
  assert.equal(result.abort?.measurement?.candidate.errorRate, 0.2);
  assert.equal(result.abort?.measurement?.stable.errorRate, 0);
  assert.deepEqual(h.events, ["start 1 10", "end 1 breached", "abort 10"]);
  assert.match(h.log.join("\n"), /stable version serves 100 % of production again/);
});

test("a candidate that starts failing in the middle of a step is caught at the next measurement", async () => {
  const plan = planRollout({ strategy: "canary", traffic: 10, duration: "1h", interval: "5m", settle: "0s" }, "rollout")!;
  let breakAt = 0;
  const h = harness({ candidate: (at) => ({ failing: breakAt && at >= breakAt ? 0.5 : 0, ms: 20 }), stable: healthy });
  breakAt = h.started + 22 * 60_000;
  const result = await runRollout(plan, TARGET, h.ports);
  assert.equal(result.outcome, "aborted");
  assert.equal(result.abort!.detectedAt, 25 * 60_000, "detected at the first measurement after it broke");
  assert.equal(result.steps[0]!.measurements.length, 6);
});

test("latency against the stable version: a candidate within the thresholds but far slower than stable breaches its budget", async () => {
  const plan = planRollout(
    { strategy: "canary", duration: "0s", thresholds: { http_req_duration: ["p(95)<1000"] }, compare: { http_req_duration: { "p(95)": { relative: 0.2, absolute: 30 } } } },
    "rollout",
  )!;
  const h = harness({ candidate: () => ({ failing: 0, ms: 400 }), stable: () => ({ failing: 0, ms: 100 }) });
  const result = await runRollout(plan, TARGET, h.ports);
  assert.equal(result.outcome, "aborted");
  assert.match(result.abort!.reason, /^http_req_duration p\(95\) 404 vs stable 104 \(allowed \+30\)$/);
});

test("blue-green: the idle version is verified at 0 % (in the deployment, reachable by override), then switched; a manual switch stops after verifying", async () => {
  const auto = harness({ candidate: healthy, stable: healthy });
  const result = await runRollout(planRollout({ strategy: "blue-green", settle: "0s" }, "rollout")!, TARGET, auto.ports);
  assert.equal(result.outcome, "completed");
  assert.deepEqual(auto.routes.map((r) => r.split.versions.map((v) => v.percentage)), [[100, 0], [100]]);
  assert.deepEqual(auto.measured.map((m) => m.versionId).sort(), [TARGET.candidate, TARGET.stable].sort());

  const manual = harness({ candidate: healthy, stable: healthy });
  const verified = await runRollout(planRollout({ strategy: "blue-green", switchover: "manual" }, "rollout")!, TARGET, manual.ports);
  assert.equal(verified.outcome, "verified");
  assert.deepEqual(manual.routes.map((r) => r.split.versions.map((v) => v.percentage)), [[100, 0]]);

  const bad = harness({ candidate: () => ({ failing: 1, ms: 5 }), stable: healthy });
  const refused = await runRollout(planRollout({ strategy: "blue-green" }, "rollout")!, TARGET, bad.ports);
  assert.equal(refused.outcome, "aborted");
  assert.deepEqual(bad.routes.map((r) => r.split.versions.map((v) => v.percentage)), [[100, 0], [100]]);
  assert.equal(bad.routes[1]!.split.versions[0]!.versionId, TARGET.stable, "the idle version never took traffic");
});

test("a failing deployment call aborts to stable; a measurement that throws aborts too; an abort that cannot restore says so", async () => {
  const plan = planRollout({ strategy: "progressive", stages: [{ traffic: 10 }, { traffic: 50 }], settle: "0s" }, "rollout")!;
  const h = harness({ candidate: healthy, stable: healthy }, { routeFails: (split) => split.versions.some((v) => v.percentage === 50) });
  const result = await runRollout(plan, TARGET, h.ports);
  assert.equal(result.outcome, "aborted");
  assert.match(result.abort!.reason, /moving traffic to 50 % failed: Cloudflare answered 503/);
  assert.deepEqual(h.routes.at(-1)!.split.versions, [{ versionId: TARGET.stable, percentage: 100 }]);

  const down = harness({ candidate: healthy, stable: healthy }, { routeFails: (split) => split.versions.length === 1 && split.versions[0]!.versionId === TARGET.stable });
  down.ports.measure.measure = async () => {
    throw new Error("connection refused");
  };
  const lost = await runRollout(plan, TARGET, down.ports);
  assert.equal(lost.outcome, "aborted");
  assert.match(lost.abort!.reason, /could not be measured: connection refused/);
  assert.equal(lost.abort!.restoredAt, undefined);
  assert.match(lost.abort!.restoreError!, /503/);
});

test("the report: each step with its traffic, both versions' numbers side by side, a mermaid chart, the abort", async () => {
  const plan = planRollout({ strategy: "progressive", stages: [{ traffic: 10, duration: "2m" }, { traffic: 50, duration: "5m" }], interval: "1m", settle: "0s" }, "rollout")!;
  let clockStart = 0;
  const h = harness({ candidate: (at) => ({ failing: at - clockStart >= 3 * 60_000 ? 0.25 : 0, ms: 30 }), stable: () => ({ failing: 0, ms: 25 }) });
  clockStart = h.started;
  const result = await runRollout(plan, TARGET, h.ports);
  const markdown = renderRollout(plan, result, { candidate: TARGET.candidate, stable: TARGET.stable });
  assert.match(markdown, /### Rollout: progressive: 10 % for 2m → 50 % for 5m → 100 %/);
  assert.match(markdown, /\| 1 \| 10 % \| 2 min 0 s \| 3 \| 0\.00 % · 0\.00 % \| 34\.0 ms · 29\.0 ms \|/);
  assert.match(markdown, /\| 2 \| 50 % \| .* \| 2 \| 25\.00 % · 0\.00 % \| .* ❌ breached \|/);
  assert.match(markdown, /\| 3 \| 100 % \| – \|.*⏭️ not reached \|/);
  assert.match(markdown, /```mermaid\nxychart-beta\n {2}title "Rollout: the candidate's traffic and error rate per step \(%\)"/);
  assert.match(markdown, /bar \[10, 50\]/);
  assert.match(markdown, /\*\*Aborted at 50 %\*\* \(step 2\): http\\_req\\_failed rate=0\.25 breached rate&lt;0\.01\. The stable version served 100 % again/);
});
