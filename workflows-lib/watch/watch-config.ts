import { z } from "zod";
import { InputError } from "../errors.ts";
import { parseDuration } from "../loadgate/duration.ts";
import { preflightThresholds } from "../loadgate/evaluate.ts";
import { parseThresholds, type ThresholdSpec } from "../loadgate/thresholds.ts";

/** k6 thresholds a watch applies when none are given: the roadmap's alert levels (error rate > 1 %, p95 > 500 ms). */
export const DEFAULT_WATCH_THRESHOLDS = { http_req_failed: ["rate<0.01"], http_req_duration: ["p(95)<500"] };

const duration = z.string().refine((text) => parseDuration(text) !== undefined, { error: 'a k6 duration such as "30s", "5m" or "1m30s"' });

/** The `watch` section of alchkit.config (and the flags/inputs of the commands that deploy). */
export const watchConfigSchema = z
  .object({
    duration: duration.default("5m").describe("Bake window after the deploy (or the last rollout step); 0s turns the watch off"),
    interval: duration.default("10s").describe("Time between two probes"),
    path: z.string().startsWith("/", { error: "a path starting with /" }).default("/health").describe("Path probed"),
    requests: z.number().int().min(1).max(100).default(5).describe("Requests per probe"),
    window: duration.default("1m").describe("Thresholds are evaluated over the requests of this last stretch of time"),
    minRequests: z.number().int().min(1).default(10).describe("Requests the window must hold before a threshold can breach"),
    thresholds: z.record(z.string(), z.unknown()).default(DEFAULT_WATCH_THRESHOLDS).describe("k6 thresholds over http_req_failed, http_req_duration, http_reqs (and workers_* with analytics)"),
    analytics: z.boolean().default(false).describe("Also read the Worker's requests and errors from Cloudflare's analytics (GitHub runs on Cloudflare)"),
  })
  .strict()
  .describe("Post-deploy watch: probe for a bake window, roll back automatically on a breach");
export type WatchConfig = z.input<typeof watchConfigSchema>;

export interface WatchSettings {
  durationMs: number;
  intervalMs: number;
  path: string;
  requests: number;
  windowMs: number;
  minRequests: number;
  thresholds: ThresholdSpec[];
  analytics: boolean;
}

/** Metrics a watch measures; a threshold on anything else could never be decided. */
const PROBE_METRICS = ["http_req_failed", "http_req_duration", "http_reqs"];
const ANALYTICS_METRICS = ["workers_requests_failed", "workers_requests"];

/** Settings from the configuration, every value checked: one InputError naming `where.key` on bad input. */
export function watchSettings(raw: unknown, where = "watch"): WatchSettings {
  const parsed = watchConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError([where, ...issue.path.map(String)].join("."), issue.message.replace(/^Invalid input: (expected )?/, ""));
  }
  const config = parsed.data;
  const thresholds = parseThresholds(config.thresholds, `${where}.thresholds`);
  preflightThresholds(thresholds);
  const allowed = config.analytics ? [...PROBE_METRICS, ...ANALYTICS_METRICS] : PROBE_METRICS;
  for (const spec of thresholds) {
    if (!allowed.includes(spec.name.metric)) {
      throw new InputError(spec.where, `a threshold on ${allowed.join(", ")}`, `${spec.name.metric} is not measured by a watch${ANALYTICS_METRICS.includes(spec.name.metric) ? " without analytics: true" : ""}`);
    }
  }
  const ms = (text: string) => parseDuration(text)!;
  const settings: WatchSettings = {
    durationMs: ms(config.duration),
    intervalMs: ms(config.interval),
    path: config.path,
    requests: config.requests,
    windowMs: ms(config.window),
    minRequests: config.minRequests,
    thresholds,
    analytics: config.analytics,
  };
  if (settings.durationMs > 0 && settings.intervalMs <= 0) throw new InputError(`${where}.interval`, "a duration above 0");
  if (settings.durationMs > 0 && settings.intervalMs > settings.durationMs) throw new InputError(`${where}.interval`, `at most the duration (${config.duration})`);
  return settings;
}

/**
 * The watch a deploy runs: the configuration's `watch` section with the duration the shell was given (an action
 * input, a CLI flag); undefined when neither asks for one. `0s` turns a configured watch off.
 */
export function watchFor(config: WatchConfig | undefined, duration: string | undefined, inputName: string): WatchSettings | undefined {
  if (duration === undefined && config === undefined) return undefined;
  if (duration !== undefined && parseDuration(duration) === undefined) throw new InputError(inputName, 'a k6 duration such as "5m", or 0s for no watch');
  const settings = watchSettings({ ...(config ?? {}), ...(duration !== undefined ? { duration } : {}) }, duration !== undefined && config === undefined ? inputName : "watch");
  return settings.durationMs > 0 ? settings : undefined;
}
