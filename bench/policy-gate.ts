// Benchmark of the policy gate: assembling the deployment facts and evaluating every policy with OPA.
//  1. The example app's stage (test/fixtures/policy-app, state captured from `alchemy dev`) with the kit's
//     lockfile (≈ all of its dependencies, licenses read from node_modules).
//  2. A synthetic 200-resource stage: 40 Workers with 4 resource bindings and 2 plain-text bindings each,
//     160 D1 databases and KV namespaces, in Alchemy's own state format.
// Both evaluate the whole shipped library plus one repository policy. Side by side in the same run: the same
// facts and policies through one bare `opa eval` of the same query (what a hand-written conftest-like step
// costs at least), and the ratio.
// Run: node bench/policy-gate.ts [--runs N] [--opa PATH]
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findTool } from "../test/support/tools.ts";
import { createOpaCli } from "../workflows-lib/local/opa-cli.ts";
import { assembleFacts } from "../workflows-lib/policy/assemble-facts.ts";
import { checkPolicies, factsText } from "../workflows-lib/policy/evaluate-policies.ts";
import { findLibraryDir, LIBRARY } from "../workflows-lib/policy/library.ts";
import { factsPorts, policyFiles } from "../workflows-lib/wiring/policy-ports.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(flag("--runs") ?? 7);
const opaBin = flag("--opa") ?? findTool("opa");
if (!opaBin) {
  console.error("opa is not installed (bash .ci/install-tools builds it, or pass --opa PATH)");
  process.exit(2);
}
const library = Object.fromEntries(LIBRARY.map((p) => [p.id, {}]));
const naming = { previewPrefix: "pr-", productionStages: ["prod"], stagingStages: ["staging"] };

function syntheticStage(appDir: string, stage: string): void {
  const dir = path.join(appDir, ".alchemy", "bench-app", stage);
  mkdirSync(dir, { recursive: true });
  const ref = (kind: string, id: string, name: string, extra: Record<string, unknown>) => ({
    "Symbol(alchemy::ResourceKind)": kind,
    "Symbol(alchemy::ResourceID)": id,
    "Symbol(alchemy::ResourceFQN)": `bench-app/${stage}/${id}`,
    ...extra,
    name,
  });
  const write = (id: string, kind: string, output: Record<string, unknown>) =>
    writeFileSync(path.join(dir, `${id}.json`), JSON.stringify({ kind, id, fqn: `bench-app/${stage}/${id}`, status: "created", output, props: {} }, null, 2));
  for (let w = 0; w < 40; w++) {
    const bindings: Record<string, unknown> = { MODE: "production", API_BASE: `https://api-${w}.example.com` };
    for (let b = 0; b < 4; b++) {
      const id = `data-${w}-${b}`;
      const kind = b % 2 === 0 ? "cloudflare::D1Database" : "cloudflare::KVNamespace";
      const name = `bench-app-${id}-${stage}`;
      const output = kind === "cloudflare::KVNamespace" ? { type: "kv_namespace", title: name } : { type: "d1", name };
      write(id, kind, { ...ref(kind, id, name, output) });
      bindings[`DATA_${b}`] = ref(kind, id, name, output);
    }
    write(`worker-${w}`, "cloudflare::Worker", {
      name: `bench-app-worker-${w}-${stage}`,
      compatibilityDate: "2025-11-01",
      compatibilityFlags: ["nodejs_compat"],
      bindings,
      routes: [{ pattern: `w${w}.example.com/*` }],
      domains: [],
      url: `https://bench-app-worker-${w}-${stage}.example.workers.dev`,
    });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measure(label: string, appDir: string, stage: string): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), "alchkit-bench-policy-"));
  const policyDir = path.join(work, "policies");
  mkdirSync(policyDir);
  writeFileSync(path.join(policyDir, "main.rego"), 'package main\n\ndeny contains msg if {\n\tsome r in input.resources\n\tr.kind == "cloudflare::Queue"\n\tmsg := sprintf("no queues: %s", [r.id])\n}\n');
  const ports = factsPorts({ root, appDir, state: { from: "local" } });
  const opa = createOpaCli(opaBin!);
  const assembly: number[] = [];
  const evaluation: number[] = [];
  const bare: number[] = [];
  let resources = 0;
  let dependencies = 0;
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const facts = await assembleFacts({ stage, target: { environment: "production", stage: "prod" }, naming }, ports);
    const t1 = performance.now();
    const dir = path.join(work, `run-${i}`);
    mkdirSync(dir);
    const result = await checkPolicies({ policyDir, libraryDir: findLibraryDir(), library, facts, workDir: dir, displayRoot: work }, { opa, files: policyFiles });
    const t2 = performance.now();
    assembly.push(t1 - t0);
    evaluation.push(t2 - t1);
    resources = facts.resources.length;
    dependencies = facts.dependencies.length;
    findings = result.findings.length;
    // The floor: the same facts and policies through one `opa eval` of every finding rule.
    writeFileSync(path.join(dir, "input.json"), factsText(facts));
    const t3 = performance.now();
    const run = spawnSync(opaBin!, ["eval", "--format", "json", "-d", policyDir, "-d", findLibraryDir(), "-d", path.join(dir, "params"), "--ignore", "*_test.rego", "-i", path.join(dir, "input.json"), "data"], { encoding: "utf8" });
    bare.push(performance.now() - t3);
    if (run.status !== 0) throw new Error(run.stderr);
  }
  rmSync(work, { recursive: true, force: true });
  const a = median(assembly);
  const e = median(evaluation);
  const b = median(bare);
  console.log(
    `${label}: ${resources} resources, ${dependencies} dependencies, ${findings} findings | facts ${a.toFixed(0)} ms, ` +
      `evaluation ${e.toFixed(0)} ms (version + parse + eval), total ${(a + e).toFixed(0)} ms | bare opa eval ${b.toFixed(0)} ms, ` +
      `gate/bare ${(e / b).toFixed(2)}×`,
  );
}

const example = mkdtempSync(path.join(tmpdir(), "alchkit-bench-app-"));
for (const f of ["alchemy.run.ts", "src"]) cpSync(path.join(root, "test/fixtures/policy-app", f), path.join(example, f), { recursive: true });
cpSync(path.join(root, "test/fixtures/policy-app/captured-state"), path.join(example, ".alchemy"), { recursive: true });
// The kit's own dependency tree stands in for a real app's: same lockfile format, installed packages to read.
cpSync(path.join(root, "package.json"), path.join(example, "package.json"));
cpSync(path.join(root, "package-lock.json"), path.join(example, "package-lock.json"));
symlinkSync(path.join(root, "node_modules"), path.join(example, "node_modules"));
const synthetic = mkdtempSync(path.join(tmpdir(), "alchkit-bench-stage-"));
syntheticStage(synthetic, "bench");

console.log(`node bench/policy-gate.ts --runs ${runs}  (opa ${opaBin}, load ${loadavg()[0]!.toFixed(2)}, medians of ${runs})`);
await measure("example app (staging)", example, "staging");
await measure("synthetic stage (200 resources)", synthetic, "bench");
rmSync(example, { recursive: true, force: true });
rmSync(synthetic, { recursive: true, force: true });
