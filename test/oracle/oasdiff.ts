// Runs the real oasdiff: `oasdiff changelog BASE REVISION --format json` per pair of files, or its composed
// mode over two folders (the endpoints of all files at once), a few processes at a time. Every process it
// starts is stopped by `stop()`, also on failure.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fromOasdiff } from "./findings.ts";
import type { Finding } from "./findings.ts";

export interface OasdiffRun {
  findings: Finding[];
  /** Wall time of the process, ms. */
  ms: number;
}

export interface OasdiffPool {
  changelog(base: string, revision: string, extraArgs?: readonly string[]): Promise<OasdiffRun>;
  /** Composed mode: every file of `baseDir` against every file of `revisionDir`, endpoints matched by path. */
  composed(baseDir: string, revisionDir: string): Promise<OasdiffRun>;
  /** Kills the processes still running. */
  stop(): void;
}

export function oasdiffPool(bin: string, concurrency: number, cwd?: string): OasdiffPool {
  const running = new Set<ChildProcess>();
  const waiting: Array<() => void> = [];
  let active = 0;
  let stopped = false;

  const slot = async (): Promise<void> => {
    if (active < concurrency) {
      active++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };

  const run = (args: readonly string[]): Promise<{ stdout: string; stderr: string; code: number | null; ms: number }> =>
    new Promise((resolve, reject) => {
      if (stopped) return reject(new Error("oasdiff pool stopped"));
      const start = performance.now();
      const child = spawn(bin, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
      running.add(child);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
      child.on("error", (error) => {
        running.delete(child);
        reject(error);
      });
      child.on("close", (code) => {
        running.delete(child);
        resolve({ stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), code, ms: performance.now() - start });
      });
    });

  const invoke = async (args: string[]): Promise<OasdiffRun> => {
    await slot();
    try {
      const result = await run(args);
      if (result.code !== 0) throw new Error(`oasdiff ${args.join(" ")} exited ${result.code}: ${result.stderr.trim()}`);
      return { findings: fromOasdiff(JSON.parse(result.stdout || "[]")), ms: result.ms };
    } finally {
      release();
    }
  };

  return {
    changelog: (base, revision, extraArgs = []) => invoke(["changelog", base, revision, "--format", "json", ...extraArgs]),
    composed: (baseDir, revisionDir) => invoke(["changelog", "--composed", `${baseDir}/*`, `${revisionDir}/*`, "--format", "json"]),
    stop() {
      stopped = true;
      for (const child of running) child.kill("SIGKILL");
      running.clear();
    },
  };
}
