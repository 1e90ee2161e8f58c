import { writeReportFile } from "../../local/report-files.ts";
import path from "node:path";
import { z } from "zod";
import { EXIT, InputError } from "../../errors.ts";
import { positiveIntInput } from "../../validate.ts";
import { defineCommand } from "../command.ts";
import { parseDuration } from "../../loadgate/duration.ts";
import { autocannonEngine, k6Engine } from "../../loadgate/engines/index.ts";
import { decideGate, gateJson, runLoadGate } from "../../loadgate/gate.ts";
import { loadBudgets, loadScenario, loadSummary, loadThresholds } from "../../loadgate/inputs.ts";
import { renderLoadGateReport } from "../../loadgate/report.ts";
import { toHandleSummaryJson } from "../../loadgate/summary.ts";

const zeroSamples = z.enum(["fail", "pass"]).default("fail")
  .describe("A threshold whose metric got no samples: fail (default) or pass (k6's own behaviour)");
const budgets = z.string().optional().describe("JSON regression budgets, e.g. {\"http_req_duration\": {\"p(95)\": {\"relative\": 0.1, \"absolute\": 20}}}");

const evaluateFlags = z.object({
  summary: z.string().describe("k6 summary JSON: handleSummary() data or the --summary-export file"),
  thresholds: z.string().describe("JSON file with k6's options.thresholds object"),
  baseline: z.string().optional().describe("Summary of the baseline run (the default branch) to check regressions against"),
  budgets,
  format: z.enum(["json", "markdown"]).default("json").describe("Output: json or markdown"),
  zeroSamples,
});

export const loadGateEvaluateCommand = defineCommand({
  path: ["load-gate", "evaluate"],
  summary: "Judge a k6 summary against thresholds (exact k6 semantics) and a baseline",
  description:
    "Reads a k6 summary in either shape, decides each threshold exactly as k6 does (a metric without samples fails unless " +
    "--zero-samples pass), and with --baseline checks regression budgets. Exit 0 passed, 1 failed, 2 bad input.",
  flags: evaluateFlags,
  examples: [
    "alchkit load-gate evaluate --summary summary.json --thresholds load/thresholds.json",
    "alchkit load-gate evaluate --summary pr.json --thresholds load/thresholds.json --baseline main.json --format markdown",
  ],
  async run({ flags }, ctx) {
    const at = (f: string) => path.resolve(ctx.cwd, f);
    const { specs } = await loadThresholds(at(flags.thresholds), "--thresholds");
    const summary = await loadSummary(at(flags.summary), "--summary");
    const baseline = flags.baseline === undefined ? undefined : await loadSummary(at(flags.baseline), "--baseline");
    const gate = decideGate({
      thresholds: specs,
      summary,
      ...(baseline ? { baseline } : {}),
      budgets: await loadBudgets(flags.budgets === undefined ? undefined : at(flags.budgets), "--budgets"),
      zeroSamples: flags.zeroSamples,
    });
    if (flags.format === "markdown") {
      ctx.stdout(`${renderLoadGateReport(gate, summary, { engine: summary.shape === "legacy" ? "k6 (summary export)" : "k6 summary", scenario: path.basename(flags.summary) }, baseline)}\n`);
    } else {
      ctx.stdout(`${JSON.stringify(gateJson(gate), null, 2)}\n`);
    }
    return gate.passed ? EXIT.ok : EXIT.gateFailed;
  },
});

const runFlags = z.object({
  url: z.url({ protocol: /^https?$/, error: "an http(s) URL" }).describe("Base URL of the app under test"),
  thresholds: z.string().describe("JSON file with k6's options.thresholds object"),
  engine: z.enum(["autocannon", "k6"]).default("autocannon").describe("autocannon (built in) or k6 (k6 on PATH or --k6-path)"),
  script: z.string().optional().describe("k6: the test script; autocannon: a JSON scenario (default: GET /)"),
  duration: z.string().refine((d) => (parseDuration(d) ?? 0) > 0, 'a duration such as "10s"').optional()
    .describe("Load duration, e.g. 10s (autocannon: replaces the scenario's; k6: passed as --duration)"),
  connections: positiveIntInput.optional().describe("Concurrent connections (autocannon) or VUs (k6 --vus)"),
  baseline: z.string().optional().describe("Summary of the baseline run to check regressions against"),
  budgets,
  out: z.string().default(".alchkit/out/load-gate").describe("Folder for summary.json, result.json and report.md"),
  zeroSamples,
  k6Path: z.string().default("k6").describe("k6 executable for --engine k6"),
});

export const loadGateRunCommand = defineCommand({
  path: ["load-gate", "run"],
  summary: "Load-test a URL with autocannon or k6, then gate the result like `evaluate`",
  description:
    "Runs the scenario (autocannon) or script (k6) against --url, writes the k6-shaped summary, the JSON result and the " +
    "markdown report into --out, prints the JSON result. Exit 0 passed, 1 failed, 2 bad input.",
  flags: runFlags,
  examples: [
    "alchkit load-gate run --url http://127.0.0.1:8787 --thresholds load/thresholds.json --script load/scenario.json",
    "alchkit load-gate run --engine k6 --url https://pr-12.example.workers.dev --script load/script.js --thresholds load/thresholds.json",
  ],
  async run({ flags }, ctx) {
    const at = (f: string) => path.resolve(ctx.cwd, f);
    const { specs, raw } = await loadThresholds(at(flags.thresholds), "--thresholds");
    const baseline = flags.baseline === undefined ? undefined : await loadSummary(at(flags.baseline), "--baseline");
    const budgetSet = await loadBudgets(flags.budgets === undefined ? undefined : at(flags.budgets), "--budgets");
    const durationMs = flags.duration === undefined ? undefined : parseDuration(flags.duration)!;
    const outDir = at(flags.out);
    let engine;
    if (flags.engine === "k6") {
      if (flags.script === undefined) throw new InputError("--script", "a k6 script for --engine k6");
      engine = k6Engine({
        k6Path: flags.k6Path,
        script: at(flags.script),
        url: flags.url,
        thresholds: specs,
        thresholdsRaw: raw,
        workDir: outDir,
        env: ctx.env,
        args: [...(flags.duration ? ["--duration", flags.duration] : []), ...(flags.connections ? ["--vus", String(flags.connections)] : [])],
        onOutput: ctx.stderr,
      });
    } else {
      const scenario = await loadScenario(flags.script === undefined ? undefined : at(flags.script), "--script", {
        ...(durationMs !== undefined ? { durationMs } : {}),
        ...(flags.connections !== undefined ? { connections: flags.connections } : {}),
      });
      engine = autocannonEngine(flags.url, scenario, specs);
    }
    const { run, gate } = await runLoadGate(engine, { thresholds: specs, ...(baseline ? { baseline } : {}), budgets: budgetSet, zeroSamples: flags.zeroSamples });
    const result = gateJson(gate, run);
    const report = renderLoadGateReport(gate, run.summary, { engine: run.engine, scenario: run.scenario, target: flags.url, aborted: run.aborted }, baseline);
    await writeReportFile(path.join(outDir, "summary.json"), `${JSON.stringify(toHandleSummaryJson(run.summary), null, 2)}\n`);
    await writeReportFile(path.join(outDir, "result.json"), `${JSON.stringify(result, null, 2)}\n`);
    await writeReportFile(path.join(outDir, "report.md"), `${report}\n`);
    ctx.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return gate.passed ? EXIT.ok : EXIT.gateFailed;
  },
});

export const loadGateCommands = [loadGateRunCommand, loadGateEvaluateCommand];
