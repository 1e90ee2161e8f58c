// Start-up of the installed CLI: `alchkit --version` (and `alchkit --help`, which loads every command module) from
// the npm package installed into a fresh repository, next to `node -e 0` and to the CLI run from this repository's
// TypeScript sources, in one run. Also prints the tarball's packed/unpacked size and the dependencies it installs.
//   node bench/cli-startup.ts [--runs 20] [--node PATH]
// --node picks the Node.js that runs everything (default: this one), e.g. the tools' node22.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { median } from "./median.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "20" }, node: { type: "string", default: process.execPath } } });
const runs = Math.max(1, Number(values.runs));
const node = values.node;
const root = path.resolve(import.meta.dirname, "..");
const env = { ...process.env, PATH: [path.join(root, "node_modules/.bin"), process.env.PATH].join(path.delimiter), npm_config_update_notifier: "false" };


function must(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

function time(args: string[], cwd: string): number {
  const samples: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const started = performance.now();
    const result = spawnSync(node, args, { cwd, env, stdio: "ignore" });
    const elapsed = performance.now() - started;
    if (result.status !== 0) throw new Error(`${node} ${args.join(" ")} exited with ${result.status}`);
    if (i > 0) samples.push(elapsed); // the first run fills the compile cache
  }
  return median(samples);
}

const scratch = mkdtempSync(path.join(tmpdir(), "alchkit-bench-startup-"));
try {
  const packed = JSON.parse(must("npm", ["pack", "--json", "--pack-destination", scratch], root).replace(/^[^[]*/, "")) as {
    filename: string;
    size: number;
    unpackedSize: number;
    entryCount: number;
  }[];
  const tarball = path.join(scratch, packed[0]!.filename);
  const consumer = path.join(scratch, "consumer");
  must("mkdir", ["-p", consumer], scratch);
  writeFileSync(path.join(consumer, "package.json"), '{ "name": "consumer", "private": true, "type": "module" }\n');
  must("npm", ["install", "--save-dev", "--offline", "--no-audit", "--no-fund", tarball], consumer);
  const installed = readdirSync(path.join(consumer, "node_modules")).filter((name) => !name.startsWith("."));
  const bin = path.join(consumer, "node_modules/alchkit/workflows-lib/cli/bin.js");
  const source = path.join(root, "workflows-lib/cli/bin.js");

  const nodeVersion = must(node, ["--version"], root).trim();
  const baseline = time(["-e", "0"], consumer);
  const rows = [
    ["node -e 0", baseline],
    ["alchkit --version (installed package)", time([bin, "--version"], consumer)],
    ["alchkit --help (installed package, every command module)", time([bin, "--help"], consumer)],
    ["alchkit --version (repository sources)", time([source, "--version"], root)],
    ["alchkit --help (repository sources)", time([source, "--help"], root)],
  ] as const;
  console.log(`node bench/cli-startup.ts --runs ${runs}${node === process.execPath ? "" : ` --node ${node}`}`);
  console.log(`Node.js ${nodeVersion}, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}; median of ${runs} runs after one warm-up`);
  console.log(`tarball ${packed[0]!.filename}: ${(packed[0]!.size / 1024).toFixed(0)} kB packed, ${(packed[0]!.unpackedSize / 1024).toFixed(0)} kB unpacked, ${packed[0]!.entryCount} files`);
  console.log(`npm install of the tarball: ${installed.length} package(s) in node_modules (${installed.join(", ")})`);
  for (const [name, ms] of rows) console.log(`${name.padEnd(58)} ${ms.toFixed(0).padStart(5)} ms  ${(ms / baseline).toFixed(2)}× node -e 0`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
