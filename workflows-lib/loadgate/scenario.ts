/**
 * The declarative load scenario the built-in autocannon engine runs (JSON file): which requests,
 * how many connections, for how long (or how many requests), at which rate, and optional stages that run in
 * sequence for ramp profiles. A scenario without stages is one stage.
 */
import { z } from "zod";
import { parseInput } from "../validate.ts";
import { parseDuration } from "./duration.ts";

const durationSchema = z.union([
  z.number().positive().describe("seconds"),
  z.string().refine((s) => (parseDuration(s) ?? 0) > 0, 'a duration such as "2s", "500ms" or "1m30s"'),
]);

const requestSchema = z.object({
  /** Path (and query) appended to the target URL. */
  path: z.string().startsWith("/", "a path starting with /"),
  method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]).default("GET"),
  headers: z.record(z.string(), z.string()).default({}),
  /** A string is sent as is; an object or array is sent as JSON (with content-type application/json). */
  body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
}).strict();

const stageSchema = z.object({
  connections: z.number().int().min(1).max(10_000).optional(),
  duration: durationSchema.optional(),
  amount: z.number().int().min(1).optional(),
  rate: z.number().int().min(1).optional(),
}).strict();

export const scenarioSchema = z.object({
  name: z.string().min(1).default("default"),
  requests: z.array(requestSchema).min(1).default([{ path: "/", method: "GET", headers: {} }]),
  /** Headers sent with every request (a request's own headers win). */
  headers: z.record(z.string(), z.string()).default({}),
  connections: z.number().int().min(1).max(10_000).default(10),
  duration: durationSchema.optional(),
  amount: z.number().int().min(1).optional(),
  /** Requests per second over all connections. */
  rate: z.number().int().min(1).optional(),
  /** Per-request timeout. */
  timeout: durationSchema.default("10s"),
  stages: z.array(stageSchema).min(1).optional(),
}).strict();

export type ScenarioInput = z.input<typeof scenarioSchema>;

export interface Stage {
  connections: number;
  /** Milliseconds, when the stage is timed. */
  durationMs?: number;
  /** Total requests, when the stage is counted. */
  amount?: number;
  rate?: number;
}

export interface Scenario {
  name: string;
  requests: Array<{ path: string; method: string; headers: Record<string, string>; body?: string }>;
  timeoutMs: number;
  stages: Stage[];
}

const toMs = (d: number | string): number => (typeof d === "number" ? d * 1000 : parseDuration(d)!);

/**
 * Validates a scenario. `overrides` (from --duration/--connections) replace the top-level values.
 * A stage inherits connections and rate from the top level; it needs a duration or an amount (its own or the top level's,
 * default 10 s).
 */
export function parseScenario(raw: unknown, inputName = "scenario", overrides: { durationMs?: number; connections?: number } = {}): Scenario {
  const s = parseInput(scenarioSchema, raw ?? {}, inputName);
  const requests = s.requests.map((r) => {
    const headers = { ...s.headers, ...r.headers };
    let body: string | undefined;
    if (typeof r.body === "string") body = r.body;
    else if (r.body !== undefined) {
      body = JSON.stringify(r.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["content-type"] = "application/json";
    }
    return body === undefined ? { path: r.path, method: r.method, headers } : { path: r.path, method: r.method, headers, body };
  });
  const connections = overrides.connections ?? s.connections;
  const topDuration = overrides.durationMs ?? (s.duration !== undefined ? toMs(s.duration) : undefined);
  const rawStages = s.stages ?? [{}];
  const stages = rawStages.map((st): Stage => {
    const stage: Stage = { connections: overrides.connections ?? st.connections ?? connections };
    const rate = st.rate ?? s.rate;
    if (rate !== undefined) stage.rate = rate;
    if (st.amount !== undefined) stage.amount = st.amount;
    // --duration replaces the scenario's durations, stage by stage (a ramp keeps its shape, each step shorter or longer).
    else if (st.duration !== undefined) stage.durationMs = overrides.durationMs ?? toMs(st.duration);
    else if (s.amount !== undefined && overrides.durationMs === undefined) stage.amount = s.amount;
    else stage.durationMs = topDuration ?? 10_000;
    if (stage.amount !== undefined && stage.amount < stage.connections) stage.connections = stage.amount;
    return stage;
  });
  return { name: s.name, requests, timeoutMs: toMs(s.timeout), stages };
}
