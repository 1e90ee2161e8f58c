// `alchkit openapi diff BASE REVISION --format json` two ways: in this process through the CLI runner (the
// same command, flags and file loading as the executable, without a Node start per pair — for the
// corpus) and as a process of its own (the executable, for the large pairs).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { commands } from "../../workflows-lib/cli/commands/index.ts";
import { runCli } from "../../workflows-lib/cli/run-cli.ts";
import { fromAlchkit } from "./findings.ts";
import type { Finding } from "./findings.ts";

export const repoRoot = join(import.meta.dirname, "..", "..");

/** The CLI in this process; exit 0 or 1 (a change at error level) both carry a report. */
export async function alchkitDiff(base: string, revision: string, cwd: string, extraArgs: readonly string[] = []): Promise<Finding[]> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(
    commands,
    ["openapi", "diff", base, revision, "--format", "json", "--fail-on", "never", ...extraArgs],
    { cwd, env: { PATH: process.env.PATH }, isTTY: false, stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) },
    "oracle",
  );
  if (code !== 0) throw new Error(`alchkit openapi diff ${base} ${revision} exited ${code}: ${stderr.trim()}`);
  return fromAlchkit(JSON.parse(stdout));
}

export interface ProcessRun {
  findings: Finding[];
  ms: number;
}

/** The executable (workflows-lib/cli/bin.js on Node 24), one process; `signal` stops it. */
export function alchkitDiffProcess(base: string, revision: string, signal?: AbortSignal): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [join(repoRoot, "workflows-lib", "cli", "bin.js"), "openapi", "diff", base, revision, "--format", "json", "--fail-on", "never"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      ...(signal ? { signal } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - start;
      if (code !== 0) return reject(new Error(`alchkit openapi diff ${base} ${revision} exited ${code}: ${Buffer.concat(err).toString("utf8").trim()}`));
      resolve({ findings: fromAlchkit(JSON.parse(Buffer.concat(out).toString("utf8"))), ms });
    });
  });
}
