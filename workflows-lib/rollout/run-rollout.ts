import { errorMessage } from "../errors.ts";
import { decideStep, type StepDecision, type VersionSample } from "./decide-step.ts";
import type { RolloutPlan, RolloutStep } from "./plan-rollout.ts";
import type { MeasurePort, RolloutClock, TrafficSplit, VersionsPort } from "./ports.ts";

/** What is rolled out where: the environment's script, the version serving it now and the candidate. */
export interface RolloutTarget {
  environment: string;
  sha: string;
  /** The URL the environment answers on (both versions are reached there, with the override header). */
  url: string;
  script: string;
  stable: string;
  candidate: string;
}

export interface Measurement extends StepDecision {
  /** Milliseconds since the rollout started. */
  at: number;
}

export interface StepOutcome {
  /** 1-based. */
  index: number;
  traffic: number;
  holdMs: number;
  /** Milliseconds since the rollout started. */
  startedAt: number;
  endedAt: number;
  measurements: Measurement[];
  /** passed (held its time within the thresholds), breached, or final (the last step takes all traffic). */
  verdict: "passed" | "breached" | "final";
}

export interface RolloutAbort {
  /** The step that breached (1-based) and the candidate's share then. */
  step: number;
  traffic: number;
  reason: string;
  /** The measurement that breached (absent when the rollout failed for another reason). */
  measurement?: Measurement;
  /** When the breach was seen and when the stable version had all traffic again (ms since the start). */
  detectedAt: number;
  restoredAt?: number;
  /** The stable version could not be given all traffic back: what went wrong. */
  restoreError?: string;
}

export interface RolloutResult {
  /**
   * completed: the candidate serves 100 %; aborted: a step breached (or failed) and the stable version is back
   * to 100 %; verified: blue-green with a manual switch, the idle version passed and waits for the switch.
   */
  outcome: "completed" | "aborted" | "verified";
  steps: StepOutcome[];
  abort?: RolloutAbort;
  durationMs: number;
}

export interface RolloutEvents {
  /** deliver(): the candidate is uploaded and the stable version known, before any traffic moves. */
  uploaded?(target: RolloutTarget): Promise<void>;
  stepStarted?(step: RolloutStep, index: number): Promise<void>;
  stepEnded?(outcome: StepOutcome): Promise<void>;
  aborted?(abort: RolloutAbort): Promise<void>;
}

export interface RolloutPorts {
  versions: VersionsPort;
  measure: MeasurePort;
  clock: RolloutClock;
  events?: RolloutEvents;
  log(line: string): void;
}

/** The deployment for a step: the candidate's share, the stable version the rest (0 % keeps it reachable). */
export function splitFor(target: Pick<RolloutTarget, "stable" | "candidate">, traffic: number): TrafficSplit {
  if (traffic >= 100) return { versions: [{ versionId: target.candidate, percentage: 100 }] };
  return {
    versions: [
      { versionId: target.stable, percentage: 100 - traffic },
      { versionId: target.candidate, percentage: traffic },
    ],
  };
}

const pct = (rate: number): string => `${(rate * 100).toFixed(2)} %`;
const ms = (value: number | null): string => (value === null ? "n/a" : `${value.toFixed(0)} ms`);

/**
 * Moves traffic to the candidate step by step. At each step the candidate gets its share in one deployment,
 * then — after `settle` — the candidate and the stable version are measured side by side every `interval`
 * until the step's time is up (at least once). A breach, or anything that keeps the step from being judged,
 * aborts: the stable version takes all traffic back in one deployment, at once. The last step (100 %) is not
 * measured here: the stable version has left the deployment, and the post-deploy watch takes over.
 */
export async function runRollout(plan: RolloutPlan, target: RolloutTarget, ports: RolloutPorts): Promise<RolloutResult> {
  const started = ports.clock.now();
  const since = () => ports.clock.now() - started;
  const steps: StepOutcome[] = [];
  const fire = async (what: string, call: (() => Promise<void>) | undefined) => {
    if (!call) return;
    try {
      await call();
    } catch (error) {
      // Recording and telling never decide a rollout; the traffic does.
      ports.log(`rollout: could not record ${what}: ${errorMessage(error)}`);
    }
  };

  for (const [i, step] of plan.steps.entries()) {
    const index = i + 1;
    const outcome: StepOutcome = { index, traffic: step.traffic, holdMs: step.holdMs, startedAt: since(), endedAt: 0, measurements: [], verdict: "passed" };
    const stepStart = ports.clock.now();
    try {
      await ports.versions.route(target.script, splitFor(target, step.traffic), message(target, step.traffic));
    } catch (error) {
      return abort(outcome, `moving traffic to ${step.traffic} % failed: ${errorMessage(error)}`);
    }
    ports.log(`rollout step ${index}/${plan.steps.length}: ${target.sha.slice(0, 7)} serves ${step.traffic} % of ${target.environment}`);
    await fire(`step ${index}`, ports.events?.stepStarted && (() => ports.events!.stepStarted!(step, index)));

    if (step.traffic >= 100) {
      outcome.verdict = "final";
      outcome.endedAt = since();
      steps.push(outcome);
      await fire(`step ${index}`, ports.events?.stepEnded && (() => ports.events!.stepEnded!(outcome)));
      break;
    }

    if (plan.gate.settleMs > 0) await ports.clock.sleep(plan.gate.settleMs);
    for (;;) {
      let measurement: Measurement;
      try {
        measurement = await measureBoth(plan, target, ports, stepStart, since());
      } catch (error) {
        return abort(outcome, `the candidate could not be measured: ${errorMessage(error)}`);
      }
      outcome.measurements.push(measurement);
      const c = measurement.candidate;
      const s = measurement.stable;
      ports.log(
        `  measured at +${Math.round(measurement.at / 1000)} s: candidate ${pct(c.errorRate)} errors, p(95) ${ms(c.p95Ms)}, p(99) ${ms(c.p99Ms)} · stable ${pct(s.errorRate)}, p(95) ${ms(s.p95Ms)}, p(99) ${ms(s.p99Ms)}${measurement.ok ? "" : ` — ${measurement.reason}`}`,
      );
      if (!measurement.ok) return abort(outcome, measurement.reason ?? "a threshold breached", measurement);
      const left = step.holdMs - (ports.clock.now() - stepStart);
      if (left <= 0) break;
      await ports.clock.sleep(Math.min(plan.gate.intervalMs, left));
    }
    outcome.endedAt = since();
    steps.push(outcome);
    await fire(`step ${index}`, ports.events?.stepEnded && (() => ports.events!.stepEnded!(outcome)));
    if (plan.strategy === "blue-green" && plan.switchover === "manual" && step.traffic === 0) {
      ports.log(`rollout: the idle version passed; ${target.environment} waits for the approved switch`);
      return { outcome: "verified", steps, durationMs: since() };
    }
  }
  return { outcome: "completed", steps, durationMs: since() };

  async function abort(outcome: StepOutcome, reason: string, measurement?: Measurement): Promise<RolloutResult> {
    const detectedAt = since();
    outcome.verdict = "breached";
    outcome.endedAt = detectedAt;
    steps.push(outcome);
    const record: RolloutAbort = { step: outcome.index, traffic: outcome.traffic, reason, detectedAt, ...(measurement ? { measurement } : {}) };
    ports.log(`rollout aborted at ${outcome.traffic} %: ${reason}`);
    try {
      await ports.versions.route(target.script, { versions: [{ versionId: target.stable, percentage: 100 }] }, `alchkit: abort ${target.sha.slice(0, 7)}, stable back to 100 %`);
      record.restoredAt = since();
      ports.log(`rollout: the stable version serves 100 % of ${target.environment} again (${record.restoredAt - detectedAt} ms after the breach)`);
    } catch (error) {
      record.restoreError = errorMessage(error);
      ports.log(`rollout: COULD NOT give the stable version all traffic back: ${record.restoreError}`);
    }
    await fire(`step ${outcome.index}`, ports.events?.stepEnded && (() => ports.events!.stepEnded!(outcome)));
    await fire("the abort", ports.events?.aborted && (() => ports.events!.aborted!(record)));
    return { outcome: "aborted", steps, abort: record, durationMs: since() };
  }
}

/** Deployment messages show in Cloudflare's dashboard (at most 100 characters). */
function message(target: RolloutTarget, traffic: number): string {
  return `alchkit: ${target.sha.slice(0, 7)} at ${traffic} % on ${target.environment}`.slice(0, 100);
}

async function measureBoth(plan: RolloutPlan, target: RolloutTarget, ports: RolloutPorts, stepStart: number, at: number): Promise<Measurement> {
  const { gate } = plan;
  const of = (versionId: string) => ({ url: target.url, script: target.script, versionId, path: gate.path, requests: gate.requests, connections: gate.connections });
  // Side by side: the same requests to both versions at the same time.
  const [candidate, stable] = await Promise.all([ports.measure.measure(of(target.candidate)), ports.measure.measure(of(target.stable))]);
  const samples: [VersionSample, VersionSample] = [{ summary: candidate }, { summary: stable }];
  const until = ports.clock.now();
  if (gate.analytics && ports.measure.analytics) {
    // Analytics are extra evidence: when Cloudflare cannot answer, the probes alone decide.
    const read = (versionId: string) =>
      ports.measure.analytics!(target.script, versionId, stepStart, until).catch((error: unknown) => {
        ports.log(`  analytics unavailable for ${versionId.slice(0, 8)}: ${errorMessage(error)}`);
        return undefined;
      });
    const [a, b] = await Promise.all([read(target.candidate), read(target.stable)]);
    if (a) samples[0].analytics = a;
    if (b) samples[1].analytics = b;
  }
  return { at, ...decideStep(gate, samples[0], samples[1], Math.max(1, until - stepStart)) };
}
