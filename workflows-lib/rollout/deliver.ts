import { GateFailure } from "../errors.ts";
import type { RolloutPlan } from "./plan-rollout.ts";
import type { CandidatePort, VersionsPort, VersionsReader } from "./ports.ts";
import { runRollout, type RolloutPorts, type RolloutResult, type RolloutTarget } from "./run-rollout.ts";

export interface DeliveryRequest {
  environment: string;
  sha: string;
}

export interface DeliveryPorts extends Omit<RolloutPorts, "versions"> {
  versions: VersionsPort & VersionsReader;
  candidate: CandidatePort;
}

export interface Delivery {
  target: RolloutTarget;
  result: RolloutResult;
  /** The candidate changes Durable Object classes and the config let it go all at once. */
  allAtOnce?: { reason: string };
}

const sameClasses = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((name, i) => name === b[i]);

/**
 * Progressive delivery of one SHA to an environment: the stable version is what serves 100 % now, the candidate
 * is uploaded beside it without traffic, then the plan moves traffic step by step (runRollout). Refused before
 * any traffic moves when a rollout is already in flight (two versions share the traffic), when the upload took
 * traffic by itself (the Worker was deployed, not versioned), or when the candidate changes the Durable Object
 * classes — a Workers version cannot carry a migration — unless the config lets such a candidate go all at once.
 */
export async function deliver(plan: RolloutPlan, request: DeliveryRequest, ports: DeliveryPorts): Promise<Delivery> {
  const uploaded = await ports.candidate.upload();
  const { script } = uploaded;
  const split = await ports.versions.active(script);
  const serving = split.versions.filter((v) => v.percentage > 0);
  if (serving.some((v) => v.versionId === uploaded.candidate)) {
    throw new GateFailure(
      `The upload of ${request.sha.slice(0, 7)} took traffic on ${request.environment} by itself (${script} serves it at ${serving.find((v) => v.versionId === uploaded.candidate)!.percentage} %): ` +
        "the Worker was deployed, not uploaded as a version. Give the Worker in alchemy.run.ts `version: process.env.ALCHKIT_WORKER_VERSION` (see docs/rollouts.md).",
    );
  }
  if (serving.length !== 1 || serving[0]!.percentage !== 100) {
    const shares = serving.map((v) => `${v.versionId} ${v.percentage} %`).join(", ") || "nothing";
    throw new GateFailure(`${script} is split between versions (${shares}): a rollout is already under way on ${request.environment}; finish or roll it back first.`);
  }
  const stable = serving[0]!.versionId;
  const target: RolloutTarget = { environment: request.environment, sha: request.sha, url: uploaded.url, script, stable, candidate: uploaded.candidate };

  const [before, after] = await Promise.all([
    ports.versions.durableObjectClasses(script, stable),
    ports.versions.durableObjectClasses(script, uploaded.candidate),
  ]);
  await ports.events?.uploaded?.(target);
  if (before && after && !sameClasses(before, after)) {
    const added = after.filter((name) => !before.includes(name));
    const removed = before.filter((name) => !after.includes(name));
    const change = [added.length ? `adds ${added.join(", ")}` : "", removed.length ? `removes ${removed.join(", ")}` : ""].filter(Boolean).join(" and ");
    const reason = `the candidate ${change} (a Durable Object migration), which a Workers version cannot carry`;
    if (plan.durableObjectMigration === "refuse") {
      throw new GateFailure(
        `Refusing a ${plan.strategy} rollout of ${request.sha.slice(0, 7)} to ${request.environment}: ${reason}. No traffic moved. ` +
          `Deploy it all at once (rollout.${request.environment}.durableObjectMigration: "all-at-once").`,
      );
    }
    ports.log(`rollout: ${reason}; deploying it all at once as the config allows`);
    const result = await runRollout({ ...plan, steps: [{ traffic: 100, holdMs: 0 }] }, target, ports);
    return { target, result, allAtOnce: { reason } };
  }
  return { target, result: await runRollout(plan, target, ports) };
}
