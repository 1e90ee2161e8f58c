import { join, resolve } from "node:path";
import { loadConfig } from "../../local/config-file.ts";
import type { AlchkitConfig } from "../../config/config-schema.ts";
import { watchFor } from "../../watch/watch-config.ts";
import { z } from "zod";
import { EXIT, InputError } from "../../errors.ts";
import { createFileLedger, ledgerPath } from "../../local/ledger-file.ts";
import { reportsDir, writeReportFile } from "../../local/report-files.ts";
import { assertEnvironment } from "../../promote/environments.ts";
import { assertRolloutDelivery, promotionOptions, promotionRollout } from "../../promote/promote-inputs.ts";
import { currentLive, stateOf, type Ledger } from "../../promote/ledger.ts";
import {
  describePlan,
  failureMessage,
  runPromotion,
  type PromotionOptions,
  type PromotionRequest,
  type PromotionResult,
} from "../../promote/run-promotion.ts";
import { renderLedger, renderPromotionSummary } from "../../promote/summary.ts";
import { githubLedger } from "../../wiring/github-ledger.ts";
import { localStageStopper } from "../../alchemy/promotion-deployer.ts";
import { readDevRecord } from "../../alchemy/dev-record.ts";
import { kitStateDir } from "../../alchemy/stage-dir.ts";
import { processGroupAlive } from "../../alchemy/process-group.ts";
import { failedCandidateMayRun } from "../../promote/stop-environment.ts";
import { githubPromotionPorts, localPromotionPorts, type AdapterSettings } from "../../wiring/promotion-ports.ts";
import { listInput, positiveIntInput } from "../../validate.ts";
import { defineCommand, type CliContext } from "../command.ts";
import { githubTarget } from "../github-target.ts";
import { cliRunInfo, credentialValues } from "../run-info.ts";
import { parseSelection } from "../../notify/notify-config.ts";
import { stepNotifier } from "../../wiring/step-notify.ts";
import type { RolloutPlan } from "../../rollout/plan-rollout.ts";

const environment = z.string().min(1);
const sha = z.string().regex(/^[\w./^~-]+$/, { error: "a commit SHA or ref" });

/** Flags every deploying command shares; the same settings as the promote action's inputs. */
const deployFlags = {
  local: z.boolean().default(false).describe("Run locally: alchemy dev on workerd and the file ledger .alchkit/ledger.json"),
  cwd: z.string().optional().describe("Repository root (default: the current directory)"),
  appDir: z.string().optional().describe("Directory of alchemy.run.ts, relative to the repository root (default: app.directory of alchkit.config.json)"),
  stages: z.string().optional().describe("Environment-to-stage mapping, e.g. production=prod,staging=staging (default production→prod)"),
  // Not `--env-file`: Node 24 takes that flag for itself wherever it appears on the command line.
  envFiles: z.string().optional().describe("Env file of each environment, {environment} is replaced, e.g. env/{environment}.env (default .env.{environment} if present)"),
  resource: z.string().optional().describe("Resource whose URL is the environment URL (default: the first with a URL)"),
  healthPath: z.string().default("/health").describe("Path probed after deploying; a non-200 answer fails the deploy"),
  healthRetries: positiveIntInput.default(5).describe("Health probe retries after the first attempt"),
  healthTimeout: positiveIntInput.default(60).describe("Health probe deadline in seconds (retries included)"),
  keepFailed: z.boolean().default(false).describe("Do not roll back automatically when the deploy, its health check or its watch fails"),
  strategy: z
    .string()
    .optional()
    .describe(
      'How deploy/promote move traffic on Cloudflare: all-at-once, canary, progressive, blue-green, or its JSON, e.g. {"strategy":"canary","traffic":10,"duration":"10m"} (default: rollout.<env> of alchkit.config, else all at once; not with --local)',
    ),
  notify: z
    .string()
    .default("off")
    .describe(
      "With a rollout: tell each step the candidate passed as it passes (\"<sha> serves 10 % of production\") to alchkit.config's notify receivers or those whose variables are set (SLACK_WEBHOOK_URL…): off, auto, or a list of slack, discord, teams, webhook, sentry",
    ),
  watch: z.string().optional().describe("Watch the deploy for this bake window (e.g. 5m; 0s for none) and roll back on a breach; thresholds and interval from alchkit.config's watch section"),
  requiredChecks: listInput.optional().describe("Checks that must be green on the SHA (GitHub only; default: every check on it)"),
  profile: z.string().optional().describe("Alchemy profile for Cloudflare (not with --local)"),
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { error: "OWNER/NAME" }).optional().describe("GitHub repository (default GITHUB_REPOSITORY)"),
  trustedDeployers: listInput.optional().describe("Logins besides the token's own whose deployments the ledger trusts (GitHub only)"),
  runId: z
    .string()
    .regex(/^[\w.:-]{1,100}$/, { error: "letters, digits, '.', '_', ':' or '-'" })
    .optional()
    .describe("Identity of the job: a re-run with the same id continues its ledger entries (default: GITHUB_RUN_ID and GITHUB_JOB in GitHub Actions, else a new one)"),
};

const ask = (ctx: CliContext, yes: boolean, action: string) => {
  if (yes) return undefined;
  if (!ctx.isTTY || !ctx.prompt) {
    throw new InputError("--yes", `a terminal to confirm in, or --yes to ${action} without asking`);
  }
  const prompt = ctx.prompt;
  return {
    async approve(question: string) {
      const answer = (await prompt(`${question} [y/N] `)).trim().toLowerCase();
      return answer === "y" || answer === "yes";
    },
  };
};

/** The flags with the app folder settled: --app-dir, else app.directory of the configuration. */
type DeployFlags = Omit<z.output<z.ZodObject<typeof deployFlags>>, "appDir"> & { appDir: string };

function options(flags: DeployFlags): PromotionOptions {
  return promotionOptions(
    {
      stages: flags.stages ?? "",
      envFiles: flags.envFiles,
      appDir: flags.appDir,
      autoRollback: !flags.keepFailed,
      requiredChecks: flags.requiredChecks ?? [],
      ignoreChecks: [],
    },
    "--stages",
  );
}

function buildPorts(flags: DeployFlags, ctx: CliContext, approval: ReturnType<typeof ask>, app: AlchkitConfig["app"]) {
  const root = resolve(ctx.cwd, flags.cwd ?? ".");
  const settings: AdapterSettings = {
    root,
    appDir: flags.appDir,
    healthPath: flags.healthPath,
    healthRetries: flags.healthRetries,
    healthDeadlineMs: flags.healthTimeout * 1000,
    envFileOptional: flags.envFiles === undefined,
    env: { ...ctx.env, DO_NOT_TRACK: ctx.env.DO_NOT_TRACK ?? "1" },
    log: (line) => ctx.stderr(`${line}\n`),
    ...(flags.resource ? { resource: flags.resource } : {}),
    ...(approval ? { approval } : {}),
    launch: app,
  };
  if (flags.local) {
    if (flags.profile) throw new InputError("--profile", "no profile with --local (workerd needs no credentials)");
    return { root, ports: localPromotionPorts(settings), repoUrl: undefined };
  }
  const target = githubTarget(flags, ctx.env, "a token with deployments: write");
  return {
    root,
    repoUrl: target.repoUrl,
    ports: githubPromotionPorts(settings, {
      github: target.github,
      owner: target.owner,
      repo: target.repo,
      ...(flags.profile ? { profile: flags.profile } : {}),
      ...(flags.trustedDeployers ? { trustedDeployers: flags.trustedDeployers } : {}),
    }),
  };
}

/** The job: `--run-id`, else the GitHub Actions job the CLI runs in (re-runs keep it), else none (a new one). */
function runOf(flags: DeployFlags, env: NodeJS.ProcessEnv): string | undefined {
  if (flags.runId) return flags.runId;
  return env.GITHUB_RUN_ID ? `github:${env.GITHUB_RUN_ID}:${env.GITHUB_JOB ?? "job"}` : undefined;
}

/**
 * The rollout of a deploy or promotion, as the promote action decides it (promotionRollout): --strategy, else
 * rollout.<env> of the config (which --local leaves aside). A blue-green whose switchover is manual needs a second, approved job: the workflows'
 * switch job, not a command.
 */
function cliRollout(request: PromotionRequest, flags: DeployFlags, config: Record<string, unknown> | undefined) {
  // Locally (workerd, no Workers versions) the config's rollout is the production one's: the stage goes all at once.
  if (flags.local && flags.strategy === undefined) return undefined;
  const plan = promotionRollout(
    { operation: request.operation, strategy: flags.strategy, runtime: flags.local ? "local" : "cloudflare", environment: request.environment },
    config,
    "--strategy",
  );
  if (plan?.switchover === "manual") {
    throw new InputError(
      flags.strategy ? "--strategy" : `rollout.${request.environment}`,
      'switchover: "automatic" here (a manual switch is the approved switch job of promote.yml or deploy.yml; see docs/rollouts.md)',
    );
  }
  return plan;
}

/** --notify: each rollout step the candidate passed, told as it passes (the promote action's `notify` input). */
function stepNotifications(flags: DeployFlags, rollout: RolloutPlan | undefined, notify: AlchkitConfig["notify"], ctx: CliContext, root: string) {
  const selection = parseSelection(flags.notify, "--notify");
  if (selection === "off") return undefined;
  if (!rollout) throw new InputError("--notify", "off without a rollout (--strategy or rollout.<env>): it tells each rollout step; `alchkit notify` tells an outcome");
  return stepNotifier(notify, ctx.env, selection, cliRunInfo(ctx.env, root, flags.repo), { secrets: credentialValues(ctx.env), log: (line) => ctx.stderr(`${line}\n`) });
}

async function execute(request: PromotionRequest, given: z.output<z.ZodObject<typeof deployFlags>>, ctx: CliContext, yes: boolean): Promise<number> {
  assertEnvironment(request.environment, request.operation === "promote" ? "--to" : "--env");
  if (request.from !== undefined) assertEnvironment(request.from, "--from");
  const approval = request.operation === "deploy" ? undefined : ask(ctx, yes, request.operation);
  const { config } = await loadConfig(resolve(ctx.cwd, given.cwd ?? "."));
  const flags: DeployFlags = { ...given, appDir: given.appDir ?? config.app.directory };
  const watch = watchFor(config.watch, flags.watch, "--watch");
  const rollout = cliRollout(request, flags, config.rollout);
  const runOptions = { ...options(flags), appEntry: config.app.entry, ...(watch ? { watch } : {}), ...(rollout ? { rollout } : {}) };
  const { root, ports, repoUrl } = buildPorts(flags, ctx, approval, config.app);
  assertRolloutDelivery(rollout, ports.delivery, "--profile");
  const steps = stepNotifications(flags, rollout, config.notify, ctx, root);
  if (steps) ports.steps = steps;
  const run = runOf(flags, ctx.env);
  const result = await runPromotion({ ...request, ...(run ? { run } : {}) }, runOptions, ports, (plan) =>
    ctx.stderr(`${describePlan(plan)}\n`),
  );
  await writeReport(root, result, repoUrl);
  ctx.stdout(`${JSON.stringify(resultJson(result), null, 2)}\n`);
  if (result.outcome !== "deployed") {
    const leftover = flags.local && failedCandidateMayRun(result) ? await localLeftover(result, flags, root, ctx) : "";
    ctx.stderr(`${failureMessage(result)}${leftover}\n`);
    return EXIT.gateFailed;
  }
  return EXIT.ok;
}

/**
 * A failed local operation must not leave its candidate running unseen while the ledger shows nothing of it:
 * its processes are stopped (data kept), or with --keep-failed kept, and the message says which and what next.
 */
async function localLeftover(result: PromotionResult, flags: DeployFlags, root: string, ctx: CliContext): Promise<string> {
  const { environment, stage, sha } = result.plan;
  const env = `--env ${environment} --local`;
  if (flags.keepFailed) {
    const record = readDevRecord(kitStateDir(root, ctx.env), stage);
    if (!record || !processGroupAlive(record.pid)) return "";
    return ` The failed ${sha.slice(0, 7)} still runs as stage ${stage}${result.url ? ` at ${result.url}` : ""} (--keep-failed), though the ledger does not show it live: \`alchkit env down ${env}\` stops it.`;
  }
  const stopped = await localStageStopper(root, ctx.env)(stage).catch(() => undefined);
  if (!stopped) return "";
  return ` Its processes (stage ${stage}, pid ${stopped.pid}) were stopped, so nothing the ledger does not show runs on ${environment}; its data is kept for the next deploy.`;
}

/** The markdown a step summary would show, written where the CLI keeps its reports. */
async function writeReport(root: string, result: PromotionResult, repoUrl: string | undefined): Promise<void> {
  await writeReportFile(
    join(reportsDir(root), `${result.plan.operation}-${result.plan.environment}.md`),
    `${renderPromotionSummary(result, repoUrl ? { repoUrl } : {})}\n`,
  );
}

export function resultJson(result: PromotionResult) {
  return {
    operation: result.plan.operation,
    environment: result.plan.environment,
    ...(result.plan.from ? { from: result.plan.from } : {}),
    sha: result.plan.sha,
    stage: result.plan.stage,
    outcome: result.outcome,
    url: result.url ?? null,
    previous: result.plan.live?.sha ?? null,
    ...(result.rollback ? { rollback: { sha: result.rollback.sha, url: result.rollback.url ?? null, ok: !result.rollback.error } } : {}),
    ...(result.error ? { error: result.error } : {}),
    durations: result.durations,
    timeline: result.timeline,
  };
}

export const deployCommand = defineCommand({
  path: ["deploy"],
  summary: "Deploy a SHA to an environment, probe its health, roll back automatically if it fails",
  description:
    "Deploys the code of --sha (default HEAD) as the environment's Alchemy stage, records it in the ledger (GitHub " +
    "Deployments, or .alchkit/ledger.json with --local), probes --health-path and restores the previous good SHA when the " +
    "probe fails. Locally each SHA runs from its own git worktree on workerd. Prints JSON; exit 1 when the deploy failed.",
  flags: z.object({ env: environment.describe("Target environment, e.g. staging"), sha: sha.optional().describe("Commit to deploy (default HEAD)"), ...deployFlags }),
  examples: ["alchkit deploy --env staging --local", "alchkit deploy --env staging --sha 3f2a9c1 --local"],
  run({ flags }, ctx) {
    return execute(
      { operation: "deploy", environment: flags.env, ...(flags.sha ? { ref: flags.sha } : {}), names: { environment: "--env", from: "--from", ref: "--sha" } },
      flags,
      ctx,
      true,
    );
  },
});

export const promoteCommand = defineCommand({
  path: ["promote"],
  summary: "Promote the SHA live on one environment to another, after confirmation",
  description:
    "Takes the SHA live and healthy on --from (or --sha), refuses it when its required checks are not green (GitHub), shows " +
    "the commits it brings, asks for confirmation (or --yes), then deploys it to --to with health probe and automatic " +
    "rollback. Two promotions to one environment wait for each other.",
  flags: z.object({
    from: environment.describe("Environment whose live SHA is promoted, e.g. staging"),
    to: environment.describe("Target environment, e.g. production"),
    sha: sha.optional().describe("Promote this SHA instead of the one live on --from"),
    yes: z.boolean().default(false).describe("Do not ask for confirmation"),
    ...deployFlags,
  }),
  aliases: { y: "yes" },
  examples: ["alchkit promote --from staging --to production --local", "alchkit promote --from staging --to production --yes"],
  run({ flags }, ctx) {
    return execute(
      {
        operation: "promote",
        from: flags.from,
        environment: flags.to,
        ...(flags.sha ? { ref: flags.sha } : {}),
        names: { environment: "--to", from: "--from", ref: "--sha" },
      },
      flags,
      ctx,
      flags.yes,
    );
  },
});

export const rollbackCommand = defineCommand({
  path: ["rollback"],
  summary: "Put an environment back on its previous good SHA (or --to a given one)",
  description:
    "Redeploys the deployment that was live before the current one (or the one of --to) with the exact stage, build id and " +
    "env file it had, probes its health and records it in the ledger. Asks for confirmation unless --yes.",
  flags: z.object({
    env: environment.describe("Environment to roll back, e.g. production"),
    to: sha.optional().describe("SHA to go back to (default: the previous good one)"),
    yes: z.boolean().default(false).describe("Do not ask for confirmation"),
    ...deployFlags,
  }),
  aliases: { y: "yes" },
  examples: ["alchkit rollback --env production --local", "alchkit rollback --env production --to 3f2a9c1 --yes"],
  run({ flags }, ctx) {
    return execute(
      { operation: "rollback", environment: flags.env, ...(flags.to ? { ref: flags.to } : {}), names: { environment: "--env", from: "--from", ref: "--to" } },
      flags,
      ctx,
      flags.yes,
    );
  },
});

export const ledgerCommand = defineCommand({
  path: ["ledger"],
  summary: "Show every operation and record of each environment, and what is live now",
  description:
    "Reads the ledger (GitHub Deployments, or .alchkit/ledger.json with --local): one entry per deploy, promotion, rollback, " +
    "automatic rollback and record, newest first, and per environment the entry live now (derived from them). On GitHub only " +
    "deployments created by the token's own identity (or --trusted-deployers) count; the others are listed as ignored.",
  flags: z.object({
    env: environment.optional().describe("Only this environment"),
    local: z.boolean().default(false).describe("Read .alchkit/ledger.json instead of GitHub Deployments"),
    cwd: z.string().optional().describe("Repository root (default: the current directory)"),
    repo: deployFlags.repo,
    trustedDeployers: deployFlags.trustedDeployers,
    format: z.enum(["json", "markdown"]).default("json").describe("json or markdown"),
  }),
  examples: ["alchkit ledger --local", "alchkit ledger --env production --format markdown"],
  async run({ flags }, ctx) {
    if (flags.env) assertEnvironment(flags.env, "--env");
    const ignored: string[] = [];
    const ledger: Ledger = flags.local
      ? createFileLedger(ledgerPath(resolve(ctx.cwd, flags.cwd ?? ".")))
      : (() => {
          const target = githubTarget(flags, ctx.env);
          return githubLedger({ ...target, ...(flags.trustedDeployers ? { trustedDeployers: flags.trustedDeployers } : {}) }, (line) =>
            ignored.push(line),
          );
        })();
    const entries = await ledger.history(flags.env);
    for (const line of ignored) ctx.stderr(`${line}\n`);
    if (flags.format === "markdown") {
      ctx.stdout(`${renderLedger(entries)}\n`);
    } else {
      const environments = [...new Set(entries.map((entry) => entry.environment))].sort();
      const live = Object.fromEntries(environments.map((name) => [name, currentLive(entries, name)?.id ?? null]));
      ctx.stdout(`${JSON.stringify({ live, entries: entries.map((entry) => ({ ...entry, state: stateOf(entry) })) }, null, 2)}\n`);
    }
    return EXIT.ok;
  },
});

export const promoteCommands = [deployCommand, promoteCommand, rollbackCommand, ledgerCommand];
