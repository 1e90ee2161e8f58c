import * as core from "@actions/core";
import { runAction } from "../../workflows-lib/github/action-shell.ts";
import { GateFailure } from "../../workflows-lib/errors.ts";
import { loadConfig } from "../../workflows-lib/local/config-file.ts";
import { fetchHttp, systemClock } from "../../workflows-lib/local/http-fetch.ts";
import { buildEvent } from "../../workflows-lib/notify/build-event.ts";
import { notify } from "../../workflows-lib/notify/deliver.ts";
import { DEFAULT_VARIABLES, parseSelection, resolveReceivers } from "../../workflows-lib/notify/notify-config.ts";
import { notifyInputs, occurrenceFromInputs } from "../../workflows-lib/notify/notify-inputs.ts";
import { renderNotifyReport } from "../../workflows-lib/notify/report.ts";

/** Each receiver variable as an input name: SLACK_WEBHOOK_URL ← `slack-webhook-url`. */
const inputName = (variable: string): string => variable.toLowerCase().replace(/^alchkit_/, "").replace(/_/g, "-");

export async function run(): Promise<void> {
  await runAction(async (io) => {
    const inputs = io.inputs(notifyInputs);
    const selection = parseSelection(inputs.receivers, "receivers");
    // Inputs first, then the step's environment (a job-level `env:` works too).
    const variables: Record<string, string | undefined> = {};
    for (const name of Object.values(DEFAULT_VARIABLES).flat()) variables[name] = core.getInput(inputName(name)) || io.env[name];
    const { config } = await loadConfig(io.context.workspace);
    const env = { ...io.env, ...Object.fromEntries(Object.entries(variables).filter(([, v]) => v)) };
    const { receivers, secrets } = resolveReceivers(config.notify, env, selection, "alchkit config notify");
    for (const secret of secrets) io.secret(secret);
    const known = [io.env.CLOUDFLARE_API_TOKEN, io.env.ALCHEMY_PASSWORD, io.env.ALCHEMY_STATE_TOKEN, io.env.GITHUB_TOKEN].filter((s): s is string => !!s);
    const repository = `${io.context.owner}/${io.context.repo}`;
    const event = buildEvent(
      occurrenceFromInputs(inputs, {
        repository,
        repositoryUrl: `${io.context.serverUrl}/${repository}`,
        runUrl: io.context.runUrl,
        runId: io.context.runId,
        sha: io.context.sha,
        at: new Date().toISOString(),
      }),
    );
    const report = await notify(event, receivers, { http: fetchHttp, clock: systemClock, log: (line) => io.info(line) }, { secrets: [...secrets, ...known] });
    await io.summary(renderNotifyReport(report));
    const failed = report.results.filter((result) => result.status === "failed");
    io.setOutput("sent", report.results.filter((result) => result.status === "sent").map((result) => result.name).join(","));
    io.setOutput("failed", failed.map((result) => result.name).join(","));
    io.setOutput("event-id", report.event.id);
    if (failed.length === 0) return;
    const message = `Notification to ${failed.map((result) => `${result.name} (${result.detail})`).join(", ")} failed`;
    if (inputs.failOnError ?? config.notify?.failOnError ?? false) throw new GateFailure(message);
    io.warning(message, "notify");
  });
}

await run();
