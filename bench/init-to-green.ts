// Time from `alchkit init` on a fresh repository with an Alchemy app to a green local pipeline:
// init → preview up --local --detach → load gate (autocannon, the thresholds init wrote) → preview down.
// Usage: node_modules/.bin/node bench/init-to-green.ts
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const app = path.join(root, "test/fixtures/consumer-app");
const bin = path.join(root, "workflows-lib/cli/bin.js");

function alchkit(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, DO_NOT_TRACK: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const dir = mkdtempSync(path.join(tmpdir(), "alchkit-init-to-green-"));
for (const f of ["alchemy.run.ts", "package.json", "src"]) cpSync(path.join(app, f), path.join(dir, f), { recursive: true });
symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
writeFileSync(path.join(dir, "package-lock.json"), "{}\n");

const steps: Array<[string, number]> = [];
const started = performance.now();
async function step(name: string, args: string[]): Promise<string> {
  const t = performance.now();
  const result = await alchkit(args, dir);
  steps.push([name, performance.now() - t]);
  if (result.code !== 0) {
    console.error(`${name} failed (exit ${result.code}):\n${result.stderr}${result.stdout}`);
    await alchkit(["preview", "down", "--stage", "pr-1", "--local"], dir);
    rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  }
  return result.stdout;
}

try {
  await step("alchkit init", ["init"]);
  const up = JSON.parse(await step("preview up --local --detach", ["preview", "up", "--stage", "pr-1", "--local", "--detach"])) as { urls: Record<string, string> };
  await step("load-gate run (autocannon, 3 s)", ["load-gate", "run", "--url", Object.values(up.urls)[0]!, "--thresholds", "load/thresholds.json", "--script", "load/scenario.json", "--duration", "3s"]);
  await step("preview down --local", ["preview", "down", "--stage", "pr-1", "--local"]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const total = performance.now() - started;
console.log("command: node_modules/.bin/node bench/init-to-green.ts");
for (const [name, ms] of steps) console.log(`${name.padEnd(36)} ${(ms / 1000).toFixed(1)} s`);
console.log(`${"init → green local pipeline".padEnd(36)} ${(total / 1000).toFixed(1)} s (goal < 60 s)`);
