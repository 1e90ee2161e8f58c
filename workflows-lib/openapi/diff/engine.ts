// The comparison of two OpenAPI documents: paths and operations (with their parameters, request bodies,
// responses and headers), webhooks, security, component schemas and security schemes, and versioning,
// producing changes under oasdiff's rule ids with the levels oasdiff gives them.
import { InputError } from "../../errors.ts";
import type { RawChange } from "./change.ts";
import { defaultPolicy } from "./lifecycle.ts";
import type { DeprecationPolicy } from "./lifecycle.ts";
import { settleLevels, versioningChange } from "./levels.ts";
import { METHODS, comparePaths, compareWebhookSets } from "./operations.ts";
import type { Sides } from "./operations.ts";
import { isObject, openDocument, pointerJoin } from "./refs.ts";
import type { RefLoader } from "./refs.ts";
import { RULES } from "./rules.ts";
import type { RuleLevel } from "./rules.ts";
import { newDiffContext } from "./schema-diff.ts";
import { compareSecurity, compareSecuritySchemes } from "./security.ts";

export interface Change {
  id: string;
  level: RuleLevel;
  text: string;
  method?: string;
  path?: string;
  operationId?: string;
  source?: { base?: string; revision?: string };
}

export interface IgnoreRule {
  /** Rule id to ignore. */
  id: string;
  /** `METHOD /path` the rule is ignored for; omitted = every operation. */
  operation?: string;
  /** Why this is acceptable; shown in reports. */
  reason: string;
}

export interface IgnoredChange extends Change {
  reason: string;
}

export interface DiffOptions {
  /** Changes to leave out of `changes` (they are listed under `ignored`, with the reason). */
  ignore?: readonly IgnoreRule[];
  /** Deprecation/sunset policy; days default to oasdiff's (0: no grace period enforced), today to the clock. */
  deprecation?: Partial<DeprecationPolicy>;
  /** Loads files that relative `$ref`s point to, by their location relative to each side's location. */
  loadRef?: RefLoader;
  /**
   * Merge allOf subschemas into their parent before comparing (like oasdiff's --flatten-allof), so that
   * wrapping a schema into allOf with an extension reports only what the extension changes.
   */
  flattenAllOf?: boolean;
  /** Locations of the two documents, the base for relative file refs (e.g. "specs/v1/openapi.yaml"). */
  baseLocation?: string;
  revisionLocation?: string;
}

export interface DiffResult {
  changes: Change[];
  counts: { error: number; warning: number; info: number };
  ignored: IgnoredChange[];
}

function normalizePath(path: string): string {
  return path.replace(/\{[^}]*\}/g, "{}");
}

function fmt(value: unknown): string {
  if (typeof value === "string") return `\`${value}\``;
  const text = JSON.stringify(value);
  return text === undefined ? "none" : `\`${text.length > 80 ? text.slice(0, 77) + "..." : text}\``;
}

function ruleText(change: RawChange): string {
  const detail = change.text;
  let text = RULES[change.id]!.description;
  if (detail.name) text += ` \`${detail.name}\``;
  if (detail.value !== undefined) text += `: ${fmt(detail.value)}`;
  if (detail.from !== undefined && detail.to !== undefined) text += ` (from ${fmt(detail.from)} to ${fmt(detail.to)})`;
  else if (detail.to !== undefined) text += ` (${fmt(detail.to)})`;
  else if (detail.from !== undefined) text += ` (was ${fmt(detail.from)})`;
  if (detail.note) text += ` (${detail.note})`;
  if (detail.where) text += ` in ${detail.where}`;
  return text;
}

/** Diffs two parsed OpenAPI 3.0/3.1 documents. Throws InputError for documents that are not OpenAPI 3.x. */
export function diffSpecs(base: unknown, revision: unknown, options: DiffOptions = {}): DiffResult {
  const ignoreList = (options.ignore ?? []).map(parseIgnoreRule);
  const policy: DeprecationPolicy = { ...defaultPolicy(), ...options.deprecation };
  const b = openDocument("base", base, options.loadRef);
  const r = openDocument("revision", revision, options.loadRef);
  if (options.baseLocation) (b as { location: string }).location = options.baseLocation;
  if (options.revisionLocation) (r as { location: string }).location = options.revisionLocation;
  const raw: RawChange[] = [];
  const sides: Sides = { base: b, revision: r, ctx: newDiffContext(b, r, options.flattenAllOf === true), policy, sink: (change) => void raw.push(change) };

  const paths = comparePaths(sides, "paths");
  const webhooks = comparePaths(sides, "webhooks");
  compareWebhookSets(sides);
  compareSecurity(sides.sink, b, r, [...paths.operationPairs, ...webhooks.operationPairs]);
  compareSecuritySchemes(sides.sink, b, r);
  compareComponentSchemas(sides);

  const settled = settleLevels(raw);
  const version = versioningChange(isObject(b.root.info) ? b.root.info.version : undefined, isObject(r.root.info) ? r.root.info.version : undefined, settled);
  if (version) settled.push({ change: version, level: RULES[version.id]!.level });

  const seen = new Set<string>();
  const all: Change[] = [];
  for (const { change: rawChange, level } of settled) {
    const change: Change = { id: rawChange.id, level, text: ruleText(rawChange) };
    if (rawChange.op) {
      change.method = rawChange.op.method.toUpperCase();
      change.path = rawChange.op.path;
      if (rawChange.op.operationId) change.operationId = rawChange.op.operationId;
    }
    const source = rawChange.source;
    if (source && (source.base !== undefined || source.revision !== undefined)) {
      change.source = {};
      if (source.base !== undefined) change.source.base = source.base;
      if (source.revision !== undefined) change.source.revision = source.revision;
    }
    const key = `${change.id}|${change.level}|${change.method}|${change.path}|${change.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    all.push(change);
  }

  const ignored: IgnoredChange[] = [];
  const kept: Change[] = [];
  for (const change of all) {
    const rule = ignoreList.find((ignore) => ignores(ignore, change));
    if (rule) ignored.push({ ...change, reason: rule.reason });
    else kept.push(change);
  }
  const order = { error: 0, warning: 1, info: 2 } as const;
  // By code unit, not localeCompare: the order is the same under every locale, and a diff of a small pair does
  // not pay for setting up a collator (longer than the diff itself).
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sort = (x: Change, y: Change) =>
    order[x.level] - order[y.level] || compare(x.path ?? "", y.path ?? "") || compare(x.method ?? "", y.method ?? "") || compare(x.id, y.id) || compare(x.text, y.text);
  kept.sort(sort);
  ignored.sort(sort);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const change of kept) counts[change.level]++;
  return { changes: kept, counts, ignored };
}

/** Component schemas that are gone (oasdiff's api-schema-removed). */
function compareComponentSchemas(s: Sides): void {
  const schemasOf = (root: Record<string, unknown>) => (isObject(root.components) && isObject(root.components.schemas) ? root.components.schemas : {});
  const inR = schemasOf(s.revision.root);
  for (const name of Object.keys(schemasOf(s.base.root)).sort()) {
    if (!(name in inR)) s.sink({ id: "api-schema-removed", text: { name }, source: { base: pointerJoin("#/components/schemas", name) } });
  }
}

interface ParsedIgnore {
  id: string;
  reason: string;
  method?: string;
  path?: string;
}

function parseIgnoreRule(rule: IgnoreRule, index: number): ParsedIgnore {
  if (!rule.operation) return { id: rule.id, reason: rule.reason };
  const match = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(rule.operation);
  if (!match || !(METHODS as readonly string[]).includes(match[1]!.toLowerCase())) {
    throw new InputError(`ignore[${index}].operation`, "an operation written as `METHOD /path`", `got ${JSON.stringify(rule.operation)}`);
  }
  return { id: rule.id, reason: rule.reason, method: match[1]!.toUpperCase(), path: normalizePath(match[2]!) };
}

function ignores(rule: ParsedIgnore, change: Change): boolean {
  if (rule.id !== change.id) return false;
  if (!rule.method) return true;
  return change.method === rule.method && change.path !== undefined && normalizePath(change.path) === rule.path;
}
