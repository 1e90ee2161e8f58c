import assert from "node:assert/strict";
import { test } from "node:test";
import { runActionDist as runAction } from "../../harness/run-action.ts";
import { startReceiversStandIn } from "../../receivers/server.ts";

const SHA = "3f2a9c1".padEnd(40, "0");

test("notify action: a promotion that was rolled back reaches every receiver once, secrets masked, summary written", async (t) => {
  const stand = await startReceiversStandIn();
  t.after(() => stand.close());
  stand.faults({ serverErrors: 0.2, seed: 11 });
  const run = await runAction({
    action: "notify",
    repository: "octo/app",
    sha: SHA,
    runId: 4242,
    inputs: {
      operation: "promote",
      outcome: "rolled-back",
      environment: "production",
      "rollback-sha": "b".repeat(40),
      reason: "health check failed: /health answered 503",
      "slack-webhook-url": stand.urls.slack,
      "discord-webhook-url": stand.urls.discord,
      "teams-webhook-url": stand.urls.teams,
      "webhook-url": stand.urls.webhook,
      "webhook-secret": stand.webhookSecret,
      "sentry-auth-token": stand.sentryToken,
      "sentry-org": stand.sentryOrg,
      "sentry-project": "api",
      "sentry-url": stand.urls.sentry,
    },
  });
  assert.equal(run.exitCode, 0, run.log);
  assert.deepEqual(stand.violations, []);
  assert.equal(stand.slack.length, 1);
  assert.equal(stand.discord.length, 1);
  assert.equal(stand.teams.length, 1);
  assert.equal(stand.webhook.length, 1);
  assert.equal(stand.webhook[0]!.body.event, "rollback.automatic");
  assert.equal(stand.webhook[0]!.body.delivery, run.outputs["event-id"]);
  assert.deepEqual([...stand.sentry.deploys.get("b".repeat(40))!].map((d) => d.environment), ["production"]);
  assert.deepEqual(run.outputs.sent!.split(",").sort(), ["discord", "sentry", "slack", "teams", "webhook"]);
  assert.equal(run.outputs.failed, "");
  for (const secret of [stand.urls.slack, stand.webhookSecret, stand.sentryToken]) {
    assert.ok(run.masked.includes(secret), "every receiver secret is masked");
    assert.ok(!run.log.includes(secret));
  }
  assert.match(run.summary, /Notifications: 3f2a9c1 failed on production: rolled back automatically to bbbbbbb/);
});

test("notify action: an unreachable receiver is a warning, not a failure, unless fail-on-error", async (t) => {
  const stand = await startReceiversStandIn();
  t.after(() => stand.close());
  const inputs = {
    operation: "deploy",
    outcome: "deployed",
    environment: "staging",
    "slack-webhook-url": `${stand.urls.slack}-revoked`,
    "discord-webhook-url": stand.urls.discord,
  };
  const warned = await runAction({ action: "notify", repository: "octo/app", sha: SHA, inputs });
  assert.equal(warned.exitCode, 0, warned.log);
  assert.equal(warned.outputs.failed, "slack");
  assert.ok(warned.annotations.some((a) => a.level === "warning" && /slack \(Slack webhook answered 404: no_service\)/.test(a.message)));
  assert.equal(stand.discord.length, 1, "the other receiver still got it");
  const failed = await runAction({ action: "notify", repository: "octo/app", sha: SHA, inputs: { ...inputs, "fail-on-error": "true" } });
  assert.equal(failed.exitCode, 1);
  assert.ok(failed.annotations.some((a) => a.level === "error" && /slack/.test(a.message)));
  const bad = await runAction({ action: "notify", repository: "octo/app", sha: SHA, inputs: { ...inputs, receivers: "slack,pager" } });
  assert.equal(bad.exitCode, 1);
  assert.ok(bad.annotations.some((a) => a.level === "error" && /Input receivers: expected auto, off, or a list/.test(a.message)));
});
