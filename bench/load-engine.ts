// Benchmark of the load gate's built-in engine (autocannon in process, every sample kept, k6 summary built)
// against wrk and the autocannon CLI, side by side in one run, on the same local HTTP server (a separate Node
// process on 127.0.0.1), with the same connections and duration. Prints requests/s and the ratios
// (goals: ≥ 0.7× wrk, and no slower than the autocannon CLI).
//
// Needs `wrk` on PATH: Debian package `wrk` (`apt-get install -y wrk`). Without it, the wrk row is skipped.
// Run: node bench/load-engine.ts [--connections 10] [--duration 5] [--rounds 1]
//   duration in seconds (at most 30); --rounds N alternates the three tools N times and reports medians, for
//   machines where other work makes a single run noisy (at most 5).
// Child modes: `--serve` (the target server), `--engine URL C D` (one run of our engine, prints JSON).
import { spawn, spawnSync } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const self = fileURLToPath(import.meta.url);

if (args[0] === "--serve") {
  const body = JSON.stringify({ ok: true, service: "bench" });
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
} else if (args[0] === "--engine") {
  const { runAutocannon } = await import("../workflows-lib/loadgate/engines/autocannon.ts");
  const { parseScenario } = await import("../workflows-lib/loadgate/scenario.ts");
  const [url, connections, seconds] = [args[1]!, Number(args[2]), Number(args[3])];
  const scenario = parseScenario({ requests: [{ path: "/" }], connections, duration: seconds });
  const { summary } = await runAutocannon({ url, scenario });
  const reqs = summary.metrics.http_reqs!.values;
  process.stdout.write(`${JSON.stringify({ requests: reqs.count, seconds: summary.testRunDurationMs! / 1000, p99: summary.metrics.http_req_duration!.values["p(99)"] })}\n`);
} else {
  await main();
}

function flag(name: string, fallback: number): number {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: expected a positive number`);
  return value;
}

async function main(): Promise<void> {
  const connections = flag("--connections", 10);
  const seconds = Math.min(flag("--duration", 5), 30);
  const node = process.execPath;

  const server = spawn(node, [self, "--serve"], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    server.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    server.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}/`;
  const rounds = Math.min(Math.round(flag("--rounds", 1)), 5);
  const samples: Array<{ tool: string; rps: number[]; command: string; note?: string }> = [
    { tool: "alchkit autocannon engine", rps: [], command: "" },
    { tool: "wrk 4.1 (1 thread)", rps: [], command: "" },
    { tool: "autocannon CLI 9", rps: [], command: "" },
  ];
  try {
    // The autocannon CLI runs on the same Node as everything else here (its bin script would pick the system node).
    const acCli = [node, "node_modules/autocannon/autocannon.js"];
    const warm = spawnSync(acCli[0]!, [acCli[1]!, "-c", String(connections), "-d", "1", url], { encoding: "utf8" });
    if (warm.status !== 0) throw new Error(`warm-up failed: ${warm.stderr}`);
    const runOurs = () => {
      const engineCmd = [node, relative(process.cwd(), self), "--engine", url, String(connections), String(seconds)];
      const ours = spawnSync(engineCmd[0]!, engineCmd.slice(1), { encoding: "utf8" });
      if (ours.status !== 0) throw new Error(`engine run failed: ${ours.stderr}`);
      const o = JSON.parse(ours.stdout) as { requests: number; seconds: number; p99: number };
      Object.assign(samples[0]!, { command: engineCmd.slice(1).join(" "), note: `p99 ${o.p99.toFixed(2)} ms` });
      samples[0]!.rps.push(o.requests / o.seconds);
    };
    const runWrk = () => {
      const wrkArgs = ["-t1", `-c${connections}`, `-d${seconds}s`, url];
      samples[1]!.command = `wrk ${wrkArgs.join(" ")}`;
      const wrk = spawnSync("wrk", wrkArgs, { encoding: "utf8" });
      if (wrk.error) {
        samples[1]!.note = "not installed: apt-get install -y wrk";
        return;
      }
      const m = /Requests\/sec:\s+([\d.]+)/.exec(wrk.stdout);
      if (!m) throw new Error(`cannot read wrk's output:\n${wrk.stdout}${wrk.stderr}`);
      samples[1]!.rps.push(Number(m[1]));
    };
    const runCli = () => {
      const acArgs = ["-c", String(connections), "-d", String(seconds), "--json", url];
      const ac = spawnSync(acCli[0]!, [acCli[1]!, ...acArgs], { encoding: "utf8" });
      if (ac.status !== 0) throw new Error(`autocannon CLI failed: ${ac.stderr}`);
      const a = JSON.parse(ac.stdout) as { requests: { total: number }; duration: number; latency: { p99: number } };
      Object.assign(samples[2]!, { command: `autocannon ${acArgs.join(" ")}`, note: `p99 ${a.latency.p99} ms (integer ms)` });
      samples[2]!.rps.push(a.requests.total / a.duration);
    };
    // Each round starts with another tool, so no tool always runs first (or last) on a busy machine.
    const order = [runOurs, runWrk, runCli];
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < order.length; k++) order[(round + k) % order.length]!();
    }
  } finally {
    server.kill("SIGTERM");
  }
  const median = (xs: number[]): number => {
    if (xs.length === 0) return NaN;
    const sorted = [...xs].sort((x, y) => x - y);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const rows = samples.map((x) => ({ tool: x.tool, rps: median(x.rps), command: x.command, ...(x.note ? { note: x.note } : {}) }));

  const ours = rows[0]!.rps;
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  console.log(`node ${relative(process.cwd(), self)} --connections ${connections} --duration ${seconds} --rounds ${rounds}`);
  console.log(`target: node:http on 127.0.0.1 (separate process), ${connections} connections, ${seconds} s each, ${rounds === 1 ? "one run" : `median of ${rounds} alternating runs`}; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}\n`);
  console.log(line(["tool", "requests/s", "alchkit engine ÷ tool", "note", "command"]));
  console.log(line(["---", "---:", "---:", "---", "---"]));
  for (const r of rows) {
    const ratio = r === rows[0] ? "—" : Number.isNaN(r.rps) ? "n/a" : `${(ours / r.rps).toFixed(2)}×`;
    console.log(line([r.tool, Number.isNaN(r.rps) ? "—" : r.rps.toFixed(0), ratio, r.note ?? "", `\`${r.command}\``]));
  }
  const wrkRow = rows[1];
  const acRow = rows[2]!;
  console.log("");
  if (wrkRow && !Number.isNaN(wrkRow.rps)) console.log(`goal ≥ 0.70× wrk: ${(ours / wrkRow.rps).toFixed(2)}× ${ours / wrkRow.rps >= 0.7 ? "met" : "NOT met"}`);
  console.log(`goal ≥ 1.00× autocannon CLI: ${(ours / acRow.rps).toFixed(2)}× ${ours / acRow.rps >= 1 ? "met" : "NOT met"}`);
}
