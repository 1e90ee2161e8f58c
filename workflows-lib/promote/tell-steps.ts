import { errorMessage } from "../errors.ts";
import type { RolloutTarget, StepOutcome } from "../rollout/run-rollout.ts";
import type { StepNotifyPort } from "./ports.ts";

/**
 * Tells of a step the candidate passed, while the rollout goes on. The final step and an abort end the operation:
 * the shells tell of those (the notify step, `alchkit notify`). Telling never decides a rollout: a failure is noted.
 */
export async function tellPassedStep(port: StepNotifyPort | undefined, step: StepOutcome, target: RolloutTarget, note: (line: string) => void): Promise<void> {
  if (!port || step.verdict !== "passed") return;
  await port.passed({ index: step.index, traffic: step.traffic }, target).catch((error: unknown) => note(`could not tell of step ${step.index}: ${errorMessage(error)}`));
}
