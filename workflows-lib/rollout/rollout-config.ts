import { z } from "zod";
import { InputError } from "../errors.ts";
import { parseBudgets } from "../loadgate/baseline.ts";
import { parseDuration } from "../loadgate/duration.ts";
import { parseThresholds } from "../loadgate/thresholds.ts";

/**
 * The `rollout` section of alchkit.config: how each environment takes a new version. `all-at-once` is what a
 * deploy always did (the new SHA replaces the live one); `canary`, `progressive` and `blue-green` upload the
 * candidate as a Workers version that takes no traffic, then move traffic to it step by step, measuring the
 * candidate and the stable version side by side between steps.
 */

export const STRATEGIES = ["all-at-once", "canary", "progressive", "blue-green"] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** What `metrics` stands for, as k6 thresholds on the candidate. */
export const METRIC_THRESHOLDS = {
  error_rate: { http_req_failed: ["rate<0.01"] },
  latency: { http_req_duration: ["p(95)<500", "p(99)<1000"] },
} as const satisfies Record<string, Record<string, readonly string[]>>;
export type GateMetric = keyof typeof METRIC_THRESHOLDS;
const GATE_METRICS = Object.keys(METRIC_THRESHOLDS) as [GateMetric, ...GateMetric[]];

const duration = z.string().refine((text) => parseDuration(text) !== undefined, { error: 'a duration such as "30s", "10m", "1h" or "1m30s"' });
const share = (what: string) =>
  z
    .number({ error: `${what} as a whole percentage` })
    .int({ error: `${what} as a whole percentage` })
    .min(1, { error: `${what} of at least 1 %` })
    .max(100, { error: `${what} of at most 100 % (all of the traffic)` });

/** A strict object whose unknown keys are named with the keys it knows. */
function settings<Shape extends z.core.$ZodLooseShape>(shape: Shape, what: string) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `only the settings of ${what} (${Object.keys(shape).join(", ")}), not ${issue.keys.map((k) => `"${k}"`).join(", ")}` : undefined,
  });
}

const gateFields = {
  metrics: z
    .array(z.enum(GATE_METRICS, { error: `one of ${GATE_METRICS.join(", ")}` }))
    .min(1)
    .optional()
    .describe("Shorthand for thresholds: error_rate = http_req_failed rate<0.01, latency = http_req_duration p(95)<500 and p(99)<1000 (default: both)"),
  thresholds: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("k6 thresholds the candidate must meet at every measurement (k6's options.thresholds); replace `metrics`"),
  compare: z
    .record(z.string(), z.record(z.string(), z.unknown()))
    .optional()
    .describe("Regression budgets against the stable version measured at the same time, as the load gate's budgets, e.g. {\"http_req_duration\": {\"p(95)\": {\"relative\": 0.2, \"absolute\": 30}}}"),
  interval: duration.default("1m").describe("Time between two measurements within a step"),
  settle: duration.default("5s").describe("Wait after moving traffic before measuring (Cloudflare needs a few seconds to apply a deployment everywhere)"),
  path: z.string().startsWith("/", { error: "a path starting with /" }).default("/").describe("Path each measurement requests, on both versions"),
  requests: z.number().int().min(1).max(10_000).default(100).describe("Requests per version and measurement"),
  connections: z.number().int().min(1).max(100).default(4).describe("Concurrent connections per version while measuring"),
  analytics: z.boolean().default(false).describe("Also gate on the real traffic each version served, from Cloudflare's GraphQL analytics (workers_requests_failed, workers_requests)"),
  durableObjectMigration: z
    .enum(["refuse", "all-at-once"], { error: "refuse or all-at-once" })
    .default("refuse")
    .describe("A candidate with a Durable Object migration cannot be a Workers version: refuse it, or deploy it all at once"),
};

const canarySchema = settings(
  {
    strategy: z.literal("canary"),
    traffic: z
      .union([
        share("a canary share"),
        z
          .object({ canary: share("a canary share").max(99, { error: "a canary share below 100 %" }), stable: z.number().int().min(1).max(99) })
          .strict()
          .refine((split) => split.canary + split.stable === 100, { error: "canary and stable adding up to 100" }),
      ])
      .default(10)
      .describe("The candidate's share during the canary step: a percentage or {canary, stable}"),
    duration: duration.default("10m").describe("How long the canary step lasts before the candidate takes all traffic"),
    ...gateFields,
  },
  "a canary rollout",
);

const stageSchema = z
  .object({
    traffic: share("a stage share"),
    duration: duration.optional().describe("How long the stage lasts (default: one measurement)"),
  })
  .strict();

const progressiveSchema = settings(
  {
    strategy: z.literal("progressive"),
    stages: z
      .array(stageSchema)
      .min(1, { error: "at least one stage" })
      .superRefine((stages, ctx) => {
        stages.forEach((stage, i) => {
          const before = stages[i - 1];
          if (before && stage.traffic <= before.traffic) {
            ctx.addIssue({ code: "custom", path: [i, "traffic"], message: `more traffic than the stage before (${before.traffic} %): stages go up` });
          }
        });
      })
      .describe("Traffic shares in increasing order, e.g. [{traffic: 10, duration: \"30m\"}, {traffic: 50, duration: \"1h\"}, {traffic: 100}]; a last stage below 100 is followed by 100"),
    ...gateFields,
  },
  "a progressive rollout",
);

const blueGreenSchema = settings(
  {
    strategy: z.literal("blue-green"),
    switchover: z
      .enum(["automatic", "manual"], { error: "automatic or manual" })
      .default("automatic")
      .describe("automatic: switch once the idle version passed its checks; manual: wait for the environment's approval of a second job"),
    duration: duration.default("0s").describe("How long the idle version is measured before the switch (default: one measurement)"),
    ...gateFields,
  },
  "a blue-green rollout",
);

const allAtOnceSchema = settings({ strategy: z.literal("all-at-once") }, "an all-at-once rollout");

export const strategySchema = z.discriminatedUnion("strategy", [allAtOnceSchema, canarySchema, progressiveSchema, blueGreenSchema], {
  error: `a strategy: ${STRATEGIES.join(", ")}`,
});

/** One environment's rollout: a strategy name (its defaults) or the strategy with its settings. */
export const environmentRolloutSchema = z
  .preprocess((value) => (typeof value === "string" ? { strategy: value } : value), strategySchema)
  .superRefine((rollout, ctx) => {
    if (rollout.strategy === "all-at-once") return;
    // The load gate's own parsers: the same grammar, the same messages, under this section's keys.
    for (const [metric, value] of Object.entries(rollout.thresholds ?? {})) {
      const problem = inputProblem(() => parseThresholds({ [metric]: value }, "thresholds"));
      if (problem) ctx.addIssue({ code: "custom", path: ["thresholds", metric], message: problem });
    }
    for (const [metric, value] of Object.entries(rollout.compare ?? {})) {
      const problem = inputProblem(() => parseBudgets({ [metric]: value }, "compare"));
      if (problem) ctx.addIssue({ code: "custom", path: ["compare", metric], message: problem });
    }
  });

/** What an InputError says was expected (with its detail and the offending expression), or undefined. */
function inputProblem(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const source = /\((?:[^:()]+): (.+)\)$/.exec(error.input)?.[1];
    const expected = error.message.slice(error.message.indexOf(": expected ") + ": expected ".length);
    return source ? `${expected}; got "${source}"` : expected;
  }
}
export type EnvironmentRollout = z.output<typeof environmentRolloutSchema>;

export const rolloutConfigSchema = z
  .record(z.string().regex(/^[A-Za-z0-9._/-]+$/, { error: "an environment name" }), environmentRolloutSchema)
  .describe("Progressive delivery per environment: all-at-once (default), canary, progressive or blue-green on Workers versions");
