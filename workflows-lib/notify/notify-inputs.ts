import { z } from "zod";
import { booleanInput } from "../validate.ts";
import type { Occurrence } from "./build-event.ts";

const sha = z.string().regex(/^[0-9a-f]{7,40}$/i, { error: "a commit SHA" });

/** Inputs of `actions/notify` (the CLI's `alchkit notify` flags are the same fields). */
export const notifyInputs = z.object({
  operation: z.enum(["preview", "deploy", "promote", "rollback", "rollout-step", "gate", "watch"], {
    error: "preview, deploy, promote, rollback, rollout-step, gate or watch",
  }),
  outcome: z.string().min(1),
  environment: z.string().regex(/^[A-Za-z0-9._/-]{1,255}$/, { error: "an environment name" }).optional(),
  sha: sha.optional(),
  url: z.url({ error: "an http(s) URL" }).optional(),
  previousSha: sha.optional(),
  rollbackSha: sha.optional(),
  from: z.string().optional(),
  traffic: z.coerce.number({ error: "a share from 0 to 100" }).min(0, { error: "0 or more" }).max(100, { error: "100 at most" }).optional(),
  gate: z.string().max(100).optional(),
  reason: z.string().max(2000).optional(),
  pullRequest: z.coerce.number({ error: "a pull request number" }).int().positive().optional(),
  receivers: z.string().default("auto"),
  failOnError: booleanInput.optional(),
});
export type NotifyInputs = z.output<typeof notifyInputs>;

/** The occurrence of the inputs, with what the run itself knows (repository, run link and id, time). */
export function occurrenceFromInputs(
  inputs: NotifyInputs,
  run: { repository: string; repositoryUrl?: string; runUrl?: string; runId?: string; sha?: string; at: string },
): Occurrence {
  const sha = inputs.sha ?? run.sha;
  return {
    operation: inputs.operation,
    outcome: inputs.outcome,
    repository: run.repository,
    at: run.at,
    ...(run.repositoryUrl ? { repositoryUrl: run.repositoryUrl } : {}),
    ...(run.runUrl ? { runUrl: run.runUrl } : {}),
    ...(run.runId ? { runId: run.runId } : {}),
    ...(sha ? { sha } : {}),
    ...(inputs.environment ? { environment: inputs.environment } : {}),
    ...(inputs.url ? { url: inputs.url } : {}),
    ...(inputs.previousSha ? { previousSha: inputs.previousSha } : {}),
    ...(inputs.rollbackSha ? { rollbackSha: inputs.rollbackSha } : {}),
    ...(inputs.from ? { from: inputs.from } : {}),
    ...(inputs.traffic !== undefined ? { traffic: inputs.traffic } : {}),
    ...(inputs.gate ? { gate: inputs.gate } : {}),
    ...(inputs.reason ? { reason: inputs.reason } : {}),
    ...(inputs.pullRequest ? { pullRequest: inputs.pullRequest } : {}),
  };
}
