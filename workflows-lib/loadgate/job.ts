/**
 * One load-gate job, as the action runs it: read the baseline, run the engine, judge, report, publish,
 * and on the default branch record the run as the next baseline. I/O goes through the ports.
 */
import type { Budgets } from "./baseline.ts";
import type { BaselineRecord, BaselineStore } from "./baseline-store.ts";
import { gateJson, runLoadGate, type EngineRun, type GateResult, type LoadEngine } from "./gate.ts";
import { renderLoadGateReport } from "./report.ts";
import type { Summary } from "./summary.ts";
import type { ThresholdSpec } from "./thresholds.ts";

export interface LoadGateJobInput {
  engine: LoadEngine;
  thresholds: ThresholdSpec[];
  budgets: Budgets;
  zeroSamples: "fail" | "pass";
  target: string;
  /** A baseline given as a file wins over the store. */
  baselineFile?: Summary;
  /** Record this run as the baseline (default-branch runs). */
  saveBaseline: boolean;
  commit: { sha: string; ref: string };
  runUrl?: string;
  now: () => Date;
}

export interface LoadGateJobPorts {
  store?: BaselineStore;
  /** Writes summary.json, result.json and report.md. */
  writeFiles(files: { summary: Summary; result: Record<string, unknown>; report: string; raw?: unknown }): Promise<void>;
  /** Step summary, and the sticky comment on a pull request. */
  publish(report: string, gate: GateResult): Promise<void>;
  log(message: string): void;
}

export interface LoadGateJobResult {
  run: EngineRun;
  gate: GateResult;
  report: string;
  result: Record<string, unknown>;
  baselineSaved?: { commitSha: string; path: string };
}

export async function loadGateJob(input: LoadGateJobInput, ports: LoadGateJobPorts): Promise<LoadGateJobResult> {
  let baseline: Summary | undefined = input.baselineFile;
  let baselineLabel: string | undefined = input.baselineFile ? "baseline file" : undefined;
  if (!baseline && ports.store && !input.saveBaseline) {
    const stored = await ports.store.read();
    if (stored) {
      baseline = stored.summary;
      baselineLabel = `${stored.ref.replace(/^refs\/heads\//, "")} @ ${stored.sha.slice(0, 7)}`;
      ports.log(`baseline: ${baselineLabel} (${stored.engine}, ${stored.scenario}, recorded ${stored.recordedAt})`);
    } else {
      ports.log("baseline: none recorded yet");
    }
  }
  const { run, gate } = await runLoadGate(input.engine, {
    thresholds: input.thresholds,
    budgets: input.budgets,
    zeroSamples: input.zeroSamples,
    ...(baseline ? { baseline } : {}),
  });
  const report = renderLoadGateReport(
    gate,
    run.summary,
    {
      engine: run.engine,
      scenario: run.scenario,
      target: input.target,
      aborted: run.aborted,
      ...(baselineLabel ? { baselineLabel } : {}),
      ...(input.runUrl ? { runUrl: input.runUrl } : {}),
    },
    baseline,
  );
  const result = gateJson(gate, run);
  await ports.writeFiles({ summary: run.summary, result, report, ...(run.raw !== undefined ? { raw: run.raw } : {}) });
  await ports.publish(report, gate);
  let baselineSaved: LoadGateJobResult["baselineSaved"];
  if (input.saveBaseline && ports.store) {
    const record: BaselineRecord = {
      summary: run.summary,
      sha: input.commit.sha,
      ref: input.commit.ref,
      engine: run.engine,
      scenario: run.scenario,
      recordedAt: input.now().toISOString(),
      ...(input.runUrl ? { runUrl: input.runUrl } : {}),
    };
    baselineSaved = await ports.store.write(record);
    ports.log(`baseline recorded: ${baselineSaved.path} (${baselineSaved.commitSha.slice(0, 7)})`);
  }
  return { run, gate, report, result, ...(baselineSaved ? { baselineSaved } : {}) };
}
