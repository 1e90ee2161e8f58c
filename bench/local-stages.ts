// Local stages that never collide, and a start that is ready when it says so.
//   node bench/local-stages.ts [--rounds 10] [--stages 4] [--repro 20]
// 1. Stress: `--stages` stages of the multi-resource app (D1, KV, R2, Durable Object, queue + consumer, workflow,
//    secret) started at once through the local runtime, each checked (health, its own KV value, its own D1
//    rows) and destroyed, `--rounds` times. Prints failures out of rounds × stages (goal 0).
// 2. The ready-too-early repro of the same app: `alchkit preview up --stage pr-9 --local --detach` then
//    `preview down`, `--repro` times in a row, through the CLI as a user runs it. Prints passes out of runs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createLocalRuntime } from "../workflows-lib/alchemy/local-runtime.ts";
import { baseEnv, fixtureApp, REPO_ROOT } from "../test/support/app-fixtures.ts";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "10" }, stages: { type: "string", default: "4" }, repro: { type: "string", default: "20" } } });
const rounds = Math.max(0, Number(values.rounds));
const stages = Math.max(1, Number(values.stages));
const repro = Math.max(0, Number(values.repro));
const dir = fixtureApp("multi-resource");

console.log(`$ node bench/local-stages.ts --rounds ${rounds} --stages ${stages} --repro ${repro}`);
console.log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);

async function oneStage(round: number, index: number, stateDir: string): Promise<string | undefined> {
  const stage = `stress-${round}-${index}`;
  const runtime = createLocalRuntime({ cwd: dir, env: baseEnv(), stateDir, healthPath: "/health" });
  try {
    const app = await runtime.start({ stage });
    const base = app.deployment.urls.api;
    if (!base) return `${stage}: no url`;
    const put = await fetch(new URL("kv/who", base), { method: "PUT", body: stage });
    if (!put.ok) return `${stage}: PUT /kv/who ${put.status}`;
    await fetch(new URL("notes", base), { method: "POST", body: stage });
    const kv = (await (await fetch(new URL("kv/who", base))).json()) as { value: string };
    const notes = (await (await fetch(new URL("notes", base))).json()) as { notes: { body: string }[] };
    if (kv.value !== stage) return `${stage}: KV shows ${kv.value}`;
    if (notes.notes.length !== 2) return `${stage}: D1 has ${notes.notes.length} rows`;
    return undefined;
  } catch (error) {
    return `${stage}: ${(error as Error).message.split("\n")[0]}`;
  } finally {
    await runtime.down({ stage }).catch((error: Error) => console.log(`  ${stage}: down failed: ${error.message.split("\n")[0]}`));
  }
}

let failures = 0;
const stressStart = performance.now();
for (let round = 0; round < rounds; round++) {
  const stateDir = mkdtempSync(path.join(tmpdir(), "alchkit-stress-"));
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: stages }, (_, i) => oneStage(round, i, stateDir)));
  rmSync(stateDir, { recursive: true, force: true });
  const failed = results.filter((r): r is string => r !== undefined);
  failures += failed.length;
  console.log(`round ${round + 1}/${rounds}: ${stages - failed.length}/${stages} ok in ${((performance.now() - started) / 1000).toFixed(1)} s${failed.map((f) => `\n  ${f}`).join("")}`);
}
if (rounds > 0) console.log(`stress: ${failures}/${rounds * stages} failed (${stages} stages at once × ${rounds}) in ${((performance.now() - stressStart) / 1000).toFixed(0)} s`);

if (repro > 0) {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [path.join(REPO_ROOT, "workflows-lib/cli/main.ts"), ...args, "--cwd", dir], {
      encoding: "utf8",
      env: { ...baseEnv(), DO_NOT_TRACK: "1" },
      timeout: 180_000,
    });
  let passed = 0;
  for (let i = 0; i < repro; i++) {
    const up = cli(["preview", "up", "--stage", "pr-9", "--local", "--detach"]);
    let ok = up.status === 0;
    let why = up.stderr.trim().split("\n").slice(-1)[0] ?? "";
    if (ok) {
      const url = (JSON.parse(up.stdout) as { urls: Record<string, string> }).urls.api;
      const health = url ? await fetch(new URL("health", url)).then((r) => r.status, (e: Error) => e.message) : "no url";
      ok = health === 200;
      why = `health ${health}`;
    }
    const down = cli(["preview", "down", "--stage", "pr-9", "--local"]);
    if (down.status !== 0) {
      ok = false;
      why += `; down: ${down.stderr.trim().split("\n").slice(-1)[0]}`;
    }
    if (ok) passed++;
    console.log(`repro ${i + 1}/${repro}: ${ok ? "ok" : `FAILED ${why}`}`);
  }
  console.log(`repro (preview up --stage pr-9 --local --detach, then down): ${passed}/${repro} passed`);
}
