// actions/sweep's built bundle, run as the runner runs it, against both stand-ins (state in CloudflareStateStore,
// as in CI): a dry run lists the leaked preview stages and deletes nothing; `destroy: true` removes them through
// faults (retried, never twice), verifies the account and leaves protected stages and open previews alone.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { seedWorker, seedKvNamespace } from "../../support/cloudflare-seed.ts";
import { assertNoViolations, startCloudflareStandIn, type CloudflareStandIn } from "../../cloudflare/index.ts";
import { assertNoViolations as assertNoGitHubViolations, startGitHubStandIn } from "../../github/index.ts";
import { runActionDist } from "../../harness/run-action.ts";
import { CONSUMER_APP_DIR } from "../../support/local-app.ts";

const REPO = "octo/app";

test("actions/sweep: a dry run reports the leaked previews, destroy removes them through faults and verifies the account", async (t) => {
  const cf = await startCloudflareStandIn();
  const gh = await startGitHubStandIn();
  const home = mkdtempSync(path.join(tmpdir(), "alchkit-sweep-action-"));
  t.after(async () => {
    await cf.close();
    await gh.close();
    rmSync(home, { recursive: true, force: true });
  });
  const closed = gh.seed.pull(REPO, { head: "feature/closed", title: "Closed long ago", state: "closed" });
  const open = gh.seed.pull(REPO, { head: "feature/open", title: "Still open" });
  await seedWorker(cf, `consumer-app-api-pr-${closed.number}`);
  await seedKvNamespace(cf, `consumer-app-cache-pr-${closed.number}`);
  await seedWorker(cf, "consumer-app-api-pr-77"); // no such pull request
  await seedWorker(cf, `consumer-app-api-pr-${open.number}`); // open, but Alchemy has no state: nothing would destroy it
  await seedWorker(cf, "consumer-app-api-staging");
  await seedWorker(cf, "consumer-app-api-pr-900"); // a stage the team protects
  const run = (inputs: Record<string, string>) =>
    runActionDist({
      action: "sweep",
      github: { url: gh.url, token: gh.token },
      repository: REPO,
      inputs: { "working-directory": CONSUMER_APP_DIR, "protected-stages": "staging,pr-900", ...inputs },
      env: { HOME: home, ...cf.env, CI: "true", ALCHEMY_STATE_TOKEN: "state-token-for-tests", ALCHKIT_GITHUB_TIME_SCALE: "0.005" },
      timeoutMs: 300_000,
    });
  const leaked = [`pr-${closed.number}`, `pr-${open.number}`, "pr-77"].sort();

  const dry = await run({});
  assert.equal(dry.exitCode, 0, dry.log);
  assert.deepEqual(JSON.parse(dry.outputs.stages!).sort(), leaked);
  assert.equal(dry.outputs.leftovers, "0");
  assert.match(dry.summary, /Sweep \(dry run\)/);
  assert.match(dry.summary, new RegExp(`pr-${closed.number}\`: .*closed`));
  assert.match(dry.summary, /Kept: `pr-900`/);
  assert.match(dry.summary, /Nothing was deleted/);
  assert.ok(dry.annotations.some((a) => a.level === "notice" && /3 leaked preview stage/.test(a.message)), dry.log);
  assert.equal(cf.inventory().workers.filter((w) => w.startsWith("consumer-app")).length, 5, "a dry run deletes nothing");

  // Cloudflare answers the namespace's delete with a 500 twice: retried with backoff, deleted once.
  cf.faults.add({ route: "kv.namespaces.delete", kind: 500, times: 2 });
  const swept = await run({ destroy: "true" });
  assert.equal(swept.exitCode, 0, swept.log);
  assert.deepEqual(JSON.parse(swept.outputs.stages!).sort(), leaked);
  assert.equal(swept.outputs.leftovers, "0");
  assert.match(swept.summary, /Verified: nothing of these stages is left in the account/);
  assert.deepEqual(cf.inventory(), { workers: ["alchemy-state-service", "consumer-app-api-pr-900", "consumer-app-api-staging"], kvNamespaces: [], d1Databases: [], r2Buckets: [], queues: [] });
  assert.equal(cf.calls.of("kv.namespaces.delete").length, 3, "two faulted attempts and the one that deleted");
  assert.ok(!swept.log.includes(cf.apiToken), "the Cloudflare token is never printed");

  const bad = await run({ "stage-prefix": "PR_" });
  assert.equal(bad.exitCode, 1);
  assert.match(bad.log, /::error::Input stage-prefix/);
  assertNoViolations(cf);
  assertNoGitHubViolations(gh);
});
