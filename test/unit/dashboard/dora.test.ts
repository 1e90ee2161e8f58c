import assert from "node:assert/strict";
import { test } from "node:test";
import { buildDashboard, type DashboardPorts } from "../../../workflows-lib/dashboard/model.ts";
import { HOUR, MIN, expectedDora, shaOf, startOf, syntheticLedger, syntheticPorts } from "../../support/synthetic-ledger.ts";

const COUNT = 500;

test("DORA metrics over 7, 30 and 90 days equal the synthetic ledger's known answers (500 production deployments)", async () => {
  const { entries, now, firstCommit } = syntheticLedger(COUNT);
  const calls: string[] = [];
  const model = await buildDashboard({ entries, now, production: ["production"], repository: "octo/app", source: "local" }, syntheticPorts(firstCommit, calls));
  assert.deepEqual(model.dora.windows.map((w) => w.days), [7, 30, 90]);
  for (const window of model.dora.windows) {
    const want = expectedDora(now, window.days, COUNT);
    const got = {
      deployments: window.deployments,
      deploymentFrequency: window.deploymentFrequency,
      leadTimeMs: window.leadTimeMs,
      changes: window.changes,
      failedChanges: window.failedChanges,
      changeFailureRate: window.changeFailureRate,
      timeToRestoreMs: window.timeToRestoreMs,
      restored: window.restored,
    };
    assert.deepEqual(got, want, `${window.days} days`);
    assert.equal(window.unrestored, 0);
  }
  // Concrete numbers for the 30-day window, so a change of definition shows here too.
  const month = model.dora.windows[1]!;
  assert.equal(month.changes, 149, "changes 351–499");
  assert.equal(month.failedChanges, 15 + 6 + 3);
  assert.equal(month.deployments, 134);
  assert.equal(month.deploymentFrequency, 134 / 30);
  assert.equal(month.timeToRestoreMs, 3 * MIN);
  assert.equal(month.bands.deploymentFrequency, "elite");
  assert.equal(month.bands.changeFailureRate, "low");
  // Staging is not production: its 500 deploys count nowhere.
  assert.equal(model.counts.changes, COUNT + 1);
  // The range of a change starts at what was live: after a rollback, the restored SHA.
  const after = calls.find((c) => c.endsWith(`..${shaOf(484)}`));
  assert.equal(after, `${shaOf(481)}..${shaOf(484)}`, "482 was rolled back by hand and 483 failed: change 484 brings the commits since 481");
  assert.ok(!calls.some((c) => c.endsWith(`..${shaOf(10)}`)), "no commit lookups for changes older than the longest window");
});

test("what is live: SHA, since when, health; the history marks rollbacks and the changes they undid", async () => {
  const { entries, now, firstCommit } = syntheticLedger(30);
  const model = await buildDashboard({ entries, now, production: ["production"], repository: "octo/app", source: "local" }, syntheticPorts(firstCommit));
  const production = model.environments.find((e) => e.environment === "production")!;
  // Change 29 is the last that went live; 30 is still in progress.
  assert.equal(production.sha, shaOf(29));
  assert.equal(production.since, new Date(startOf(29) + 2 * MIN).toISOString());
  assert.deepEqual(production.traffic, [{ sha: shaOf(29), share: 100 }]);
  assert.equal(model.environments[0]!.environment, "production", "production environments first");
  const restores = model.history.filter((row) => row.restore);
  assert.equal(restores.length, 3 + 1 + 1, "changes 3, 13, 23 (health), 7 (by hand), 20 (watch)");
  assert.ok(model.history.find((row) => row.sha === shaOf(7) && row.environment === "production")!.failedChange);
  assert.ok(!model.history.find((row) => row.sha === shaOf(8) && row.environment === "production")!.failedChange);
  assert.equal(model.previews[0]!.url, "https://pr-9.example.workers.dev");
});

test("a progressive rollout is one change; while it runs, the traffic is split between the candidate and the stable SHA", async () => {
  const at = (m: number) => new Date(Date.parse("2025-02-01T00:00:00Z") + m * MIN).toISOString();
  let seq = 0;
  const status = (state: string, m: number) => ({ state, seq: ++seq, at: at(m) });
  const stable = { id: "1", kind: "deploy", environment: "production", sha: "s".repeat(40), createdAt: at(0), statuses: [status("in_progress", 0), status("success", 1)] };
  const step = (id: string, traffic: number, m: number) => ({
    id,
    kind: "rollout-step",
    environment: "production",
    sha: "c".repeat(40),
    createdAt: at(m),
    payload: { traffic, versionId: `v-${traffic}` },
    statuses: [status("in_progress", m), status("success", m + 1)],
  });
  const first = [stable, step("2", 10, 60), step("3", 50, 120)];
  const ports: DashboardPorts = { changeStart: async () => undefined, previews: async () => [] };
  const now = Date.parse("2025-02-01T03:00:00Z");
  const during = await buildDashboard({ entries: first, now, production: ["production"], repository: "r", source: "local" }, ports);
  assert.deepEqual(during.environments[0]!.traffic, [
    { sha: "c".repeat(40), share: 50, versionId: "v-50" },
    { sha: "s".repeat(40), share: 50 },
  ]);
  const done = await buildDashboard({ entries: [...first, step("4", 100, 180)], now: now + HOUR, production: ["production"], repository: "r", source: "local" }, ports);
  assert.equal(done.dora.windows[0]!.deployments, 2, "the stable deploy and the whole rollout");
  assert.equal(done.dora.windows[0]!.changes, 2);
  assert.deepEqual(done.environments[0]!.traffic.map((t) => t.share), [100]);
});

test("the ledger with one entry per environment and SHA: a restore after a failure is an automatic rollback", async () => {
  const at = (m: number) => new Date(Date.parse("2025-02-01T00:00:00Z") + m * MIN).toISOString();
  const good = {
    id: "1",
    environment: "production",
    sha: "g".repeat(40),
    createdAt: at(0),
    payload: { operation: "promote" },
    statuses: [
      { state: "in_progress", seq: 1, at: at(0) },
      { state: "success", seq: 2, at: at(1) },
      { state: "inactive", seq: 4, at: at(10) },
      { state: "in_progress", seq: 7, at: at(12), description: "Restoring ggggggg" },
      { state: "success", seq: 8, at: at(14), description: "Restored automatically after bbbbbbb failed" },
    ],
  };
  const bad = {
    id: "2",
    environment: "production",
    sha: "b".repeat(40),
    createdAt: at(10),
    payload: { operation: "deploy" },
    statuses: [
      { state: "in_progress", seq: 3, at: at(10) },
      { state: "success", seq: 5, at: at(10.5) },
      { state: "failure", seq: 6, at: at(11), description: "bbbbbbb failed: health check failed" },
    ],
  };
  const model = await buildDashboard(
    { entries: [good, bad], now: Date.parse("2025-02-01T01:00:00Z"), production: ["production"], repository: "r", source: "local" },
    { changeStart: async () => undefined, previews: async () => [] },
  );
  const week = model.dora.windows[0]!;
  assert.equal(week.changes, 2);
  assert.equal(week.failedChanges, 1);
  assert.equal(week.timeToRestoreMs, 3 * MIN);
  assert.deepEqual(model.history.map((row) => row.kind), ["auto-rollback", "deploy", "promote"]);
  assert.equal(model.environments[0]!.sha, "g".repeat(40));
});
