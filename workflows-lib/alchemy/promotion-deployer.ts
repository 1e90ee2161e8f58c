import { existsSync } from "node:fs";
import { join } from "node:path";
import { describeEnvFile, loadEnvFiles } from "../local/env-files.ts";
import { withVars } from "../child-env/allowed-env.ts";
import { readDevRecord } from "./dev-record.ts";
import { kitStateDir } from "./stage-dir.ts";
import { createLocalRuntime } from "./local-runtime.ts";
import { configuredLauncher, type LauncherChoice } from "./alchemy-launcher.ts";
import type { Runtime } from "../platform/runtime.ts";
import type { DeployRequest, RuntimePort } from "../promote/ports.ts";

/**
 * Promotion's RuntimePort on top of the Alchemy Runtime port: one Runtime per app directory (each SHA has its
 * own checkout), `BUILD_ID` = the deployment's build id, the environment's env file.
 */
export function alchemyDeployer(
  runtimeFor: (appDir: string, request: DeployRequest) => Runtime,
  options: DeployerOptions = {},
): RuntimePort {
  return {
    async deploy(request) {
      const appDir = join(request.root, request.appDir);
      const envFile = envFileToUse(appDir, request, options);
      const runtime = runtimeFor(appDir, request);
      const deployment = await runtime.up({
        stage: request.stage,
        ...(envFile ? { envFile } : {}),
        ...(options.profile ? { profile: options.profile } : {}),
        vars: { BUILD_ID: request.buildId },
      });
      const urls = deployment.urls;
      const url = options.resource ? urls[options.resource] : Object.values(urls)[0];
      if (!url) {
        const known = Object.keys(urls).join(", ") || "none";
        throw new Error(
          options.resource
            ? `stage ${request.stage} has no URL for resource "${options.resource}" (resources with URLs: ${known})`
            : `stage ${request.stage} has no resource with a URL`,
        );
      }
      // The Worker that answers on the environment's URL, and the version serving it now (kept in the ledger).
      const worker = deployment.resources.find((r) => r.kind === "cloudflare::Worker" && r.url === url);
      const versionId = worker && options.servingVersion ? await options.servingVersion(worker.name) : undefined;
      return { url, urls, envFiles: envFile ? [envFile] : [], ...(worker && versionId ? { versionId, script: worker.name } : {}) };
    },
  };
}

export interface DeployerOptions {
  /** Resource whose URL is the environment URL; default the first resource with a URL. */
  resource?: string;
  profile?: string;
  /**
   * true: a missing env file is skipped (the default pattern, `.env.{environment}`, is a convention, not a
   * promise); false: a missing env file fails the deploy (the user named it).
   */
  envFileOptional?: boolean;
  /** The version serving a Worker script at 100 % after the deploy (Cloudflare), recorded next to the SHA. */
  servingVersion?: (script: string) => Promise<string | undefined>;
  /**
   * How the app is started when it is a program run directly (`app.runner` in alchkit.config.json: `tsx`, `bun`);
   * default the `alchemy` CLI with the app's package manager.
   */
  launch?: LauncherChoice;
}

export function envFileToUse(appDir: string, request: DeployRequest, options: DeployerOptions): string | undefined {
  if (!request.envFile) return undefined;
  if (existsSync(join(appDir, request.envFile))) return request.envFile;
  if (options.envFileOptional) return undefined;
  throw new Error(`the env file ${request.envFile} for ${request.environment} is not in ${request.sha.slice(0, 7)}`);
}

export interface LocalDeployerOptions extends DeployerOptions {
  /** The consumer's repository root: `.alchkit/dev/` there records which process serves which stage. */
  root: string;
  /** Base environment for Alchemy (PATH, HOME); Cloudflare credentials are replaced by placeholders. */
  env: NodeJS.ProcessEnv;
  onOutput?: (chunk: string) => void;
}

/**
 * Deploys locally on workerd: the environment's previous `alchemy dev` process is stopped and the new SHA's
 * checkout started on the same port, so the environment keeps its URL. The stage's data (Alchemy state and
 * Miniflare storage, in the stage's own folder under `.alchkit/`) is not the checkout's, so it outlives deploys
 * and rollbacks, as on Cloudflare. The user's env files (`.env`, then the environment's) are loaded from the
 * repository when git does not track them at that SHA. Processes outlive the CLI (detached).
 */
export function localDeployer(options: LocalDeployerOptions): RuntimePort {
  const stateDir = kitStateDir(options.root, options.env);
  return {
    async deploy(request) {
      const files = await loadEnvFiles({
        checkout: request.root,
        repository: options.root,
        appDir: request.appDir,
        ...(request.envFile ? { environmentFile: request.envFile } : {}),
        environmentFileOptional: options.envFileOptional ?? false,
      });
      // The caller's own environment wins over the files, as with dotenv and node --env-file. The files' names
      // are the user's own variables for the app: they pass the allow-list (child-env/allowed-env.ts) by name.
      const fileVars = Object.fromEntries(Object.keys(files.vars).map((name) => [name, options.env[name] ?? files.vars[name]!]));
      const cwd = join(request.root, request.appDir);
      const launcher = configuredLauncher(cwd, options.launch);
      const runtime = createLocalRuntime({
        cwd,
        env: withVars(options.env, fileVars),
        stateDir,
        detach: true,
        ...(options.onOutput ? { onOutput: options.onOutput } : {}),
        ...(launcher ? { launcher } : {}),
      });
      const previous = readDevRecord(stateDir, request.stage);
      await runtime.stop(request.stage);
      const app = await runtime.start({
        stage: request.stage,
        ...(options.profile ? { profile: options.profile } : {}),
        vars: { BUILD_ID: request.buildId },
        ...(previous?.port ? { port: previous.port } : {}),
      });
      const urls = app.deployment.urls;
      const url = options.resource ? urls[options.resource] : Object.values(urls)[0];
      if (!url) throw new Error(`stage ${request.stage} has no resource with a URL`);
      return { url, urls, envFiles: files.loaded.map(describeEnvFile) };
    },
  };
}

/** Stops the local process of a stage (tests, `alchkit` cleanup). */
export async function stopLocalStage(root: string, stage: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  return createLocalRuntime({ cwd: root, env, stateDir: kitStateDir(root, env) }).stop(stage);
}

/** What `alchkit env down` stops: the stage's process, as its dev record describes it. */
export function localStageStopper(root: string, env: NodeJS.ProcessEnv): (stage: string) => Promise<{ pid: number; url?: string } | undefined> {
  return async (stage) => {
    const record = readDevRecord(kitStateDir(root, env), stage);
    if (!(await stopLocalStage(root, stage, env)) || !record) return undefined;
    const url = Object.values(record.deployment?.urls ?? {})[0];
    return { pid: record.pid, ...(url ? { url } : {}) };
  };
}
