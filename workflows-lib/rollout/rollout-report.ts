import { blocks, duration, escapeCell, heading, STATUS_ICON, table } from "../report/markdown.ts";
import { xyChart } from "../report/mermaid.ts";
import type { VersionFigures } from "./decide-step.ts";
import { describeRollout, formatHold, type RolloutPlan } from "./plan-rollout.ts";
import type { Measurement, RolloutResult, StepOutcome } from "./run-rollout.ts";

const rate = (figures: VersionFigures | undefined): string => (figures ? `${(figures.errorRate * 100).toFixed(2)} %` : "–");
const time = (value: number | null | undefined): string => (value === null || value === undefined ? "–" : `${value.toFixed(1)} ms`);
const real = (figures: VersionFigures | undefined): string =>
  figures?.analytics ? `${figures.analytics.errors}/${figures.analytics.requests}` : "–";
const pair = (a: string, b: string): string => `${a} · ${b}`;

/** The measurement a step is shown with: the one that breached, else the last one. */
function shown(step: StepOutcome): Measurement | undefined {
  return step.measurements.find((m) => !m.ok) ?? step.measurements.at(-1);
}

function verdictOf(step: StepOutcome, result: RolloutResult): string {
  if (step.verdict === "breached") return `${STATUS_ICON.failed} breached`;
  if (step.verdict === "final") return `${STATUS_ICON.ok} all traffic`;
  if (result.outcome === "verified" && step === result.steps.at(-1)) return `${STATUS_ICON.pending} passed, waiting for the switch`;
  return `${STATUS_ICON.ok} passed`;
}

const label = (step: Pick<StepOutcome, "index" | "traffic">): string => `${step.index}: ${step.traffic === 0 ? "idle" : `${step.traffic} %`}`;

/**
 * The rollout in a step summary or promotion comment: each step with its traffic, the candidate's and the stable
 * version's numbers side by side (candidate · stable), a chart of the rollout, and the abort if there was one.
 */
export function renderRollout(plan: RolloutPlan, result: RolloutResult, versions: { candidate: string; stable: string }): string {
  const analytics = plan.gate.analytics;
  const header = ["step", "traffic", "held", "measurements", "errors (candidate · stable)", "p(95)", "p(99)", ...(analytics ? ["real traffic errors"] : []), "verdict"];
  const rows = result.steps.map((step) => {
    const m = shown(step);
    return [
      String(step.index),
      step.traffic === 0 ? "0 % (override only)" : `${step.traffic} %`,
      step.verdict === "final" ? "–" : duration(step.endedAt - step.startedAt),
      String(step.measurements.length),
      m ? pair(rate(m.candidate), rate(m.stable)) : "–",
      m ? pair(time(m.candidate.p95Ms), time(m.stable.p95Ms)) : "–",
      m ? pair(time(m.candidate.p99Ms), time(m.stable.p99Ms)) : "–",
      ...(analytics ? [m ? pair(real(m.candidate), real(m.stable)) : "–"] : []),
      verdictOf(step, result),
    ];
  });
  const planned = plan.steps.slice(result.steps.length).map((step, i) => [
    String(result.steps.length + i + 1),
    `${step.traffic} %`,
    step.holdMs > 0 ? formatHold(step.holdMs) : "–",
    "",
    "",
    "",
    "",
    ...(analytics ? [""] : []),
    result.outcome === "aborted" ? `${STATUS_ICON.skipped} not reached` : `${STATUS_ICON.pending} next`,
  ]);
  const measured = result.steps.filter((step) => step.measurements.length > 0);
  const chart =
    measured.length > 0
      ? blocks(
          xyChart({
            title: "Rollout: the candidate's traffic and error rate per step (%)",
            xLabels: result.steps.map(label),
            yLabel: "%",
            series: [
              { name: "candidate's share of traffic (%)", kind: "bar", values: result.steps.map((s) => s.traffic) },
              { name: "candidate error rate (%)", kind: "line", values: result.steps.map((s) => (shown(s) ? shown(s)!.candidate.errorRate * 100 : null)) },
              { name: "stable error rate (%)", kind: "line", values: result.steps.map((s) => (shown(s) ? shown(s)!.stable.errorRate * 100 : null)) },
            ],
          }),
          xyChart({
            title: "p(95) per measured step: candidate and stable (ms)",
            xLabels: measured.map(label),
            yLabel: "ms",
            series: [
              { name: "candidate p(95)", kind: "bar", values: measured.map((s) => shown(s)!.candidate.p95Ms) },
              { name: "stable p(95)", kind: "line", values: measured.map((s) => shown(s)!.stable.p95Ms) },
            ],
          }),
        )
      : undefined;
  const abort = result.abort;
  return blocks(
    heading(3, `Rollout: ${escapeCell(describeRollout(plan))}`),
    `Candidate version \`${versions.candidate}\`, stable version \`${versions.stable}\`; each measurement sends ${plan.gate.requests} request(s) of \`${plan.gate.path}\` to both, side by side, with the \`Cloudflare-Workers-Version-Overrides\` header.`,
    table(header, [...rows, ...planned], ["right", "right", "right", "right", "right", "right", "right", ...(analytics ? ["right" as const] : []), "left"]),
    abort
      ? `${STATUS_ICON.failed} **Aborted at ${abort.traffic} %** (step ${abort.step}): ${escapeCell(abort.reason)}. ${
          abort.restoredAt !== undefined
            ? `The stable version served 100 % again ${duration(abort.restoredAt - abort.detectedAt)} after the breach.`
            : `The stable version could NOT be given all traffic back: ${escapeCell(abort.restoreError ?? "unknown error")}.`
        }`
      : result.outcome === "verified"
        ? `${STATUS_ICON.pending} The idle version passed its checks; it takes traffic once the switch job is approved.`
        : undefined,
    chart,
  );
}
