// Deprecation, sunset and stability, shared by endpoints, parameters and properties.
// A deprecated item may carry an `x-sunset` date (YYYY-MM-DD or RFC 3339); with a grace period configured
// (beta and stable days, 0 by default like oasdiff) the date is mandatory and must be that far ahead.
// Removing a deprecated item is fine from its sunset date on; before it, it breaks clients.

export interface DeprecationPolicy {
  /** Minimum days between deprecating a beta item and its sunset (0 = no grace period enforced). */
  readonly betaDays: number;
  /** Minimum days between deprecating a stable item (or one without stability level) and its sunset. */
  readonly stableDays: number;
  /** Today as YYYY-MM-DD: sunset dates are measured from here. */
  readonly today: string;
}

export const STABILITY_LEVELS = ["draft", "alpha", "beta", "stable"] as const;
export type Stability = (typeof STABILITY_LEVELS)[number];

export function defaultPolicy(now: Date = new Date()): DeprecationPolicy {
  return { betaDays: 0, stableDays: 0, today: now.toISOString().slice(0, 10) };
}

/** `x-stability-level`: undefined when absent, `{ invalid }` when not one of draft, alpha, beta, stable. */
export function stabilityOf(node: Record<string, unknown>): { level: Stability | undefined } | { invalid: string } {
  const value = node["x-stability-level"];
  if (value === undefined || value === null) return { level: undefined };
  if (typeof value === "string" && (STABILITY_LEVELS as readonly string[]).includes(value)) return { level: value as Stability };
  return { invalid: JSON.stringify(value) };
}

/** Rank for comparisons; no level counts as stable. */
export function stabilityRank(level: Stability | undefined): number {
  return STABILITY_LEVELS.indexOf(level ?? "stable");
}

/** Draft and alpha items sit below the default threshold (beta): they may change freely. */
export function belowThreshold(node: Record<string, unknown>): boolean {
  const s = stabilityOf(node);
  return "level" in s && (s.level === "draft" || s.level === "alpha");
}

/** The grace period for an item, from its operation's stability; undefined when that stability is invalid. */
export function deprecationDays(policy: DeprecationPolicy, operation: Record<string, unknown>): number | undefined {
  const s = stabilityOf(operation);
  if ("invalid" in s) return undefined;
  if (s.level === "draft" || s.level === "alpha") return 0;
  if (s.level === "beta") return policy.betaDays;
  return policy.stableDays;
}

export type SunsetDate = { date: string } | { error: string };

/** `x-sunset` as a date: YYYY-MM-DD or an RFC 3339 date-time (its own calendar day). */
export function parseSunset(value: unknown): SunsetDate {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return { date: value.toISOString().slice(0, 10) };
  if (typeof value === "string") {
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const time = /^(\d{4})-(\d{2})-(\d{2})[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/.exec(value);
    const match = day ?? time;
    if (match) {
      const date = `${match[1]}-${match[2]}-${match[3]}`;
      const parsed = new Date(`${date}T00:00:00Z`);
      if (!Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date)) return { date };
    }
    return { error: `sunset date ${JSON.stringify(value)} is not YYYY-MM-DD or RFC 3339` };
  }
  return { error: `sunset date ${JSON.stringify(value)} is not a date` };
}

export function daysUntil(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

export interface AnnounceIds {
  reactivated: string;
  deprecated: string;
  withSunset?: string;
  sunsetMissing: string;
  sunsetParse: string;
  sunsetTooSmall: string;
}

/** What deprecating (or un-deprecating) an item says, given its revision's extensions and grace period. */
export function announce(nowDeprecated: boolean, extensions: Record<string, unknown>, days: number, today: string, ids: AnnounceIds): { id: string; note?: string } {
  if (!nowDeprecated) return { id: ids.reactivated };
  if (!("x-sunset" in extensions)) return { id: days > 0 ? ids.sunsetMissing : ids.deprecated };
  const sunset = parseSunset(extensions["x-sunset"]);
  if ("error" in sunset) return { id: ids.sunsetParse, note: sunset.error };
  if (daysUntil(today, sunset.date) < days) return { id: ids.sunsetTooSmall, note: `sunset ${sunset.date} is less than ${days} days ahead` };
  return { id: ids.withSunset ?? ids.deprecated, note: `sunset ${sunset.date}` };
}

export interface RemovalIds {
  removed: string;
  withDeprecation: string;
  beforeSunset: string;
  /** Empty: an unreadable sunset counts as no deprecation. */
  sunsetParse?: string;
}

/** The rule for removing an item; undefined when its sunset date has come (nothing to report). */
export function removal(deprecated: boolean, extensions: Record<string, unknown>, today: string, ids: RemovalIds): { id: string; note?: string } | undefined {
  if (!deprecated) return { id: ids.removed };
  if (!("x-sunset" in extensions)) return { id: ids.withDeprecation };
  const sunset = parseSunset(extensions["x-sunset"]);
  if ("error" in sunset) return ids.sunsetParse ? { id: ids.sunsetParse, note: sunset.error } : { id: ids.removed };
  if (today < sunset.date) return { id: ids.beforeSunset, note: `sunset ${sunset.date}` };
  return undefined;
}

export interface SunsetChangeIds {
  deleted: string;
  sunsetParse: string;
  changedEarlier: string;
  changedTooSmall: string;
}

/** A still-deprecated item whose `x-sunset` was removed, made unreadable or moved earlier. */
export function sunsetChange(
  base: Record<string, unknown>,
  revision: Record<string, unknown>,
  days: number | undefined,
  today: string,
  ids: SunsetChangeIds,
): { id: string; note?: string } | undefined {
  const inBase = "x-sunset" in base;
  const inRevision = "x-sunset" in revision;
  if (inBase && !inRevision) return { id: ids.deleted };
  if (!inBase || !inRevision || jsonSame(base["x-sunset"], revision["x-sunset"])) return undefined;
  const to = parseSunset(revision["x-sunset"]);
  if ("error" in to) return { id: ids.sunsetParse, note: to.error };
  const from = parseSunset(base["x-sunset"]);
  if ("error" in from || !(from.date > to.date)) return undefined;
  if (days !== undefined && daysUntil(today, to.date) < days) return { id: ids.changedTooSmall, note: `from ${from.date} to ${to.date}, less than ${days} days ahead` };
  return { id: ids.changedEarlier, note: `from ${from.date} to ${to.date}` };
}

function jsonSame(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
