// Bad rollout configuration through the CLI is one clear error (exit 2) before anything is deployed, for
// `alchkit rollout` and for `alchkit deploy`/`promote --strategy`: no Alchemy run, no Cloudflare call. The healthy
// path of both on Cloudflare (a candidate uploaded as a version, 10 % then 100 %, /version, the re-pointing
// rollback) runs in the promotion scenario on the stand-ins (test/e2e/promote/promotion-cloudflare.test.ts),
// which already has a stable version live: no app of its own is deployed here.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { startCloudflareStandIn, type CloudflareStandIn } from "../../cloudflare/index.ts";
import { alchkit } from "../../support/alchkit-process.ts";
import { CONSUMER_APP_DIR } from "../../support/local-app.ts";

const SHA = "5eed16".padEnd(40, "a");

let cf: CloudflareStandIn;
let root: string;
let env: Record<string, string>;
before(async () => {
  cf = await startCloudflareStandIn({ seed: 7 });
  root = mkdtempSync(path.join(tmpdir(), "alchkit-rollout-"));
  env = { PATH: process.env.PATH ?? "", HOME: root, ...cf.env, DO_NOT_TRACK: "1" };
});
after(async () => {
  if (root) rmSync(root, { recursive: true, force: true });
  await cf?.close();
});

const args = (...extra: string[]) => ["rollout", "--env", "production", "--cwd", root, "--app-dir", path.relative(root, CONSUMER_APP_DIR), "--stages", "production=prod", "--sha", SHA, ...extra];
const config = (rollout: unknown) => writeFileSync(path.join(root, "alchkit.config.json"), JSON.stringify({ rollout: { production: rollout } }));

test("bad configuration is one clear error (exit 2) before anything is deployed", async () => {
  const calls = cf.calls.length;
  config({ strategy: "progressive", stages: [{ traffic: 50 }, { traffic: 20 }] });
  const notUp = await alchkit(args(), env);
  assert.equal(notUp.code, 2, notUp.stderr);
  assert.match(notUp.stderr, /rollout\.production\.stages\.1\.traffic.*more traffic than the stage before \(50 %\): stages go up/);
  config({ strategy: "canary" });
  const grammar = await alchkit(args("--strategy", JSON.stringify({ strategy: "canary", traffic: 120, thresholds: { http_req_failed: ["rate<<0.01"] } })), env);
  assert.equal(grammar.code, 2, grammar.stderr);
  assert.match(grammar.stderr, /--strategy\.traffic: expected a canary share of at most 100 %/);

  // deploy/promote take the same strategies as the promote action, checked the same way, before any ledger or deploy.
  const deploy = (...extra: string[]) => alchkit(["deploy", "--env", "production", "--cwd", root, "--repo", "octo/app", ...extra], { ...env, GITHUB_TOKEN: "unused" });
  const stages = await deploy("--strategy", JSON.stringify({ strategy: "progressive", stages: [{ traffic: 50 }, { traffic: 50 }] }));
  assert.equal(stages.code, 2, stages.stderr);
  assert.match(stages.stderr, /--strategy\.stages\.1\.traffic: expected more traffic than the stage before \(50 %\)/);
  const local = await deploy("--local", "--strategy", "canary");
  assert.equal(local.code, 2, local.stderr);
  assert.match(local.stderr, /--strategy: expected all-at-once with --local/);
  const manual = await deploy("--strategy", JSON.stringify({ strategy: "blue-green", switchover: "manual" }));
  assert.equal(manual.code, 2, manual.stderr);
  assert.match(manual.stderr, /--strategy: expected switchover: "automatic" here \(a manual switch is the approved switch job/);
  // --notify tells rollout steps: without a rollout there is none to tell, and a receiver must be one the kit has.
  const notifyAlone = await alchkit(["deploy", "--env", "staging", "--cwd", root, "--repo", "octo/app", "--notify", "slack"], { ...env, GITHUB_TOKEN: "unused" });
  assert.equal(notifyAlone.code, 2, notifyAlone.stderr);
  assert.match(notifyAlone.stderr, /--notify: expected off without a rollout \(--strategy or rollout\.<env>\)/);
  const pager = await alchkit(args("--notify", "pager"), env);
  assert.equal(pager.code, 2, pager.stderr);
  assert.match(pager.stderr, /--notify/);
  const unset = await deploy("--notify", "slack");
  assert.equal(unset.code, 2, unset.stderr);
  assert.match(unset.stderr, /SLACK_WEBHOOK_URL: expected a value: the slack receiver needs SLACK_WEBHOOK_URL/, "a receiver asked for by name needs its variable");
  assert.equal(cf.calls.length, calls, "no Cloudflare call was made");
});
