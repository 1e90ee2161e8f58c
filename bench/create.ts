// Time from `alchkit create` to a green local pipeline, per template, the install reported on its own line:
// create --skip-install → install (the command create runs: `npm install --no-audit --no-fund`, from the npm
// registry, in a temporary folder outside the kit so the app resolves only what it installed) → preview up
// --local --detach → /health (and the template's static asset) → load gate (autocannon, 3 s) → OpenAPI generate
// + validate → preview down. "After install" is the goal's figure (< 60 s).
// Usage: node_modules/.bin/node bench/create.ts [--templates hono,vite,react-router] [--prefer-offline]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { STARTERS, STARTER_NAMES } from "../workflows-lib/create/starters.ts";

const { values } = parseArgs({ options: { templates: { type: "string" }, "prefer-offline": { type: "boolean" } } });
const templates = values.templates ? values.templates.split(",") : STARTER_NAMES;
for (const template of templates) if (!STARTERS[template]) throw new Error(`--templates: expected some of ${STARTER_NAMES.join(", ")}, got ${template}`);

const root = path.resolve(import.meta.dirname, "..");
const bin = path.join(root, "workflows-lib/cli/bin.js");
const env = {
  ...process.env,
  DO_NOT_TRACK: "1",
  ALCHEMY_TELEMETRY_DISABLED: "1",
  npm_config_update_notifier: "false",
  ...(values["prefer-offline"] ? { npm_config_prefer_offline: "true" } : {}),
  PATH: [path.join(root, "node_modules/.bin"), process.env.PATH].join(path.delimiter),
};

function run(file: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
const alchkit = (args: string[], cwd: string) => run(process.execPath, [bin, ...args], cwd);

console.log(`command: node_modules/.bin/node bench/create.ts --templates ${templates.join(",")}${values["prefer-offline"] ? " --prefer-offline" : ""}`);
let failed = false;
const results: string[] = [];
for (const template of templates) {
  const starter = STARTERS[template]!;
  const scratch = mkdtempSync(path.join(tmpdir(), `bench-create-${template}-`));
  const app = path.join(scratch, "my-app");
  const steps: Array<[string, number]> = [];
  let install = 0;
  let pipelineStart = 0;
  let pipelineEnd = 0;
  let failure: string | undefined;
  const step = async (name: string, file: string, args: string[], cwd = app): Promise<string> => {
    const t = performance.now();
    const result = await run(file, args, cwd);
    steps.push([name, performance.now() - t]);
    if (result.code !== 0) throw new Error(`${name} failed (exit ${result.code}):\n${result.stderr.slice(-3000)}${result.stdout.slice(-2000)}`);
    return result.stdout;
  };
  const timedFetch = async (name: string, url: string) => {
    const t = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    steps.push([`${name} → ${response.status}`, performance.now() - t]);
    if (response.status !== 200) throw new Error(`${name} answered ${response.status}`);
  };
  try {
    pipelineStart = performance.now();
    await step("create --skip-install", process.execPath, [bin, "create", "my-app", "--template", template, "--skip-install"], scratch);
    const installStart = performance.now();
    await step("npm install (reported apart)", "npm", ["install", "--no-audit", "--no-fund"]);
    install = performance.now() - installStart;
    const up = JSON.parse((await step("preview up --local --detach", process.execPath, [bin, "preview", "up", "--stage", "pr-1", "--local", "--detach"])).trim().split("\n").at(-1)!) as { urls: Record<string, string> };
    const url = Object.values(up.urls)[0]!.replace(/\/$/, "");
    await timedFetch("GET /health", `${url}/health`);
    if (starter.assetPath) await timedFetch(`GET ${starter.assetPath}`, `${url}${starter.assetPath}`);
    await step("load-gate run (autocannon, 3 s)", process.execPath, [bin, "load-gate", "run", "--url", url, "--script", "load/scenario.json", "--thresholds", "load/thresholds.json", "--duration", "3s"]);
    await step("openapi generate", process.execPath, [bin, "openapi", "generate", "--url", `${url}/openapi.json`, "--out", ".alchkit/openapi.json"]);
    await step("openapi validate", process.execPath, [bin, "openapi", "validate", ".alchkit/openapi.json"]);
    await step("preview down --local", process.execPath, [bin, "preview", "down", "--stage", "pr-1", "--local"]);
    pipelineEnd = performance.now();
  } catch (error) {
    pipelineEnd = performance.now();
    failed = true;
    failure = (error as Error).message.split("\n")[0]!;
    console.error(`${template}: ${(error as Error).message}`);
    await alchkit(["preview", "down", "--stage", "pr-1", "--local"], app);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // the folder's removal (node_modules of a website is about 0.8 GB) is not the pipeline's
  const total = pipelineEnd - pipelineStart;
  console.log(`\n${template}`);
  for (const [name, ms] of steps) console.log(`  ${name.padEnd(36)} ${(ms / 1000).toFixed(1)} s`);
  const verdict = failure ? `NOT GREEN (${failure}) after` : "green in";
  console.log(`  ${"create → green local pipeline".padEnd(36)} ${verdict} ${((total - install) / 1000).toFixed(1)} s after install (goal < 60 s), ${(total / 1000).toFixed(1)} s with it`);
  results.push(`${template}: ${verdict} ${((total - install) / 1000).toFixed(1)} s after install, install ${(install / 1000).toFixed(1)} s`);
}
console.log(`\n${results.join("\n")}`);
process.exitCode = failed ? 1 : 0;
