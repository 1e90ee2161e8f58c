// `alchkit sweep` against both stand-ins (state in CloudflareStateStore, as in CI): previews whose pull request is gone (or whose state is gone) are found
// in the Cloudflare account, listed by a dry run, destroyed with --yes and verified; other stages stay.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { seedWorker, seedKvNamespace } from "../../support/cloudflare-seed.ts";
import { assertNoViolations, startCloudflareStandIn, type CloudflareStandIn } from "../../cloudflare/index.ts";
import { assertNoViolations as assertNoGitHubViolations, startGitHubStandIn } from "../../github/index.ts";
import { alchkit } from "../../support/alchkit-process.ts";
import { CONSUMER_APP_DIR } from "../../support/local-app.ts";

test("sweep: a dry run lists leaked preview stages, --yes destroys and verifies them, protected and other stages stay", async (t) => {
  const cf = await startCloudflareStandIn();
  const gh = await startGitHubStandIn();
  const home = mkdtempSync(path.join(tmpdir(), "alchkit-sweep-"));
  t.after(async () => {
    await cf.close();
    await gh.close();
    rmSync(home, { recursive: true, force: true });
  });
  await seedWorker(cf, "consumer-app-api-pr-7"); // no pull request #7
  await seedKvNamespace(cf, "consumer-app-cache-pr-7");
  await seedWorker(cf, "consumer-app-api-pr-1"); // pull request #1 is open, but nothing in Alchemy's state
  await seedWorker(cf, "consumer-app-api-staging");
  await seedWorker(cf, "consumer-app-api-pr-9"); // a stage the team protects
  const env = { PATH: process.env.PATH ?? "", HOME: home, ...cf.env, GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: "octo/app", ALCHKIT_GITHUB_TIME_SCALE: "0.005", CI: "true", ALCHEMY_STATE_TOKEN: "state-token-for-tests" };
  const base = ["sweep", "--cwd", CONSUMER_APP_DIR, "--protected", "pr-9", "--protected", "staging"];

  const dry = await alchkit(base, env);
  assert.equal(dry.code, 0, dry.stderr);
  const plan = JSON.parse(dry.stdout) as { dryRun: boolean; plan: { stages: { stage: string; reason: string; resources: { name: string }[] }[]; kept: { stage: string }[] } };
  assert.equal(plan.dryRun, true);
  assert.deepEqual(plan.plan.stages.map((s) => [s.stage, s.resources.map((r) => r.name).sort()]), [
    ["pr-1", ["consumer-app-api-pr-1"]],
    ["pr-7", ["consumer-app-api-pr-7", "consumer-app-cache-pr-7"]],
  ]);
  assert.match(plan.plan.stages[0]!.reason, /#1 is open but Alchemy has no state/);
  assert.match(plan.plan.stages[1]!.reason, /no pull request #7/);
  assert.deepEqual(plan.plan.kept.map((k) => k.stage), ["pr-9"]);
  assert.deepEqual(cf.inventory().workers.filter((w) => w.startsWith("consumer-app")).length, 4, "a dry run deletes nothing");

  const swept = await alchkit([...base, "--yes", "--format", "markdown"], env);
  assert.equal(swept.code, 0, swept.stderr + swept.stdout);
  assert.match(swept.stdout, /Verified: nothing of these stages is left in the account/);
  assert.deepEqual(cf.inventory(), { workers: ["alchemy-state-service", "consumer-app-api-pr-9", "consumer-app-api-staging"], kvNamespaces: [], d1Databases: [], r2Buckets: [], queues: [] });

  const noToken = await alchkit(["sweep"], { ...env, CLOUDFLARE_API_TOKEN: "" });
  assert.equal(noToken.code, 2);
  assert.match(noToken.stderr, /CLOUDFLARE_API_TOKEN/);
  assertNoViolations(cf);
  assertNoGitHubViolations(gh);
});
