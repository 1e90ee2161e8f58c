/**
 * The `rollout` section as TypeScript sees it in `alchkit.config.ts` (`defineConfig`): the same shape the
 * schema accepts, narrow enough that the editor flags the usual mistakes before anything runs — a share above
 * 100 (or below 1), stages that do not go up, a threshold not in k6's grammar, a duration that is not one, an
 * unknown strategy or setting. The schema still checks everything when the kit loads the file.
 */
import type { z } from "zod";
import type { strategySchema } from "./rollout-config.ts";

type Range<N extends number, Acc extends number[] = []> = Acc["length"] extends N ? Acc[number] : Range<N, [...Acc, Acc["length"]]>;
type Length<N extends number, Acc extends unknown[] = []> = Acc["length"] extends N ? Acc : Length<N, [...Acc, unknown]>;

/** A whole percentage from 1 to 100. */
export type Share = Exclude<Range<101>, 0>;
/** The shares above `P`. */
export type SharesAbove<P extends number> = Exclude<Share, Range<[...Length<P>, unknown]["length"] & number>>;

type Unit = "ms" | "s" | "m" | "h";
/** A k6 duration: "500ms", "30s", "10m", "1h", "1m30s". */
export type Duration = `${number}${Unit}` | `${number}${Unit}${number}${Unit}` | `${number}${Unit}${number}${Unit}${number}${Unit}`;

type Aggregation = "avg" | "min" | "med" | "max" | "count" | "rate" | "value" | `p(${number})`;
type Operator = "<" | "<=" | ">" | ">=" | "==" | "===" | "!=";
/** A k6 threshold expression: `p(95)<500`, `rate < 0.01`. */
export type ThresholdExpression = `${Aggregation}${Operator}${number}` | `${Aggregation} ${Operator} ${number}`;
type Threshold = ThresholdExpression | { threshold: ThresholdExpression; abortOnFail?: boolean; delayAbortEval?: Duration };

interface GateSettings {
  metrics?: ReadonlyArray<"error_rate" | "latency">;
  thresholds?: { readonly [metric: string]: Threshold | readonly Threshold[] };
  compare?: { readonly [metric: string]: { readonly [statistic: string]: { relative?: number; absolute?: number; worse?: "higher" | "lower" } } };
  interval?: Duration;
  settle?: Duration;
  path?: `/${string}`;
  requests?: number;
  connections?: number;
  analytics?: boolean;
  durableObjectMigration?: "refuse" | "all-at-once";
}

export interface RolloutStage {
  traffic: Share;
  duration?: Duration;
}

export type EnvironmentRolloutInput =
  | "all-at-once"
  | "canary"
  | "progressive"
  | "blue-green"
  | { strategy: "all-at-once" }
  | (GateSettings & { strategy: "canary"; traffic?: Share | { canary: Share; stable: Share }; duration?: Duration })
  | (GateSettings & { strategy: "progressive"; stages: readonly RolloutStage[] })
  | (GateSettings & { strategy: "blue-green"; switchover?: "automatic" | "manual"; duration?: Duration });

export type RolloutInput = { readonly [environment: string]: EnvironmentRolloutInput };

/** Stages whose shares go up: each one's `traffic` must be one of the shares above the one before. */
type IncreasingStages<S, Before extends number = 0> = S extends readonly [infer Head extends RolloutStage, ...infer Tail]
  ? readonly [Omit<Head, "traffic"> & { traffic: SharesAbove<Before> }, ...IncreasingStages<Tail, Head["traffic"]>]
  : S;

/** The same section with every progressive rollout's stages required to go up. */
export type CheckedRollout<R> = {
  [E in keyof R]: R[E] extends { strategy: "progressive"; stages: infer S } ? Omit<R[E], "stages"> & { stages: IncreasingStages<S> } : R[E];
};

// The typed form never accepts what the schema refuses to read (the schema checks the rest at load time).
type Mutable<T> = T extends string | number | boolean | undefined ? T : { -readonly [K in keyof T]: Mutable<T[K]> };
type StrategyInput = Mutable<Exclude<EnvironmentRolloutInput, string>>;
type SchemaAccepts = z.input<typeof strategySchema>;
export const typedFormFitsTheSchema: StrategyInput extends SchemaAccepts ? true : never = true;
