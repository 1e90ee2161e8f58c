// What the two tools say about one pair, reduced to what they must agree on: the set of
// (rule id, level, operation) findings. Agreement over many pairs is counted per finding: a finding both
// tools report agrees, one reported by a single tool does not. Figures are given overall, at error level
// and per rule family.

export type Level = "error" | "warning" | "info";

export interface Finding {
  id: string;
  level: Level;
  /** `METHOD /path`, or "" for document-level findings (components, security schemes, info). */
  operation: string;
}

export const findingKey = (finding: Finding): string => `${finding.id}|${finding.level}|${finding.operation}`;

function parseKey(key: string): Finding {
  const [id, level, operation] = key.split("|") as [string, Level, string];
  return { id, level, operation };
}

const OASDIFF_LEVELS: Record<number, Level> = { 1: "info", 2: "warning", 3: "error" };

/** oasdiff's `changelog --format json` output: `[{id, level: 1|2|3, operation?, path?, …}]`. */
export function fromOasdiff(json: unknown): Finding[] {
  if (!Array.isArray(json)) throw new Error(`oasdiff printed ${typeof json}, expected a JSON array of changes`);
  return json.map((change: { id: string; level: number; operation?: string; path?: string }) => {
    const level = OASDIFF_LEVELS[change.level];
    if (!level) throw new Error(`oasdiff change ${change.id} has level ${change.level}`);
    return { id: change.id, level, operation: change.operation && change.path ? `${change.operation} ${change.path}` : "" };
  });
}

/** `alchkit openapi diff --format json` output: `{changes: [{id, level, method?, path?}], …}`. */
export function fromAlchkit(json: unknown): Finding[] {
  const changes = (json as { changes?: unknown }).changes;
  if (!Array.isArray(changes)) throw new Error("alchkit printed no `changes` array");
  return changes.map((change: { id: string; level: Level; method?: string; path?: string }) => ({
    id: change.id,
    level: change.level,
    operation: change.method && change.path ? `${change.method} ${change.path}` : "",
  }));
}

/**
 * Rule families, first match wins: a rule id is counted once, under the most specific subject it names
 * (`request-property-enum-value-removed` is an enum rule, not a request-body rule).
 */
export const FAMILIES: ReadonlyArray<readonly [family: string, pattern: RegExp]> = [
  ["deprecation and sunset", /deprecat|sunset|reactivated/],
  ["stability", /stability/],
  ["security", /security/],
  ["discriminators", /discriminator/],
  ["allOf / oneOf / anyOf", /all-of|any-of|one-of/],
  ["readOnly / writeOnly", /read-only|write-only/],
  ["enums and values", /enum|const-|default-value/],
  ["bounds", /-(max|min|exclusive-max|exclusive-min)(-length|-items|-properties|-contains)?-(set|unset|increased|decreased)|multiple-of|unique-items/],
  ["types and formats", /(^|-)type-(changed|generalized|specialized|compatible)|list-of-types|format|nullable|pattern|became-(not-)?false|content-(media-type|encoding)/],
  ["required-ness", /became-(required|optional)|new-required-|added-required/],
  ["parameters", /request-(default-|path-)?parameter/],
  ["headers", /header/],
  ["request bodies", /^request-|^new-optional-request-property/],
  ["response bodies", /^response-/],
  ["paths and operations", /^(endpoint-|api-path-|api-removed-|api-operation-id-|api-tag-)/],
  ["document", /./],
];

export function familyOf(id: string): string {
  return FAMILIES.find(([, pattern]) => pattern.test(id))![0];
}

export interface PairComparison {
  name: string;
  agreed: Finding[];
  onlyOasdiff: Finding[];
  onlyAlchkit: Finding[];
}

export function comparePair(name: string, oasdiff: readonly Finding[], alchkit: readonly Finding[]): PairComparison {
  const theirs = new Set(oasdiff.map(findingKey));
  const ours = new Set(alchkit.map(findingKey));
  return {
    name,
    agreed: [...theirs].filter((key) => ours.has(key)).map(parseKey),
    onlyOasdiff: [...theirs].filter((key) => !ours.has(key)).map(parseKey),
    onlyAlchkit: [...ours].filter((key) => !theirs.has(key)).map(parseKey),
  };
}

export interface Tally {
  agreed: number;
  onlyOasdiff: number;
  onlyAlchkit: number;
}

export const rate = (tally: Tally): number => {
  const all = tally.agreed + tally.onlyOasdiff + tally.onlyAlchkit;
  return all === 0 ? 1 : tally.agreed / all;
};

export interface Agreement {
  overall: Tally;
  /** Findings at error level in either tool (a level disagreement on an error counts here). */
  errorLevel: Tally;
  families: Map<string, Tally>;
  pairs: number;
}

/**
 * A finding one tool reports at error level and the other at another level is one disagreement at error
 * level (both keys are unmatched), so levels count as much as ids.
 */
export function tally(comparisons: readonly PairComparison[]): Agreement {
  const empty = (): Tally => ({ agreed: 0, onlyOasdiff: 0, onlyAlchkit: 0 });
  const result: Agreement = { overall: empty(), errorLevel: empty(), families: new Map(), pairs: comparisons.length };
  for (const { name: family } of FAMILIES.map(([family]) => ({ name: family }))) result.families.set(family, empty());
  const count = (finding: Finding, field: keyof Tally) => {
    result.overall[field]++;
    if (finding.level === "error") result.errorLevel[field]++;
    result.families.get(familyOf(finding.id))![field]++;
  };
  for (const comparison of comparisons) {
    for (const finding of comparison.agreed) count(finding, "agreed");
    for (const finding of comparison.onlyOasdiff) count(finding, "onlyOasdiff");
    for (const finding of comparison.onlyAlchkit) count(finding, "onlyAlchkit");
  }
  return result;
}

const percent = (value: number): string => `${(value * 100).toFixed(1)} %`;

function line(label: string, t: Tally): string {
  return `${label.padEnd(24)} ${percent(rate(t)).padStart(7)}  (${t.agreed} agreed, ${t.onlyOasdiff} only oasdiff, ${t.onlyAlchkit} only alchkit)`;
}

/** The agreement table the suite prints. */
export function renderAgreement(title: string, agreement: Agreement): string {
  const rows = [
    `${title}: ${agreement.pairs} pair${agreement.pairs === 1 ? "" : "s"}, agreement on (rule id, level, operation)`,
    `  ${line("overall", agreement.overall)}`,
    `  ${line("error level", agreement.errorLevel)}`,
  ];
  for (const [family, t] of agreement.families) {
    if (t.agreed + t.onlyOasdiff + t.onlyAlchkit > 0) rows.push(`    ${line(family, t)}`);
  }
  return rows.join("\n");
}

/** Every disagreement, one line each, for the log of a failing run. */
export function renderDisagreements(comparisons: readonly PairComparison[], limit = 200): string {
  const lines: string[] = [];
  for (const c of comparisons) {
    for (const f of c.onlyOasdiff) lines.push(`  ${c.name}: only oasdiff  ${f.level.padEnd(7)} ${f.id}  ${f.operation}`);
    for (const f of c.onlyAlchkit) lines.push(`  ${c.name}: only alchkit  ${f.level.padEnd(7)} ${f.id}  ${f.operation}`);
  }
  return (lines.length > limit ? [...lines.slice(0, limit), `  …and ${lines.length - limit} more`] : lines).join("\n");
}
