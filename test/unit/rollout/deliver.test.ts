import assert from "node:assert/strict";
import { test } from "node:test";
import { GateFailure } from "../../../workflows-lib/errors.ts";
import { buildHttpSummary } from "../../../workflows-lib/loadgate/http-summary.ts";
import { deliver, type DeliveryPorts } from "../../../workflows-lib/rollout/deliver.ts";
import { planRollout } from "../../../workflows-lib/rollout/plan-rollout.ts";
import type { TrafficSplit } from "../../../workflows-lib/rollout/ports.ts";

const healthy = () => buildHttpSummary({ durationsByStatus: new Map([[200, [10, 11, 12]]]), errors: 0, bytesSent: 0, bytesReceived: 0, connections: [1], durationMs: 100 });

function ports(options: { active: TrafficSplit; classes: Record<string, string[]> }) {
  const routes: TrafficSplit[] = [];
  let clock = 0;
  const p: DeliveryPorts = {
    candidate: { upload: async () => ({ script: "shop", url: "https://shop.example.workers.dev", candidate: "cand" }) },
    versions: {
      active: async () => options.active,
      durableObjectClasses: async (_script, versionId) => options.classes[versionId] ?? [],
      route: async (_script, split) => void routes.push(split),
      restore: async () => assert.fail("a rollout does not restore"),
    },
    measure: { measure: async () => healthy() },
    clock: { now: () => clock, sleep: async (ms) => void (clock += ms) },
    log: () => {},
  };
  return { p, routes };
}

const canary = (extra: Record<string, unknown> = {}) => planRollout({ strategy: "canary", traffic: 10, duration: "10m", metrics: ["error_rate"], ...extra }, "rollout.production")!;
const stableOnly: TrafficSplit = { versions: [{ versionId: "stable", percentage: 100 }] };

test("the stable version is the one serving 100 %; the candidate goes 10 → 100", async () => {
  const { p, routes } = ports({ active: stableOnly, classes: { stable: ["Cart"], cand: ["Cart"] } });
  const { target, result } = await deliver(canary(), { environment: "production", sha: "a".repeat(40) }, p);
  assert.equal(target.stable, "stable");
  assert.equal(result.outcome, "completed");
  assert.deepEqual(routes.map((r) => r.versions.map((v) => `${v.versionId}:${v.percentage}`).join(" ")), ["stable:90 cand:10", "cand:100"]);
});

test("a candidate with a Durable Object migration is refused for canary with that reason, no traffic moved; all at once when allowed", async () => {
  const refused = ports({ active: stableOnly, classes: { stable: ["Cart"], cand: ["Cart", "Session"] } });
  await assert.rejects(deliver(canary(), { environment: "production", sha: "a".repeat(40) }, refused.p), (error) => {
    assert.ok(error instanceof GateFailure);
    assert.match(error.message, /Refusing a canary rollout of aaaaaaa to production: the candidate adds Session \(a Durable Object migration\), which a Workers version cannot carry\. No traffic moved\./);
    assert.match(error.message, /durableObjectMigration: "all-at-once"/);
    return true;
  });
  assert.deepEqual(refused.routes, []);

  const allowed = ports({ active: stableOnly, classes: { stable: ["Cart"], cand: [] } });
  const delivery = await deliver(canary({ durableObjectMigration: "all-at-once" }), { environment: "production", sha: "a".repeat(40) }, allowed.p);
  assert.match(delivery.allAtOnce!.reason, /removes Cart/);
  assert.deepEqual(allowed.routes, [{ versions: [{ versionId: "cand", percentage: 100 }] }]);
});

test("refused before any traffic moves: a rollout already under way, or an upload that took the traffic itself", async () => {
  const split = ports({ active: { versions: [{ versionId: "stable", percentage: 90 }, { versionId: "older", percentage: 10 }] }, classes: {} });
  await assert.rejects(deliver(canary(), { environment: "production", sha: "a".repeat(40) }, split.p), /split between versions \(stable 90 %, older 10 %\): a rollout is already under way/);
  const deployed = ports({ active: { versions: [{ versionId: "cand", percentage: 100 }] }, classes: {} });
  await assert.rejects(deliver(canary(), { environment: "production", sha: "a".repeat(40) }, deployed.p), /took traffic on production by itself.*version: process\.env\.ALCHKIT_WORKER_VERSION/);
  assert.deepEqual([...split.routes, ...deployed.routes], []);
});
