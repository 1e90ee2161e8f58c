import path from "node:path";
import { runAction, timeScale } from "../../workflows-lib/github/action-shell.ts";
import { createGitHubPlatform } from "../../workflows-lib/github/github-platform.ts";
import { createCloudflareRuntime } from "../../workflows-lib/alchemy/cloudflare-runtime.ts";
import { createLocalRuntime } from "../../workflows-lib/alchemy/local-runtime.ts";
import { configuredLauncher } from "../../workflows-lib/alchemy/alchemy-launcher.ts";
import { loadConfig } from "../../workflows-lib/local/config-file.ts";
import { accountInventoryFor } from "../../workflows-lib/cloudflare/account-from-env.ts";
import { probeHealth, systemHealthPorts } from "../../workflows-lib/health/probe.ts";
import { previewInputs, previewStage, requirePullRequest, resolveMode } from "../../workflows-lib/preview/preview-inputs.ts";
import { runPreview } from "../../workflows-lib/preview/run-preview.ts";
import { GateFailure } from "../../workflows-lib/errors.ts";

export async function run(): Promise<void> {
  await runAction(async (io) => {
    const inputs = io.inputs(previewInputs);
    const pr = requirePullRequest(io.context.pullRequest);
    const mode = resolveMode(inputs.mode, pr);
    const stage = previewStage(inputs.stagePrefix, pr.number);
    const cwd = path.resolve(io.context.workspace, inputs.workingDirectory);
    const secrets = [io.env.CLOUDFLARE_API_TOKEN, io.env.ALCHEMY_PASSWORD, io.env.ALCHEMY_STATE_TOKEN].filter((s): s is string => !!s);
    secrets.forEach((s) => io.secret(s));
    const onOutput = (chunk: string) => process.stdout.write(chunk);
    // A program run directly (`app.runner` in alchkit.config.json) is started that way, as the CLI does.
    const launcher = configuredLauncher(cwd, (await loadConfig(io.context.workspace)).config.app);
    const runtime =
      inputs.runtime === "local"
        ? createLocalRuntime({ cwd, env: io.env, detach: true, secrets, onOutput, ...(launcher ? { launcher } : {}) })
        : createCloudflareRuntime({ cwd, env: io.env, secrets, onOutput, ...(launcher ? { launcher } : {}) });
    // After a destroy on Cloudflare the account itself is listed: what state forgot is found too.
    const account = inputs.runtime === "cloudflare" && mode === "destroy" ? await accountInventoryFor(io.env, inputs.profile) : undefined;
    const octokit = io.github();
    const platform = createGitHubPlatform({
      octokit,
      owner: io.context.owner,
      repo: io.context.repo,
      issueNumber: pr.number,
      appendSummary: (md) => io.summary(md),
      backoffMs: 1000 * timeScale(io.env),
    });
    const repoUrl = `${io.context.serverUrl}/${io.context.owner}/${io.context.repo}`;
    const outcome = await runPreview(
      {
        mode,
        pr: { number: pr.number, headSha: pr.headSha || io.context.sha, isFork: pr.isFork, headRepo: pr.headRepoFullName },
        stage,
        environment: `${inputs.environmentPrefix}${stage}`,
        purpose: inputs.commentHeader,
        links: { commit: (sha) => `${repoUrl}/commit/${sha}`, run: io.context.runUrl },
        up: {
          ...(inputs.profile ? { profile: inputs.profile } : {}),
          ...(inputs.envFile ? { envFile: inputs.envFile } : {}),
          ...(inputs.app ? { app: inputs.app } : {}),
          vars: { BUILD_ID: pr.headSha || io.context.sha },
        },
        ...(inputs.urlResource ? { urlResource: inputs.urlResource } : {}),
        ...(inputs.healthPath !== "none" ? { healthPath: inputs.healthPath } : {}),
        protectedStages: inputs.protectedStages,
        forkOptInLabel: inputs.forkLabel,
        allowFork: inputs.allowFork,
        trigger: {
          eventName: io.context.eventName,
          ...(pr.action ? { action: pr.action } : {}),
          ...(typeof io.context.event.label?.name === "string" ? { label: io.context.event.label.name as string } : {}),
          labels: pr.labels,
        },
      },
      {
        runtime,
        platform,
        ...(account ? { account } : {}),
        now: () => new Date(),
        removeLabel: async (name) => {
          await octokit.rest.issues.removeLabel({ owner: io.context.owner, repo: io.context.repo, issue_number: pr.number, name });
        },
        ...(inputs.healthPath !== "none"
          ? {
              probe: (url: string) =>
                probeHealth(
                  {
                    url,
                    path: inputs.healthPath,
                    expectedStatus: inputs.healthStatus,
                    timeoutMs: inputs.healthTimeout * 1000,
                    retries: inputs.healthRetries,
                    deadlineMs: inputs.healthDeadline * 1000,
                    notFoundFix:
                      "set the preview workflow's `health-path` input (or `preview.healthPath` in alchkit.config.json) to a path that answers 200; `none` skips the check",
                  },
                  systemHealthPorts,
                ),
            }
          : {}),
      },
    );
    io.setOutput("stage", outcome.stage);
    io.setOutput("status", outcome.status);
    io.setOutput("url", outcome.url ?? "");
    io.setOutput("urls", JSON.stringify(outcome.urls));
    io.setOutput("deployment-id", outcome.deploymentId ?? "");
    io.setOutput("comment-id", outcome.comment.id ?? "");
    if (outcome.status === "skipped-fork") io.notice(`No preview for this fork pull request: the "${inputs.forkLabel}" opt-in covers only the commit it was given to, on pull_request_target.`, "Preview skipped");
    if (outcome.failure) throw new GateFailure(outcome.failure);
    io.info(`Preview ${outcome.stage}: ${outcome.status}${outcome.url ? ` at ${outcome.url}` : ""}`);
  });
}

await run();
