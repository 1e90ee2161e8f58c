// Benchmark of the OpenAPI diff engine.
//  1. GitHub's GHES 3.17 → 3.18 descriptions from @octokit/openapi (≈11 MB each): wall time and peak RSS of
//     one process that reads, parses, diffs and prints the JSON result (goal ≤ 5 s, ≤ 1 GB).
//  2. A small pair, side by side in this run with the npm `openapi-diff` CLI: median wall time of N runs
//     each (both are fresh Node processes), and the speed ratio (goal ≥ 5×).
// Each is measured three ways: from the TypeScript sources (Node strips types at load, a fixed cost per
// file), the same with Node's compile cache warm (NODE_COMPILE_CACHE; a CLI gets it with
// module.enableCompileCache()), and bundled with ncc like the actions ship (dist/index.js).
// Run: node bench/openapi-diff.ts [--runs N]
// The child mode (`--diff BASE REVISION`) is what each timed process runs: read, parse, diff, print JSON.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { diffSpecs, formatDiff } from "../workflows-lib/openapi/diff/index.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);

async function readSpec(file: string): Promise<unknown> {
  const text = readFileSync(file, "utf8");
  if (file.endsWith(".json")) return JSON.parse(text);
  const { parse } = await import("yaml");
  return parse(text);
}

if (args[0] === "--diff") {
  const result = diffSpecs(await readSpec(args[1]!), await readSpec(args[2]!));
  process.stdout.write(formatDiff(result, "json"));
  const usage = process.resourceUsage();
  process.stderr.write(`maxrss-kib=${usage.maxRSS} cpu-ms=${Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000)}\n`);
  process.exit(0);
}

const runsIndex = args.indexOf("--runs");
const runs = runsIndex >= 0 ? Number(args[runsIndex + 1]) : 5;
const node = process.execPath;
const self = relative(process.cwd(), fileURLToPath(import.meta.url));

function timed(command: string, commandArgs: string[], env?: Record<string, string>): { ms: number; status: number | null; stdout: string; stderr: string } {
  const start = performance.now();
  const result = spawnSync(command, commandArgs, { encoding: "utf8", maxBuffer: 512 * 1024 * 1024, env: { ...process.env, ...env } });
  return { ms: performance.now() - start, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function closestGhesPair(): [string, string] {
  const dir = join(root, "node_modules", "@octokit", "openapi", "generated");
  const wanted = [join(dir, "ghes-3.17.json"), join(dir, "ghes-3.18.json")] as const;
  if (existsSync(wanted[0]) && existsSync(wanted[1])) return [wanted[0], wanted[1]];
  const versions = readdirSync(dir)
    .map((name) => /^ghes-(\d+)\.(\d+)\.json$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number(m[1]), Number(m[2])] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const [a, b] = versions.slice(-2);
  if (!a || !b) throw new Error("no GHES descriptions in @octokit/openapi/generated");
  return [join(dir, `ghes-${a[0]}.${a[1]}.json`), join(dir, `ghes-${b[0]}.${b[1]}.json`)];
}

console.log(`command: node ${self}${runs !== 5 ? ` --runs ${runs}` : ""}   (Node ${process.versions.node}, ${process.platform}/${process.arch}, ` +
  `${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)})`);

type Ncc = (entry: string, options: Record<string, unknown>) => Promise<{ code: string }>;
const work = mkdtempSync(join(tmpdir(), "openapi-diff-bench-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
const ncc = createRequire(import.meta.url)("@vercel/ncc") as Ncc;
process.noDeprecation = true; // ncc's webpack trips a Node deprecation warning that says nothing about us
// The bundled child: the same read → diff → JSON, as a plain entry (JSON inputs only), bundled like an action.
// It is written inside the repository so ncc compiles it with the repository's tsconfig.
const entryDir = mkdtempSync(join(root, "bench", ".openapi-diff-entry-"));
process.on("exit", () => rmSync(entryDir, { recursive: true, force: true }));
const entry = join(entryDir, "entry.ts");
writeFileSync(entry, [
  `import { readFileSync } from "node:fs";`,
  `import { diffSpecs, formatDiff } from "../../workflows-lib/openapi/diff/index.ts";`,
  `const [, , , a, b] = process.argv;`,
  `const read = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));`,
  `process.stdout.write(formatDiff(diffSpecs(read(a!), read(b!)), "json"));`,
  `const usage = process.resourceUsage();`,
  `process.stderr.write("maxrss-kib=" + usage.maxRSS + " cpu-ms=" + Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000) + "\\n");`,
].join("\n"));
const { code } = await ncc(entry, { minify: true, target: "es2023", quiet: true, cache: false, transpileOnly: true, esm: true });
const bundle = join(work, "openapi-diff.bundle.mjs");
writeFileSync(bundle, code);
// Node's compile cache also keeps the type-stripped sources: what a CLI calling module.enableCompileCache()
// gets from its second run on.
const compileCache = { NODE_COMPILE_CACHE: join(work, "compile-cache") };
const variants: Array<{ label: string; args: (a: string, b: string) => string[]; env?: Record<string, string> }> = [
  { label: "TypeScript sources", args: (a, b) => [self, "--diff", a, b] },
  { label: "TS + compile cache", args: (a, b) => [self, "--diff", a, b], env: compileCache },
  { label: "ncc bundle", args: (a, b) => [bundle, "--diff", a, b] },
];

// 1. GHES pair.
const [ghesBase, ghesRevision] = closestGhesPair();
const sizeMb = (file: string) => (readFileSync(file).length / 1e6).toFixed(1);
console.log(`\nGHES ${relative(root, ghesBase)} (${sizeMb(ghesBase)} MB) → ${relative(root, ghesRevision)} (${sizeMb(ghesRevision)} MB)`);
console.log(`  per run: node ${self} --diff ${relative(process.cwd(), ghesBase)} ${relative(process.cwd(), ghesRevision)}`);
for (const variant of variants) {
  if (variant.env) timed(node, variant.args(ghesBase, ghesRevision), variant.env); // fills the cache
  const ghes = timed(node, variant.args(ghesBase, ghesRevision), variant.env);
  if (ghes.status !== 0) throw new Error(`diff of the GHES pair failed:\n${ghes.stderr}`);
  const rss = Number(/maxrss-kib=(\d+)/.exec(ghes.stderr)?.[1] ?? 0) / 1024;
  const cpu = Number(/cpu-ms=(\d+)/.exec(ghes.stderr)?.[1] ?? 0) / 1000;
  const counts = (JSON.parse(ghes.stdout) as { counts: Record<string, number> }).counts;
  console.log(`  ${variant.label.padEnd(18)} wall time ${(ghes.ms / 1000).toFixed(2)} s (start + read + parse + diff + JSON; CPU ${cpu.toFixed(2)} s), peak RSS ${rss.toFixed(0)} MB` +
    `  [goal ≤ 5 s: wall ${ghes.ms <= 5000 ? "met" : "NOT met"}, CPU ${cpu <= 5 ? "met" : "NOT met"}; ≤ 1024 MB: ${rss <= 1024 ? "met" : "NOT met"}]` +
    `; ${counts.error} error, ${counts.warning} warning, ${counts.info} info`);
}

// 2. Small pair, side by side with the npm openapi-diff CLI. That tool stops on recursive schemas, so the
// pet store fixtures are made non-recursive for it (Owner.pets dropped) in a temp dir.
{
  const fixtures = join(root, "test", "unit", "openapi-diff", "fixtures");
  const small: string[] = [];
  for (const name of ["petstore-base.json", "petstore-revision.json"]) {
    const spec = JSON.parse(readFileSync(join(fixtures, name), "utf8")) as { components: { schemas: { Owner: { properties: Record<string, unknown> } } } };
    delete spec.components.schemas.Owner.properties.pets;
    const file = join(work, name);
    writeFileSync(file, JSON.stringify(spec, null, 2));
    small.push(file);
  }
  const peer = join(root, "node_modules", ".bin", "openapi-diff");
  const ours: number[][] = variants.map(() => []);
  const theirs: number[] = [];
  let peerStatus: number | null = null;
  for (let i = 0; i < runs; i++) {
    // Interleaved so all see the same machine state.
    variants.forEach((variant, v) => {
      const a = timed(node, variant.args(small[0]!, small[1]!), variant.env);
      if (a.status !== 0) throw new Error(`our diff failed:\n${a.stderr}`);
      ours[v]!.push(a.ms);
    });
    const b = timed(peer, [small[0]!, small[1]!]);
    peerStatus = b.status;
    theirs.push(b.ms);
  }
  const mt = median(theirs);
  console.log(`\nSmall pair (pet store, 3.0, ${runs} runs each, interleaved; median wall time per process)`);
  console.log(`  openapi-diff (npm):  node_modules/.bin/openapi-diff petstore-base.json petstore-revision.json   ${mt.toFixed(0)} ms (exit ${peerStatus}: 1 = breaking found)`);
  variants.forEach((variant, v) => {
    const mo = median(ours[v]!);
    console.log(`  ours, ${variant.label.padEnd(18)} ${mo.toFixed(0)} ms   speed ratio ${(mt / mo).toFixed(1)}×  [goal ≥ 5×: ${mt / mo >= 5 ? "met" : "NOT met"}]`);
  });
  const recursive = timed(peer, [join(fixtures, "petstore-base.json"), join(fixtures, "petstore-revision.json")]);
  console.log(`  with the recursive Owner ↔ Pet schemas: openapi-diff exits ${recursive.status}` +
    `${/Circular \$ref/.test(recursive.stderr + recursive.stdout) ? " (circular $ref error)" : ""}; ours handles them (see the unit tests)`);
}
