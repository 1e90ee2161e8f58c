import { InputError } from "../errors.ts";
import type { ChangeRange } from "./changed-files.ts";

export interface EventRangeInput {
  eventName: string;
  event: Record<string, any>;
  /** GITHUB_SHA: the commit the run checked out. */
  sha: string;
  /** Explicit `base`/`head` inputs win over the event. */
  base?: string;
  head?: string;
  /** Run every package whatever changed (e.g. a manual run). */
  all?: boolean;
}

/**
 * Which range a run compares, from the triggering event: a pull request (and `pull_request_target`) from
 * its base to its head commit, a merge queue group from its base to its head, a push from `before` to
 * `after`. Events without a previous state (manual runs, schedules, tags) run everything.
 */
export function rangeFromEvent(input: EventRangeInput): ChangeRange {
  if (input.all) return { kind: "everything", reason: "all packages were requested" };
  if (input.base) return { kind: "compare", base: input.base, head: input.head ?? input.sha ?? "HEAD" };
  if (input.head) throw new InputError("base", "a base ref or SHA when head is given");
  const event = input.event;
  const pr = event.pull_request;
  if (pr && typeof pr.base?.sha === "string" && typeof pr.head?.sha === "string") {
    return { kind: "compare", base: pr.base.sha, head: pr.head.sha };
  }
  const group = event.merge_group;
  if (group && typeof group.base_sha === "string" && typeof group.head_sha === "string") {
    return { kind: "compare", base: group.base_sha, head: group.head_sha };
  }
  if (input.eventName === "push" && typeof event.before === "string" && typeof event.after === "string") {
    if (typeof event.ref === "string" && event.ref.startsWith("refs/tags/")) {
      return { kind: "everything", reason: `a tag was pushed (${event.ref.slice("refs/tags/".length)})` };
    }
    return { kind: "push", before: event.before, after: event.after };
  }
  return { kind: "everything", reason: `a ${input.eventName || "manual"} run has no change to compare` };
}

/**
 * The workflow file of the calling run, as a path in the repository. GITHUB_WORKFLOW_REF names the caller's
 * workflow also inside a reusable workflow, so a change to the consumer's own CI file re-runs everything.
 */
export function callerWorkflowFile(workflowRef: string | undefined): string[] {
  const match = /^[^/]+\/[^/]+\/(\.github\/workflows\/[^@]+)@/.exec(workflowRef ?? "");
  return match ? [match[1]!] : [];
}
