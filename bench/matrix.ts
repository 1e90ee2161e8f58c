// Benchmark of the CI matrix (affected packages) against turbo, side by side in one run.
// Builds a synthetic npm workspace in a temp git repository: PACKAGES packages (default 2,000) whose
// dependencies form a random DAG, and a head commit changing CHANGED files (default 10,000) spread over
// some of them. Then, on that same repository:
//   alchkit: `computeMatrix` (git diff from the merge base, workspace read, graph, affected set, matrix),
//            in a fresh Node process — bundled with ncc as actions/matrix ships, and from the TypeScript
//            sources as the CLI runs: compute time inside the process, process wall and CPU time, peak RSS;
//   turbo:   `turbo ls --filter '...[BASE...HEAD]' --output json` (changed packages plus dependents, the
//            same question), process wall time and peak RSS.
// Both must select the same packages, otherwise the figures are not comparable and the bench fails.
// Goal: alchkit ≤ 1 s and at most half of turbo's time.
// Run: node bench/matrix.ts [--packages N] [--changed N] [--runs N] [--keep]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { computeMatrix } from "../workflows-lib/matrix/compute-matrix.ts";
import { createGitCli } from "../workflows-lib/local/matrix-git.ts";
import { readWorkspace } from "../workflows-lib/matrix/adapters/workspace-reader.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

// Child mode: one measured matrix computation; prints the selected names and its own figures.
async function computeOnce(): Promise<void> {
  const [dir, base, head] = args.slice(1) as [string, string, string];
  const started = performance.now();
  const result = await computeMatrix(
    { git: createGitCli(dir), readWorkspace: () => readWorkspace(dir, dir) },
    { range: { kind: "compare", base, head } },
  );
  const ms = performance.now() - started;
  const names = result.matrix.include.flatMap((e) => e.packages ?? [e]).map((p) => p.name);
  process.stdout.write(JSON.stringify({ ms, maxRssKiB: process.resourceUsage().maxRSS, names, files: result.changes.files.length }));
}

// Plain functions rather than top-level await: ncc bundles this file for the "as the action ships" runs.
if (args[0] === "--compute") computeOnce().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
else main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

async function main(): Promise<void> {
  const packageCount = option("packages", 2000);
  const changedCount = option("changed", 10000);
  const runs = option("runs", 3);
  const keep = args.includes("--keep");
  const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", TURBO_NO_UPDATE_NOTIFIER: "1", GIT_AUTHOR_NAME: "bench", GIT_AUTHOR_EMAIL: "bench@example.com", GIT_COMMITTER_NAME: "bench", GIT_COMMITTER_EMAIL: "bench@example.com" };
  const turboBin = join(root, "node_modules/.bin/turbo");
  const turboVersion = execFileSync(turboBin, ["--version"], { env, encoding: "utf8" }).trim();

  /** Deterministic PRNG (mulberry32) so every run builds the same workspace. */
  function rng(seed: number): () => number {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function git(dir: string, ...gitArgs: string[]): string {
    return execFileSync("git", gitArgs, { cwd: dir, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).trim();
  }

  function write(file: string, content: string): void {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }

  function buildRepo(): { dir: string; base: string; head: string } {
    const dir = mkdtempSync(join(tmpdir(), "alchkit-bench-matrix-"));
    const random = rng(42);
    const name = (i: number) => `@bench/p${String(i).padStart(4, "0")}`;
    const folder = (i: number) => `packages/p${String(i).padStart(4, "0")}`;
    const lockPackages: Record<string, unknown> = { "": { name: "bench-monorepo", workspaces: ["packages/*"] } };
    for (let i = 0; i < packageCount; i++) {
      const deps: Record<string, string> = {};
      // Up to three dependencies among the 50 packages before this one: a DAG with long chains.
      for (let k = 0; k < 3 && i > 0; k++) {
        const j = Math.max(0, i - 1 - Math.floor(random() * 50));
        if (random() < 0.7) deps[name(j)] = "*";
      }
      const manifest = { name: name(i), version: "1.0.0", scripts: { build: "tsc", test: "node --test" }, dependencies: deps };
      write(join(dir, folder(i), "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
      write(join(dir, folder(i), "src/index.ts"), `export const id = ${i};\n`);
      lockPackages[folder(i)] = { name: name(i), version: "1.0.0", dependencies: deps };
      lockPackages[`node_modules/${name(i)}`] = { resolved: folder(i), link: true };
    }
    write(join(dir, "package.json"), `${JSON.stringify({ name: "bench-monorepo", private: true, packageManager: "npm@10.9.2", workspaces: ["packages/*"] }, null, 2)}\n`);
    write(join(dir, "package-lock.json"), `${JSON.stringify({ name: "bench-monorepo", lockfileVersion: 3, requires: true, packages: lockPackages }, null, 2)}\n`);
    write(join(dir, "turbo.json"), `${JSON.stringify({ $schema: "https://turborepo.com/schema.json", tasks: { build: { dependsOn: ["^build"] }, test: { dependsOn: ["build"] } } }, null, 2)}\n`);
    git(dir, "init", "-q", "-b", "main");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "base");
    const base = git(dir, "rev-parse", "HEAD");
    git(dir, "checkout", "-q", "-b", "change");
    // CHANGED files over 5 % of the packages (new and modified sources).
    const touched = Math.max(1, Math.round(packageCount * 0.05));
    const chosen = new Set<number>();
    while (chosen.size < touched) chosen.add(Math.floor(random() * packageCount));
    const list = [...chosen];
    for (let f = 0; f < changedCount; f++) {
      const i = list[f % list.length]!;
      const file = f < list.length ? "src/index.ts" : `src/gen/f${f}.ts`;
      write(join(dir, folder(i), file), `export const v${f} = ${f};\n`);
    }
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "change");
    return { dir, base, head: git(dir, "rev-parse", "HEAD") };
  }

  interface Measure {
    wallMs: number;
    /** CPU time (user + system) of the process and the children it waited for (git), from GNU time. */
    cpuMs: number;
    innerMs?: number;
    maxRssMiB: number;
    names: string[];
  }

  /** Runs a command under GNU time: wall clock, CPU (user + sys, children included) and peak RSS. */
  function timed(command: string, commandArgs: string[], cwd: string): { wallMs: number; cpuMs: number; maxRssMiB: number; stdout: string } {
    const started = performance.now();
    const child = spawnSync("/usr/bin/time", ["-f", "gnu-time %U %S %M", command, ...commandArgs], { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const wallMs = performance.now() - started;
    if (child.status !== 0) throw new Error(`${command} failed (${child.status}): ${child.stderr}`);
    const m = /gnu-time ([\d.]+) ([\d.]+) (\d+)/.exec(child.stderr);
    if (!m) throw new Error(`no figures from GNU time: ${child.stderr}`);
    return { wallMs, cpuMs: (Number(m[1]) + Number(m[2])) * 1000, maxRssMiB: Number(m[3]) / 1024, stdout: child.stdout };
  }

  function measureAlchkit(entry: string, dir: string, base: string, head: string): Measure {
    const run = timed(process.execPath, [entry, "--compute", dir, base, head], root);
    const out = JSON.parse(run.stdout) as { ms: number; names: string[] };
    return { ...run, innerMs: out.ms, names: out.names };
  }

  function measureTurbo(dir: string, base: string, head: string): Measure {
    const run = timed(turboBin, ["ls", "--filter", `...[${base}...${head}]`, "--output", "json"], dir);
    const json = JSON.parse(run.stdout.slice(run.stdout.indexOf("{"))) as { packages: { items: Array<{ name: string }> } };
    return { ...run, names: json.packages.items.map((p) => p.name) };
  }

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

  /** This file bundled with ncc, the way actions/matrix ships (one file, no type stripping at start-up). */
  async function bundleSelf(outDir: string): Promise<string> {
    type Ncc = (entry: string, options: Record<string, unknown>) => Promise<{ code: string }>;
    const ncc = createRequire(import.meta.url)("@vercel/ncc") as Ncc;
    const { code } = await ncc(fileURLToPath(import.meta.url), { minify: true, target: "es2023", quiet: true, cache: false, transpileOnly: true, esm: true });
    const file = join(outDir, "index.mjs");
    writeFileSync(file, code);
    return file;
  }

  const setupStarted = performance.now();
  const repo = buildRepo();
  const setupMs = performance.now() - setupStarted;
  const bundleDir = mkdtempSync(join(tmpdir(), "alchkit-bench-bundle-"));
  try {
    const bundled = await bundleSelf(bundleDir);
    const ours: Measure[] = [];
    const oursSource: Measure[] = [];
    const theirs: Measure[] = [];
    // Alternate the tools so neither profits from a warmer disk cache.
    for (let i = 0; i < runs; i++) {
      ours.push(measureAlchkit(bundled, repo.dir, repo.base, repo.head));
      theirs.push(measureTurbo(repo.dir, repo.base, repo.head));
      oursSource.push(measureAlchkit(fileURLToPath(import.meta.url), repo.dir, repo.base, repo.head));
    }
    const oursSet = [...new Set(ours[0]!.names)].sort();
    if (JSON.stringify([...new Set(oursSource[0]!.names)].sort()) !== JSON.stringify(oursSet)) throw new Error("bundled and source runs disagree");
    const theirsSet = [...new Set(theirs[0]!.names)].sort();
    const agree = JSON.stringify(oursSet) === JSON.stringify(theirsSet);

    const innerMs = median(ours.map((m) => m.innerMs!));
    const oursWall = median(ours.map((m) => m.wallMs));
    const turboWall = median(theirs.map((m) => m.wallMs));
    const oursCpu = median(ours.map((m) => m.cpuMs));
    const turboCpu = median(theirs.map((m) => m.cpuMs));
    const lines = [
      `CI matrix benchmark — node ${process.version}, turbo ${turboVersion}, ${runs} run(s) each, medians; ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at the start`,
      `command: node ${relative(process.cwd(), fileURLToPath(import.meta.url))} --packages ${packageCount} --changed ${changedCount} --runs ${runs}`,
      `workspace: ${packageCount} packages, ${changedCount} changed files (generated and committed in ${fmt(setupMs)})`,
      `selected: alchkit ${oursSet.length}, turbo ${theirsSet.length} packages — ${agree ? "same set" : "DIFFERENT SETS"}`,
      "",
      `alchkit computeMatrix (inside the process):  ${fmt(innerMs)}`,
      `alchkit process, bundled like the action (node start incl.):  wall ${fmt(oursWall)}   CPU ${fmt(oursCpu)}   peak RSS ${median(ours.map((m) => m.maxRssMiB)).toFixed(0)} MiB`,
      `alchkit process, TypeScript sources (the CLI):                wall ${fmt(median(oursSource.map((m) => m.wallMs)))}   CPU ${fmt(median(oursSource.map((m) => m.cpuMs)))}   peak RSS ${median(oursSource.map((m) => m.maxRssMiB)).toFixed(0)} MiB`,
      `turbo ls --filter ...[base...head]:                            wall ${fmt(turboWall)}   CPU ${fmt(turboCpu)}   peak RSS ${median(theirs.map((m) => m.maxRssMiB)).toFixed(0)} MiB`,
      "",
      `ratio alchkit (bundled)/turbo, process wall time: ${(oursWall / turboWall).toFixed(2)}   (goal ≤ 0.50)`,
      `ratio alchkit (bundled)/turbo, process CPU time:  ${(oursCpu / turboCpu).toFixed(2)}`,
      `goal computation ≤ 1 s: ${innerMs <= 1000 ? "met" : "missed"}; goal ≤ half of turbo (wall): ${oursWall <= turboWall / 2 ? "met" : "missed"}`,
    ];
    console.log(lines.join("\n"));
    if (!agree) {
      const onlyOurs = oursSet.filter((n) => !theirsSet.includes(n));
      const onlyTurbo = theirsSet.filter((n) => !oursSet.includes(n));
      console.error(`only alchkit: ${onlyOurs.slice(0, 10).join(", ")}${onlyOurs.length > 10 ? " …" : ""}`);
      console.error(`only turbo: ${onlyTurbo.slice(0, 10).join(", ")}${onlyTurbo.length > 10 ? " …" : ""}`);
      process.exitCode = 1;
    }
  } finally {
    rmSync(bundleDir, { recursive: true, force: true });
    if (keep) console.log(`repository kept: ${repo.dir}`);
    else if (existsSync(repo.dir)) rmSync(repo.dir, { recursive: true, force: true });
  }
}
