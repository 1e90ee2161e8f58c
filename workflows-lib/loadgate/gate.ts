/**
 * The load gate's use-cases. `decideGate` judges a summary (thresholds, then regression budgets against a
 * baseline); `runLoadGate` runs an engine first, then decides. Engines are ports: the built-in autocannon
 * engine and k6 both produce a k6 summary.
 */
import { compareWithBaseline, DEFAULT_BUDGETS, readStatistic, type BudgetCheck, type BudgetSkip, type Budgets } from "./baseline.ts";
import { evaluateThresholds, preflightThresholds, type EvaluateOptions, type ThresholdResult } from "./evaluate.ts";
import { findMetric, type Summary } from "./summary.ts";
import type { ThresholdSpec } from "./thresholds.ts";
import { parseDuration } from "./duration.ts";

export interface GateInput extends EvaluateOptions {
  thresholds: ThresholdSpec[];
  summary: Summary;
  baseline?: Summary;
  /** Regression budgets; DEFAULT_BUDGETS when absent. Only used with a baseline. */
  budgets?: Budgets;
}

export interface GateThreshold extends ThresholdResult {
  /** The same statistic in the baseline summary, when there is one. */
  baseline: number | null;
  /** actual − baseline. */
  delta: number | null;
}

export interface GateResult {
  passed: boolean;
  thresholds: GateThreshold[];
  regressions: BudgetCheck[];
  regressionsSkipped: BudgetSkip[];
  hasBaseline: boolean;
}

export function decideGate(input: GateInput): GateResult {
  const evaluated = evaluateThresholds(input.thresholds, input.summary, input.zeroSamples === undefined ? {} : { zeroSamples: input.zeroSamples });
  const thresholds = evaluated.map((r, i): GateThreshold => {
    const spec = input.thresholds[i]!;
    const before = input.baseline ? findMetric(input.baseline, spec.key)?.metric : undefined;
    const base = before ? readStatistic(before, r.statistic) ?? null : null;
    return { ...r, baseline: base, delta: base !== null && r.actual !== null ? r.actual - base : null };
  });
  const compared = input.baseline ? compareWithBaseline(input.summary, input.baseline, input.budgets ?? DEFAULT_BUDGETS) : { checks: [], skipped: [] };
  return {
    passed: thresholds.every((t) => t.ok) && compared.checks.every((c) => c.ok),
    thresholds,
    regressions: compared.checks,
    regressionsSkipped: compared.skipped,
    hasBaseline: input.baseline !== undefined,
  };
}

/** Whether abortOnFail thresholds ask to stop a run now (k6: failed, and past delayAbortEval). */
export function shouldAbortRun(specs: ThresholdSpec[], summarySoFar: Summary, elapsedMs: number, options: EvaluateOptions = {}): boolean {
  const aborting = specs.filter((s) => s.abortOnFail);
  if (aborting.length === 0) return false;
  const results = evaluateThresholds(aborting, summarySoFar, options);
  return results.some((r, i) => {
    if (r.ok || r.actual === null) return false; // no samples yet is no reason to abort
    const delay = aborting[i]!.delayAbortEval;
    return delay === undefined || elapsedMs >= parseDuration(delay)!;
  });
}

export interface EngineRun {
  summary: Summary;
  /** "autocannon" or "k6 v1.3.0". */
  engine: string;
  /** Scenario or script name shown in the report. */
  scenario: string;
  /** Stopped early by an abortOnFail threshold. */
  aborted: boolean;
  /** The summary file exactly as the engine wrote it (k6), for the artifact. */
  raw?: unknown;
}

export interface LoadEngine {
  run(hooks: { shouldAbort: (summarySoFar: Summary, elapsedMs: number) => boolean }): Promise<EngineRun>;
}

export interface LoadGateRun {
  run: EngineRun;
  gate: GateResult;
}

export async function runLoadGate(engine: LoadEngine, input: Omit<GateInput, "summary">): Promise<LoadGateRun> {
  preflightThresholds(input.thresholds);
  const options: EvaluateOptions = input.zeroSamples === undefined ? {} : { zeroSamples: input.zeroSamples };
  const run = await engine.run({ shouldAbort: (summary, elapsed) => shouldAbortRun(input.thresholds, summary, elapsed, options) });
  return { run, gate: decideGate({ ...input, summary: run.summary }) };
}

/** The JSON the CLI prints and the action writes: {passed, thresholds, regressions}. */
export function gateJson(gate: GateResult, run?: EngineRun): Record<string, unknown> {
  return {
    passed: gate.passed,
    ...(run ? { engine: run.engine, scenario: run.scenario, aborted: run.aborted } : {}),
    thresholds: gate.thresholds.map((t) => ({
      metric: t.metric,
      expression: t.expression,
      ok: t.ok,
      actual: t.actual,
      baseline: t.baseline,
      delta: t.delta,
      ...(t.reason ? { reason: t.reason } : {}),
      ...(t.k6Verdict !== undefined ? { k6Verdict: t.k6Verdict } : {}),
    })),
    regressions: gate.regressions,
    ...(gate.regressionsSkipped.length > 0 ? { regressionsSkipped: gate.regressionsSkipped } : {}),
  };
}
