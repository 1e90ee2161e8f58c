/**
 * Runs a built action (`actions/<name>/dist/index.js`) in a child process exactly as the GitHub runner does:
 * inputs as `INPUT_<NAME>` (upper case, spaces → `_`, hyphens kept) with action.yml defaults applied, the event
 * payload in a file at GITHUB_EVENT_PATH, file commands (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE,
 * GITHUB_STEP_SUMMARY, GITHUB_PATH) in a fresh RUNNER_TEMP, and GITHUB_API_URL pointing at the GitHub stand-in.
 * Every run has the planted secrets (test/support/planted-secrets.ts) in its environment, as a runner has its
 * tokens; what the action produced (log, summary, outputs, state, files in RUNNER_TEMP and the workspace) is
 * scanned for them, and a run that leaked one fails its test.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { PLANTED_GITHUB_TOKEN, PLANTED_SECRETS, assertNoPlantedSecrets, scanFiles, scanText } from "../support/planted-secrets.ts";

export const repoRoot = resolve(import.meta.dirname, "../..");
const nodeBin = process.execPath;

export interface ActionRunOptions {
  /** Folder name under actions/. */
  action: string;
  inputs?: Record<string, string | number | boolean>;
  eventName?: string;
  event?: Record<string, unknown>;
  /** The stand-in (or any GitHub API) the action talks to, and the token the runner would give it. */
  github?: { url: string; token: string };
  repository?: string;
  sha?: string;
  ref?: string;
  runId?: number;
  runAttempt?: number;
  /** Working directory of the step (GITHUB_WORKSPACE). Defaults to a fresh temp dir. */
  workspace?: string;
  /** Extra environment (secrets are passed as env in real workflows too). */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Run main.ts from source instead of dist (for debugging only; tests use dist). */
  fromSource?: boolean;
}

export interface Annotation {
  level: "error" | "warning" | "notice" | "debug";
  message: string;
  properties: Record<string, string>;
}

export interface ActionRun {
  exitCode: number;
  outputs: Record<string, string>;
  exportedEnv: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  /**
   * stdout and stderr as the runner's log shows them: workflow commands (`::add-mask::` …) are consumed and every
   * masked value is `***` from the line after its mask on (a secret printed before it was masked shows).
   */
  log: string;
  /** Values registered with `::add-mask::` (they never appear unmasked in a real log). */
  masked: string[];
}

export async function runActionDist(options: ActionRunOptions): Promise<ActionRun> {
  const actionDir = join(repoRoot, "actions", options.action);
  const manifest = parseYaml(await readFile(join(actionDir, "action.yml"), "utf8")) as {
    inputs?: Record<string, { default?: string; required?: boolean }>;
    runs: { main: string };
  };
  const entry = options.fromSource ? join(actionDir, "main.ts") : join(actionDir, manifest.runs.main);
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: run \`npm run build\``);

  const temp = await mkdtemp(join(tmpdir(), `alchkit-run-${options.action}-`));
  const files = {
    event: join(temp, "event.json"),
    output: join(temp, "output"),
    env: join(temp, "env"),
    state: join(temp, "state"),
    summary: join(temp, "summary.md"),
    path: join(temp, "path"),
  };
  for (const f of [files.output, files.env, files.state, files.summary, files.path]) await writeFile(f, "");
  await writeFile(files.event, JSON.stringify(options.event ?? {}));

  const token = options.github?.token ?? PLANTED_GITHUB_TOKEN;
  const repository = options.repository ?? "octo/app";
  const env: Record<string, string> = {
    ...PLANTED_SECRETS,
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? temp,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: repository.split("/")[0]!,
    GITHUB_EVENT_NAME: options.eventName ?? "pull_request",
    GITHUB_EVENT_PATH: files.event,
    GITHUB_SHA: options.sha ?? "0000000000000000000000000000000000000000",
    GITHUB_REF: options.ref ?? "refs/heads/main",
    GITHUB_RUN_ID: String(options.runId ?? 1000),
    GITHUB_RUN_ATTEMPT: String(options.runAttempt ?? 1),
    GITHUB_ACTOR: "octocat",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: options.github?.url ?? "http://127.0.0.1:9",
    GITHUB_WORKSPACE: options.workspace ?? temp,
    GITHUB_OUTPUT: files.output,
    GITHUB_ENV: files.env,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_PATH: files.path,
    RUNNER_TEMP: temp,
    RUNNER_OS: "Linux",
    RUNNER_ARCH: "X64",
    DO_NOT_TRACK: "1",
    // The stand-in asks for no pacing: keep GitHub's retry and write spacing, scaled down.
    ALCHKIT_GITHUB_TIME_SCALE: "0.005",
  };
  for (const [name, spec] of Object.entries(manifest.inputs ?? {})) {
    const given = options.inputs?.[name];
    const value = given !== undefined ? String(given) : evaluateDefault(spec.default, token);
    if (value !== undefined) env[inputVariable(name)] = value;
  }
  for (const name of Object.keys(options.inputs ?? {})) {
    if (!manifest.inputs?.[name]) throw new Error(`actions/${options.action} has no input "${name}"`);
  }
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }

  const started = Date.now();
  const { exitCode, log } = await spawnNode(entry, env, options.workspace ?? temp, options.timeoutMs ?? 120_000);
  const run: ActionRun = {
    exitCode,
    outputs: parseFileCommand(await readFile(files.output, "utf8")),
    exportedEnv: parseFileCommand(await readFile(files.env, "utf8")),
    state: parseFileCommand(await readFile(files.state, "utf8")),
    summary: await readFile(files.summary, "utf8"),
    ...parseWorkflowCommands(log),
    log: displayedLog(log),
  };
  const where = `actions/${options.action}`;
  const extra = { GITHUB_TOKEN: token };
  const hits = [
    ...scanText(`${where}: log`, run.log, extra),
    ...scanText(`${where}: step summary`, run.summary, extra),
    ...scanText(`${where}: outputs`, JSON.stringify(run.outputs), extra),
    ...scanText(`${where}: state`, JSON.stringify(run.state), extra),
    ...scanFiles(`${where}: RUNNER_TEMP`, temp, { extra }),
    ...(options.workspace ? scanFiles(`${where}: workspace`, options.workspace, { since: started - 1000, extra }) : []),
  ];
  await rm(temp, { recursive: true, force: true });
  assertNoPlantedSecrets(hits);
  return run;
}

/** GitHub's name mangling for inputs. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/** The runner evaluates `${{ github.token }}` in defaults; nothing else appears in our action.yml defaults. */
function evaluateDefault(value: string | undefined, token: string): string | undefined {
  if (value === undefined) return undefined;
  return String(value).replace(/\$\{\{\s*github\.token\s*\}\}/g, token);
}

function spawnNode(entry: string, env: Record<string, string>, cwd: string, timeoutMs: number): Promise<{ exitCode: number; log: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(nodeBin, [entry], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d: Buffer) => (log += d.toString()));
    child.stderr.on("data", (d: Buffer) => (log += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`action timed out after ${timeoutMs} ms\n${log}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ exitCode: code ?? 1, log });
    });
  });
}

/** Parses `name=value` lines and `name<<DELIMITER` heredocs, as the runner does for file commands. */
export function parseFileCommand(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i]!);
      result[name!] = body.join("\n");
      continue;
    }
    const eq = line.indexOf("=");
    if (eq > 0) result[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return result;
}

/** `::error file=a,title=b::message` and friends, with the runner's escaping undone; `::add-mask::`. */
export function parseWorkflowCommands(log: string): { annotations: Annotation[]; masked: string[] } {
  const annotations: Annotation[] = [];
  const masked: string[] = [];
  for (const line of log.split("\n")) {
    const m = /^::(error|warning|notice|debug|add-mask)( [^:]*)?::(.*)$/.exec(line);
    if (!m) continue;
    const [, command, props = "", raw = ""] = m;
    const message = unescapeData(raw);
    if (command === "add-mask") {
      masked.push(message);
      continue;
    }
    const properties: Record<string, string> = {};
    for (const pair of props.trim().split(",").filter(Boolean)) {
      const eq = pair.indexOf("=");
      properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
    annotations.push({ level: command as Annotation["level"], message, properties });
  }
  return { annotations, masked };
}

/** The log as the runner displays it, applying each `::add-mask::` to the lines after it. */
export function displayedLog(raw: string): string {
  const masks: string[] = [];
  const shown: string[] = [];
  for (const line of raw.split("\n")) {
    const mask = /^::add-mask::(.*)$/.exec(line);
    if (mask) {
      if (mask[1]) masks.push(unescapeData(mask[1]));
      continue;
    }
    shown.push(masks.reduce((text, secret) => text.split(secret).join("***"), line));
  }
  return shown.join("\n");
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
}

function unescapeProperty(s: string): string {
  return unescapeData(s).replace(/%3A/g, ":").replace(/%2C/g, ",");
}
