import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { registerHooks } from "node:module";
import { resolve as resolvePath } from "node:path";
import { pathToFileURL } from "node:url";
import { InputError } from "../../errors.ts";
import { childEnv } from "../../child-env/allowed-env.ts";
import type { FetchedText, GeneratePorts } from "../generate.ts";
import type { ExternalRefBundler, SpecReader } from "../load-spec.ts";

export const nodeSpecReader: SpecReader = { readText: (path) => readFile(path, "utf8") };

// The parser is loaded when a description has external refs to bundle: most diffs and docs never need it,
// and loading it costs more than diffing a small description.
const bundle = async (path: string): Promise<unknown> => (await import("@readme/openapi-parser")).bundle(path);

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
  /** How long a command may run. Default 5 min. */
  commandTimeoutMs?: number;
  /** Where a command's stderr goes (it is the user's progress output). */
  stderr?: (text: string) => void;
}

/** The real outside world behind `generateSpec`: module import, HTTP, a shell command, files. */
export function createNodeGeneratePorts(options: NodeGenerateOptions): GeneratePorts {
  return {
    importModule: (path) => importAppModule(resolvePath(options.cwd, path), path),
    fetchText: (url) => fetchSpecText(url, options),
    runCommand: (command) => runSpecCommand(command, options),
    reader: { readText: (path) => readFile(resolvePath(options.cwd, path), "utf8") },
    bundle: (path) => bundle(resolvePath(options.cwd, path)),
  };
}

let hooksRegistered = false;

/**
 * Lets Node load an app written for a bundler: relative imports without an extension (`./routes`) or with
 * `.js` for a `.ts` file are tried as `.ts`, `.tsx`-free TypeScript being stripped natively by Node 24.
 */
function registerTypeScriptResolution(): void {
  if (hooksRegistered) return;
  hooksRegistered = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        const relative = /^\.{1,2}\//.test(specifier);
        const fromNodeModules = context.parentURL?.includes("/node_modules/") ?? true;
        if ((error as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND" || !relative || fromNodeModules) throw error;
        const stem = specifier.replace(/\.(js|mjs)$/, "");
        for (const candidate of [`${stem}.ts`, `${stem}.mts`, `${stem}/index.ts`]) {
          try {
            return nextResolve(candidate, context);
          } catch {
            // try the next spelling
          }
        }
        throw error;
      }
    },
  });
}

async function importAppModule(absolutePath: string, name: string): Promise<Record<string, unknown>> {
  registerTypeScriptResolution();
  const url = pathToFileURL(absolutePath).href;
  try {
    return (await import(/* webpackIgnore: true */ url)) as Record<string, unknown>;
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    const expected = "a module Node can import that exports an OpenAPIHono app or a chanfana router";
    if (err.code === "ERR_MODULE_NOT_FOUND" && err.message.includes(absolutePath)) {
      throw new InputError(name, expected, "no such file");
    }
    if (err.code === "ERR_UNSUPPORTED_ESM_URL_SCHEME" || /cloudflare:/.test(err.message)) {
      throw new InputError(
        name,
        expected,
        `${err.message.split("\n")[0]}; an entry that imports Workers-only modules cannot run in Node: export the app from a module of its own, or use --url with the app running (alchkit preview up --local) or --command`,
      );
    }
    throw new InputError(name, expected, `importing it failed: ${err.message.split("\n")[0]}`);
  }
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

async function runSpecCommand(command: string, options: NodeGenerateOptions): Promise<string> {
  const timeoutMs = options.commandTimeoutMs ?? 300_000;
  return await new Promise<string>((resolve, reject) => {
    const child = spawn(command, { cwd: options.cwd, env: childEnv(options.env, "app"), shell: true, stdio: ["ignore", "pipe", "pipe"], detached: process.platform !== "win32" });
    const stdout: Buffer[] = [];
    let stderrTail = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      options.stderr?.(text);
      stderrTail = (stderrTail + text).slice(-2000);
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new InputError("command", "a command that prints an OpenAPI description", error.message));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(new InputError("command", `a command that finishes within ${Math.round(timeoutMs / 1000)} s`, command));
      } else if (code !== 0) {
        const last = stderrTail.trim().split("\n").slice(-3).join(" | ");
        reject(new InputError("command", "a command that prints an OpenAPI description and exits 0", `${JSON.stringify(command)} exited ${code ?? signal}${last ? `: ${last}` : ""}`));
      } else {
        resolve(Buffer.concat(stdout).toString("utf8"));
      }
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
