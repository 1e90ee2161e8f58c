import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { probeHealth, systemHealthPorts, type HealthResult } from "../health/probe.ts";
import { alchemyEnv, assertNodeSupported, launchError, secretsOf } from "./alchemy-cli.ts";
import { createAlchemyLauncher, type AlchemyLauncher } from "./alchemy-launcher.ts";
import { withVars } from "../child-env/allowed-env.ts";
import { AlchemyError, explainFailure, lastLines, redact, stripAnsi } from "./alchemy-errors.ts";
import { destroyStage } from "./destroy-stage.ts";
import { exitedDevServer } from "./dev-servers.ts";
import { isDevReady, isDevSettled, parseDevOutput, portOfUrl, settledUrls } from "./dev-output.ts";
import { devDir, logFile, readDevRecord, rememberedPort, rememberPort, removeDevRecord, writeDevRecord, type DevRecord } from "./dev-record.ts";
import { isOwnProcess, isPortFree, processGroupAlive, reserveFreePort, stopProcessGroup, waitUntilClosed } from "./process-group.ts";
import type { Deployment, DestroyReport, DownOptions, Runtime, UpOptions } from "../platform/runtime.ts";
import { fileStateApps, fileStateSettled, readFileStateEntries, readFileStateStore, removeFileStateEntry } from "./file-state.ts";
import { placeOfResource, type Leftover } from "./leftovers.ts";
import { assertDestroyable, DEFAULT_PROTECTED_STAGES } from "../platform/stage-name.ts";
import { loopbackOptions, prepareStageDir, removeStageDir, stageDir } from "./stage-dir.ts";
import { toDeployment } from "./state-output.ts";
import { readStage } from "./state-reader.ts";

/**
 * The Runtime adapter for local runs: `alchemy dev` on workerd. Each stage runs in its own process group
 * (Alchemy, node --watch, esbuild, workerd) so stopping it leaves nothing behind, and is recorded in
 * `.alchkit/dev/<stage>.json` so `down` works from another process (detached mode).
 *
 * Storage: each stage runs with a folder of its own as Alchemy's root dir (see stage-dir.ts), so stages up at
 * once never share state or Miniflare storage, and `down` removes all of it.
 *
 * Ports: Alchemy picks the first free port from 1337, which races when two apps start together. The local
 * runtime passes a port as ALCHKIT_DEV_PORT: the one the stage had last time when it is free (stable URLs across
 * re-runs), else a free one; the app hands it to its Worker (`dev: { port: Number(process.env.ALCHKIT_DEV_PORT) }`).
 * Apps that ignore it still work, on Alchemy's port: the record holds the port the app really listens on. Node
 * processes of the stage listen on 127.0.0.1 only (a preloaded module; Alchemy would listen on every interface).
 */

/** Credentials for `alchemy dev` without a profile: a plain Worker on workerd makes no Cloudflare call. */
export const PLACEHOLDER_CREDENTIALS = {
  CLOUDFLARE_API_TOKEN: "local-dev-placeholder-token",
  CLOUDFLARE_ACCOUNT_ID: "00000000000000000000000000000000",
} as const;

export const DEV_PORT_VARIABLE = "ALCHKIT_DEV_PORT";

export interface LocalRuntimeOptions {
  /** App directory (alchemy.run.ts). */
  cwd: string;
  /** Base environment (PATH, HOME …). CLOUDFLARE_* are replaced by placeholders unless a profile is used. */
  env: NodeJS.ProcessEnv;
  /** Where records and logs go; default `<cwd>/.alchkit`. */
  stateDir?: string;
  /** Give up starting after this long. Default 90 s. */
  startTimeoutMs?: number;
  /** Path that must answer 200 before `up` returns; default: any answer on `/` counts. */
  healthPath?: string;
  /** Leave the app running when this process exits (CLI `--detach`). Default false: it is stopped on exit. */
  detach?: boolean;
  /** Streams Alchemy's output (redacted) as it comes. */
  onOutput?: (chunk: string) => void;
  secrets?: string[];
  /** The folder of a stage's own data (Alchemy state, Miniflare storage); default `<stateDir>/stages/<stage>`. */
  stageDir?: (stage: string) => string;
  /** How Alchemy is started; default the app's package manager with the `alchemy` CLI (`pnpm exec alchemy`, …). */
  launcher?: AlchemyLauncher;
}

export interface LocalUpOptions extends UpOptions {
  /** Port for the app's Worker; default a free one. */
  port?: number;
}

export interface LocalApp {
  deployment: Deployment;
  port: number;
  pid: number;
  health: HealthResult;
  record: DevRecord;
}

export interface LocalRuntime extends Runtime {
  readonly kind: "local";
  up(options: LocalUpOptions): Promise<Deployment>;
  /** Like `up`, with the process details. */
  start(options: LocalUpOptions): Promise<LocalApp>;
  /** Stops the stage's processes (not its state); true when something was running. */
  stop(stage: string): Promise<boolean>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function removeIfEmpty(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true, force: true });
  } catch {
    // not there
  }
}
const exitHooks = new Map<number, () => void>();

export function createLocalRuntime(options: LocalRuntimeOptions): LocalRuntime {
  const cwd = path.resolve(options.cwd);
  const stateDir = options.stateDir ?? path.join(cwd, ".alchkit");
  const secrets = secretsOf(options.env, options.secrets);

  const envFor = (profile: string | undefined, vars: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...withVars(options.env, vars), ALCHEMY_CI_STATE_STORE_CHECK: "false" };
    if (!profile) Object.assign(env, PLACEHOLDER_CREDENTIALS);
    return env;
  };
  let launcher: AlchemyLauncher | undefined = options.launcher;
  const launcherFor = (): AlchemyLauncher => (launcher ??= createAlchemyLauncher(cwd));
  const cliFor = (profile: string | undefined) => ({ cwd, env: envFor(profile), secrets, launcher: launcherFor() });
  const rootOf = (stage: string): string => options.stageDir?.(stage) ?? stageDir(stateDir, stage);

  /** What the stage still has in the file store under `root`, each with where it really is. */
  const fileLeftovers = (root: string, stage: string): Leftover[] =>
    fileStateApps(root, stage).flatMap((app) =>
      (readFileStateEntries(root, app, stage) ?? []).map((entry): Leftover => ({ fqn: entry.fqn, place: placeOfResource(entry.text), path: entry.file })),
    );

  /**
   * Destroys a local stage completely: `alchemy destroy`, then dev-only resources its destroy could not delete
   * (it asks Cloudflare for some, e.g. R2, that were never created there) are forgotten locally, and the stage's
   * folder (state and Miniflare storage) goes. The check reads what is left before the folder is removed.
   */
  async function destroyLocal(down: DownOptions, root: string | undefined, fileStore: boolean, profile: string | undefined): Promise<DestroyReport> {
    // Alchemy looks for the stage's storage from this folder up: it must be the stage's own root even when empty.
    if (root) prepareStageDir(root);
    const bundles = workerBundles(root ?? cwd, down.stage);
    const report = await destroyStage(
      { ...down, ...(root ? { rootDir: root } : {}) },
      cliFor(profile),
      {
        ...(fileStore || (root && fileStateApps(root, down.stage).length > 0) ? { list: async () => fileLeftovers(root ?? cwd, down.stage) } : {}),
        forgetLocal: async (leftovers) => {
          for (const app of fileStateApps(root ?? cwd, down.stage)) {
            for (const entry of readFileStateEntries(root ?? cwd, app, down.stage) ?? []) {
              if (leftovers.some((l) => l.fqn === entry.fqn && l.place === "local")) removeFileStateEntry(root ?? cwd, entry);
            }
          }
        },
      },
    );
    if (root) removeStageDir(root);
    // esbuild's output of the stage's Workers (`<app>/.alchemy/out/<script>`), not state but still the stage's
    for (const name of bundles) rmSync(path.join(cwd, ".alchemy", "out", name), { recursive: true, force: true });
    removeIfEmpty(path.join(cwd, ".alchemy", "out"));
    // A website's wrangler file (`.alchemy/local/wrangler.jsonc`, which Alchemy writes for Vite's Cloudflare plugin
    // at every start) and its placeholder Worker (`worker.js`, for a website without an entrypoint): one for the
    // app, read by whichever stage starts; removed with the last stage running.
    if (!runningStages().some((stage) => stage !== down.stage)) {
      for (const file of ["wrangler.jsonc", "worker.js"]) rmSync(path.join(cwd, ".alchemy", "local", file), { force: true });
      removeIfEmpty(path.join(cwd, ".alchemy", "local"));
    }
    removeIfEmpty(path.join(cwd, ".alchemy"));
    return report;
  }

  /** Stages with a dev record (running, or started by a process that has not stopped them). */
  function runningStages(): string[] {
    try {
      return readdirSync(devDir(stateDir)).filter((file) => file.endsWith(".json") && file !== "ports.json").map((file) => file.slice(0, -".json".length));
    } catch {
      return [];
    }
  }

  /** Script names of the stage's Workers, from the file store (their bundles are named after them). */
  function workerBundles(root: string, stage: string): string[] {
    return fileStateApps(root, stage)
      .flatMap((app) => readFileStateStore(root, app, stage) ?? [])
      .filter((resource) => resource.kind === "cloudflare::Worker" && /^[A-Za-z0-9_-]+$/.test(resource.name))
      .map((resource) => resource.name);
  }

  async function stop(stage: string): Promise<boolean> {
    const record = readDevRecord(stateDir, stage);
    if (!record) return false;
    const wasAlive = processGroupAlive(record.pid) && isOwnProcess(record.pid, "alchemy");
    if (wasAlive) await stopProcessGroup(record.pid);
    exitHooks.get(record.pid)?.();
    await waitUntilClosed(record.port);
    removeDevRecord(stateDir, stage);
    return wasAlive;
  }

  async function start(up: LocalUpOptions): Promise<LocalApp> {
    assertNodeSupported(process.version);
    launcherFor(); // fails here, before anything is written, when the app has no lockfile or no alchemy
    const existing = readDevRecord(stateDir, up.stage);
    if (existing) {
      if (processGroupAlive(existing.pid) && isOwnProcess(existing.pid, "alchemy")) {
        throw new AlchemyError(
          `stage ${up.stage} already runs locally (pid ${existing.pid}, ${Object.values(existing.deployment?.urls ?? {}).join(" ") || `port ${existing.port}`}); ` +
            `stop it first with \`alchkit preview down --local --stage ${up.stage}\`.`,
        );
      }
      removeDevRecord(stateDir, up.stage);
    }
    if (up.envFile && !existsSync(path.resolve(cwd, up.envFile))) {
      throw new AlchemyError(`The env file ${up.envFile} does not exist (given with --env-file).`);
    }
    const root = rootOf(up.stage);
    prepareStageDir(root);
    const remembered = rememberedPort(stateDir, up.stage);
    const port = up.port ?? (remembered !== undefined && (await isPortFree(remembered)) ? remembered : await reserveFreePort());
    const flags = {
      stage: up.stage,
      rootDir: root,
      ...(up.profile ? { profile: up.profile } : {}),
      ...(up.envFile ? { envFile: path.resolve(cwd, up.envFile) } : {}),
      ...(up.app ? { app: up.app } : {}),
      ...(up.adopt ? { adopt: true } : {}),
    };
    const log = logFile(stateDir, up.stage);
    mkdirSync(devDir(stateDir), { recursive: true });
    const fd = openSync(log, "w");
    // Records of websites' dev servers written from now on are this run's (allowing for coarse file times).
    const since = Date.now() - 1000;
    const base = envFor(up.profile, { ...up.vars, [DEV_PORT_VARIABLE]: String(port) });
    const env = alchemyEnv({ ...base, ...loopbackOptions(root, base) }, process.execPath);
    const { file, args, env: launchEnv } = launcherFor().command("dev", flags);
    const child = spawn(file === "node" ? process.execPath : file, args, {
      cwd,
      env: { ...env, ...launchEnv },
      detached: true,
      stdio: ["ignore", fd, fd],
    });
    closeSync(fd);
    const pid = child.pid;
    if (pid === undefined) {
      removeDevRecord(stateDir, up.stage);
      const error = await new Promise<Error>((resolve) => child.once("error", resolve));
      throw launchError(error, file, launcherFor().label);
    }
    let exited: number | null | undefined;
    child.on("exit", (code) => {
      exited = code;
    });
    const record: DevRecord = {
      stage: up.stage,
      pid,
      port,
      rootDir: root,
      cwd,
      logFile: log,
      startedAt: new Date().toISOString(),
      ...(up.profile ? { profile: up.profile } : {}),
      ...(up.envFile ? { envFile: up.envFile } : {}),
      ...(up.app ? { app: up.app } : {}),
    };
    writeDevRecord(stateDir, record);
    // The app never keeps this process alive: detached, it outlives it; otherwise the exit hook below stops it
    // when this process ends (also when a caller forgot to, e.g. a test whose setup failed half-way).
    child.unref();
    if (!options.detach) {
      const hook = () => {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // already gone
        }
      };
      process.on("exit", hook);
      exitHooks.set(pid, () => {
        process.off("exit", hook);
        exitHooks.delete(pid);
      });
    }

    const readLog = () => redact(existsSync(log) ? readFileSync(log, "utf8") : "", secrets);
    const fail = async (message: string): Promise<never> => {
      const output = readLog();
      await stop(up.stage);
      // A half-started stage may have state (Alchemy records resources as it goes): remove it, best effort,
      // so a failed start leaves nothing behind. The start error is what the user needs to see.
      // Placeholder credentials: a stage that never came up has nothing remote, and its profile may be what failed.
      await destroyLocal({ stage: up.stage, ...(flags.envFile ? { envFile: flags.envFile } : {}), ...(up.app ? { app: up.app } : {}) }, root, false, undefined).catch(() => undefined);
      throw new AlchemyError(message, lastLines(stripAnsi(output), 20));
    };

    /**
     * Where the stage answers once it is up: the URLs Workers printed (`Ready at`), or, for a website served
     * by its framework's dev server (no `Ready at` line), the URLs its settled resources' state records.
     */
    const readyUrls = (progress: ReturnType<typeof parseDevOutput>): Record<string, string> | undefined => {
      if (isDevReady(progress)) return progress.ready;
      if (!isDevSettled(progress) || !progress.app || !fileStateSettled(root, progress.app, up.stage)) return undefined;
      const urls = settledUrls(progress, readFileStateStore(root, progress.app, up.stage) ?? []);
      return Object.keys(urls).length > 0 ? urls : undefined;
    };

    const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
    let shown = 0;
    let ready: Record<string, string> | undefined;
    for (;;) {
      const output = readLog();
      if (options.onOutput && output.length > shown) {
        options.onOutput(output.slice(shown));
        shown = output.length;
      }
      const progress = parseDevOutput(output);
      ready = readyUrls(progress);
      if (ready) break;
      const server = exitedDevServer(root, since);
      if (server) {
        return fail(`the dev server of ${server.name} exited before it served a URL (Alchemy would wait for one forever)${server.output ? `; it printed:\n${server.output}` : ""}`);
      }
      if (progress.failed || exited !== undefined || !processGroupAlive(pid)) {
        return fail(explainFailure(output, exited ?? null, { command: "dev", ...flags, streamed: options.onOutput !== undefined }));
      }
      if (Date.now() > deadline) {
        return fail(`alchemy dev did not report a ready URL for stage ${up.stage} within ${options.startTimeoutMs ?? 90_000} ms`);
      }
      await sleep(100);
    }

    const progress = parseDevOutput(readLog());
    const firstUrl = Object.values(ready)[0]!;
    // The app may ignore ALCHKIT_DEV_PORT (then Alchemy chose): what it printed is what it listens on.
    const listening = portOfUrl(firstUrl) ?? port;
    const health = await probeHealth(
      {
        url: firstUrl,
        path: options.healthPath ?? "/",
        expectedStatus: options.healthPath ? 200 : "any",
        timeoutMs: 5000,
        retries: 20,
        backoffMs: 100,
        maxBackoffMs: 1000,
        deadlineMs: 30_000,
      },
      systemHealthPorts,
    );
    if (!health.healthy) return fail(`stage ${up.stage} started but ${health.reason}`);

    let deployment: Deployment;
    let usedFiles = false;
    try {
      if (progress.app) {
        const settleBy = Date.now() + 15_000;
        while (!fileStateSettled(root, progress.app, up.stage) && Date.now() < settleBy) await sleep(50);
      }
      const fromFiles = progress.app ? readFileStateStore(root, progress.app, up.stage) : undefined;
      usedFiles = fromFiles !== undefined;
      deployment = fromFiles
        ? toDeployment(up.stage, fromFiles)
        : await readStage(up.stage, { ...pickRead(up), rootDir: root }, cliFor(up.profile));
    } catch (error) {
      return fail(`stage ${up.stage} started but its state could not be read: ${(error as Error).message}`);
    }
    const running: DevRecord = { ...record, port: listening, deployment, ...(usedFiles && progress.app ? { fileStateApp: progress.app } : {}) };
    writeDevRecord(stateDir, running);
    rememberPort(stateDir, up.stage, listening);
    return { deployment, port: listening, pid, health, record: running };
  }

  return {
    kind: "local",
    start,
    stop,
    async up(up) {
      // Like a deploy, `up` replaces what runs: a stage already running locally is stopped first.
      await stop(up.stage);
      return (await start(up)).deployment;
    },
    async down(down: DownOptions): Promise<DestroyReport> {
      // refused before anything is stopped or written
      assertDestroyable(down.stage, down.protectedStages ?? DEFAULT_PROTECTED_STAGES);
      const record = readDevRecord(stateDir, down.stage);
      await stop(down.stage);
      const profile = down.profile ?? record?.profile;
      const envFile = down.envFile ?? record?.envFile;
      const app = down.app ?? record?.app;
      // A record written before stages had folders of their own: the stage's state is in the app's .alchemy.
      const root = record && !record.rootDir ? undefined : (record?.rootDir ?? rootOf(down.stage));
      return destroyLocal(
        {
          ...down,
          ...(profile ? { profile } : {}),
          ...(envFile ? { envFile: path.resolve(cwd, envFile) } : {}),
          ...(app ? { app } : {}),
        },
        root,
        record?.fileStateApp !== undefined,
        profile,
      );
    },
    read(read) {
      const record = readDevRecord(stateDir, read.stage);
      const root = record && !record.rootDir ? cwd : (record?.rootDir ?? rootOf(read.stage));
      const fromFiles = record?.fileStateApp ? readFileStateStore(root, record.fileStateApp, read.stage) : undefined;
      if (fromFiles) return Promise.resolve(toDeployment(read.stage, fromFiles));
      return readStage(read.stage, { ...pickRead(read), ...(root !== cwd ? { rootDir: root } : {}) }, cliFor(read.profile));
    },
  };
}

function pickRead(o: { profile?: string; app?: string }): { profile?: string; app?: string } {
  return { ...(o.profile ? { profile: o.profile } : {}), ...(o.app ? { app: o.app } : {}) };
}
