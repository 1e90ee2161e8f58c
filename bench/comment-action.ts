// Size and cold start of actions/comment: bad input → `::error::` → exit, against `node -e 0`, in one run.
// Usage: node_modules/.bin/node bench/comment-action.ts [runs]
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const runs = Number(process.argv[2] ?? 20);
const dist = join(root, "actions/comment/dist/index.js");

function time(args: string[], env: NodeJS.ProcessEnv): number[] {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    spawnSync(process.execPath, args, { env, stdio: "ignore" });
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b);
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
const env = { PATH: process.env.PATH, GITHUB_OUTPUT: "/dev/null" };
const baseline = time(["-e", "0"], env);
const action = time([dist], { ...env, INPUT_MODE: "sideways", INPUT_BODY: "x" });
const size = statSync(dist).size;

console.log(`command: node_modules/.bin/node bench/comment-action.ts ${runs}   (node ${process.version})`);
console.log(`actions/comment/dist/index.js: ${(size / 1024 / 1024).toFixed(2)} MB (${size} bytes; target ≤ 1.2 MB; wrangler-action: 1.44 MB)`);
console.log(`cold start, bad input → exit 1: median ${median(action).toFixed(0)} ms over ${runs} runs`);
console.log(`node -e 0:                     median ${median(baseline).toFixed(0)} ms`);
console.log(`ratio: ${(median(action) / median(baseline)).toFixed(2)}× node -e 0; action's own cost ≈ ${(median(action) - median(baseline)).toFixed(0)} ms`);
