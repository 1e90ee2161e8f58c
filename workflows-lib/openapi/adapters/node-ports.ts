import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve as resolvePath } from "node:path";
import { InputError } from "../../errors.ts";
import { childEnv } from "../../child-env/allowed-env.ts";
import type { DescribeRequest, FetchedText, GeneratePorts, ModuleExport } from "../generate.ts";
import { MODULE_DESCRIBER, type DescriberAnswer } from "./module-describer.ts";
import type { ExternalRefBundler, SpecReader } from "../load-spec.ts";

// The parser is loaded when a description has external refs to bundle: most diffs and docs never need it,
// and loading it costs more than diffing a small description.
const bundle = async (path: string): Promise<unknown> => (await import("@readme/openapi-parser")).bundle(path);

export const nodeSpecReader: SpecReader = { readText: (path) => readFile(path, "utf8") };

export const bundleExternalRefs: ExternalRefBundler = (path) => bundle(path);

export interface NodeGenerateOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** One HTTP request's timeout. Default 10 s. */
  fetchTimeoutMs?: number;
  /** Attempts for a URL that is not answering yet (a preview still starting). Default 4. */
  fetchAttempts?: number;
  /** Wait before the second attempt, doubling after. Default 1 s. */
  fetchBackoffMs?: number;
  /** How long a command, or importing and describing a module, may take. Default 5 min. */
  commandTimeoutMs?: number;
  /** Where a command's stderr, and a module's output, goes (it is the user's progress output). */
  stderr?: (text: string) => void;
}

/**
 * The real outside world behind `generateSpec`: an app module (imported by a Node process of its own), HTTP,
 * a shell command, files. The module and the command run with the allow-listed environment
 * (child-env/allowed-env.ts): importing a module runs the app's code, which must not see the action's inputs
 * or the runner's tokens.
 */
export function createNodeGeneratePorts(options: NodeGenerateOptions): GeneratePorts {
  return {
    describeModule: (path, request) => describeAppModule(resolvePath(options.cwd, path), path, request, options),
    fetchText: (url) => fetchSpecText(url, options),
    runCommand: (command) => runSpecCommand(command, options),
    reader: { readText: (path) => readFile(resolvePath(options.cwd, path), "utf8") },
    bundle: (path) => bundle(resolvePath(options.cwd, path)),
  };
}

async function fetchSpecText(url: string, options: NodeGenerateOptions): Promise<FetchedText> {
  const timeoutMs = options.fetchTimeoutMs ?? 10_000;
  const attempts = Math.max(1, options.fetchAttempts ?? 4);
  const expected = "a URL answering 200 with an OpenAPI description";
  let lastProblem = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, (options.fetchBackoffMs ?? 1000) * 2 ** (attempt - 2)));
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: "application/json, application/yaml;q=0.9, */*;q=0.1" } });
    } catch (error) {
      const err = error as Error & { cause?: { code?: string } };
      lastProblem = err.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (err.cause?.code ?? err.message);
      continue;
    }
    const text = await response.text();
    if (response.ok) {
      const contentType = response.headers.get("content-type");
      return contentType ? { text, contentType } : { text };
    }
    lastProblem = `HTTP ${response.status}`;
    // A 4xx will not change on retry (except 408/429); a 5xx may be a deployment still starting.
    if (response.status < 500 && response.status !== 408 && response.status !== 429) break;
  }
  throw new InputError(url, expected, lastProblem);
}

async function describeAppModule(absolutePath: string, name: string, request: DescribeRequest, options: NodeGenerateOptions): Promise<ModuleExport[]> {
  const expected = "a module Node can import that exports an OpenAPIHono app or a chanfana router";
  const dir = await mkdtemp(join(tmpdir(), "alchkit-openapi-module-"));
  const answerPath = join(dir, "answer.json");
  try {
    // The module's own output (stdout included: the answer goes to a file) is progress for the user.
    const run = await runChild(process.execPath, ["--input-type=module", "--eval", MODULE_DESCRIBER, "--", absolutePath, JSON.stringify(request), answerPath], options, false, {
      stdout: true,
    });
    if (run.timedOut) throw new InputError(name, `${expected} and describes it within ${Math.round(timeoutOf(options) / 1000)} s`, "it was still running");
    const text = await readFile(answerPath, "utf8").catch(() => undefined);
    if (text === undefined) throw new InputError(name, expected, `importing it ended the process (${run.exit})${run.tail ? `: ${run.tail}` : ""}`);
    const answer = JSON.parse(text) as DescriberAnswer;
    if ("exports" in answer) return answer.exports;
    const { code, message } = answer.importError;
    if (code === "ERR_MODULE_NOT_FOUND" && message.includes(absolutePath)) throw new InputError(name, expected, "no such file");
    if (code === "ERR_UNSUPPORTED_ESM_URL_SCHEME" || /cloudflare:/.test(message)) {
      throw new InputError(
        name,
        expected,
        `${message.split("\n")[0]}; an entry that imports Workers-only modules cannot run in Node: export the app from a module of its own, or use --url with the app running (alchkit preview up --local) or --command`,
      );
    }
    throw new InputError(name, expected, `importing it failed: ${message.split("\n")[0]}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runSpecCommand(command: string, options: NodeGenerateOptions): Promise<string> {
  const run = await runChild(command, [], options, true, { stdout: false });
  if (run.spawnError !== undefined) throw new InputError("command", "a command that prints an OpenAPI description", run.spawnError);
  if (run.timedOut) throw new InputError("command", `a command that finishes within ${Math.round(timeoutOf(options) / 1000)} s`, command);
  if (run.code !== 0) {
    throw new InputError("command", "a command that prints an OpenAPI description and exits 0", `${JSON.stringify(command)} exited ${run.code ?? run.signal}${run.tail ? `: ${run.tail}` : ""}`);
  }
  return run.stdout;
}

const timeoutOf = (options: NodeGenerateOptions) => options.commandTimeoutMs ?? 300_000;

interface ChildRun {
  stdout: string;
  /** The last lines of its output, for messages. */
  tail: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  exit: string;
  timedOut: boolean;
  spawnError?: string;
}

/**
 * Runs the app's code (a shell command, or Node) in a process group of its own with the allow-listed
 * environment; stops the whole group after the timeout. `output.stdout`: stdout is progress too (forwarded
 * with stderr), else it is collected as the result.
 */
function runChild(file: string, args: string[], options: NodeGenerateOptions, shell: boolean, output: { stdout: boolean }): Promise<ChildRun> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: options.cwd, env: childEnv(options.env, "app"), shell, stdio: ["ignore", "pipe", "pipe"], detached: process.platform !== "win32" });
    const stdout: Buffer[] = [];
    let tail = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutOf(options));
    const progress = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      options.stderr?.(text);
      tail = (tail + text).slice(-2000);
    };
    child.stdout.on("data", output.stdout ? progress : (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", progress);
    const last = () => tail.trim().split("\n").slice(-3).join(" | ");
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ stdout: "", tail: last(), code: null, signal: null, exit: "not started", timedOut: false, spawnError: error.message });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(stdout).toString("utf8"), tail: last(), code, signal, exit: signal ? `signal ${signal}` : `exit ${code}`, timedOut });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    // already gone
  }
}
