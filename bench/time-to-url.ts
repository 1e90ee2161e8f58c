// Local time-to-URL of the example app: from "start" until its Worker URL answers.
//   node bench/time-to-url.ts [--runs 3]
// Side by side in one run: alchkit's local runtime (start → URL answering, resources read from state) and
// plain `alchemy dev` (the peer: spawn → "Ready at" printed and the URL answering). Target: ≤ 8 s.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { alchemyEnv, findAlchemyCli } from "../workflows-lib/alchemy/alchemy-cli.ts";
import { stripAnsi } from "../workflows-lib/alchemy/alchemy-errors.ts";
import { createLocalRuntime, DEV_PORT_VARIABLE, PLACEHOLDER_CREDENTIALS } from "../workflows-lib/alchemy/local-runtime.ts";
import { reserveFreePort, stopProcessGroup } from "../workflows-lib/alchemy/process-group.ts";
import { CONSUMER_APP_DIR } from "../test/support/local-app.ts";
import { median } from "./median.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const runs = Math.max(1, Number(values.runs));
const env = { PATH: process.env.PATH, HOME: process.env.HOME };
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function answers(url: string): Promise<void> {
  for (;;) {
    try {
      await (await fetch(url)).arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

async function alchkitRun(i: number, stateDir: string): Promise<{ toUrl: number; down: number }> {
  const runtime = createLocalRuntime({ cwd: CONSUMER_APP_DIR, env, stateDir });
  const stage = `bench-alchkit-${process.pid}-${i}`;
  const started = performance.now();
  await runtime.start({ stage });
  const toUrl = performance.now() - started;
  const downStart = performance.now();
  await runtime.down({ stage });
  return { toUrl, down: performance.now() - downStart };
}

async function rawRun(i: number, stateDir: string): Promise<number> {
  const stage = `bench-raw-${process.pid}-${i}`;
  const port = await reserveFreePort();
  const cli = findAlchemyCli(CONSUMER_APP_DIR);
  const started = performance.now();
  const child = spawn(process.execPath, [cli, "dev", "--stage", stage], {
    cwd: CONSUMER_APP_DIR,
    env: alchemyEnv({ ...env, ...PLACEHOLDER_CREDENTIALS, [DEV_PORT_VARIABLE]: String(port) }, process.execPath),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = stripAnsi(out).match(/Ready at (\S+)/);
      if (match) resolve(match[1]!);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", () => reject(new Error(`alchemy dev exited:\n${out}`)));
  });
  await answers(url);
  const elapsed = performance.now() - started;
  await stopProcessGroup(child.pid!);
  // same teardown as alchkit, not timed
  await createLocalRuntime({ cwd: CONSUMER_APP_DIR, env, stateDir }).down({ stage });
  return elapsed;
}

const stateDir = mkdtempSync(path.join(tmpdir(), "alchkit-bench-"));
try {
  console.log(`command: node bench/time-to-url.ts --runs ${runs}`);
  console.log(`app: test/fixtures/consumer-app (one Worker), node ${process.version}, ${runs} run(s) each, alternating`);
  // Both columns suffer alike from a busy machine; the ratio stays meaningful, absolute figures do not.
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} at start\n`);
  const ours: number[] = [];
  const downs: number[] = [];
  const peer: number[] = [];
  for (let i = 0; i < runs; i++) {
    peer.push(await rawRun(i, stateDir));
    const r = await alchkitRun(i, stateDir);
    ours.push(r.toUrl);
    downs.push(r.down);
    console.log(`run ${i + 1}: alchemy dev ${seconds(peer[i]!)}  alchkit ${seconds(ours[i]!)}  (alchkit teardown ${seconds(downs[i]!)})`);
  }
  console.log("");
  console.log("| what | median time-to-URL | runs |");
  console.log("| --- | --- | --- |");
  console.log(`| plain \`alchemy dev\` (Ready at + first answer) | ${seconds(median(peer))} | ${peer.map(seconds).join(", ")} |`);
  console.log(`| alchkit local runtime (URL answering, resources read) | ${seconds(median(ours))} | ${ours.map(seconds).join(", ")} |`);
  console.log(`\nratio alchkit / alchemy dev: ${(median(ours) / median(peer)).toFixed(2)}`);
  console.log(`alchkit teardown (stop + destroy + verify empty), median: ${seconds(median(downs))}`);
  console.log(`target ≤ 8 s: ${median(ours) <= 8000 ? "met" : "missed"} (load average now ${loadavg()[0]!.toFixed(1)})`);
} finally {
  rmSync(stateDir, { recursive: true, force: true });
}
