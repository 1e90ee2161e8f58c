import path from "node:path";
import { z } from "zod";
import { EXIT } from "../../errors.ts";
import { loadConfig } from "../../local/config-file.ts";
import { fetchHttp, systemClock } from "../../local/http-fetch.ts";
import { buildEvent } from "../../notify/build-event.ts";
import { notify } from "../../notify/deliver.ts";
import { parseSelection, resolveReceivers } from "../../notify/notify-config.ts";
import { notifyInputs, occurrenceFromInputs } from "../../notify/notify-inputs.ts";
import { defineCommand } from "../command.ts";
import { cliRunInfo, credentialValues } from "../run-info.ts";

const described = notifyInputs.extend({
  operation: notifyInputs.shape.operation.describe("What ran: preview, deploy, promote, rollback, rollout-step, gate or watch"),
  outcome: notifyInputs.shape.outcome.describe("How it ended: deployed, rolled-back, failed, destroyed, advanced, aborted …"),
  environment: notifyInputs.shape.environment.describe("The environment, e.g. production"),
  sha: notifyInputs.shape.sha.describe("The commit the event is about"),
  url: notifyInputs.shape.url.describe("The URL the environment answers on"),
  previousSha: notifyInputs.shape.previousSha.describe("What was live before"),
  rollbackSha: notifyInputs.shape.rollbackSha.describe("What an automatic rollback restored"),
  from: notifyInputs.shape.from.describe("The environment a promotion came from"),
  traffic: notifyInputs.shape.traffic.describe("rollout-step: the candidate's share of traffic, 0–100"),
  gate: notifyInputs.shape.gate.describe("gate: the gate's name"),
  reason: notifyInputs.shape.reason.describe("Why it failed, in a sentence"),
  pullRequest: notifyInputs.shape.pullRequest.describe("preview: the pull request number"),
  receivers: notifyInputs.shape.receivers.describe("auto, off, or a list of slack, discord, teams, webhook, sentry"),
  failOnError: z.boolean().default(false).describe("Exit 1 when a receiver could not be reached"),
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { error: "OWNER/NAME" }).optional().describe("Repository named in messages (default GITHUB_REPOSITORY, else the folder's name)"),
  cwd: z.string().optional().describe("Repository root, for alchkit.config's notify section (default: the current directory)"),
});

export const notifyCommand = defineCommand({
  path: ["notify"],
  summary: "Send one event to Slack, Discord, Teams, a signed webhook and Sentry, as the deploying workflows do",
  description:
    "Builds the event from the flags and sends it to every receiver configured in alchkit.config's notify section or whose " +
    "variables are set (SLACK_WEBHOOK_URL, DISCORD_WEBHOOK_URL, TEAMS_WEBHOOK_URL, ALCHKIT_WEBHOOK_URL + ALCHKIT_WEBHOOK_SECRET, " +
    "SENTRY_AUTH_TOKEN + SENTRY_ORG + SENTRY_PROJECT), with retries that never post twice and no secret in a message. Prints " +
    "JSON {event, results}; exit 1 with --fail-on-error when a receiver failed, 2 on bad input.",
  flags: described,
  examples: ["alchkit notify --operation deploy --outcome deployed --environment staging --sha 3f2a9c1 --receivers slack"],
  async run({ flags }, ctx) {
    const root = path.resolve(ctx.cwd, flags.cwd ?? ".");
    const selection = parseSelection(flags.receivers, "--receivers");
    const { config } = await loadConfig(root);
    const { receivers, secrets } = resolveReceivers(config.notify, ctx.env, selection, "alchkit config notify");
    const event = buildEvent(occurrenceFromInputs(flags, { ...cliRunInfo(ctx.env, root, flags.repo), at: new Date().toISOString() }));
    const report = await notify(event, receivers, { http: fetchHttp, clock: systemClock, log: (line) => ctx.stderr(`${line}\n`) }, { secrets: [...secrets, ...credentialValues(ctx.env)] });
    ctx.stdout(`${JSON.stringify({ event: report.event, results: report.results }, null, 2)}\n`);
    if (receivers.length === 0) ctx.stderr("No receiver is configured: nothing was sent.\n");
    return !report.ok && (flags.failOnError || config.notify?.failOnError) ? EXIT.gateFailed : EXIT.ok;
  },
});
