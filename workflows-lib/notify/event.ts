import { createHash } from "node:crypto";

/**
 * What the kit tells people about: one event per thing that happened to an environment. Every receiver turns
 * the same event into its own message; `id` is the idempotency key a receiver (or the kit, re-checking before
 * a retry) uses to tell a retry from a new event.
 */
export const EVENT_TYPES = [
  "preview.ready",
  "preview.failed",
  "preview.destroyed",
  "deploy.succeeded",
  "deploy.failed",
  "promote.succeeded",
  "promote.failed",
  "rollout.step",
  "rollback.succeeded",
  "rollback.failed",
  "rollback.automatic",
  "gate.failed",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type Severity = "success" | "warning" | "failure" | "info";

export interface EventFact {
  label: string;
  value: string;
}

export interface EventLink {
  label: string;
  url: string;
}

export interface NotifyEvent {
  type: EventType;
  /** Idempotency key: the same for every attempt of one event, across retries and job re-runs. */
  id: string;
  severity: Severity;
  /** One line: what happened. */
  title: string;
  /** A few sentences at most: why, and what happens next. */
  text?: string;
  /** `owner/name` on GitHub; a directory name locally. */
  repository: string;
  environment?: string;
  /** Full commit SHA the event is about. */
  sha?: string;
  /** The URL the environment answers on. */
  url?: string;
  /** What was live before (deploys), or what was restored (rollbacks). */
  previousSha?: string;
  /** Share of traffic the SHA serves after this event, 0–100, for rollout steps. */
  traffic?: number;
  facts: EventFact[];
  links: EventLink[];
  /** ISO-8601 time of the event. */
  at: string;
}

/** A stable key from the parts that make an event this event (never the time: a retry must match). */
export function eventId(parts: Array<string | number | undefined>): string {
  const digest = createHash("sha256").update(parts.map((part) => String(part ?? "")).join("\u0000")).digest("hex");
  return `alchkit-${digest.slice(0, 32)}`;
}

export const SEVERITY_OF: Record<EventType, Severity> = {
  "preview.ready": "success",
  "preview.failed": "failure",
  "preview.destroyed": "info",
  "deploy.succeeded": "success",
  "deploy.failed": "failure",
  "promote.succeeded": "success",
  "promote.failed": "failure",
  "rollout.step": "info",
  "rollback.succeeded": "success",
  "rollback.failed": "failure",
  "rollback.automatic": "warning",
  "gate.failed": "failure",
};

/** Events that put a SHA live on an environment: what Sentry records as a deploy of a release. */
export const GOES_LIVE: ReadonlySet<EventType> = new Set([
  "deploy.succeeded",
  "promote.succeeded",
  "rollback.succeeded",
  "rollback.automatic",
]);

/** The SHA live on the environment after the event (the restored one after an automatic rollback). */
export function liveShaAfter(event: NotifyEvent): string | undefined {
  if (event.type === "rollback.automatic") return event.previousSha;
  return GOES_LIVE.has(event.type) ? event.sha : undefined;
}

export const shortSha = (sha: string | undefined): string => (sha ? sha.slice(0, 7) : "");
