import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { probeHealth, systemHealthPorts, type HealthResult } from "../health/probe.ts";
import { alchemyArgs, alchemyEnv, assertNodeSupported, findAlchemyCli, secretsOf } from "./alchemy-cli.ts";
import { AlchemyError, explainFailure, lastLines, redact, stripAnsi } from "./alchemy-errors.ts";
import { destroyStage } from "./destroy-stage.ts";
import { isDevReady, parseDevOutput } from "./dev-output.ts";
import { devDir, logFile, readDevRecord, removeDevRecord, writeDevRecord, type DevRecord } from "./dev-record.ts";
import { isOwnProcess, processGroupAlive, reserveFreePort, stopProcessGroup, waitUntilClosed } from "./process-group.ts";
import type { Deployment, DestroyReport, DownOptions, Runtime, UpOptions } from "../platform/runtime.ts";
import { readFileStateStore } from "./file-state.ts";
import { toDeployment } from "./state-output.ts";
import { readStage } from "./state-reader.ts";

/**
 * The Runtime adapter for local runs: `alchemy dev` on workerd. Each stage runs in its own process group
 * (Alchemy, node --watch, esbuild, workerd) so stopping it leaves nothing behind, and is recorded in
 * `.alchkit/dev/<stage>.json` so `down` works from another process (detached mode).
 *
 * Ports: Alchemy picks the first free port from 1337, which races when two apps start together. The local
 * runtime reserves a free port and passes it as ALCHKIT_DEV_PORT; the app hands it to its Worker
 * (`dev: { port: Number(process.env.ALCHKIT_DEV_PORT) }`). Apps that ignore it still work, on Alchemy's port.
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
const exitHooks = new Map<number, () => void>();

export function createLocalRuntime(options: LocalRuntimeOptions): LocalRuntime {
  const cwd = path.resolve(options.cwd);
  const stateDir = options.stateDir ?? path.join(cwd, ".alchkit");
  const secrets = secretsOf(options.env, options.secrets);

  const envFor = (profile: string | undefined, vars: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...options.env, ...vars, ALCHEMY_CI_STATE_STORE_CHECK: "false" };
    if (!profile) Object.assign(env, PLACEHOLDER_CREDENTIALS);
    return env;
  };
  const cliFor = (profile: string | undefined) => ({ cwd, env: envFor(profile), secrets });

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
    const cli = findAlchemyCli(cwd);
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
    const port = up.port ?? (await reserveFreePort());
    const flags = {
      stage: up.stage,
      ...(up.profile ? { profile: up.profile } : {}),
      ...(up.envFile ? { envFile: path.resolve(cwd, up.envFile) } : {}),
      ...(up.app ? { app: up.app } : {}),
      ...(up.adopt ? { adopt: true } : {}),
    };
    const log = logFile(stateDir, up.stage);
    mkdirSync(devDir(stateDir), { recursive: true });
    const fd = openSync(log, "w");
    const env = alchemyEnv(envFor(up.profile, { ...up.vars, [DEV_PORT_VARIABLE]: String(port) }), process.execPath);
    const child = spawn(process.execPath, [cli, ...alchemyArgs("dev", flags)], {
      cwd,
      env,
      detached: true,
      stdio: ["ignore", fd, fd],
    });
    closeSync(fd);
    const pid = child.pid;
    if (pid === undefined) {
      removeDevRecord(stateDir, up.stage);
      throw new AlchemyError("could not start alchemy dev");
    }
    let exited: number | null | undefined;
    child.on("exit", (code) => {
      exited = code;
    });
    const record: DevRecord = {
      stage: up.stage,
      pid,
      port,
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
      const { profile: _profile, ...withoutProfile } = flags;
      await destroyStage(withoutProfile, cliFor(undefined)).catch(() => undefined);
      throw new AlchemyError(message, lastLines(stripAnsi(output), 20));
    };

    const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
    let shown = 0;
    for (;;) {
      const output = readLog();
      if (options.onOutput && output.length > shown) {
        options.onOutput(output.slice(shown));
        shown = output.length;
      }
      const progress = parseDevOutput(output);
      if (isDevReady(progress)) break;
      if (progress.failed || exited !== undefined || !processGroupAlive(pid)) {
        return fail(explainFailure(output, exited ?? null, { command: "dev", ...flags }));
      }
      if (Date.now() > deadline) {
        return fail(`alchemy dev did not report a ready URL for stage ${up.stage} within ${options.startTimeoutMs ?? 90_000} ms`);
      }
      await sleep(100);
    }

    const progress = parseDevOutput(readLog());
    const firstUrl = Object.values(progress.ready)[0]!;
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
      const fromFiles = progress.app ? readFileStateStore(cwd, progress.app, up.stage) : undefined;
      usedFiles = fromFiles !== undefined;
      deployment = fromFiles
        ? toDeployment(up.stage, fromFiles)
        : await readStage(up.stage, pickRead(up), cliFor(up.profile));
    } catch (error) {
      return fail(`stage ${up.stage} started but its state could not be read: ${(error as Error).message}`);
    }
    const running: DevRecord = { ...record, deployment, ...(usedFiles && progress.app ? { fileStateApp: progress.app } : {}) };
    writeDevRecord(stateDir, running);
    return { deployment, port, pid, health, record: running };
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
      const record = readDevRecord(stateDir, down.stage);
      await stop(down.stage);
      const profile = down.profile ?? record?.profile;
      return destroyStage(
        {
          ...down,
          ...(profile ? { profile } : {}),
          ...(down.envFile ?? record?.envFile ? { envFile: path.resolve(cwd, (down.envFile ?? record?.envFile)!) } : {}),
          ...(down.app ?? record?.app ? { app: (down.app ?? record?.app)! } : {}),
        },
        cliFor(profile),
        // The stage's state was in the file store when it started: check it there, without another Alchemy run.
        record?.fileStateApp
          ? async () => (readFileStateStore(cwd, record.fileStateApp!, down.stage) ?? []).map((r) => r.fqn)
          : undefined,
      );
    },
    read(read) {
      return readStage(read.stage, pickRead(read), cliFor(read.profile));
    },
  };
}

function pickRead(o: { profile?: string; app?: string }): { profile?: string; app?: string } {
  return { ...(o.profile ? { profile: o.profile } : {}), ...(o.app ? { app: o.app } : {}) };
}
