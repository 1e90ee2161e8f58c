/**
 * Whether a pull request from a fork may run with the repository's secrets. A maintainer opts one in with a
 * label, and the opt-in covers exactly the commit it was given to: only the run of that `labeled` event (on
 * `pull_request_target`, the event that carries secrets for forks) deploys, and it deploys that event's head
 * SHA. A later push never deploys on the strength of an old label: the label is withdrawn, so the new commits
 * are reviewed and labelled again. Closing is allowed to destroy (the workflow does it with the base branch's
 * code, never the fork's). A pull request whose fork was deleted is a fork.
 */
export interface ForkTrigger {
  /** `pull_request`, `pull_request_target`, … */
  eventName: string;
  /** The event's activity type: `opened`, `synchronize`, `labeled`, `closed`, … */
  action?: string;
  /** The label a `labeled` event added. */
  label?: string;
  /** Labels the pull request carries. */
  labels: readonly string[];
}

export type ForkDecision =
  | { kind: "same-repository" }
  | { kind: "opted-in" }
  | { kind: "destroy" }
  | { kind: "refused"; reason: "not-opted-in" | "new-commits" | "no-secrets-event"; withdrawLabel: boolean };

export function decideFork(input: {
  isFork: boolean;
  mode: "deploy" | "destroy";
  trigger: ForkTrigger;
  /** The workflow's verdict (`allow-fork`); checked again here against the event. */
  allowFork: boolean;
  forkLabel: string;
}): ForkDecision {
  const { trigger } = input;
  if (!input.isFork) return { kind: "same-repository" };
  const labelled = trigger.labels.includes(input.forkLabel);
  // A push to an opted-in fork PR: the label vouched for earlier commits only.
  const withdrawLabel = trigger.action === "synchronize" && labelled;
  if (!input.allowFork) return { kind: "refused", reason: withdrawLabel ? "new-commits" : "not-opted-in", withdrawLabel };
  // Only pull_request_target gives a fork's run secrets; anywhere else an opt-in is a misconfiguration.
  if (trigger.eventName !== "pull_request_target") return { kind: "refused", reason: "no-secrets-event", withdrawLabel: false };
  if (input.mode === "destroy") return { kind: "destroy" };
  if (trigger.action === "labeled" && trigger.label === input.forkLabel) return { kind: "opted-in" };
  return { kind: "refused", reason: withdrawLabel ? "new-commits" : "not-opted-in", withdrawLabel };
}
