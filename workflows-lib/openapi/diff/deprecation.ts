// Deprecation and sunset policy shared by endpoints, parameters and properties. A deprecated item should
// carry an `x-sunset` date (YYYY-MM-DD or RFC 3339) at least N days ahead, N depending on its
// `x-stability-level` (draft and alpha: none; beta and stable: configurable, oasdiff's defaults 31/180).

export interface DeprecationPolicy {
  /** Minimum days between deprecating a beta item and its sunset (0 = sunset optional). */
  readonly betaDays: number;
  /** Minimum days between deprecating a stable item (or one without stability level) and its sunset. */
  readonly stableDays: number;
  /** Today as YYYY-MM-DD (UTC): sunset dates are measured from here. */
  readonly today: string;
}

export const STABILITY_LEVELS = ["draft", "alpha", "beta", "stable"] as const;

export function defaultPolicy(now: Date = new Date()): DeprecationPolicy {
  return { betaDays: 31, stableDays: 180, today: now.toISOString().slice(0, 10) };
}

export type SunsetDate = { date: string } | { error: string } | undefined;

export function parseSunset(value: unknown): SunsetDate {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return { date: value.toISOString().slice(0, 10) };
  if (typeof value === "string") {
    const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$)/.exec(value);
    if (match) {
      const date = `${match[1]}-${match[2]}-${match[3]}`;
      const parsed = new Date(`${date}T00:00:00Z`);
      if (!Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date)) return { date };
    }
  }
  return { error: `cannot parse sunset date ${JSON.stringify(value)}` };
}

export function daysUntil(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

function requiredDays(policy: DeprecationPolicy, stability: unknown): number {
  if (stability === "draft" || stability === "alpha") return 0;
  if (stability === "beta") return policy.betaDays;
  return policy.stableDays;
}

export type DeprecationKind =
  | "deprecated"
  | "deprecated-with-sunset"
  | "deprecated-sunset-missing"
  | "deprecated-sunset-invalid"
  | "sunset-date-too-small"
  | "reactivated"
  | "sunset-deleted"
  | "sunset-date-changed-too-small";

/** Lifecycle changes of one item (operation, parameter or schema) from `base` to `revision`. */
export function deprecationChanges(
  policy: DeprecationPolicy,
  base: Record<string, unknown>,
  revision: Record<string, unknown>,
): Array<{ kind: DeprecationKind; detail?: string }> {
  const was = base.deprecated === true;
  const is = revision.deprecated === true;
  if (was && !is) return [{ kind: "reactivated" }];
  if (!is) return [];
  const days = requiredDays(policy, revision["x-stability-level"]);
  const sunset = parseSunset(revision["x-sunset"]);
  if (!was) {
    if (!sunset) return [{ kind: days > 0 ? "deprecated-sunset-missing" : "deprecated" }];
    if ("error" in sunset) return [{ kind: "deprecated-sunset-invalid", detail: sunset.error }];
    if (daysUntil(policy.today, sunset.date) < days) return [{ kind: "sunset-date-too-small", detail: `sunset ${sunset.date} is less than ${days} days ahead` }];
    return [{ kind: "deprecated-with-sunset", detail: `sunset ${sunset.date}` }];
  }
  const before = parseSunset(base["x-sunset"]);
  if (before && "date" in before) {
    if (!sunset) return [{ kind: "sunset-deleted", detail: `was ${before.date}` }];
    if ("date" in sunset && sunset.date < before.date && daysUntil(policy.today, sunset.date) < days) {
      return [{ kind: "sunset-date-changed-too-small", detail: `from ${before.date} to ${sunset.date}, less than ${days} days ahead` }];
    }
  }
  return [];
}
