import { join } from "node:path";
import { probeGet } from "../local/http-fetch.ts";
import type { WatchPorts } from "../watch/run-watch.ts";
import { createCloudflareRuntime } from "../alchemy/cloudflare-runtime.ts";
import { configuredLauncher, type LauncherChoice } from "../alchemy/alchemy-launcher.ts";
import { createCommitChecks, createGitHubCompare } from "../github/commit-checks.ts";
import { createGitHubDefaultBranch } from "../github/default-branch.ts";
import { systemHealthPorts } from "../health/probe.ts";
import { createFileLedger, ledgerPath } from "../local/ledger-file.ts";
import { acquireLockFile } from "../local/lock-file.ts";
import { createWorktreeSource } from "../local/worktree-source.ts";
import { githubLedger, type GitHubLedgerSettings } from "./github-ledger.ts";
import { alchemyDeployer, envFileToUse, localDeployer } from "../alchemy/promotion-deployer.ts";
import { cloudflareApiFrom, cloudflareDelivery, cloudflareVersions, servingVersion } from "./rollout-ports.ts";
import { healthChecker } from "../promote/health-check.ts";
import type { ApprovalPort, DeliveryPort, DeployRequest, LockPort, PromotionPorts, RuntimePort } from "../promote/ports.ts";
import type { SwitchPorts } from "../promote/switch-over.ts";
import { InputError } from "../errors.ts";

/*
 * Composition of promotion: the adapters the shells (the promote action, the CLI's deploy/promote/rollback, the
 * demo) hand to the promote use-cases. The capability itself only knows its ports; only shells import wiring/.
 */

/** Settings both shells (action, CLI) pass to the adapters. */
export interface AdapterSettings {
  /** Repository root. */
  root: string;
  appDir: string;
  /** Resource whose URL is the environment URL (default: the first with a URL). */
  resource?: string;
  healthPath: string;
  healthRetries: number;
  /** Overall health probe deadline in milliseconds. */
  healthDeadlineMs: number;
  envFileOptional: boolean;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  approval?: ApprovalPort;
  /** The app as a program run directly (`app.runner`, `app.entry` of alchkit.config.json); default the alchemy CLI. */
  launch?: LauncherChoice;
}

function health(settings: Pick<AdapterSettings, "healthPath" | "healthRetries" | "healthDeadlineMs">) {
  return healthChecker(
    {
      path: settings.healthPath,
      retries: settings.healthRetries,
      deadlineMs: settings.healthDeadlineMs,
      timeoutMs: Math.min(5_000, settings.healthDeadlineMs),
      backoffMs: 500,
      maxBackoffMs: 4_000,
      notFoundFix:
        "set the environment's `healthPath` in alchkit.config.json (`environments.<name>.healthPath`) or the workflow's `health-path` input to a path that answers 200",
    },
    systemHealthPorts,
  );
}

/** Laptop (or any machine without GitHub): file ledger, lock files, worktrees, `alchemy dev` on workerd. */
export function localPromotionPorts(settings: AdapterSettings): PromotionPorts {
  const source = createWorktreeSource({ root: settings.root, appDirs: [settings.appDir] });
  return {
    ledger: createFileLedger(ledgerPath(settings.root)),
    source,
    compare: source,
    branches: source,
    runtime: localRuntime(settings),
    health: health(settings),
    lock: localEnvironmentLock(settings.root),
    ...(settings.approval ? { approval: settings.approval } : {}),
    watch: watchProbes(settings),
    now: () => Date.now(),
    log: settings.log,
  };
}

/** The post-deploy watch's probes: real GETs on the wall clock. */
function watchProbes(settings: AdapterSettings): WatchPorts {
  return {
    request: probeGet,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    elapsed: () => performance.now(),
    log: settings.log,
  };
}

/** One operation per local environment at a time: `.alchkit/locks/<environment>.lock` (a dead holder's is broken). */
export function localEnvironmentLock(root: string): LockPort {
  return {
    exclusive: true,
    acquire: (environment, onWait) =>
      acquireLockFile(join(root, ".alchkit", "locks", `${environment}.lock`), { purpose: `alchkit on ${environment}`, onWait }),
  };
}

export interface GitHubSettings extends GitHubLedgerSettings {
  /** The current run: its own check runs are not the candidate's checks. */
  runId?: string;
  profile?: string;
  secrets?: string[];
  /** `local` runs the app with alchemy dev on workerd on the runner (end-to-end tests without Cloudflare). */
  runtime?: "cloudflare" | "local";
}

/**
 * GitHub: Deployments API ledger, checks and compare from the API, Alchemy deploy on Cloudflare. Runs are
 * serialized by the workflows' `concurrency:` groups, so the lock here holds nothing.
 */
export function githubPromotionPorts(settings: AdapterSettings, gh: GitHubSettings): PromotionPorts {
  return {
    ledger: githubLedger(gh, settings.log),
    source: createWorktreeSource({ root: settings.root, appDirs: [settings.appDir], useRootForHead: true }),
    compare: createGitHubCompare(gh.github, { owner: gh.owner, repo: gh.repo }),
    branches: createGitHubDefaultBranch(gh.github, { owner: gh.owner, repo: gh.repo }),
    checks: createCommitChecks(gh.github, { owner: gh.owner, repo: gh.repo, ...(gh.runId ? { ignoreRunId: gh.runId } : {}) }),
    runtime: gh.runtime === "local" ? localRuntime(settings) : cloudflareRuntime(settings, gh),
    ...(gh.runtime === "local" ? {} : withDelivery(settings, gh)),
    health: health(settings),
    lock: { acquire: async () => async () => {} },
    ...(settings.approval ? { approval: settings.approval } : {}),
    watch: watchProbes(settings),
    now: () => Date.now(),
    log: settings.log,
  };
}

function localRuntime(settings: AdapterSettings): RuntimePort {
  return localDeployer({
    root: settings.root,
    env: settings.env,
    envFileOptional: settings.envFileOptional,
    ...(settings.resource ? { resource: settings.resource } : {}),
    ...(settings.launch ? { launch: settings.launch } : {}),
  });
}

const alchemyOnCloudflare = (settings: AdapterSettings, gh: GitHubSettings) => (appDir: string) => {
  const launcher = configuredLauncher(appDir, settings.launch);
  return createCloudflareRuntime({
    cwd: appDir,
    env: settings.env,
    ...(gh.secrets ? { secrets: gh.secrets } : {}),
    onOutput: (chunk) => settings.log(chunk.trimEnd()),
    ...(launcher ? { launcher } : {}),
  });
};

function cloudflareRuntime(settings: AdapterSettings, gh: GitHubSettings): RuntimePort {
  const api = cloudflareApiFrom(settings.env, gh.profile);
  return alchemyDeployer(alchemyOnCloudflare(settings, gh), {
    envFileOptional: settings.envFileOptional,
    ...(settings.resource ? { resource: settings.resource } : {}),
    ...(gh.profile ? { profile: gh.profile } : {}),
    ...(api ? { servingVersion: servingVersion(cloudflareVersions(api), settings.log) } : {}),
  });
}

/** Workers versions for rollouts and re-pointing rollbacks, when the Cloudflare credentials are there. */
function withDelivery(settings: AdapterSettings, gh: GitHubSettings): { delivery?: DeliveryPort } {
  const api = cloudflareApiFrom(settings.env, gh.profile);
  if (!api) return {};
  return {
    delivery: cloudflareDelivery(api, {
      runtimeFor: alchemyOnCloudflare(settings, gh),
      envFileFor: (appDir: string, request: DeployRequest) => envFileToUse(appDir, request, { envFileOptional: settings.envFileOptional }),
      ...(gh.profile ? { profile: gh.profile } : {}),
      ...(settings.resource ? { resource: settings.resource } : {}),
      log: settings.log,
    }),
  };
}

/**
 * The approved switch of a manual blue-green on GitHub: the Deployments ledger (the kit's own entries only), the
 * Workers deployments API and the health probe. No checkout, no Alchemy: the version is already uploaded.
 */
export function githubSwitchPorts(settings: Pick<AdapterSettings, "env" | "log" | "healthPath" | "healthRetries" | "healthDeadlineMs">, gh: GitHubSettings): SwitchPorts {
  const api = cloudflareApiFrom(settings.env, gh.profile);
  if (!api) {
    throw new InputError("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID in the step's env, or the Alchemy profile `profile` (a token with Workers Scripts: Edit) to switch traffic");
  }
  return {
    ledger: githubLedger(gh, settings.log),
    versions: cloudflareVersions(api),
    health: health(settings),
    now: () => Date.now(),
    log: settings.log,
  };
}
