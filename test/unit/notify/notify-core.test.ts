import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../../workflows-lib/errors.ts";
import { buildEvent } from "../../../workflows-lib/notify/build-event.ts";
import { TransportError, type HttpPort, type HttpResponse } from "../../../workflows-lib/notify/http.ts";
import { parseSelection, resolveReceivers } from "../../../workflows-lib/notify/notify-config.ts";
import { redactText } from "../../../workflows-lib/notify/redact.ts";
import { discordMessage } from "../../../workflows-lib/notify/receivers/discord.ts";
import { slackMessage } from "../../../workflows-lib/notify/receivers/slack.ts";
import { sentryEnvironment } from "../../../workflows-lib/notify/receivers/sentry.ts";
import { DEFAULT_RETRY, retryAfterMs, sendWithRetry } from "../../../workflows-lib/notify/retry.ts";
import { signBody, verifySignature } from "../../../workflows-lib/notify/signature.ts";
import { discordProblems, slackProblems } from "../../receivers/validate.ts";

const base = { repository: "octo/app", environment: "production", sha: "a".repeat(40), at: "2025-01-01T00:00:00Z", runId: "9" };

test("outcomes map to event types; the id is stable across retries and differs between events", () => {
  assert.equal(buildEvent({ ...base, operation: "deploy", outcome: "deployed" }).type, "deploy.succeeded");
  assert.equal(buildEvent({ ...base, operation: "promote", outcome: "failed" }).type, "promote.failed");
  const auto = buildEvent({ ...base, operation: "deploy", outcome: "rolled-back", rollbackSha: "b".repeat(40) });
  assert.equal(auto.type, "rollback.automatic");
  assert.equal(auto.previousSha, "b".repeat(40));
  assert.equal(auto.severity, "warning");
  assert.equal(buildEvent({ ...base, operation: "preview", outcome: "unhealthy" }).type, "preview.failed");
  assert.equal(buildEvent({ ...base, operation: "watch", outcome: "rolled-back" }).type, "rollback.automatic");
  const a = buildEvent({ ...base, operation: "deploy", outcome: "deployed" });
  assert.equal(a.id, buildEvent({ ...base, operation: "deploy", outcome: "deployed", at: "2026-01-01T00:00:00Z" }).id);
  assert.notEqual(a.id, buildEvent({ ...base, operation: "deploy", outcome: "deployed", runId: "10" }).id);
  assert.throws(() => buildEvent({ ...base, operation: "deploy", outcome: "planned" }), (e) => e instanceof InputError && /outcome/.test(e.message));
  assert.throws(() => buildEvent({ ...base, operation: "rollout-step", outcome: "advanced", traffic: 120 }), InputError);
});

test("redaction removes secret values (longest first), token shapes and URL credentials", () => {
  assert.equal(redactText("a secret-long and secret", ["secret", "secret-long"]), "a *** and ***");
  assert.equal(redactText("token ghp_abcdefghijklmnopqrstuvwxyz0123456789", []), "token ***");
  assert.equal(redactText("https://me:pw@host/x", []), "https://***@host/x");
  assert.equal(redactText("short abc stays", ["abc"]), "short abc stays", "values under 4 characters would eat ordinary words");
});

test("receiver selection: auto, off, a list; unknown names and missing variables are input errors naming them", () => {
  assert.equal(parseSelection("", "notify"), "auto");
  assert.equal(parseSelection("off", "notify"), "off");
  assert.deepEqual(parseSelection("slack, sentry slack", "notify"), ["slack", "sentry"]);
  assert.throws(() => parseSelection("slack,pagerduty", "notify"), /notify: expected auto, off, or a list .*"pagerduty"/);
  assert.deepEqual(resolveReceivers(undefined, {}, "auto").receivers, [], "auto with nothing set: no receiver, no error");
  assert.throws(() => resolveReceivers(undefined, {}, ["slack"]), /SLACK_WEBHOOK_URL: expected a value/);
  assert.throws(() => resolveReceivers(undefined, { ALCHKIT_WEBHOOK_URL: "https://x.example/h" }, "auto"), /ALCHKIT_WEBHOOK_SECRET/);
  assert.throws(() => resolveReceivers(undefined, { SENTRY_AUTH_TOKEN: "t0123456789" }, "auto"), /SENTRY_ORG/);
  assert.throws(
    () => resolveReceivers(undefined, { SLACK_WEBHOOK_URL: "not a url but a secret" }, "auto"),
    (e) => e instanceof InputError && !e.message.includes("secret") && /an http\(s\) URL/.test(e.message),
  );
  const config = { receivers: [{ type: "slack" as const, url: { env: "TEAM_SLACK" } }], failOnError: false };
  assert.throws(() => resolveReceivers(config, {}, "auto"), /notify\.receivers\[0\]\.url: expected the environment variable TEAM_SLACK/);
  const resolved = resolveReceivers(config, { TEAM_SLACK: "https://hooks.slack.com/services/T/B/x" }, "auto");
  assert.deepEqual(resolved.secrets, ["https://hooks.slack.com/services/T/B/x"]);
  assert.throws(() => resolveReceivers(config, { TEAM_SLACK: "https://hooks.slack.com/services/T/B/x" }, ["discord"]), /discord is not among them/);
});

test("signatures verify only for the exact body and secret", () => {
  const body = JSON.stringify({ a: 1 });
  const header = signBody(body, "s3cret");
  assert.match(header, /^sha256=[0-9a-f]{64}$/);
  assert.ok(verifySignature(body, "s3cret", header));
  assert.ok(!verifySignature(`${body} `, "s3cret", header));
  assert.ok(!verifySignature(body, "other", header));
  assert.ok(!verifySignature(body, "s3cret", undefined));
});

test("messages stay within the services' limits for long text", () => {
  const long = buildEvent({ ...base, operation: "deploy", outcome: "failed", reason: "x".repeat(10_000) });
  const withLongTitle = { ...long, title: "t".repeat(400) };
  assert.deepEqual(slackProblems(slackMessage(withLongTitle)), []);
  assert.deepEqual(discordProblems(discordMessage(withLongTitle)), []);
  assert.equal(sentryEnvironment("preview/pr 1"), "preview-pr-1");
  // Mentions never ping: Slack's control sequences are escaped, Discord parses none.
  const mention = buildEvent({ ...base, operation: "deploy", outcome: "failed", reason: "<!channel> @everyone" });
  assert.ok(!JSON.stringify(slackMessage(mention)).includes("<!channel>"));
  assert.deepEqual(discordMessage(mention).allowed_mentions, { parse: [] });
});

test("Retry-After in seconds, as a date, and Discord's retry_after are honoured; other 4xx end at once", async () => {
  const response = (status: number, headers: Record<string, string> = {}, body = ""): HttpResponse => ({ status, headers, body });
  assert.equal(retryAfterMs(response(429, { "retry-after": "3" }), 0), 3000);
  assert.equal(retryAfterMs(response(503, { "retry-after": new Date(10_000).toUTCString() }), 4000), 6000);
  assert.equal(retryAfterMs(response(429, {}, '{"retry_after":0.25,"global":false}'), 0), 250);
  const waits: number[] = [];
  const answers = [response(429, { "retry-after": "2" }), response(200)];
  const http: HttpPort = { send: async () => answers.shift()! };
  const clock = { sleep: async (ms: number) => void waits.push(ms), random: () => 0.5, now: () => 0 };
  await sendWithRetry(http, { method: "POST", url: "http://x", headers: {} }, DEFAULT_RETRY, clock, { idempotent: false, what: "test" });
  assert.deepEqual(waits, [2000]);
  let calls = 0;
  const bad: HttpPort = { send: async () => (calls++, response(403, {}, "action_prohibited")) };
  await assert.rejects(sendWithRetry(bad, { method: "POST", url: "http://x", headers: {} }, DEFAULT_RETRY, clock, { idempotent: true, what: "test" }), /403/);
  assert.equal(calls, 1);
  // A connection that was refused never reached the service: retried even for a chat webhook.
  let tries = 0;
  const refused: HttpPort = {
    send: async () => {
      if (++tries < 3) throw new TransportError("ECONNREFUSED", false);
      return response(200);
    },
  };
  await sendWithRetry(refused, { method: "POST", url: "http://x", headers: {} }, DEFAULT_RETRY, clock, { idempotent: false, what: "test" });
  assert.equal(tries, 3);
});
