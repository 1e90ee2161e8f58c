// Wall time of `npm run demo` (the whole local pipeline on the example app), against the target of 2 minutes.
// Runs the demo as a user does — a separate process from the repository root, CI=true (no terminal, no prompt) —
// and prints the total and each step's duration from its timeline. No peer runs side by side: the alternatives
// cannot run this pipeline here (act needs Docker; @github/local-action runs one action at a time).
// Usage: node_modules/.bin/node bench/demo.ts [runs]
import { spawn } from "node:child_process";
import { cpus, totalmem } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 1);
if (!Number.isInteger(runs) || runs < 1) {
  console.error("usage: node_modules/.bin/node bench/demo.ts [runs]  (runs: a positive integer)");
  process.exit(2);
}
const TARGET_MS = 120_000;
const COMMAND = "node workflows-lib/cli/bin.js demo";

interface Run {
  code: number | null;
  wallMs: number;
  stdout: string;
}

function demo(): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["workflows-lib/cli/bin.js", "demo"], {
      cwd: ROOT,
      env: { ...process.env, CI: "true", DO_NOT_TRACK: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, wallMs: performance.now() - started, stdout }));
  });
}

/** "[  7.2s] step 4/10 Load gate …: ok in 2.3 s - …" → title and milliseconds. */
function steps(stdout: string): Array<{ title: string; ms: number; result: string }> {
  return [...stdout.matchAll(/^\[\s*[\d.]+s\] step \d+\/\d+ (.+?): (ok|as designed|skipped|FAILED) in ([\d.]+) (ms|s) - /gm)].map((m) => ({
    title: m[1]!,
    result: m[2]!,
    ms: Number(m[3]) * (m[4] === "s" ? 1000 : 1),
  }));
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`$ CI=true ${COMMAND}   (from the repository root; ${runs} run(s); ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version})`);
const walls: number[] = [];
const perStep = new Map<string, number[]>();
for (let i = 0; i < runs; i++) {
  const run = await demo();
  if (run.code !== 0) {
    console.error(run.stdout);
    console.error(`run ${i + 1}: the demo exited ${run.code}`);
    process.exit(1);
  }
  walls.push(run.wallMs);
  for (const step of steps(run.stdout)) perStep.set(step.title, [...(perStep.get(step.title) ?? []), step.ms]);
  console.log(`run ${i + 1}: ${seconds(run.wallMs)} wall`);
}

const width = Math.max(...[...perStep.keys()].map((t) => t.length));
console.log("\nstep (median over runs)");
for (const [title, times] of perStep) console.log(`  ${title.padEnd(width)}  ${seconds(median(times)).padStart(7)}`);
const wall = median(walls);
console.log(`\ndemo wall time (median): ${seconds(wall)}; target < ${seconds(TARGET_MS)}: ${wall < TARGET_MS ? "met" : "MISSED"} (${(wall / TARGET_MS).toFixed(2)}× the target)`);
