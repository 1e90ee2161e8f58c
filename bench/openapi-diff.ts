// Benchmark of the OpenAPI diff, side by side with oasdiff (the pinned v1.37.0) in one run, and its agreement
// with oasdiff on the whole chain of GitHub's descriptions.
//  1. GitHub's GHES 3.17 → 3.18 descriptions from @octokit/openapi (≈11 MB each) and
//  2. a small pair (the pet store fixtures), each tool in a fresh process per run, runs interleaved so all
//     see the same machine: median wall time, peak RSS, and the speed ratio (goal: no slower than oasdiff).
//     The small pair also times the npm `openapi-diff` CLI, the Node tool people reach for first, and Node's
//     own start (`node -e 0`), the floor for any tool in Node.
//     alchkit runs as its CLI does (`alchkit openapi diff A B --format json`, compile cache warm after the
//     first run) and as one ncc bundle of that command (how the GitHub Action ships its code).
//  3. Every consecutive pair of GitHub's descriptions (ghes-3.17 → … → ghes-3.19 → ghec → api.github.com),
//     one process of each tool per pair: findings, agreement on (rule id, level, operation), and whether
//     every error oasdiff finds is found (the test suite diffs only the newest GHES step).
//  4. Agreement on every pair of oasdiff's own checker test data (../shared/conformance/openapi-diff), where
//     it is beside the repository (the test suite runs only the cases v1.37.0 superseded).
// Run: node bench/openapi-diff.ts [--runs N] [--ghes-runs N] [--no-chain] [--no-checker-data]  (0 runs skip a part)
// Peak RSS comes from GNU time (`/usr/bin/time -f`) where it exists, else from /proc polling (approximate).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { diffSpecs } from "../workflows-lib/openapi/diff/index.ts";
import { conformanceRoot } from "../test/support/conformance.ts";
import { findTool } from "../test/support/tools.ts";
import { oasdiffPool } from "../test/oracle/oasdiff.ts";
import { comparePair, fromAlchkit, fromOasdiff, rate, renderAgreement, tally } from "../test/oracle/findings.ts";
import type { PairComparison } from "../test/oracle/findings.ts";
import { githubChain, shortName } from "../test/oracle/ghes.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const runs = flag("--runs", 5);
const ghesRuns = flag("--ghes-runs", 3);
const node = process.execPath;
const cli = join(root, "workflows-lib", "cli", "bin.js");
const oasdiff = findTool("oasdiff");
const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

interface Run {
  ms: number;
  rssMb: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

/** One fresh process: wall time, peak RSS, output. */
function measure(command: string, commandArgs: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const [bin, argv] = gnuTime ? [gnuTime, ["-f", "ALCHKIT_BENCH_RUSAGE %M", command, ...commandArgs]] : [command, commandArgs];
    const start = performance.now();
    const child = spawn(bin, argv, { env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let polledKb = 0;
    // Without GNU time, sample the high-water mark while the process runs.
    const poll = gnuTime ? undefined : setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (hwm) polledKb = Math.max(polledKb, Number(hwm[1]));
      } catch {
        // the process is gone
      }
    }, 10);
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (status) => {
      if (poll) clearInterval(poll);
      const ms = performance.now() - start;
      let stderr = Buffer.concat(err).toString("utf8");
      const reported = /ALCHKIT_BENCH_RUSAGE (\d+)\s*$/.exec(stderr);
      if (reported) stderr = stderr.slice(0, reported.index);
      resolve({ ms, rssMb: (reported ? Number(reported[1]) : polledKb) / 1024, status, stdout: Buffer.concat(out).toString("utf8"), stderr });
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const rel = (file: string) => relative(process.cwd(), file);
/** oasdiff's time over another tool's: "5.7× oasdiff's speed", or below 1× "0.10× oasdiff's speed (9.8× slower)". */
const speedRatio = (oasdiffMs: number, ms: number) => {
  const ratio = oasdiffMs / ms;
  return ratio >= 1 ? `${ratio.toFixed(1)}× oasdiff's speed` : `${ratio.toFixed(2)}× oasdiff's speed (${(1 / ratio).toFixed(1)}× slower)`;
};

console.log(`command: node ${rel(fileURLToPath(import.meta.url))} ${args.join(" ")}`.trimEnd() + `   (Node ${process.versions.node}, ${process.platform}/${process.arch}, ` +
  `${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)}; peak RSS from ${gnuTime ? "GNU time" : "/proc polling"})`);
if (!oasdiff) {
  console.error("oasdiff is not installed: `bash .ci/install-tools` builds the pinned version");
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), "openapi-diff-bench-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

// The ncc bundle: the CLI's `openapi diff` command (the same loading, checks and diff) in one file, as the
// Action ships its code, built into a temp file.
type Ncc = (entry: string, options: Record<string, unknown>) => Promise<{ code: string; assets: Record<string, { source: string | Buffer }> }>;
const ncc = createRequire(import.meta.url)("@vercel/ncc") as Ncc;
process.noDeprecation = true; // ncc's webpack trips a Node deprecation warning that says nothing about us
const entryDir = mkdtempSync(join(root, "bench", ".openapi-diff-entry-"));
process.on("exit", () => rmSync(entryDir, { recursive: true, force: true }));
const entry = join(entryDir, "entry.ts");
writeFileSync(entry, [
  `import { openapiDiffCommand } from "../../workflows-lib/cli/commands/openapi.ts";`,
  `import { runCli } from "../../workflows-lib/cli/run-cli.ts";`,
  `void runCli([openapiDiffCommand], process.argv.slice(2), {`,
  `  cwd: process.cwd(), env: process.env, isTTY: false,`,
  `  stdout: (text) => void process.stdout.write(text), stderr: (text) => void process.stderr.write(text),`,
  `}, "bench").then((code) => { process.exitCode = code; });`,
].join("\n"));
const { code, assets } = await ncc(entry, { minify: true, target: "es2023", quiet: true, cache: false, transpileOnly: true, esm: true });
const bundleDir = join(work, "bundle");
const bundle = join(bundleDir, "index.mjs");
mkdirSync(bundleDir);
// Beside it, what it loads on demand (the chunks of its dynamic imports) or reads (Swagger UI's files).
for (const [name, asset] of Object.entries(assets)) {
  mkdirSync(dirname(join(bundleDir, name)), { recursive: true });
  writeFileSync(join(bundleDir, name), asset.source);
}
writeFileSync(bundle, code);
const cacheEnv = { ...process.env, NODE_COMPILE_CACHE: join(work, "compile-cache") };

interface Tool {
  label: string;
  command: string;
  args: (base: string, revision: string) => string[];
  env?: NodeJS.ProcessEnv;
  /** Exit codes that still mean a report (1: a breaking change found). */
  ok: readonly number[];
}

const TOOLS: Tool[] = [
  { label: "oasdiff changelog", command: oasdiff, args: (a, b) => ["changelog", a, b, "--format", "json"], ok: [0] },
  { label: "alchkit CLI", command: node, args: (a, b) => [cli, "openapi", "diff", a, b, "--format", "json", "--fail-on", "never"], env: cacheEnv, ok: [0] },
  { label: "alchkit ncc bundle", command: node, args: (a, b) => [bundle, "openapi", "diff", a, b, "--format", "json", "--fail-on", "never"], ok: [0] },
];

async function sideBySide(title: string, base: string, revision: string, count: number, extra: Tool[] = []): Promise<void> {
  const tools = [...TOOLS, ...extra];
  // One warm-up run each fills the compile cache and the page cache; it is not counted.
  for (const tool of tools) await measure(tool.command, tool.args(base, revision), tool.env);
  const results = tools.map(() => [] as Run[]);
  for (let i = 0; i < count; i++) {
    for (const [t, tool] of tools.entries()) {
      const run = await measure(tool.command, tool.args(base, revision), tool.env);
      if (run.status === null || !tool.ok.includes(run.status)) throw new Error(`${tool.label} exited ${run.status}:\n${run.stderr}`);
      results[t]!.push(run);
    }
  }
  const reference = median(results[0]!.map((r) => r.ms));
  console.log(`\n${title} — ${count} runs each, interleaved, a fresh process per run (median wall time, highest peak RSS)`);
  for (const [t, tool] of tools.entries()) {
    const ms = median(results[t]!.map((r) => r.ms));
    const rss = Math.max(...results[t]!.map((r) => r.rssMb));
    const ratio = t === 0 ? "" : `   ${speedRatio(reference, ms)}${tool.label.startsWith("alchkit") ? `  [goal ≥ 1×: ${reference / ms >= 1 ? "met" : "NOT met"}]` : ""}`;
    console.log(`  ${tool.label.padEnd(20)} ${seconds(ms).padStart(9)}   peak RSS ${rss.toFixed(0).padStart(5)} MB${ratio}`);
  }
  console.log(`  per run: ${rel(oasdiff!)} changelog A B --format json | node ${rel(cli)} openapi diff A B --format json | node <bundle> openapi diff A B --format json`);
}

// 1. GHES 3.17 → 3.18.
const chain = githubChain();
const ghesPair = chain.find(([a, b]) => shortName(a) === "ghes-3.17" && shortName(b) === "ghes-3.18") ?? chain.find(([a, b]) => /ghes/.test(a) && /ghes/.test(b));
if (ghesPair && ghesRuns > 0) {
  const size = (file: string) => `${(readFileSync(file).length / 1e6).toFixed(1)} MB`;
  await sideBySide(`GHES ${shortName(ghesPair[0])} (${size(ghesPair[0])}) → ${shortName(ghesPair[1])} (${size(ghesPair[1])})`, ghesPair[0], ghesPair[1], ghesRuns);
}

// 2. The small pair, also with the npm openapi-diff CLI. That tool stops on recursive schemas, so the pet
// store fixtures are made non-recursive (Owner.pets dropped) for every tool alike.
if (runs > 0) {
  const fixtures = join(root, "test", "unit", "openapi-diff", "fixtures");
  const small: string[] = [];
  for (const name of ["petstore-base.json", "petstore-revision.json"]) {
    const spec = JSON.parse(readFileSync(join(fixtures, name), "utf8")) as { components: { schemas: { Owner: { properties: Record<string, unknown> } } } };
    delete spec.components.schemas.Owner.properties.pets;
    const file = join(work, name);
    writeFileSync(file, JSON.stringify(spec, null, 2));
    small.push(file);
  }
  const npmPeer: Tool = { label: "openapi-diff (npm)", command: join(root, "node_modules", ".bin", "openapi-diff"), args: (a, b) => [a, b], ok: [0, 1] };
  // The floor for any Node tool: starting Node and exiting.
  const nodeStart: Tool = { label: "node -e 0 (start)", command: node, args: () => ["-e", "0"], ok: [0] };
  await sideBySide("Small pair (pet store, OpenAPI 3.0)", small[0]!, small[1]!, runs, [npmPeer, nodeStart]);
}

// 3. The whole chain: both tools on every consecutive pair, and how far they agree.
if (!args.includes("--no-chain") && chain.length > 0) {
  console.log(`\nGitHub's descriptions, every consecutive pair (${chain.map(([a]) => shortName(a)).concat(shortName(chain.at(-1)![1])).join(" → ")}), one process of each tool per pair`);
  const comparisons: PairComparison[] = [];
  let missed = 0;
  for (const [base, revision] of chain) {
    const [theirs, ours] = [await measure(TOOLS[0]!.command, TOOLS[0]!.args(base, revision)), await measure(TOOLS[1]!.command, TOOLS[1]!.args(base, revision), TOOLS[1]!.env)];
    if (theirs.status !== 0 || ours.status !== 0) throw new Error(`a diff of ${shortName(base)} → ${shortName(revision)} failed:\n${theirs.stderr}\n${ours.stderr}`);
    const comparison = comparePair(`${shortName(base)} → ${shortName(revision)}`, fromOasdiff(JSON.parse(theirs.stdout || "[]")), fromAlchkit(JSON.parse(ours.stdout)));
    comparisons.push(comparison);
    const errors = comparison.onlyOasdiff.filter((f) => f.level === "error").length;
    missed += errors;
    const findings = comparison.agreed.length + comparison.onlyOasdiff.length;
    console.log(`  ${comparison.name.padEnd(32)} oasdiff ${seconds(theirs.ms).padStart(8)}, alchkit ${seconds(ours.ms).padStart(8)} (${(theirs.ms / ours.ms).toFixed(1)}×); ` +
      `${findings} findings, agreement ${(rate(tally([comparison]).overall) * 100).toFixed(1)} %, errors only oasdiff finds: ${errors}`);
  }
  console.log(renderAgreement("whole chain", tally(comparisons)).split("\n").map((line) => `  ${line}`).join("\n"));
  console.log(`  every error-level change oasdiff finds, alchkit finds: ${missed === 0 ? "yes" : `NO (${missed} missed)`}`);
}

// 4. oasdiff's own checker test data.
const checkerData = join(conformanceRoot, "openapi-diff");
if (!args.includes("--no-checker-data") && existsSync(join(checkerData, "cases.json"))) {
  const { cases } = JSON.parse(readFileSync(join(checkerData, "cases.json"), "utf8")) as { cases: Array<{ base: string; revision: string }> };
  const pairs = [...new Map(cases.map((c) => [`${c.base}|${c.revision}`, c])).values()];
  const pool = oasdiffPool(oasdiff, availableParallelism(), checkerData);
  const load = (file: string): unknown => parseYaml(readFileSync(join(checkerData, file), "utf8"), { maxAliasCount: -1 });
  const theirs = pairs.map((c) => pool.changelog(c.base, c.revision));
  const comparisons: PairComparison[] = [];
  for (const [i, c] of pairs.entries()) {
    const ours = diffSpecs(load(c.base), load(c.revision), { loadRef: (location) => load(join(dirname(c.base), location)), baseLocation: "", revisionLocation: "" });
    comparisons.push(comparePair(`${c.base} → ${c.revision}`, (await theirs[i]!).findings, fromAlchkit(ours)));
  }
  pool.stop();
  console.log(`\noasdiff's checker test data, every pair (${pairs.length}): oasdiff one process per pair, alchkit in this process`);
  console.log(renderAgreement("checker data", tally(comparisons)).split("\n").map((line) => `  ${line}`).join("\n"));
}
