import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { AlchemyError, checkNodeVersion, explainFailure, redact } from "./alchemy-errors.ts";
import { createAlchemyLauncher, type AlchemyCommand, type AlchemyFlags, type AlchemyLauncher } from "./alchemy-launcher.ts";
import { childEnv } from "../child-env/allowed-env.ts";

/**
 * Runs the consumer's own `alchemy` CLI (the version their lockfile pins), found by walking up from the app
 * directory to the nearest node_modules/alchemy. It is started with the Node running alchkit, and that Node's
 * directory goes first on PATH because Alchemy re-spawns `node` for alchemy.run.ts.
 */

export type { AlchemyCommand, AlchemyFlags } from "./alchemy-launcher.ts";
export { alchemyArgs } from "./alchemy-launcher.ts";

export interface AlchemyCliOptions {
  /** The app directory (holds alchemy.run.ts). */
  cwd: string;
  /** Environment for Alchemy; the caller decides what passes (never the whole runner env by accident). */
  env: NodeJS.ProcessEnv;
  /** Node executable; default the one running alchkit. */
  nodePath?: string;
  nodeVersion?: string;
  /** Values never to show in errors or logs. */
  secrets?: string[];
  /** How Alchemy is started for the app; default the app's package manager with the `alchemy` CLI. */
  launcher?: AlchemyLauncher;
}

export interface AlchemyRunResult {
  exitCode: number | null;
  output: string;
}

/** The installed `alchemy` package nearest to `cwd` (walking up through node_modules folders). */
export function findAlchemyPackage(cwd: string): { dir: string; version: string; bin: string } {
  let dir = path.resolve(cwd);
  for (;;) {
    const pkgDir = path.join(dir, "node_modules", "alchemy");
    const pkgFile = path.join(pkgDir, "package.json");
    if (existsSync(pkgFile)) {
      const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as { version?: string; bin?: string | Record<string, string> };
      const bin = typeof pkg.bin === "string" ? pkg.bin : (pkg.bin?.alchemy ?? "bin/alchemy.js");
      return { dir: pkgDir, version: pkg.version ?? "0.0.0", bin: path.join(pkgDir, bin) };
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new AlchemyError(
        `alchemy is not installed for ${cwd}: add it to the app's dependencies (npm install alchemy) and install them first.`,
      );
    }
    dir = parent;
  }
}

/** Finds `alchemy`'s CLI entry walking up from `cwd`. */
export function findAlchemyCli(cwd: string): string {
  return findAlchemyPackage(cwd).bin;
}

/**
 * The environment Alchemy (and the app's alchemy.run.ts) runs with: the allow-listed part of `base` (see
 * child-env/allowed-env.ts), Node first on PATH, telemetry off.
 */
export function alchemyEnv(base: NodeJS.ProcessEnv, nodePath: string): NodeJS.ProcessEnv {
  const nodeDir = path.dirname(nodePath);
  const pathValue = [nodeDir, base.PATH ?? ""].filter(Boolean).join(path.delimiter);
  return childEnv(base, "alchemy", { PATH: pathValue, DO_NOT_TRACK: "1", ALCHEMY_TELEMETRY_DISABLED: "1" });
}

/** Variables whose values are redacted from everything alchkit shows of Alchemy's output. */
export const SECRET_VARIABLES = ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_KEY", "ALCHEMY_PASSWORD", "ALCHEMY_STATE_TOKEN"] as const;

export function secretsOf(env: NodeJS.ProcessEnv, extra: readonly string[] = []): string[] {
  return [...SECRET_VARIABLES.map((name) => env[name]).filter((v): v is string => !!v), ...extra];
}

export function assertNodeSupported(version: string): void {
  const problem = checkNodeVersion(version);
  if (problem) throw new AlchemyError(problem);
}

type RunOptions = AlchemyCliOptions & { fqn?: string; allowFailure?: boolean; onOutput?: (chunk: string) => void };

/** Commands that only read Alchemy's state: repeating one changes nothing. */
const READ_ONLY: ReadonlySet<AlchemyCommand> = new Set(["state list", "state get"]);
/** Node's (undici's) words for a connection that dropped or never came up: worth another attempt. */
const TRANSIENT_NETWORK = /fetch failed|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|UND_ERR_SOCKET|socket hang up|socket disconnected/;
const READ_ATTEMPTS = 3;

/**
 * Runs one Alchemy command to completion and returns its combined output. Throws an AlchemyError with a
 * translated message when it fails, unless `allowFailure` is set. A read of the state (`state list`, `state get`) whose connection to the state store
 * dropped is tried again, up to three attempts, waiting 0.5 s then 1 s; nothing that writes is ever repeated.
 */
export async function runAlchemy(command: AlchemyCommand, flags: AlchemyFlags, options: RunOptions): Promise<AlchemyRunResult> {
  for (let attempt = 1, wait = 500; ; attempt++, wait *= 2) {
    const result = await runAlchemyOnce(command, flags, options);
    if (result.exitCode === 0 || attempt >= READ_ATTEMPTS || !READ_ONLY.has(command) || !TRANSIENT_NETWORK.test(result.output)) {
      if (result.exitCode !== 0 && !options.allowFailure) {
        throw new AlchemyError(explainFailure(result.output, result.exitCode, { command, ...pick(flags), streamed: options.onOutput !== undefined }), result.output);
      }
      return result;
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** One run of the command: its exit code and its output (secrets redacted), whatever the exit code. */
async function runAlchemyOnce(command: AlchemyCommand, flags: AlchemyFlags, options: RunOptions): Promise<AlchemyRunResult> {
  const nodePath = options.nodePath ?? process.execPath;
  assertNodeSupported(options.nodeVersion ?? process.version);
  const launcher = options.launcher ?? createAlchemyLauncher(options.cwd);
  const launch = launcher.command(command, flags, options.fqn);
  const child = spawn(launch.file === "node" ? nodePath : launch.file, launch.args, {
    cwd: options.cwd,
    env: { ...alchemyEnv(options.env, nodePath), ...launch.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    const text = redact(chunk.toString("utf8"), secretsOf(options.env, options.secrets));
    output += text;
    options.onOutput?.(text);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on("error", (error) => reject(launchError(error, launch.file, launcher.label)));
    child.on("close", (code) => resolve(code));
  });
  // Alchemy starts alchemy.run.ts through a shell; make sure nothing of that group outlives the command.
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // the group is already gone
  }
  return { exitCode, output };
}

function pick(flags: AlchemyFlags): { stage?: string; profile?: string; envFile?: string } {
  return {
    ...(flags.stage ? { stage: flags.stage } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.envFile ? { envFile: flags.envFile } : {}),
  };
}

/** A command that could not start: most often the package manager is not on PATH. */
export function launchError(error: Error, file: string, label: string): AlchemyError {
  if ((error as NodeJS.ErrnoException).code === "ENOENT") {
    return new AlchemyError(`${file} is not on PATH: the kit starts Alchemy the way the app does (\`${label}\`); install ${file} (e.g. \`corepack enable\`, or \`npm install --global ${file}\`).`);
  }
  return new AlchemyError(`could not start \`${label}\`: ${error.message}`);
}
