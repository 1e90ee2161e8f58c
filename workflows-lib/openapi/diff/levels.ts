// Settling each change's level, after all checks ran (oasdiff's order):
// 1. a recognised reshaping explains the raw changes it causes — wrapping a schema into a nullable oneOf
//    also reads as a type change, removed enum values… — so those are dropped and only the reshaping's
//    own rule is kept;
// 2. a change on a readOnly property of a request (or a writeOnly one of a response) cannot affect the
//    client: its level is derived again with that state taken into account;
// 3. a change found inside an allOf compared member by member may be covered by a sibling member: at
//    most a warning;
// 4. versioning: a breaking change needs a major version bump of info.version (semver only).
import type { RawChange } from "./change.ts";
import { RULES } from "./rules.ts";
import type { RuleDirection, RuleEffect, RuleLevel } from "./rules.ts";
import type { SchemaDiff } from "./schema-diff.ts";

const RANK: Record<RuleLevel, number> = { info: 1, warning: 2, error: 3 };
const BY_RANK: RuleLevel[] = ["info", "info", "warning", "error"];

/** The level a rule's effect has for whose data it is (oasdiff's severity law). */
export function deriveLevel(effect: RuleEffect, direction: RuleDirection, guards: readonly string[]): RuleLevel {
  for (const guard of guards) {
    if (guard === "read-only" && direction === "request") effect = "none";
    else if (guard === "write-only" && direction === "response") effect = "none";
    else if (guard === "non-success" || guard === "sanctioned") effect = "none";
    else if (guard === "required-in-requests" && direction === "request") effect = "none";
    else if (guard === "negotiated") direction = "request";
  }
  switch (effect) {
    case "violation":
    case "incomparable":
      return "error";
    case "none":
      return "info";
    case "unknown":
      return "warning";
    case "narrows":
      return direction === "response" ? "info" : "error";
    case "widens":
      return direction === "response" ? "error" : "info";
  }
}

type Kind = string;
interface Transition {
  present: (d: SchemaDiff) => boolean;
  claims: ReadonlySet<Kind>;
  reportedBy: (id: string) => boolean;
}

const ALL_SCHEMA_KINDS = new Set(["type", "values", "constraints", "structure", "existence", "requiredness"]);
const isNullableRule = (id: string) => /-became-(not-)?nullable$/.test(id) && /^(request|response)-(body|property|parameter)-|^request-parameter-property-/.test(id);
const onlyNull = (list: readonly string[]) => list.every((t) => t === "null");

const TRANSITIONS: readonly Transition[] = [
  // A schema wrapped into oneOf [{type: "null"}, itself] (or unwrapped): a nullability change only.
  { present: (d) => d.nullableWrapping !== undefined, claims: ALL_SCHEMA_KINDS, reportedBy: isNullableRule },
  // The schema replaced by `false` (or the reverse).
  { present: (d) => d.always !== undefined && (d.always.from === false || d.always.to === false), claims: ALL_SCHEMA_KINDS, reportedBy: (id) => /-schema-became-(not-)?false$/.test(id) },
  // An object schema turned into a oneOf of alternatives carrying its properties.
  { present: (d) => d.oneOfWrapping !== undefined, claims: new Set(["type", "structure"]), reportedBy: (id) => /-body-wrapped-in-one-of(-original-preserved)?$|^(request|response)-property-one-of-added$/.test(id) },
  // A single type turned into a oneOf/anyOf of types (or the reverse).
  { present: (d) => d.listOfTypes !== undefined, claims: new Set(["type", "structure"]), reportedBy: (id) => /-list-of-types-(widened|narrowed)$/.test(id) },
  // Only "null" added to or removed from the type list (3.1's type: [x, "null"]).
  { present: (d) => d.type !== undefined && onlyNull(d.type.added) && onlyNull(d.type.deleted) && d.format === undefined, claims: new Set(["type"]), reportedBy: isNullableRule },
];

function claimed(change: RawChange): boolean {
  const node = change.schema;
  if (!node) return false;
  const rule = RULES[change.id];
  if (!rule) return false;
  return TRANSITIONS.some((t) => t.claims.has(rule.kind) && t.present(node) && !t.reportedBy(change.id));
}

export interface Settled {
  change: RawChange;
  level: RuleLevel;
}

/** Drops explained changes and settles the level of each remaining one. */
export function settleLevels(changes: readonly RawChange[]): Settled[] {
  const out: Settled[] = [];
  for (const change of changes) {
    if (claimed(change)) continue;
    const rule = RULES[change.id]!;
    let level: RuleLevel = change.level ?? rule.level;
    if (change.guards && change.guards.length > 0 && change.level === undefined) {
      const ruleGuards = rule.guards ?? [];
      const base = deriveLevel(rule.effect, rule.direction, ruleGuards);
      let lowest = base;
      for (const guard of change.guards) {
        const derived = deriveLevel(rule.effect, rule.direction, [...ruleGuards, guard]);
        if (RANK[derived] < RANK[base] && RANK[derived] < RANK[lowest]) lowest = derived;
      }
      if (RANK[lowest] < RANK[level]) level = lowest;
    }
    if (change.allOf && RANK[level] > RANK.warning) level = BY_RANK[RANK.warning]!;
    out.push({ change, level });
  }
  return out;
}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function semver(value: unknown): [number, number, number] | undefined {
  const match = typeof value === "string" ? SEMVER.exec(value) : null;
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/**
 * The versioning rule, judged on the settled levels: with an error-level change, info.version must move
 * to a new major (a new minor below 1.0.0). Versions that are not semver are not judged.
 */
export function versioningChange(baseVersion: unknown, revisionVersion: unknown, settled: readonly Settled[]): RawChange | undefined {
  const b = semver(baseVersion);
  const r = semver(revisionVersion);
  if (!b || !r) return undefined;
  if (!settled.some((s) => s.level === "error")) return undefined;
  const source = { base: "#/info/version", revision: "#/info/version" };
  if (baseVersion === revisionVersion) return { id: "api-version-not-bumped", text: { value: revisionVersion }, source };
  const increased = r[0] !== b[0] ? r[0] > b[0] : r[1] !== b[1] ? r[1] > b[1] : r[2] > b[2];
  if (!increased) return { id: "api-version-decreased", text: { from: baseVersion, to: revisionVersion }, source };
  const major = b[0] === 0 && r[0] === 0 ? r[1] > b[1] : r[0] > b[0];
  if (!major) return { id: "api-major-version-not-bumped", text: { from: baseVersion, to: revisionVersion }, source };
  return undefined;
}
