import * as core from "@actions/core";
import { loadConfig } from "../../workflows-lib/local/config-file.ts";
import { watchFor } from "../../workflows-lib/watch/watch-config.ts";
import { runAction, type ActionIO } from "../../workflows-lib/github/action-shell.ts";
import { GateFailure } from "../../workflows-lib/errors.ts";
import { assertRolloutDelivery, promoteInputs, promotionFromInputs, promotionRollout, switchFromInputs, type PromoteInputs } from "../../workflows-lib/promote/promote-inputs.ts";
import { executePromotion, failureMessage, planPromotion, type PromotionResult } from "../../workflows-lib/promote/run-promotion.ts";
import { switchOver } from "../../workflows-lib/promote/switch-over.ts";
import { parseSelection } from "../../workflows-lib/notify/notify-config.ts";
import { stepNotifier } from "../../workflows-lib/wiring/step-notify.ts";
import { renderPlanSummary, renderPromotionSummary } from "../../workflows-lib/promote/summary.ts";
import { githubLedger } from "../../workflows-lib/wiring/github-ledger.ts";
import { githubPromotionPorts, githubSwitchPorts } from "../../workflows-lib/wiring/promotion-ports.ts";
import { parsePolicyAudit, recordRefusal } from "../../workflows-lib/promote/policy-record.ts";

export async function run(): Promise<void> {
  await runAction(async (io) => {
    const inputs = io.inputs(promoteInputs);
    if (inputs.operation === "switch") return switchTraffic(io, inputs);
    // A re-run of this job (same run id, next attempt) continues its ledger entries instead of adding new ones.
    const { request, options: promotion } = promotionFromInputs(inputs, io.context.sha, `github:${io.context.runId}:${io.env.GITHUB_JOB ?? "job"}`);
    const policyAudit = inputs.policyAudit ? parsePolicyAudit(inputs.policyAudit, "policy-audit") : undefined;
    if (policyAudit && !policyAudit.passed) {
      // The gate refused: nothing is deployed, but the refusal is on record (about no deployment).
      const ledger = githubLedger(
        { github: io.github(), owner: io.context.owner, repo: io.context.repo, logUrl: io.context.runUrl, trustedDeployers: inputs.trustedDeployers },
        (line) => io.info(line),
      );
      const refused = await recordRefusal(ledger, policyAudit, { run: request.run!, environment: inputs.environment, sha: request.ref ?? io.context.sha, ...(request.ref ? { ref: request.ref } : {}), url: io.context.runUrl });
      io.setOutput("outcome", "refused");
      io.setOutput("sha", refused.sha);
      throw new GateFailure(refused.message);
    }
    const { config } = await loadConfig(io.context.workspace);
    const watch = inputs.planOnly ? undefined : watchFor(config.watch, inputs.watch, "watch");
    const rollout = promotionRollout(inputs, config.rollout);
    const options = { ...promotion, appEntry: config.app.entry, ...(watch ? { watch } : {}), ...(rollout ? { rollout } : {}), ...(policyAudit ? { policyAudit } : {}) };
    const root = io.context.workspace;
    const secrets = [io.env.CLOUDFLARE_API_TOKEN, io.env.ALCHEMY_PASSWORD, io.env.ALCHEMY_STATE_TOKEN].filter((s): s is string => !!s);
    secrets.forEach((secret) => io.secret(secret));
    const settings = {
      root,
      appDir: inputs.workingDirectory,
      healthPath: inputs.healthPath,
      healthRetries: inputs.healthRetries,
      healthDeadlineMs: inputs.healthDeadline * 1000,
      envFileOptional: inputs.envFiles === undefined,
      env: io.env,
      log: (line: string) => io.info(line),
      ...(inputs.urlResource ? { resource: inputs.urlResource } : {}),
      launch: config.app,
    };
    const ports = githubPromotionPorts(settings, {
      github: io.github(),
      owner: io.context.owner,
      repo: io.context.repo,
      logUrl: io.context.runUrl,
      runId: io.context.runId,
      secrets,
      runtime: inputs.runtime,
      trustedDeployers: inputs.trustedDeployers,
      ...(inputs.profile ? { profile: inputs.profile } : {}),
    });
    // Each passed rollout step is told as it passes (receivers from alchkit.config's notify section or the step's env).
    const steps = rollout
      ? stepNotifier(
          config.notify,
          io.env,
          parseSelection(inputs.notify, "notify"),
          { repository: `${io.context.owner}/${io.context.repo}`, repositoryUrl: `${io.context.serverUrl}/${io.context.owner}/${io.context.repo}`, runUrl: io.context.runUrl, runId: io.context.runId },
          { secrets, log: (line) => io.info(line), mask: (secret) => io.secret(secret) },
        )
      : undefined;
    if (steps) ports.steps = steps;
    assertRolloutDelivery(rollout, ports.delivery, "the Alchemy profile `profile`");
    const links = { repoUrl: `${io.context.serverUrl}/${io.context.owner}/${io.context.repo}` };

    const plan = await planPromotion(request, options, ports);
    io.setOutput("sha", plan.sha);
    io.setOutput("stage", plan.stage);
    io.setOutput("previous-sha", plan.live?.sha ?? "");
    if (inputs.planOnly) {
      io.setOutput("outcome", "planned");
      io.setOutput("url", plan.live?.url ?? "");
      await io.summary(renderPlanSummary(plan, links));
      return;
    }
    const result = await executePromotion(plan, options, { ...ports, inFlight });
    await report(io, result, links);
  });
}

/** Outputs, summary and the step's verdict of a deploy, promotion or switch. */
async function report(io: ActionIO, result: PromotionResult, links: { repoUrl: string }): Promise<void> {
  const { plan } = result;
  io.setOutput("outcome", result.outcome);
  io.setOutput("url", (result.outcome === "rolled-back" ? result.rollback?.url : result.url) ?? "");
  io.setOutput("deployment-id", result.entry.id);
  io.setOutput("rollback-sha", result.rollback?.sha ?? "");
  io.setOutput("version-id", result.switchover?.candidate ?? result.rollout?.candidate ?? "");
  await io.summary(renderPromotionSummary(result, links));
  if (result.outcome === "verified") {
    io.notice(
      `${plan.sha.slice(0, 7)} is verified idle on ${plan.environment} as version ${result.rollout?.candidate}; the switch job switches traffic once approved`,
      `${plan.operation} ${plan.environment}`,
    );
    return;
  }
  if (result.outcome !== "deployed") throw new GateFailure(failureMessage(result));
  io.notice(`${plan.sha.slice(0, 7)} is live on ${plan.environment}: ${result.url}`, `${plan.operation} ${plan.environment}`);
}

/**
 * `operation: switch`: the approved second job of a manual blue-green. The version switched is the one this run's
 * deploy job verified idle, as its ledger entry names it; the `version` input must be that one.
 */
async function switchTraffic(io: ActionIO, inputs: PromoteInputs): Promise<void> {
  const request = switchFromInputs(inputs, io.context.runId, io.env.GITHUB_JOB ?? "switch");
  const secrets = [io.env.CLOUDFLARE_API_TOKEN].filter((s): s is string => !!s);
  secrets.forEach((secret) => io.secret(secret));
  const ports = githubSwitchPorts(
    {
      env: io.env,
      log: (line: string) => io.info(line),
      healthPath: inputs.healthPath,
      healthRetries: inputs.healthRetries,
      healthDeadlineMs: inputs.healthDeadline * 1000,
    },
    {
      github: io.github(),
      owner: io.context.owner,
      repo: io.context.repo,
      logUrl: io.context.runUrl,
      trustedDeployers: inputs.trustedDeployers,
      ...(inputs.profile ? { profile: inputs.profile } : {}),
    },
  );
  io.setOutput("sha", request.sha);
  const result = await switchOver(request, { autoRollback: inputs.autoRollback }, { ...ports, inFlight });
  io.setOutput("stage", result.plan.stage);
  io.setOutput("previous-sha", result.plan.live?.sha ?? "");
  await report(io, result, { repoUrl: `${io.context.serverUrl}/${io.context.owner}/${io.context.repo}` });
}

/** State key of the deployment in progress (the post step finalizes it when the job died mid-deploy). */
const IN_FLIGHT = "in-flight-deployment";

/** The deployment this job has in progress, kept in the action's state for the post step. */
const inFlight = {
  started: (entry: { id: string; environment: string; sha: string }) =>
    core.saveState(IN_FLIGHT, JSON.stringify({ id: entry.id, environment: entry.environment, sha: entry.sha })),
  finished: () => core.saveState(IN_FLIGHT, ""),
};

/**
 * Post step: GitHub runs it even when the job was cancelled or timed out. A deployment still in progress then
 * gets the final state `error`, so the environment never shows a deploy "in progress" forever.
 */
export async function post(): Promise<void> {
  await runAction(async (io) => {
    const state = core.getState(IN_FLIGHT);
    if (!state) return;
    const entry = JSON.parse(state) as { id: string; environment: string; sha: string };
    const ledger = githubLedger({ github: io.github(), owner: io.context.owner, repo: io.context.repo, logUrl: io.context.runUrl }, (line) => io.info(line));
    await ledger.mark(entry, "error", { description: "The job ended before the deploy finished (cancelled or timed out)" });
    io.warning(`The deploy of ${entry.sha.slice(0, 7)} to ${entry.environment} did not finish; its deployment is marked error.`);
  });
}

if (core.getState("phase") === "main") await post();
else {
  core.saveState("phase", "main");
  await run();
}
