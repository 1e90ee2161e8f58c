import assert from "node:assert/strict";
import { test } from "node:test";
import { rollBack, type RollbackPorts } from "../../../workflows-lib/rollout/rollback.ts";

function ports(restore: (script: string, versionId: string) => Promise<boolean>) {
  const calls: string[] = [];
  const log: string[] = [];
  const p: RollbackPorts = {
    versions: {
      route: async () => assert.fail("a rollback restores; it does not split"),
      restore: async (script, versionId, message) => {
        calls.push(`restore ${script} ${versionId}`);
        assert.match(message, /^alchkit: roll production back to 1111111$/);
        return restore(script, versionId);
      },
    },
    redeploy: async () => void calls.push("redeploy"),
    clock: { now: () => 0 },
    log: (line) => log.push(line),
  };
  return { p, calls, log };
}

const target = { environment: "production", sha: "1".repeat(40), script: "shop", versionId: "v-old" };

test("a recorded version that still exists is re-pointed to, nothing is redeployed", async () => {
  const { p, calls } = ports(async () => true);
  const outcome = await rollBack(target, p);
  assert.equal(outcome.method, "re-point");
  assert.deepEqual(calls, ["restore shop v-old"]);
});

test("a pruned version, a failed re-point or no recorded version: the SHA is redeployed, and the log says why", async () => {
  const gone = ports(async () => false);
  assert.deepEqual(await rollBack(target, gone.p), { method: "redeploy", why: "Cloudflare no longer has version v-old of shop", durationMs: 0 });
  assert.deepEqual(gone.calls, ["restore shop v-old", "redeploy"]);

  const failing = ports(async () => {
    throw new Error("Cloudflare did not answer after 5 attempts (HTTP 503)");
  });
  const outcome = await rollBack(target, failing.p);
  assert.equal(outcome.method, "redeploy");
  assert.match(outcome.why!, /re-pointing to version v-old failed: Cloudflare did not answer/);
  assert.ok(failing.log.some((line) => line.includes("redeploying 1111111")));

  const unknown = ports(async () => assert.fail("nothing to re-point to"));
  assert.equal((await rollBack({ environment: "production", sha: "1".repeat(40) }, unknown.p)).method, "redeploy");
  assert.deepEqual(unknown.calls, ["redeploy"]);
});
