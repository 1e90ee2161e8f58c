// Time from `alchkit create` to a green local pipeline, per template: create (--skip-install: the app is made
// under test/fixtures/apps/.built, where Node resolves the kit's installed packages, so the figure is "after
// install") → preview up --local --detach → /health → load gate (autocannon, 3 s) → OpenAPI generate + validate
// → preview down.
// Usage: node_modules/.bin/node bench/create.ts
import { spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { STARTER_NAMES } from "../workflows-lib/create/starters.ts";

const root = path.resolve(import.meta.dirname, "..");
const bin = path.join(root, "workflows-lib/cli/bin.js");
const env = { ...process.env, DO_NOT_TRACK: "1", ALCHEMY_TELEMETRY_DISABLED: "1", PATH: [path.join(root, "node_modules/.bin"), process.env.PATH].join(path.delimiter) };

function alchkit(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

console.log("command: node_modules/.bin/node bench/create.ts");
let failed = false;
for (const template of STARTER_NAMES) {
  const scratch = path.join(root, "test/fixtures/apps/.built", `bench-create-${process.pid}-${template}`);
  mkdirSync(scratch, { recursive: true });
  const app = path.join(scratch, "my-app");
  const steps: Array<[string, number]> = [];
  const started = performance.now();
  const step = async (name: string, args: string[], cwd = app): Promise<string> => {
    const t = performance.now();
    const result = await alchkit(args, cwd);
    steps.push([name, performance.now() - t]);
    if (result.code !== 0) throw new Error(`${name} failed (exit ${result.code}):\n${result.stderr}${result.stdout}`);
    return result.stdout;
  };
  try {
    await step("create --skip-install", ["create", "my-app", "--template", template, "--skip-install"], scratch);
    const up = JSON.parse((await step("preview up --local --detach", ["preview", "up", "--stage", "pr-1", "--local", "--detach"])).trim().split("\n").at(-1)!) as { urls: Record<string, string> };
    const url = Object.values(up.urls)[0]!.replace(/\/$/, "");
    const t = performance.now();
    const health = await fetch(`${url}/health`);
    steps.push([`GET /health → ${health.status}`, performance.now() - t]);
    await step("load-gate run (autocannon, 3 s)", ["load-gate", "run", "--url", url, "--script", "load/scenario.json", "--thresholds", "load/thresholds.json", "--duration", "3s"]);
    await step("openapi generate", ["openapi", "generate", "--url", `${url}/openapi.json`, "--out", "openapi.json"]);
    await step("openapi validate", ["openapi", "validate", "openapi.json"]);
    await step("preview down --local", ["preview", "down", "--stage", "pr-1", "--local"]);
  } catch (error) {
    failed = true;
    console.error(`${template}: ${(error as Error).message}`);
    await alchkit(["preview", "down", "--stage", "pr-1", "--local"], app);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`\n${template}`);
  for (const [name, ms] of steps) console.log(`  ${name.padEnd(36)} ${(ms / 1000).toFixed(1)} s`);
  console.log(`  ${"create → green local pipeline".padEnd(36)} ${((performance.now() - started) / 1000).toFixed(1)} s (goal < 60 s after install)`);
}
process.exitCode = failed ? 1 : 0;
