// A pull request's preview on the production path: actions/preview (built dist, through the runner harness)
// with `runtime: cloudflare`, the real Alchemy CLI deploying to the Cloudflare stand-in with state in
// CloudflareStateStore, GitHub played by its stand-in. The health probe and the checks below reach the
// Worker at its workers.dev URL through the stand-in's proxy. Teardown is verified against the account.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { assertNoViolations as assertNoGitHubViolations, startGitHubStandIn } from "../../github/index.ts";
import { assertNoViolations, startCloudflareStandIn } from "../../cloudflare/index.ts";
import { runActionDist } from "../../harness/run-action.ts";
import { pullRequestEvent } from "../../support/pr-event.ts";
import { CONSUMER_APP_DIR } from "../../support/local-app.ts";

type Deployment = { sha: string; statuses: Array<{ state: string; environmentUrl: string }> };

test("opened → synchronize → closed on Cloudflare: live at workers.dev, updated, and a leftover in the account fails the teardown until it is gone", async (t) => {
  const gh = await startGitHubStandIn();
  const cf = await startCloudflareStandIn();
  const home = mkdtempSync(path.join(tmpdir(), "alchkit-cf-preview-"));
  const prefix = `cf${randomBytes(2).toString("hex")}-`;
  const stage = `${prefix}1`;
  const script = `consumer-app-api-${stage}`;
  t.after(async () => {
    await gh.close();
    await cf.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(path.join(CONSUMER_APP_DIR, ".alchemy", "out", script), { recursive: true, force: true });
  });
  const run = (action: string, headSha: string) =>
    runActionDist({
      action: "preview",
      inputs: { runtime: "cloudflare", "working-directory": CONSUMER_APP_DIR, "stage-prefix": prefix, "health-path": "/health" },
      event: pullRequestEvent(gh, { action, headSha }),
      github: { url: gh.url, token: gh.token },
      env: { ...cf.env, HOME: home, ALCHEMY_STATE_TOKEN: "state-token-for-tests", ALCHEMY_PASSWORD: "password-for-tests" },
      timeoutMs: 300_000,
    });

  const shaA = gh.defaults!.headSha;
  const opened = await run("opened", shaA);
  assert.equal(opened.exitCode, 0, opened.log);
  assert.equal(opened.outputs.status, "deployed");
  const url = cf.workerUrl(script);
  assert.equal(opened.outputs.url, url);
  assert.deepEqual(JSON.parse((await cf.request(`${url}/version`)).text), { build: shaA, variant: "standard" });
  assert.ok(cf.edgeLog.some((r) => r.script === script && r.path === "/health" && r.status === 200), "the action's health probe reached the Worker");
  assert.ok(!opened.log.includes("state-token-for-tests") && !opened.log.includes(cf.apiToken), "no secret in the log");

  const shaB = gh.seed.commit("octo/app", { branch: "feature/orders", message: "feat: more orders", files: { "src/more.ts": "export {}\n" } }).sha;
  const pushed = await run("synchronize", shaB);
  assert.equal(pushed.exitCode, 0, pushed.log);
  assert.deepEqual(JSON.parse((await cf.request(`${url}/version`)).text), { build: shaB, variant: "standard" });
  const deployments = [...gh.state.repo("octo/app")!.deployments.values()] as unknown as Deployment[];
  assert.equal(deployments.find((d) => d.sha === shaB)?.statuses.find((s) => s.state === "success")?.environmentUrl, url, "View deployment opens the workers.dev URL");

  // Something of the stage that Alchemy's state does not know about (made by hand, or lost by a crash).
  const stray = await fetch(`${cf.baseUrl}/accounts/${cf.accountId}/storage/kv/namespaces`, {
    method: "POST",
    headers: { authorization: `Bearer ${cf.apiToken}`, "content-type": "application/json" },
    body: JSON.stringify({ title: `consumer-app-cache-${stage}` }),
  });
  const strayId = ((await stray.json()) as { result: { id: string } }).result.id;
  const closed = await run("closed", shaB);
  assert.notEqual(closed.exitCode, 0, "a teardown that leaves something in the account fails the job");
  assert.equal(closed.outputs.status, "teardown-incomplete");
  assert.match(closed.log, new RegExp(`left 1 resource\\(s\\) in the Cloudflare account: KV namespace consumer-app-cache-${stage}`));
  assert.equal((await cf.request(`${url}/health`)).status, 404, "the Worker itself is gone");

  await fetch(`${cf.baseUrl}/accounts/${cf.accountId}/storage/kv/namespaces/${strayId}`, { method: "DELETE", headers: { authorization: `Bearer ${cf.apiToken}` } });
  const again = await run("closed", shaB);
  assert.equal(again.exitCode, 0, again.log);
  assert.equal(again.outputs.status, "destroyed");
  const comment = [...gh.state.repo("octo/app")!.comments.values()].map((c) => (c as { body: string }).body).find((b) => b.includes("alchkit:sticky:preview"))!;
  assert.match(comment, /Teardown verified: the stage's state is empty and the Cloudflare account holds nothing of it/);
  assert.deepEqual(cf.inventory(), { workers: ["alchemy-state-service"], kvNamespaces: [], d1Databases: [], r2Buckets: [], queues: [] });
  assertNoViolations(cf);
  assertNoGitHubViolations(gh);
});
