import path from "node:path";
import { z } from "zod";
import { defineCommand, type CliContext, type CommandSpec } from "../command.ts";
import { createLocalRuntime } from "../../alchemy/local-runtime.ts";
import { configuredLauncher } from "../../alchemy/alchemy-launcher.ts";
import { loadConfig } from "../../local/config-file.ts";
import { createCloudflareRuntime } from "../../alchemy/cloudflare-runtime.ts";
import { isValidStage } from "../../platform/stage-name.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { createLocalPlatform } from "../../local/local-platform.ts";
import { probeHealth, systemHealthPorts } from "../../health/probe.ts";
import { runPreview, type PreviewOutcome } from "../../preview/run-preview.ts";
import { InputError, GateFailure } from "../../errors.ts";
import { gitOrUndefined } from "../../local/git.ts";

const flags = z.object({
  stage: z
    .string({ error: "a stage name such as pr-12" })
    .refine(isValidStage, { error: "a stage name of lower case letters, digits and single dashes, e.g. pr-12" })
    .describe("Stage of the preview, e.g. pr-12"),
  local: z.boolean().optional().describe("Run on workerd with alchemy dev instead of deploying to Cloudflare"),
  detach: z.boolean().optional().describe("With --local: return once the app answers and leave it running (stop it with preview down --local)"),
  profile: z.string().regex(/^[A-Za-z0-9_-]+$/, { error: "a profile name (letters, digits, '_', '-')" }).optional().describe("Alchemy profile with the Cloudflare credentials"),
  cwd: z.string().optional().describe("Directory of the Alchemy app (default: the current directory)"),
  // Not `--env-file`: Node 24 takes that flag for itself wherever it appears on the command line.
  envPath: z.string().optional().describe("Env file with the stage's settings, passed to Alchemy (--env-file)"),
  healthPath: z.string().default("/health").describe("Path probed after the deploy; none skips the probe"),
});

type Flags = z.output<typeof flags>;

const LOCAL_NOT_FOUND_FIX = "pass `--health-path` a path that answers 200 (`--health-path none` skips the check)";

async function setup(input: Flags, ctx: CliContext) {
  if (input.detach && !input.local) throw new InputError("--detach", "to be used with --local");
  const cwd = path.resolve(ctx.cwd, input.cwd ?? ".");
  const stateDir = path.join(cwd, ".alchkit");
  const onOutput = ctx.isTTY ? (chunk: string) => ctx.stderr(chunk) : undefined;
  const { config } = await loadConfig(cwd);
  // An app run as a program (`tsx alchemy.run.ts`) is started that way; otherwise the alchemy CLI with its package manager.
  const launcher = configuredLauncher(cwd, config.app);
  const runtime: Runtime & { stop?: (stage: string) => Promise<boolean> } = input.local
    ? createLocalRuntime({ cwd, env: ctx.env, stateDir, detach: input.detach === true, ...(onOutput ? { onOutput } : {}), ...(launcher ? { launcher } : {}) })
    : createCloudflareRuntime({ cwd, env: ctx.env, ...(onOutput ? { onOutput } : {}), ...(launcher ? { launcher } : {}) });
  const platform = createLocalPlatform({ stateDir });
  const number = Number(/(\d+)$/.exec(input.stage)?.[1] ?? 0);
  const headSha = await gitHead(cwd);
  const request = {
    pr: { number, headSha, isFork: false, headRepo: "" },
    stage: input.stage,
    environment: `preview/${input.stage}`,
    purpose: "preview",
    links: { commit: () => undefined },
    up: {
      ...(input.profile ? { profile: input.profile } : {}),
      ...(input.envPath ? { envFile: input.envPath } : {}),
      vars: { BUILD_ID: headSha },
    },
    ...(input.healthPath !== "none" ? { healthPath: input.healthPath } : {}),
  };
  const ports = {
    runtime,
    platform,
    now: () => new Date(),
    ...(input.healthPath !== "none"
      ? { probe: (url: string) => probeHealth({ url, path: input.healthPath, retries: 5, deadlineMs: 60_000, notFoundFix: LOCAL_NOT_FOUND_FIX }, systemHealthPorts) }
      : {}),
  };
  return { request, ports, runtime, stateDir };
}

async function gitHead(cwd: string): Promise<string> {
  return (await gitOrUndefined(cwd, ["rev-parse", "HEAD"]))?.trim() ?? "local";
}

function report(outcome: PreviewOutcome, ctx: CliContext, stateDir: string): void {
  ctx.stdout(`${JSON.stringify({ stage: outcome.stage, urls: outcome.urls })}\n`);
  if (ctx.isTTY) ctx.stderr(`${outcome.status}: the comment GitHub would show is in ${path.relative(ctx.cwd, path.join(stateDir, "out", "comment.md"))}\n`);
  if (outcome.failure) throw new GateFailure(outcome.failure);
}

export const previewUpCommand = defineCommand({
  path: ["preview", "up"],
  summary: "Deploy a preview stage (or run it locally on workerd) and write the PR comment to .alchkit/out/",
  flags,
  examples: ["alchkit preview up --stage pr-12 --local --detach", "alchkit preview up --stage pr-12 --profile ci"],
  async run({ flags: input }, ctx) {
    const { request, ports, runtime, stateDir } = await setup(input, ctx);
    const outcome = await runPreview({ ...request, mode: "deploy" }, ports);
    if (outcome.failure && runtime.stop) {
      // A local stage that came up but failed the preview (unhealthy, no URL) must not keep running unseen.
      const stopped = await runtime.stop(input.stage).catch(() => false);
      if (stopped) {
        outcome.failure +=
          ` The local processes of stage ${input.stage} were stopped; its state and data are kept to look at: ` +
          `\`alchkit preview down --local --stage ${input.stage}\` removes them.`;
      }
    }
    report(outcome, ctx, stateDir);
    if (input.local && !input.detach) {
      // Foreground: keep serving until interrupted, then tear the stage down like a closed PR.
      if (ctx.isTTY) ctx.stderr("Serving; press Ctrl-C to stop and destroy the stage.\n");
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await runPreview({ ...request, mode: "destroy" }, { ...ports, runtime });
    }
    return 0;
  },
});

export const previewDownCommand = defineCommand({
  path: ["preview", "down"],
  summary: "Destroy a preview stage (stopping its local processes) and verify nothing is left",
  flags: flags.omit({ detach: true, healthPath: true }),
  examples: ["alchkit preview down --stage pr-12 --local"],
  async run({ flags: input }, ctx) {
    const { request, ports, stateDir } = await setup({ ...input, healthPath: "none" }, ctx);
    const outcome = await runPreview({ ...request, mode: "destroy" }, ports);
    report(outcome, ctx, stateDir);
    return 0;
  },
});

export const previewCommands: CommandSpec[] = [previewUpCommand as unknown as CommandSpec, previewDownCommand as unknown as CommandSpec];
