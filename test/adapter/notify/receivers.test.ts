import assert from "node:assert/strict";
import { test } from "node:test";
import { fetchHttp } from "../../../workflows-lib/local/http-fetch.ts";
import { buildEvent, type Occurrence } from "../../../workflows-lib/notify/build-event.ts";
import { notify, type NotifyPorts, type NotifyReport } from "../../../workflows-lib/notify/deliver.ts";
import { GOES_LIVE, type NotifyEvent } from "../../../workflows-lib/notify/event.ts";
import { resolveReceivers } from "../../../workflows-lib/notify/notify-config.ts";
import { receiverEnv, startReceiversStandIn, type ReceiversStandIn } from "../../receivers/server.ts";

const SHA = (n: number) => n.toString(16).padStart(40, "a");
const REPO = "octo/app";

/** Backoff without waiting: the retry logic runs as written, the clock does not hold the test. */
const ports = (log: string[] = []): NotifyPorts => ({
  http: fetchHttp,
  clock: { sleep: async () => {}, random: () => 0.5, now: Date.now },
  log: (line) => log.push(line),
});

const occurrences: Occurrence[] = [
  { operation: "preview", outcome: "deployed", repository: REPO, environment: "preview/pr-7", sha: SHA(1), url: "https://pr-7.example.workers.dev", pullRequest: 7, runId: "11", at: "2025-03-01T10:00:00Z" },
  { operation: "deploy", outcome: "deployed", repository: REPO, environment: "staging", sha: SHA(2), previousSha: SHA(1), url: "https://staging.example.workers.dev", runId: "12", at: "2025-03-01T10:05:00Z" },
  { operation: "promote", outcome: "deployed", repository: REPO, environment: "production", from: "staging", sha: SHA(2), url: "https://prod.example.workers.dev", runId: "13", at: "2025-03-01T10:10:00Z" },
  { operation: "rollout-step", outcome: "advanced", repository: REPO, environment: "production", sha: SHA(3), traffic: 10, runId: "14", at: "2025-03-01T10:20:00Z" },
  { operation: "deploy", outcome: "rolled-back", repository: REPO, environment: "production", sha: SHA(3), rollbackSha: SHA(2), reason: "health check failed: /health answered 503", runId: "14", at: "2025-03-01T10:21:00Z" },
  { operation: "rollback", outcome: "deployed", repository: REPO, environment: "staging", sha: SHA(1), runId: "15", at: "2025-03-01T10:30:00Z" },
  { operation: "gate", outcome: "failed", repository: REPO, gate: "load gate", sha: SHA(4), reason: "p(95)=812 ms, threshold p(95)<500", runId: "16", at: "2025-03-01T10:40:00Z" },
  { operation: "preview", outcome: "destroyed", repository: REPO, environment: "preview/pr-7", sha: SHA(1), pullRequest: 7, runId: "17", at: "2025-03-01T10:50:00Z" },
  { operation: "deploy", outcome: "failed", repository: REPO, environment: "staging", sha: SHA(5), reason: "deploy of aaaaaa5 failed: alchemy exited 1", runId: "18", at: "2025-03-01T11:00:00Z" },
];

function assertOnePerEvent(stand: ReceiversStandIn, events: NotifyEvent[]): void {
  assert.deepEqual(stand.violations, []);
  assert.equal(stand.slack.length, events.length, "one Slack message per event");
  assert.equal(stand.discord.length, events.length, "one Discord message per event");
  assert.equal(stand.teams.length, events.length, "one Teams message per event");
  assert.deepEqual(stand.webhook.map((d) => d.body.delivery), events.map((e) => e.id), "one signed delivery per event, in order");
  assert.equal(stand.webhookRepeats, 0);
  const live = events.filter((e) => GOES_LIVE.has(e.type));
  const deploys = [...stand.sentry.deploys.values()].flat();
  assert.deepEqual(deploys.map((d) => d.name).sort(), live.map((e) => e.id).sort(), "one Sentry deploy per event that put a SHA live");
  assert.deepEqual([...stand.sentry.releases.keys()].sort(), [...new Set([SHA(1), SHA(2)])].sort(), "a release per live SHA");
  // Slack's messages name the event they are about.
  assert.deepEqual(stand.slack.map((m) => String(m.text).replace(/^\S+ /, "")), events.map((e) => e.title));
}

test("under 20 % injected 5xx every receiver gets exactly one correctly shaped, signed message per event", async (t) => {
  const stand = await startReceiversStandIn();
  t.after(() => stand.close());
  stand.faults({ serverErrors: 0.2, seed: 7 });
  const { receivers, secrets } = resolveReceivers(undefined, receiverEnv(stand), "auto");
  assert.deepEqual(receivers.map((r) => r.type).sort(), ["discord", "sentry", "slack", "teams", "webhook"]);
  const events = occurrences.map(buildEvent);
  for (const event of events) {
    const report = await notify(event, receivers, ports(), { secrets });
    assert.ok(report.ok, JSON.stringify(report.results));
  }
  assertOnePerEvent(stand, events);
  const failed = stand.requests.filter((r) => typeof r.status === "number" && r.status >= 500);
  assert.ok(failed.length >= 10, `the campaign injected server errors (${failed.length})`);
  // The Sentry deploys point at the environments, named as Sentry allows.
  const production = [...stand.sentry.deploys.values()].flat().filter((d) => d.environment === "production");
  assert.equal(production.length, 2, "the promotion and the automatic rollback of production");
  // The automatic rollback is recorded as a deploy of the restored SHA, not of the failed one.
  assert.equal(stand.sentry.deploys.get(SHA(3)), undefined);
});

test("answers lost after processing: the signed webhook and Sentry are retried and still hold one of each; chat webhooks are never sent twice", async (t) => {
  const stand = await startReceiversStandIn();
  t.after(() => stand.close());
  stand.faults({ resetAfterProcessing: 0.3, seed: 3 });
  const { receivers, secrets } = resolveReceivers(undefined, receiverEnv(stand), "auto");
  const events = occurrences.map(buildEvent);
  const reports: NotifyReport[] = [];
  for (const event of events) reports.push(await notify(event, receivers, ports(), { secrets }));
  assert.deepEqual(stand.violations, []);
  const resets = stand.requests.filter((r) => r.status === "reset");
  assert.ok(resets.length > 5, `answers were cut (${resets.length})`);
  // Receivers that tell a repeat apart converge on exactly one.
  assert.equal(stand.webhook.length, events.length);
  assert.ok(stand.webhookRepeats > 0, "the webhook got repeats and dropped them by delivery id");
  const live = events.filter((e) => GOES_LIVE.has(e.type));
  assert.equal([...stand.sentry.deploys.values()].flat().length, live.length);
  for (const report of reports) {
    for (const type of ["webhook", "sentry"] as const) assert.notEqual(report.results.find((r) => r.type === type)?.status, "failed");
  }
  // Chat webhooks have no idempotency key: a lost answer is reported, never resent.
  for (const service of ["slack", "discord", "teams"] as const) {
    assert.equal(stand[service].length, events.length, `${service}: each event posted exactly once`);
    const lost = reports.flatMap((r) => r.results).filter((r) => r.type === service && r.status === "failed");
    for (const result of lost) {
      assert.equal(result.ambiguous, true);
      assert.match(result.detail, /not sent again/);
    }
  }
});

test("a re-run of the same run sends the same event id: the webhook drops it, Sentry records no second deploy", async (t) => {
  const stand = await startReceiversStandIn();
  t.after(() => stand.close());
  const { receivers, secrets } = resolveReceivers(undefined, receiverEnv(stand), ["webhook", "sentry"]);
  const event = buildEvent(occurrences[2]!);
  const first = await notify(event, receivers, ports(), { secrets });
  const again = await notify({ ...event, at: "2025-03-01T12:00:00Z" }, receivers, ports(), { secrets });
  assert.ok(first.ok && again.ok);
  assert.equal(stand.webhook.length, 1);
  assert.equal(stand.webhookRepeats, 1);
  assert.equal([...stand.sentry.deploys.values()].flat().length, 1);
  assert.match(again.results.find((r) => r.type === "sentry")!.detail, /already recorded/);
});

test("a failing receiver fails nothing else, is not retried on a 4xx, and names no URL", async (t) => {
  const stand = await startReceiversStandIn();
  t.after(() => stand.close());
  const env = { ...receiverEnv(stand), SLACK_WEBHOOK_URL: `${stand.urls.slack}-revoked` };
  const { receivers, secrets } = resolveReceivers(undefined, env, "auto");
  const log: string[] = [];
  const report = await notify(buildEvent(occurrences[1]!), receivers, ports(log), { secrets });
  assert.equal(report.ok, false);
  const slack = report.results.find((r) => r.type === "slack")!;
  assert.equal(slack.status, "failed");
  assert.equal(slack.requests, 1, "a 404 is a configuration error: no retry");
  assert.match(slack.detail, /answered 404: no_service/);
  for (const type of ["discord", "teams", "webhook", "sentry"]) assert.equal(report.results.find((r) => r.type === type)!.status, "sent");
  assert.equal(stand.discord.length + stand.teams.length + stand.webhook.length, 3);
  for (const line of [...log, ...report.results.map((r) => r.detail)]) {
    assert.ok(!line.includes("/services/") && !line.includes("/hooks/"), `no webhook URL in "${line}"`);
  }
});

test("no secret reaches a message: known values, tokens of known shapes and URL credentials are replaced", async (t) => {
  const stand = await startReceiversStandIn();
  t.after(() => stand.close());
  const cloudflareToken = "cf-token-1234567890abcdef";
  const { receivers, secrets } = resolveReceivers(undefined, receiverEnv(stand), "auto");
  const event = buildEvent({
    ...occurrences[4]!,
    reason: `alchemy failed: 401 for token ${cloudflareToken}; posted to ${stand.urls.slack}; git said ghp_${"x".repeat(36)}; https://deploy:hunter2@git.example.com/repo`,
    url: "https://user:pass@prod.example.workers.dev/",
  });
  const report = await notify(event, receivers, ports(), { secrets: [...secrets, cloudflareToken] });
  assert.ok(report.ok);
  const everything = JSON.stringify([stand.slack, stand.discord, stand.teams, stand.webhook.map((d) => d.raw), [...stand.sentry.deploys.values()]]);
  for (const secret of [cloudflareToken, stand.urls.slack, stand.webhookSecret, stand.sentryToken, "ghp_xxxx", "hunter2", "user:pass"]) {
    assert.ok(!everything.includes(secret), `${secret} leaked`);
  }
  assert.match(everything, /\*\*\*/);
});
