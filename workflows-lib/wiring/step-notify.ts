import { fetchHttp, systemClock } from "../local/http-fetch.ts";
import { buildEvent } from "../notify/build-event.ts";
import { notify } from "../notify/deliver.ts";
import { resolveReceivers, type NotifyConfig, type ReceiverSelection } from "../notify/notify-config.ts";
import type { StepNotifyPort } from "../promote/ports.ts";

/** What the run knows about itself, for the event's links and id. */
export interface StepNotifyRun {
  repository: string;
  repositoryUrl?: string;
  runUrl?: string;
  runId?: string;
}

/**
 * Per-step notifications of a rollout through the notify capability: the receivers of alchkit.config's `notify`
 * section, else every one whose variables are set (SLACK_WEBHOOK_URL…), each step a `rollout.step` event
 * ("<sha> serves 10 % of production"). Undefined when no receiver is selected. Secrets the receivers hold, and
 * `secrets`, never reach a message.
 */
export function stepNotifier(
  config: NotifyConfig | undefined,
  env: Record<string, string | undefined>,
  selection: ReceiverSelection,
  run: StepNotifyRun,
  options: { secrets: string[]; log(line: string): void; mask?(secret: string): void },
): StepNotifyPort | undefined {
  const { receivers, secrets } = resolveReceivers(config, env, selection, "alchkit config notify");
  if (receivers.length === 0) return undefined;
  for (const secret of secrets) options.mask?.(secret);
  return {
    async passed(step, target) {
      const event = buildEvent({
        operation: "rollout-step",
        outcome: "advanced",
        ...run,
        sha: target.sha,
        environment: target.environment,
        url: target.url,
        traffic: step.traffic,
        at: new Date().toISOString(),
      });
      const report = await notify(event, receivers, { http: fetchHttp, clock: systemClock, log: options.log }, { secrets: [...secrets, ...options.secrets] });
      const failed = report.results.filter((result) => result.status === "failed");
      if (failed.length > 0) options.log(`notify: step ${step.index} not told to ${failed.map((r) => `${r.name} (${r.detail})`).join(", ")}`);
    },
  };
}
