import { InputError } from "../errors.ts";
import { parseBudgets, type Budgets } from "../loadgate/baseline.ts";
import { parseDuration } from "../loadgate/duration.ts";
import { preflightThresholds } from "../loadgate/evaluate.ts";
import { parseThresholds, type ThresholdSpec } from "../loadgate/thresholds.ts";
import { parseInput } from "../validate.ts";
import { environmentRolloutSchema, METRIC_THRESHOLDS, type EnvironmentRollout, type GateMetric } from "./rollout-config.ts";

/** One step of a rollout: the candidate's share of traffic, and how long it holds before the next step. */
export interface RolloutStep {
  /** 0 (blue-green: the idle version, reachable only with the override header) to 100. */
  traffic: number;
  holdMs: number;
}

/** How the candidate is measured between steps. */
export interface GateSettings {
  /** k6 thresholds the candidate must meet at every measurement. */
  thresholds: ThresholdSpec[];
  /** Regression budgets against the stable version measured at the same time. */
  budgets?: Budgets;
  intervalMs: number;
  settleMs: number;
  path: string;
  requests: number;
  connections: number;
  analytics: boolean;
}

export interface RolloutPlan {
  strategy: "canary" | "progressive" | "blue-green";
  /** In order; the last one takes all traffic (100). */
  steps: RolloutStep[];
  /** blue-green: `manual` stops after verifying the idle version, for an approved job to switch. */
  switchover: "automatic" | "manual";
  gate: GateSettings;
  durableObjectMigration: "refuse" | "all-at-once";
}

/** Metrics a rollout measures; a threshold on anything else could never be decided. */
const PROBE_METRICS = ["http_req_failed", "http_req_duration", "http_reqs"];
const ANALYTICS_METRICS = ["workers_requests_failed", "workers_requests"];

const ms = (text: string): number => parseDuration(text)!;

/**
 * The plan of an environment's rollout from its configuration (already parsed, or raw from an input), or
 * undefined for all-at-once. Every value is checked: one InputError naming `where.<key>` on bad input.
 */
export function planRollout(raw: unknown, where: string): RolloutPlan | undefined {
  const config: EnvironmentRollout = parseInput(environmentRolloutSchema, raw, where);
  if (config.strategy === "all-at-once") return undefined;
  const thresholdsRaw = config.thresholds ?? thresholdsFor(config.metrics ?? ["error_rate", "latency"], config.analytics);
  const thresholds = parseThresholds(thresholdsRaw, `${where}.thresholds`);
  preflightThresholds(thresholds);
  const allowed = config.analytics ? [...PROBE_METRICS, ...ANALYTICS_METRICS] : PROBE_METRICS;
  for (const spec of thresholds) {
    if (!allowed.includes(spec.name.metric)) {
      throw new InputError(
        spec.where,
        `a threshold on ${allowed.join(", ")}`,
        `${spec.name.metric} is not measured by a rollout${ANALYTICS_METRICS.includes(spec.name.metric) ? " without analytics: true" : ""}`,
      );
    }
  }
  const gate: GateSettings = {
    thresholds,
    ...(config.compare ? { budgets: parseBudgets(config.compare, `${where}.compare`) } : {}),
    intervalMs: ms(config.interval),
    settleMs: ms(config.settle),
    path: config.path,
    requests: config.requests,
    connections: Math.min(config.connections, config.requests),
    analytics: config.analytics,
  };
  if (gate.intervalMs <= 0) throw new InputError(`${where}.interval`, "a duration above 0");
  const common = { gate, durableObjectMigration: config.durableObjectMigration };
  switch (config.strategy) {
    case "canary": {
      const canary = typeof config.traffic === "number" ? config.traffic : config.traffic.canary;
      const steps = canary >= 100 ? [{ traffic: 100, holdMs: 0 }] : [{ traffic: canary, holdMs: ms(config.duration) }, { traffic: 100, holdMs: 0 }];
      return { strategy: "canary", steps, switchover: "automatic", ...common };
    }
    case "progressive": {
      const steps = config.stages.map((stage) => ({ traffic: stage.traffic, holdMs: stage.duration ? ms(stage.duration) : 0 }));
      if (steps.at(-1)!.traffic < 100) steps.push({ traffic: 100, holdMs: 0 });
      return { strategy: "progressive", steps, switchover: "automatic", ...common };
    }
    case "blue-green":
      return { strategy: "blue-green", steps: [{ traffic: 0, holdMs: ms(config.duration) }, { traffic: 100, holdMs: 0 }], switchover: config.switchover, ...common };
  }
}

/** A strategy given as text (an input or flag): its name, or its JSON. */
export function strategyText(text: string, where: string): unknown {
  if (!text.trim().startsWith("{")) return text.trim();
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(where, "a strategy name or its JSON", (error as Error).message);
  }
}

/**
 * An environment's rollout: the input (a strategy name or its JSON) when given, else `rollout.<environment>` of
 * the kit's config; undefined = all at once. One InputError naming the input or the config key on bad input.
 */
export function rolloutFor(
  input: string | undefined,
  inputName: string,
  config: Record<string, unknown> | undefined,
  environment: string,
): { plan: RolloutPlan | undefined; where: string } {
  if (input !== undefined && input.trim() !== "") return { plan: planRollout(strategyText(input, inputName), inputName), where: inputName };
  const raw = config?.[environment];
  const where = `rollout.${environment}`;
  return { plan: raw === undefined ? undefined : planRollout(raw, where), where };
}

function thresholdsFor(metrics: GateMetric[], analytics: boolean): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const metric of metrics) Object.assign(out, METRIC_THRESHOLDS[metric]);
  if (analytics && metrics.includes("error_rate")) out.workers_requests_failed = ["rate<0.01"];
  return out;
}

/** A short description for logs and summaries: "canary 10 % for 10m, then 100 %". */
export function describeRollout(plan: RolloutPlan): string {
  const step = (s: RolloutStep) => (s.traffic === 0 ? "idle (0 %)" : `${s.traffic} %`) + (s.holdMs > 0 ? ` for ${formatHold(s.holdMs)}` : "");
  return `${plan.strategy}${plan.strategy === "blue-green" ? ` (${plan.switchover} switch)` : ""}: ${plan.steps.map(step).join(" → ")}`;
}

export function formatHold(holdMs: number): string {
  if (holdMs % 3_600_000 === 0) return `${holdMs / 3_600_000}h`;
  if (holdMs % 60_000 === 0) return `${holdMs / 60_000}m`;
  if (holdMs % 1000 === 0) return `${holdMs / 1000}s`;
  return `${holdMs}ms`;
}
