import { InputError } from "../errors.ts";
import { isProductionLike } from "../promote/environments.ts";
import type { CommitCheck } from "../promote/checks.ts";
import { parseInput } from "../validate.ts";
import { deploymentFactsSchema, FACTS_VERSION, type DeploymentFacts, type StageKind } from "./facts-schema.ts";
import type { DependencyFact } from "./dependency-facts.ts";
import { resourceFacts, type BundleSize, type StateEntry } from "./resource-facts.ts";

/**
 * Assembles the deployment facts for one stage from its ports: Alchemy state, the commit's checks, the
 * lockfile, git. Every port but the state is optional (locally there are no GitHub checks); what a port
 * cannot tell stays empty or null, never guessed.
 */

export interface StageState {
  source: "alchemy-state" | "local-state" | "none";
  app?: string;
  entries: StateEntry[];
}

export interface FactsPorts {
  stageState(stage: string): Promise<StageState>;
  /** A Worker's built bundle size, by script name and stage, when the build output is on disk. */
  bundleOf?(scriptName: string, stage: string): BundleSize | undefined;
  checks?(sha: string): Promise<CommitCheck[]>;
  dependencies?(): Promise<DependencyFact[]>;
  changedFiles?(): Promise<string[]>;
  now(): Date;
}

export interface StageNaming {
  /** Preview stages start with this (config preview.stagePrefix, default `pr-`). */
  previewPrefix: string;
  /** Stages of production environments (config environments, default `prod`). */
  productionStages: string[];
  stagingStages: string[];
}

export interface FactsRequest {
  /**
   * The stage whose Alchemy state describes the deployment: the source of a promotion (where the candidate
   * runs now), or the stage itself. Absent: no resources are read (`stage.source` is `none`).
   */
  stage?: string;
  target: { environment?: string; stage: string; sha?: string; ref?: string };
  naming: StageNaming;
  requiredChecks?: string[];
  ignoreChecks?: string[];
  /** The load gate's JSON result (`load-gate run`/`evaluate`, the action's result.json). */
  loadGate?: unknown;
  /** The OpenAPI diff's JSON (`openapi diff --format json`). */
  openapiDiff?: unknown;
  openapiApproved?: boolean;
  trigger?: DeploymentFacts["trigger"];
  /** How the shell names the inputs, for errors. */
  names?: { loadGate: string; openapiDiff: string };
}

export function stageKind(stage: string, naming: StageNaming, environment?: string): StageKind {
  if (naming.productionStages.includes(stage) || (environment !== undefined && isProductionLike(environment))) return "production";
  if (stage.startsWith(naming.previewPrefix)) return "preview";
  if (naming.stagingStages.includes(stage) || /^(staging|stage|stg)$/i.test(environment ?? stage)) return "staging";
  return "other";
}

type Num = number | null | undefined;
const num = (value: unknown): Num => (typeof value === "number" && Number.isFinite(value) ? value : value === null ? null : undefined);

/** The load gate's result as facts (only its verdict and numbers). */
export function loadGateFacts(raw: unknown, inputName: string): NonNullable<DeploymentFacts["loadGate"]> {
  const value = raw as { passed?: unknown; thresholds?: unknown; regressions?: unknown };
  if (typeof value !== "object" || value === null || typeof value.passed !== "boolean" || !Array.isArray(value.thresholds)) {
    throw new InputError(inputName, "the load gate's JSON result ({passed, thresholds, regressions}, as `alchkit load-gate run` prints it)");
  }
  const thresholds = value.thresholds.map((t: Record<string, unknown>) => {
    const actual = num(t.actual);
    return { metric: String(t.metric), expression: String(t.expression), ok: t.ok === true, ...(actual !== undefined ? { actual } : {}) };
  });
  const regressions = (Array.isArray(value.regressions) ? value.regressions : []).map((r: Record<string, unknown>) => {
    const baseline = num(r.baseline);
    const actual = num(r.actual);
    return {
      metric: String(r.metric),
      statistic: String(r.statistic),
      ok: r.ok === true,
      ...(baseline !== undefined ? { baseline } : {}),
      ...(actual !== undefined ? { actual } : {}),
    };
  });
  return { passed: value.passed, thresholds, regressions };
}

/** The OpenAPI diff as facts: counts, distinct rule ids, the changes without their prose. */
export function openapiFacts(raw: unknown, approved: boolean, inputName: string): NonNullable<DeploymentFacts["openapi"]> {
  const value = raw as { changes?: unknown; counts?: Record<string, unknown> };
  if (typeof value !== "object" || value === null || !Array.isArray(value.changes) || typeof value.counts !== "object" || value.counts === null) {
    throw new InputError(inputName, "the OpenAPI diff's JSON ({changes, counts}, as `alchkit openapi diff --format json` prints it)");
  }
  const levels = new Set(["error", "warning", "info"]);
  const changes = value.changes.map((c: Record<string, unknown>) => {
    if (typeof c.id !== "string" || typeof c.level !== "string" || !levels.has(c.level)) {
      throw new InputError(inputName, "changes with an id and a level (error, warning or info)");
    }
    return {
      id: c.id,
      level: c.level as "error" | "warning" | "info",
      ...(typeof c.method === "string" ? { method: c.method } : {}),
      ...(typeof c.path === "string" ? { path: c.path } : {}),
    };
  });
  const count = (level: string): number => {
    const n = value.counts![level];
    return typeof n === "number" ? n : changes.filter((c) => c.level === level).length;
  };
  return {
    counts: { error: count("error"), warning: count("warning"), info: count("info") },
    ids: [...new Set(changes.map((c) => c.id))].sort(),
    changes,
    approved,
  };
}

export async function assembleFacts(request: FactsRequest, ports: FactsPorts): Promise<DeploymentFacts> {
  const names = request.names ?? { loadGate: "load-gate", openapiDiff: "openapi-diff" };
  const target = request.target;
  const stageName = request.stage ?? target.stage;
  const state: StageState = request.stage === undefined ? { source: "none", entries: [] } : await ports.stageState(request.stage);
  const required = request.requiredChecks ?? [];
  const ignored = new Set(request.ignoreChecks ?? []);
  const checks = target.sha && ports.checks ? (await ports.checks(target.sha)).filter((c) => !ignored.has(c.name)) : undefined;
  const facts: DeploymentFacts = {
    version: FACTS_VERSION,
    generatedAt: ports.now().toISOString(),
    ...(state.app ? { app: state.app } : {}),
    stage: { name: stageName, kind: stageKind(stageName, request.naming), source: state.source },
    target: {
      ...(target.environment ? { environment: target.environment } : {}),
      stage: target.stage,
      kind: stageKind(target.stage, request.naming, target.environment),
      production: stageKind(target.stage, request.naming, target.environment) === "production",
      ...(target.sha ? { sha: target.sha } : {}),
      ...(target.ref ? { ref: target.ref } : {}),
    },
    resources: resourceFacts(state.entries, ports.bundleOf ? (script) => ports.bundleOf!(script, stageName) : undefined),
    checks: {
      source: checks ? "github" : "none",
      items: (checks ?? []).map((c) => ({ name: c.name, kind: c.kind, state: c.outcome, detail: c.detail, required: required.includes(c.name) })),
      required,
    },
    loadGate: request.loadGate === undefined ? null : loadGateFacts(request.loadGate, names.loadGate),
    openapi: request.openapiDiff === undefined ? null : openapiFacts(request.openapiDiff, request.openapiApproved ?? false, names.openapiDiff),
    dependencies: ports.dependencies ? await ports.dependencies() : [],
    changedFiles: ports.changedFiles ? [...new Set(await ports.changedFiles())].sort() : [],
    trigger: request.trigger ?? {},
  };
  // The facts are what every policy relies on: never hand OPA a document that breaks its own schema.
  return parseInput(deploymentFactsSchema, facts, "deployment facts");
}
