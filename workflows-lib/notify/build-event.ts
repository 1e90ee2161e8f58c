import { InputError } from "../errors.ts";
import { eventId, SEVERITY_OF, shortSha, type EventLink, type EventType, type NotifyEvent } from "./event.ts";

/** What happened, as the shells know it: the outputs of the preview and promote actions, or a gate's verdict. */
export interface Occurrence {
  operation: "preview" | "deploy" | "promote" | "rollback" | "rollout-step" | "gate" | "watch";
  /**
   * preview: `deployed` | `unhealthy` | `failed` | `destroyed` | `teardown-incomplete`;
   * deploy/promote/rollback: `deployed` | `rolled-back` | `failed`; watch: `passed` | `rolled-back` | `failed`;
   * rollout-step: `advanced` | `aborted`; gate: `failed`.
   */
  outcome: string;
  repository: string;
  environment?: string;
  /** The SHA the operation was about (the candidate, for a failed or rolled back one). */
  sha?: string;
  url?: string;
  /** What was live before. */
  previousSha?: string;
  /** What an automatic rollback restored. */
  rollbackSha?: string;
  /** Environment a promotion came from. */
  from?: string;
  /** Traffic share after a rollout step, 0–100. */
  traffic?: number;
  /** Name of the gate that said no (load gate, OpenAPI, checks, policy). */
  gate?: string;
  /** Why it failed, in one line. */
  reason?: string;
  /** Link to the run that did it. */
  runUrl?: string;
  /** Distinguishes runs: a re-run of the same run sends nothing new (receivers drop the repeat). */
  runId?: string;
  /** `https://github.com/owner/name`, for commit links. */
  repositoryUrl?: string;
  /** Pull request number, for previews. */
  pullRequest?: number;
  at: string;
}

function typeOf(occurrence: Occurrence): EventType {
  const { operation, outcome } = occurrence;
  const wrong = (expected: string) => new InputError("outcome", expected, `"${outcome}" for ${operation}`);
  switch (operation) {
    case "preview":
      if (outcome === "deployed") return "preview.ready";
      if (outcome === "destroyed") return "preview.destroyed";
      if (["unhealthy", "failed", "teardown-incomplete"].includes(outcome)) return "preview.failed";
      throw wrong("deployed, unhealthy, failed, destroyed or teardown-incomplete");
    case "deploy":
    case "promote":
    case "rollback":
      if (outcome === "deployed") return `${operation}.succeeded`;
      if (outcome === "failed") return `${operation}.failed`;
      if (outcome === "rolled-back") return "rollback.automatic";
      throw wrong("deployed, rolled-back or failed");
    case "watch":
      if (outcome === "rolled-back") return "rollback.automatic";
      if (outcome === "failed") return "deploy.failed";
      throw wrong("rolled-back or failed (a watch that passed sends nothing)");
    case "rollout-step":
      if (outcome === "advanced") return "rollout.step";
      if (outcome === "aborted") return "rollback.automatic";
      throw wrong("advanced or aborted");
    case "gate":
      if (outcome === "failed") return "gate.failed";
      throw wrong("failed");
  }
}

function title(type: EventType, o: Occurrence): string {
  const sha = shortSha(o.sha);
  const env = o.environment ?? "";
  switch (type) {
    case "preview.ready":
      return `Preview of ${o.pullRequest ? `PR #${o.pullRequest}` : sha} is ready${env ? ` (${env})` : ""}`;
    case "preview.failed":
      return `Preview of ${o.pullRequest ? `PR #${o.pullRequest}` : sha} failed (${o.outcome})`;
    case "preview.destroyed":
      return `Preview ${env || (o.pullRequest ? `of PR #${o.pullRequest}` : "")} destroyed`.replace(/\s+/g, " ");
    case "deploy.succeeded":
      return `${sha} is live on ${env}`;
    case "deploy.failed":
      return `Deploy of ${sha} to ${env} failed`;
    case "promote.succeeded":
      return `${sha} promoted${o.from ? ` from ${o.from}` : ""} to ${env}`;
    case "promote.failed":
      return `Promotion of ${sha} to ${env} failed`;
    case "rollout.step":
      return `${sha} serves ${o.traffic ?? "?"} % of ${env}`;
    case "rollback.succeeded":
      return `${env} rolled back to ${sha}`;
    case "rollback.failed":
      return `Rollback of ${env} to ${sha} failed`;
    case "rollback.automatic":
      return `${sha} failed on ${env}: rolled back automatically to ${shortSha(o.rollbackSha) || "the previous version"}`;
    case "gate.failed":
      return `${o.gate ?? "A gate"} blocked ${sha}${env ? ` for ${env}` : ""}`;
  }
}

/** The event a receiver is told about, from what a shell saw happen. Throws InputError on an unknown outcome. */
export function buildEvent(o: Occurrence): NotifyEvent {
  const type = typeOf(o);
  if (o.traffic !== undefined && !(o.traffic >= 0 && o.traffic <= 100)) throw new InputError("traffic", "a share from 0 to 100");
  const facts: NotifyEvent["facts"] = [];
  if (o.environment) facts.push({ label: "Environment", value: o.environment });
  if (o.sha) facts.push({ label: "Commit", value: shortSha(o.sha) });
  if (o.previousSha && type !== "rollback.automatic") facts.push({ label: "Was live", value: shortSha(o.previousSha) });
  if (o.rollbackSha) facts.push({ label: "Restored", value: shortSha(o.rollbackSha) });
  if (o.traffic !== undefined) facts.push({ label: "Traffic", value: `${o.traffic} %` });
  if (o.gate) facts.push({ label: "Gate", value: o.gate });
  const links: EventLink[] = [];
  if (o.url && type !== "preview.destroyed") links.push({ label: type.startsWith("preview") ? "View preview" : "Open", url: o.url });
  if (o.runUrl) links.push({ label: "Run", url: o.runUrl });
  if (o.repositoryUrl && o.sha) links.push({ label: "Commit", url: `${o.repositoryUrl}/commit/${o.sha}` });
  const previousSha = type === "rollback.automatic" ? o.rollbackSha : o.previousSha;
  return {
    type,
    id: eventId([type, o.repository, o.environment, o.sha, o.runId, o.traffic, o.gate, o.rollbackSha]),
    severity: SEVERITY_OF[type],
    title: title(type, o),
    ...(o.reason ? { text: o.reason } : {}),
    repository: o.repository,
    ...(o.environment ? { environment: o.environment } : {}),
    ...(o.sha ? { sha: o.sha } : {}),
    ...(o.url ? { url: o.url } : {}),
    ...(previousSha ? { previousSha } : {}),
    ...(o.traffic !== undefined ? { traffic: o.traffic } : {}),
    facts,
    links,
    at: o.at,
  };
}
