import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { z } from "zod";
import { createCloudflareRuntime } from "../../alchemy/cloudflare-runtime.ts";
import { configuredLauncher } from "../../alchemy/alchemy-launcher.ts";
import { EXIT, InputError } from "../../errors.ts";
import { loadConfig } from "../../local/config-file.ts";
import { reportsDir, writeReportFile } from "../../local/report-files.ts";
import { assertEnvironment, envFileFor, parseStageMap, stageFor } from "../../promote/environments.ts";
import { rolloutFor } from "../../rollout/plan-rollout.ts";
import { renderRollout } from "../../rollout/rollout-report.ts";
import { cloudflareApiFrom, cloudflareDelivery } from "../../wiring/rollout-ports.ts";
import { defineCommand } from "../command.ts";
import { cliRunInfo, credentialValues } from "../run-info.ts";
import { parseSelection } from "../../notify/notify-config.ts";
import { tellPassedStep } from "../../promote/tell-steps.ts";
import type { RolloutTarget } from "../../rollout/run-rollout.ts";
import { stepNotifier } from "../../wiring/step-notify.ts";

const flags = z.object({
  env: z.string().min(1, { error: "an environment name" }).describe("Target environment; its strategy is rollout.<env> in alchkit.config"),
  strategy: z
    .string()
    .optional()
    .describe('The rollout instead of the config\'s: a strategy name (canary, progressive, blue-green) or its JSON, e.g. {"strategy":"canary","traffic":10,"duration":"10m"}'),
  sha: z.string().regex(/^[0-9a-f]{7,40}$/, { error: "a commit SHA" }).optional().describe("The SHA being rolled out (default: HEAD of --cwd)"),
  cwd: z.string().optional().describe("Repository root (default: the current directory)"),
  appDir: z.string().optional().describe("Directory of alchemy.run.ts, relative to the repository root (default: app.directory of alchkit.config.json)"),
  stages: z.string().optional().describe("Environment-to-stage mapping, e.g. production=prod,staging=staging (default production→prod)"),
  // Not `--env-file`: Node 24 takes that flag for itself wherever it appears on the command line.
  envFiles: z.string().optional().describe("Env file of each environment for alchemy.run.ts, relative to the app directory; {environment} is replaced, e.g. env/{environment}.env (as alchkit deploy)"),
  resource: z.string().optional().describe("Alchemy id of the Worker to roll out (default: the one Worker with a URL)"),
  notify: z
    .string()
    .default("off")
    .describe("Tell each step the candidate passed as it passes to alchkit.config's notify receivers or those whose variables are set (SLACK_WEBHOOK_URL…): off, auto, or a list of slack, discord, teams, webhook, sentry"),
  format: z.enum(["markdown", "json"], { error: "markdown or json" }).default("markdown").describe("Output: markdown (the report) or json"),
});

export const rolloutCommand = defineCommand({
  path: ["rollout"],
  summary: "Roll a SHA out on Cloudflare step by step: canary, progressive or blue-green on Workers versions",
  description:
    "Deploys the app with alchemy deploy so that its Worker is uploaded as a Workers version that takes no traffic " +
    "(alchemy.run.ts passes version: process.env.ALCHKIT_WORKER_VERSION), then moves traffic to it as rollout.<env> in " +
    "alchkit.config says, measuring the candidate and the stable version side by side through the " +
    "Cloudflare-Workers-Version-Overrides header between steps. A breach sends all traffic back to the stable version at " +
    "once. Needs CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID. Writes the report to .alchkit/out/rollout-<env>.md. " +
    "Exit 1 when the rollout was aborted or refused (e.g. a Durable Object migration), 2 on bad input.",
  flags,
  examples: ["alchkit rollout --env production", 'alchkit rollout --env production --strategy \'{"strategy":"canary","traffic":5,"duration":"30m"}\''],
  async run({ flags }, ctx) {
    assertEnvironment(flags.env, "--env");
    const root = resolve(ctx.cwd, flags.cwd ?? ".");
    const { config } = await loadConfig(root);
    if (flags.strategy === undefined && config.rollout?.[flags.env] === undefined) {
      throw new InputError("--strategy", `a rollout for ${flags.env} (rollout.${flags.env} in alchkit.config, or --strategy)`);
    }
    const { plan, where } = rolloutFor(flags.strategy, "--strategy", config.rollout, flags.env);
    if (!plan) throw new InputError(where, "canary, progressive or blue-green (all-at-once is alchkit deploy)");
    const api = cloudflareApiFrom(ctx.env);
    if (!api) throw new InputError("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID (a token with Workers Scripts: Edit)");
    const sha = flags.sha ?? headOf(root);
    const stage = stageFor(flags.env, parseStageMap(flags.stages ?? "", "--stages"));
    const envFile = flags.envFiles ? envFileFor(flags.env, flags.envFiles) : undefined;
    const log = (line: string) => ctx.stderr(`${line}\n`);
    // undefined for `off` or when no receiver is configured
    const steps = stepNotifier(config.notify, ctx.env, parseSelection(flags.notify, "--notify"), cliRunInfo(ctx.env, root), { secrets: credentialValues(ctx.env), log });
    let target: RolloutTarget | undefined;
    // The same delivery the promote action and `alchkit deploy --strategy` run (wiring/rollout-ports.ts).
    const delivery = await cloudflareDelivery(api, {
      runtimeFor: (appDir) => {
        const launcher = configuredLauncher(appDir, config.app);
        return createCloudflareRuntime({ cwd: appDir, env: ctx.env, onOutput: (chunk) => ctx.stderr(chunk), ...(launcher ? { launcher } : {}) });
      },
      envFileFor: (_appDir, request) => request.envFile,
      ...(flags.resource ? { resource: flags.resource } : {}),
      log,
    }).deliver(
      plan,
      { environment: flags.env, stage, sha, buildId: sha, root, appDir: flags.appDir ?? config.app.directory, appEntry: config.app.entry, ...(envFile ? { envFile } : {}) },
      {
        uploaded: async (uploaded) => void (target = uploaded),
        stepEnded: async (step) => tellPassedStep(steps, step, target!, log),
      },
    );
    const report = renderRollout(plan, delivery.result, { candidate: delivery.target.candidate, stable: delivery.target.stable });
    await writeReportFile(join(reportsDir(root), `rollout-${flags.env}.md`), report);
    ctx.stdout(flags.format === "json" ? `${JSON.stringify({ target: delivery.target, ...delivery.result, ...(delivery.allAtOnce ? { allAtOnce: delivery.allAtOnce } : {}) }, null, 2)}\n` : `${report}\n`);
    return delivery.result.outcome === "aborted" ? EXIT.gateFailed : EXIT.ok;
  },
});

function headOf(root: string): string {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    throw new InputError("--sha", `the SHA being rolled out (${root} is not a git checkout with a commit)`);
  }
}
