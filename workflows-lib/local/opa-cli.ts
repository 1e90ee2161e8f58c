import { spawn } from "node:child_process";
import { OpaUnavailable, type OpaError, type OpaLoadOptions, type OpaPort, type ParsedModule } from "../policy/opa-port.ts";

/**
 * The OpaPort adapter: runs the `opa` executable (the pinned one the action installs, or the user's own).
 * Every call is one short process; OPA's JSON output is parsed, its exit code only tells success apart.
 */

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "ENOENT"
          ? new OpaUnavailable(`opa is not installed: "${bin}" was not found (install OPA from https://www.openpolicyagent.org/docs/latest/#running-opa, or give its path with --opa)`)
          : error.code === "EACCES"
            ? new OpaUnavailable(`opa at "${bin}" is not executable`)
            : error,
      );
    });
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

function loadArgs(options: OpaLoadOptions): string[] {
  return [
    ...options.paths.flatMap((p) => ["-d", p]),
    ...options.ignore.flatMap((pattern) => ["--ignore", pattern]),
    ...(options.v0 ? ["--v0-compatible"] : []),
  ];
}

/** OPA's `{"errors": [...]}` from either stream; a message when it printed something else. */
function errorsOf(result: Run, what: string): OpaError[] {
  for (const text of [result.stdout, result.stderr]) {
    const start = text.indexOf("{");
    if (start < 0) continue;
    try {
      const parsed = JSON.parse(text.slice(start)) as { errors?: OpaError[] };
      if (Array.isArray(parsed.errors) && parsed.errors.length > 0) return parsed.errors;
    } catch {
      // not OPA's JSON; fall through
    }
  }
  const message = `${result.stderr}\n${result.stdout}`.trim().split(/\r?\n/).slice(-10).join("\n");
  return [{ message: `opa ${what} exited with code ${result.code}${message ? `: ${message}` : ""}`, code: "opa_failed" }];
}

export function createOpaCli(bin: string, env: NodeJS.ProcessEnv = { PATH: process.env.PATH }): OpaPort {
  return {
    async version() {
      const result = await run(bin, ["version"], env);
      if (result.code !== 0) throw new OpaUnavailable(`"${bin} version" failed (exit ${result.code}): ${result.stderr.trim()}`);
      return /Version:\s*(\S+)/.exec(result.stdout)?.[1] ?? "unknown";
    },
    async parse(file, v0) {
      const result = await run(bin, ["parse", "--format", "json", "--json-include", "locations,-comments", ...(v0 ? ["--v0-compatible"] : []), file], env);
      if (result.code !== 0) return { errors: errorsOf(result, "parse") };
      const ast = JSON.parse(result.stdout) as {
        package: { path: { value: string }[] };
        rules?: { head: { name?: string; ref?: { value: unknown }[]; location?: { row: number } }; location?: { row: number } }[];
      };
      const packagePath = ast.package.path.slice(1).map((term) => String(term.value));
      const rules = (ast.rules ?? []).map((rule) => ({
        name: rule.head.name ?? String(rule.head.ref?.[0]?.value ?? ""),
        row: rule.head.location?.row ?? rule.location?.row ?? 0,
      }));
      return { file, packagePath, rules } satisfies ParsedModule;
    },
    async evaluate(query, options) {
      const result = await run(bin, ["eval", "--format", "json", ...loadArgs(options), "--input", options.input, query], env);
      if (result.code !== 0) return { errors: errorsOf(result, "eval") };
      const parsed = JSON.parse(result.stdout) as { result?: { bindings?: Record<string, unknown> }[] };
      return { bindings: parsed.result?.[0]?.bindings ?? {} };
    },
  };
}
