/**
 * Brings the example app (test/fixtures/consumer-app) up on workerd for a test file, through the same local
 * runtime the CLI uses, and always stops it (processes, port and stage state).
 *
 *   const app = useLocalApp({ buildId: "abc123", variant: "slow" });   // registers before/after hooks
 *   test("…", async () => { const res = await fetch(app.url("/health")); … });
 *
 * or, with your own lifecycle: `const app = await startLocalApp({...}); t.after(() => app.stop());`
 * Each call gets its own stage and a free port, so test files can run in parallel.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { createLocalRuntime, type LocalApp } from "../../workflows-lib/alchemy/local-runtime.ts";
import type { Deployment } from "../../workflows-lib/platform/runtime.ts";

export const CONSUMER_APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/consumer-app");

export interface LocalAppOptions {
  /** Default: a unique `test-…` stage. */
  stage?: string;
  /** Served by `/version`. Default `dev`. */
  buildId?: string;
  /** APP_VARIANT: `standard` (default), `breaking` or `slow`. */
  variant?: "standard" | "breaking" | "slow";
  /** Env file with per-environment settings, relative to the app dir: `env/staging.env`, `env/production.env`. */
  envFile?: string;
  /** Any other variables for alchemy.run.ts. */
  vars?: Record<string, string>;
  /** Alchemy profile; then HOME must hold it (pass `env`). */
  profile?: string;
  /** Base environment for Alchemy. Default: PATH and HOME of this process only. */
  env?: NodeJS.ProcessEnv;
}

export interface RunningLocalApp {
  stage: string;
  /** Base URL of the `api` Worker, with a trailing slash. */
  baseUrl: string;
  /** `baseUrl` joined with a path, e.g. `url("/orders")`. */
  url(pathname?: string): string;
  port: number;
  pid: number;
  deployment: Deployment;
  /** Stops the processes and destroys the stage; safe to call twice. */
  stop(): Promise<void>;
}

export async function startLocalApp(options: LocalAppOptions = {}): Promise<RunningLocalApp> {
  const stage = options.stage ?? `test-${process.pid}-${randomBytes(2).toString("hex")}`;
  const stateDir = mkdtempSync(path.join(tmpdir(), "alchkit-local-app-"));
  const runtime = createLocalRuntime({
    cwd: CONSUMER_APP_DIR,
    env: options.env ?? { PATH: process.env.PATH, HOME: process.env.HOME },
    stateDir,
    healthPath: "/version",
  });
  const vars: Record<string, string> = {
    BUILD_ID: options.buildId ?? "dev",
    APP_VARIANT: options.variant ?? "standard",
    ...options.vars,
  };
  let app: LocalApp;
  try {
    app = await runtime.start({
      stage,
      vars,
      ...(options.envFile ? { envFile: options.envFile } : {}),
      ...(options.profile ? { profile: options.profile } : {}),
    });
  } catch (error) {
    rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
  const baseUrl = app.deployment.urls.api;
  if (!baseUrl) throw new Error(`the example app reported no url for its api Worker: ${JSON.stringify(app.deployment)}`);
  let stopped: Promise<void> | undefined;
  return {
    stage,
    baseUrl,
    url: (pathname = "/") => new URL(pathname.replace(/^\//, ""), baseUrl).toString(),
    port: app.port,
    pid: app.pid,
    deployment: app.deployment,
    stop() {
      stopped ??= runtime
        .down({ stage, ...(options.profile ? { profile: options.profile } : {}) })
        .then(() => undefined)
        .finally(() => rmSync(stateDir, { recursive: true, force: true }));
      return stopped;
    },
  };
}

/**
 * Starts the app once for the current test file (`before`) and stops it after the file (`after`). The
 * returned object is filled in once `before` ran; use it inside tests only.
 */
export function useLocalApp(options: LocalAppOptions = {}): RunningLocalApp {
  let running: RunningLocalApp | undefined;
  const get = (): RunningLocalApp => {
    if (!running) throw new Error("the local app is not running: use it inside a test, after `before` ran");
    return running;
  };
  before(async () => {
    running = await startLocalApp(options);
  });
  after(async () => {
    await running?.stop();
  });
  return {
    get stage() {
      return get().stage;
    },
    get baseUrl() {
      return get().baseUrl;
    },
    url: (pathname?: string) => get().url(pathname),
    get port() {
      return get().port;
    },
    get pid() {
      return get().pid;
    },
    get deployment() {
      return get().deployment;
    },
    stop: () => get().stop(),
  };
}
