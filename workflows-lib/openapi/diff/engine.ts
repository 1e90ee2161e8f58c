// The comparison of two OpenAPI documents: paths, operations, parameters, request bodies, responses,
// security, components, webhooks and version, producing changes keyed by oasdiff's rule ids.
import { InputError } from "../../errors.ts";
import { RULES } from "./rules.ts";
import type { RuleLevel } from "./rules.ts";
import { fingerprint, isObject, jsonEqual, openDocument, pointerJoin, resolve } from "./refs.ts";
import type { Located, RefLoader, SpecDocument } from "./refs.ts";
import { compareSchemas, newSchemaContext } from "./schema.ts";
import type { Direction, SchemaChange, SchemaContext, Typing } from "./schema.ts";
import { STABILITY_LEVELS, daysUntil, defaultPolicy, deprecationChanges, parseSunset } from "./deprecation.ts";
import type { DeprecationPolicy } from "./deprecation.ts";

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
  /** Deprecation/sunset policy; days default to oasdiff's (beta 31, stable 180), today to the clock. */
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

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
type OperationRef = { method: string; path: string; operationId?: string };

type Where =
  | { kind: "body"; direction: Direction; subject: string }
  | { kind: "parameter"; in: string; subject: string }
  | { kind: "header"; subject: string };

function normalizePath(path: string): string {
  return path.replace(/\{[^}]*\}/g, "{}");
}

function fmt(value: unknown): string {
  if (typeof value === "string") return `\`${value}\``;
  const text = JSON.stringify(value);
  return text === undefined ? "none" : `\`${text.length > 80 ? text.slice(0, 77) + "..." : text}\``;
}

class Collector {
  readonly changes: Change[] = [];
  private readonly seen = new Set<string>();

  /** Removes changes recorded since `from` that match. */
  drop(from: number, match: (change: Change) => boolean): void {
    const kept = this.changes.slice(from).filter((change) => !match(change));
    this.changes.splice(from, this.changes.length - from, ...kept);
  }

  add(id: string, text: string, op?: OperationRef, source?: Change["source"]): void {
    const rule = RULES[id];
    if (!rule) throw new Error(`internal: unknown rule id ${id}`);
    const change: Change = { id, level: rule.level, text };
    if (op) {
      change.method = op.method.toUpperCase();
      change.path = op.path;
      if (op.operationId) change.operationId = op.operationId;
    }
    if (source && (source.base !== undefined || source.revision !== undefined)) change.source = source;
    const key = `${id}|${change.method}|${change.path}|${text}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.changes.push(change);
  }
}

function ruleText(id: string, detail: { name?: string; from?: unknown; to?: unknown; value?: unknown; where?: string; note?: string }): string {
  let text = RULES[id]!.description;
  if (detail.name) text += ` \`${detail.name}\``;
  if (detail.value !== undefined) text += `: ${fmt(detail.value)}`;
  if (detail.from !== undefined && detail.to !== undefined) text += ` (from ${fmt(detail.from)} to ${fmt(detail.to)})`;
  else if (detail.to !== undefined) text += ` (${fmt(detail.to)})`;
  else if (detail.from !== undefined) text += ` (was ${fmt(detail.from)})`;
  if (detail.note) text += ` (${detail.note})`;
  if (detail.where) text += ` in ${detail.where}`;
  return text;
}

/** The rule id a schema change becomes where the schema sits, or undefined when oasdiff has no rule for it. */
function schemaRuleId(where: Where, change: SchemaChange): string | undefined {
  const nested = change.path.length > 0;
  for (const kind of change.kinds) {
    if (kind.startsWith("=")) {
      const id = kind.slice(1);
      if (where.kind === "body") return id;
      if (where.kind === "parameter" && where.in === "header") {
        if (id === "new-required-request-property") return "new-required-request-header-property";
        if (id === "request-property-became-required") return "request-header-property-became-required";
      }
      return undefined;
    }
    const candidates: string[] = [];
    if (where.kind === "body") {
      const dir = where.direction;
      // A readOnly property is not sent, a writeOnly one not received: some rules have a variant for
      // them, type rules skip them, the others apply as usual.
      const hidden = nested && ((dir === "request" && change.readOnly) || (dir === "response" && change.writeOnly));
      const variant = dir === "request" ? `request-read-only-property-${kind}` : `response-write-only-property-${kind}`;
      if (hidden && variant in RULES) candidates.push(variant);
      else if (hidden && /^(type-|list-of-types-)/.test(kind)) continue;
      else {
        candidates.push(`${dir}-${nested ? "property" : "body"}-${kind}`);
        if (!nested && dir === "response" && kind === "enum-value-removed") candidates.push("response-mediatype-enum-value-removed");
      }
    } else if (where.kind === "parameter") {
      if (nested && where.in === "header") candidates.push(`request-header-property-${kind}`);
      candidates.push(nested ? `request-parameter-property-${kind}` : `request-parameter-${kind}`);
      // Limits on the items of an array parameter are the parameter's own limits.
      if (change.path.length === 1 && change.path[0] === "items") candidates.push(`request-parameter-${kind}`);
    } else if (!nested) {
      candidates.push(`response-header-${kind}`);
    }
    const id = candidates.find((candidate) => candidate in RULES);
    if (id) return id;
  }
  return undefined;
}

function emitSchemaChanges(out: Collector, where: Where, changes: readonly SchemaChange[], op: OperationRef): void {
  for (const change of changes) {
    const id = schemaRuleId(where, change);
    if (!id) continue;
    const name = change.path.length > 0 ? change.path.join("/") : undefined;
    out.add(id, ruleText(id, { name, from: change.from, to: change.to, value: change.value, where: where.subject }), op, change.source);
  }
}

interface Sides {
  base: SpecDocument;
  revision: SpecDocument;
  schemas: SchemaContext;
  policy: DeprecationPolicy;
  out: Collector;
}

function asObject(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

function located(doc: SpecDocument, value: unknown, pointer: string): Located | undefined {
  return resolve(doc, value, pointer);
}

/** Diffs two parsed OpenAPI 3.0/3.1 documents. Throws InputError for documents that are not OpenAPI 3.x. */
export function diffSpecs(base: unknown, revision: unknown, options: DiffOptions = {}): DiffResult {
  const ignoreList = (options.ignore ?? []).map(parseIgnoreRule);
  const policy: DeprecationPolicy = { ...defaultPolicy(), ...options.deprecation };
  const b = openDocument("base", base, options.loadRef);
  const r = openDocument("revision", revision, options.loadRef);
  if (options.baseLocation) (b as { location: string }).location = options.baseLocation;
  if (options.revisionLocation) (r as { location: string }).location = options.revisionLocation;
  const sides: Sides = { base: b, revision: r, schemas: newSchemaContext(b, r, policy, options.flattenAllOf === true), policy, out: new Collector() };

  comparePaths(sides);
  compareGlobalSecurity(sides);
  compareComponents(sides);
  compareWebhooks(sides);
  compareVersion(sides);

  const ignored: IgnoredChange[] = [];
  const kept: Change[] = [];
  for (const change of sides.out.changes) {
    const rule = ignoreList.find((ignore) => ignores(ignore, change));
    if (rule) ignored.push({ ...change, reason: rule.reason });
    else kept.push(change);
  }
  const order = { error: 0, warning: 1, info: 2 } as const;
  const sort = (x: Change, y: Change) =>
    order[x.level] - order[y.level] || (x.path ?? "").localeCompare(y.path ?? "") || (x.method ?? "").localeCompare(y.method ?? "") || x.id.localeCompare(y.id);
  kept.sort(sort);
  ignored.sort(sort);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const change of kept) counts[change.level]++;
  return { changes: kept, counts, ignored };
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

function comparePaths(s: Sides): void {
  const pathsB = asObject(s.base.root.paths);
  const pathsR = asObject(s.revision.root.paths);
  const byNormal = new Map<string, string>();
  for (const path of Object.keys(pathsR)) byNormal.set(normalizePath(path), path);
  const matchedR = new Set<string>();
  for (const pathB of Object.keys(pathsB)) {
    const pathR = pathB in pathsR ? pathB : byNormal.get(normalizePath(pathB));
    const itemB = located(s.base, pathsB[pathB], pointerJoin("#/paths", pathB));
    if (!itemB) continue;
    if (pathR === undefined) {
      for (const method of METHODS) {
        const op = itemB.node[method];
        if (isObject(op)) reportRemoved(s, "api-path", { method, path: pathB, operationId: opId(op) }, op, pointerJoin(itemB.pointer, method));
      }
      continue;
    }
    matchedR.add(pathR);
    const itemR = located(s.revision, pathsR[pathR], pointerJoin("#/paths", pathR));
    if (!itemR) continue;
    for (const method of METHODS) {
      const opB = itemB.node[method];
      const opR = itemR.node[method];
      if (isObject(opB) && !isObject(opR)) {
        reportRemoved(s, "api", { method, path: pathB, operationId: opId(opB) }, opB, pointerJoin(itemB.pointer, method));
      } else if (!isObject(opB) && isObject(opR)) {
        s.out.add("endpoint-added", ruleText("endpoint-added", {}), { method, path: pathR, operationId: opId(opR) }, { revision: pointerJoin(itemR.pointer, method) });
      } else if (isObject(opB) && isObject(opR)) {
        compareOperation(s, { method, path: pathR, operationId: opId(opR) }, pathB, itemB, itemR, opB, opR);
      }
    }
  }
  for (const pathR of Object.keys(pathsR)) {
    if (matchedR.has(pathR)) continue;
    const itemR = located(s.revision, pathsR[pathR], pointerJoin("#/paths", pathR));
    if (!itemR) continue;
    for (const method of METHODS) {
      const op = itemR.node[method];
      if (isObject(op)) s.out.add("endpoint-added", ruleText("endpoint-added", {}), { method, path: pathR, operationId: opId(op) }, { revision: pointerJoin(itemR.pointer, method) });
    }
  }
}

function opId(op: Record<string, unknown>): string | undefined {
  return typeof op.operationId === "string" ? op.operationId : undefined;
}

function reportRemoved(s: Sides, prefix: "api-path" | "api", op: OperationRef, node: Record<string, unknown>, pointer: string): void {
  const source = { base: pointer };
  if (isExperimental(node)) return; // draft and alpha endpoints may go away without notice
  if (node.deprecated !== true) {
    s.out.add(`${prefix}-removed-without-deprecation`, ruleText(`${prefix}-removed-without-deprecation`, {}), op, source);
    return;
  }
  const sunset = parseSunset(node["x-sunset"]);
  if (sunset && "error" in sunset) {
    s.out.add("api-path-sunset-parse", ruleText("api-path-sunset-parse", { note: sunset.error }), op, source);
  } else if (sunset && daysUntil(s.policy.today, sunset.date) > 0) {
    s.out.add(`${prefix}-removed-before-sunset`, ruleText(`${prefix}-removed-before-sunset`, { note: `sunset ${sunset.date}` }), op, source);
  } else {
    s.out.add(`${prefix}-removed-with-deprecation`, ruleText(`${prefix}-removed-with-deprecation`, {}), op, source);
  }
}

const ENDPOINT_LIFECYCLE: Record<string, string> = {
  deprecated: "endpoint-deprecated",
  "deprecated-with-sunset": "endpoint-deprecated-with-sunset",
  "deprecated-sunset-missing": "api-deprecated-sunset-missing",
  "deprecated-sunset-invalid": "api-deprecated-sunset-parse",
  "sunset-date-too-small": "api-sunset-date-too-small",
  reactivated: "endpoint-reactivated",
  "sunset-deleted": "sunset-deleted",
  "sunset-date-changed-too-small": "api-sunset-date-changed-too-small",
};

const PARAMETER_LIFECYCLE: Record<string, string> = {
  deprecated: "request-parameter-deprecated",
  "deprecated-with-sunset": "request-parameter-deprecated",
  "deprecated-sunset-missing": "request-parameter-deprecated-sunset-missing",
  "deprecated-sunset-invalid": "request-parameter-sunset-parse",
  "sunset-date-too-small": "request-parameter-sunset-date-too-small",
  reactivated: "request-parameter-reactivated",
  "sunset-deleted": "request-parameter-sunset-deleted",
  "sunset-date-changed-too-small": "request-parameter-sunset-date-changed-too-small",
};

function compareOperation(
  s: Sides,
  op: OperationRef,
  pathB: string,
  itemB: Located,
  itemR: Located,
  opB: Record<string, unknown>,
  opR: Record<string, unknown>,
): void {
  const pointerB = pointerJoin(itemB.pointer, op.method);
  const pointerR = pointerJoin(itemR.pointer, op.method);
  // Most operations of a large API do not change: skip them without walking their schemas.
  if (
    fingerprint(s.base, opB) === fingerprint(s.revision, opR) &&
    fingerprint(s.base, asObject(itemB.node.parameters ?? {})) === fingerprint(s.revision, asObject(itemR.node.parameters ?? {})) &&
    jsonEqual(itemB.node.parameters, itemR.node.parameters) &&
    (opR.security !== undefined || jsonEqual(s.base.root.security, s.revision.root.security))
  ) {
    return;
  }
  const source = { base: pointerB, revision: pointerR };
  const firstChange = s.out.changes.length;
  compareOperationParts(s, op, pathB, itemB, itemR, opB, opR, pointerB, pointerR, source);
  // Draft and alpha endpoints may change freely: only their lifecycle rules still apply.
  if (isExperimental(opB)) s.out.drop(firstChange, (change) => change.level !== "info" && !LIFECYCLE_RULES.has(change.id));
}

const LIFECYCLE_RULES = new Set(["api-stability-decreased", "api-invalid-stability-level"]);

function isExperimental(op: Record<string, unknown>): boolean {
  return op["x-stability-level"] === "draft" || op["x-stability-level"] === "alpha";
}

function compareOperationParts(
  s: Sides,
  op: OperationRef,
  pathB: string,
  itemB: Located,
  itemR: Located,
  opB: Record<string, unknown>,
  opR: Record<string, unknown>,
  pointerB: string,
  pointerR: string,
  source: Change["source"],
): void {
  for (const change of deprecationChanges(s.policy, opB, opR)) {
    const id = ENDPOINT_LIFECYCLE[change.kind]!;
    s.out.add(id, ruleText(id, { note: change.detail }), op, source);
  }
  const stabilityB = opB["x-stability-level"];
  const stabilityR = opR["x-stability-level"];
  if (stabilityR !== undefined && !STABILITY_LEVELS.includes(stabilityR as never)) {
    s.out.add("api-invalid-stability-level", ruleText("api-invalid-stability-level", { value: stabilityR }), op, source);
  } else if (stabilityB !== stabilityR && typeof stabilityB === "string" && typeof stabilityR === "string") {
    const decreased = STABILITY_LEVELS.indexOf(stabilityR as never) < STABILITY_LEVELS.indexOf(stabilityB as never);
    const id = decreased ? "api-stability-decreased" : "api-stability-increased";
    s.out.add(id, ruleText(id, { from: stabilityB, to: stabilityR }), op, source);
  }

  if (opB.operationId !== opR.operationId) {
    if (opB.operationId !== undefined) s.out.add("api-operation-id-removed", ruleText("api-operation-id-removed", { value: opB.operationId, to: opR.operationId }), op, source);
    if (opR.operationId !== undefined && opB.operationId === undefined) s.out.add("api-operation-id-added", ruleText("api-operation-id-added", { value: opR.operationId }), op, source);
  }
  const tagsB = Array.isArray(opB.tags) ? opB.tags : [];
  const tagsR = Array.isArray(opR.tags) ? opR.tags : [];
  for (const tag of tagsB) if (!tagsR.includes(tag)) s.out.add("api-tag-removed", ruleText("api-tag-removed", { value: tag }), op, source);
  for (const tag of tagsR) if (!tagsB.includes(tag)) s.out.add("api-tag-added", ruleText("api-tag-added", { value: tag }), op, source);

  if (opB.security !== undefined || opR.security !== undefined) {
    const secB = opB.security ?? s.base.root.security;
    const secR = opR.security ?? s.revision.root.security;
    compareSecurity(s, secB, secR, "api-security", op, source);
  }

  compareParameters(s, op, pathB, itemB, itemR, opB, opR, pointerB, pointerR);
  compareRequestBody(s, op, opB, opR, pointerB, pointerR);
  compareResponses(s, op, opB, opR, pointerB, pointerR);
}

function securityKey(requirement: Record<string, unknown>): string {
  return Object.keys(requirement).sort().join(" + ") || "(none)";
}

function compareSecurity(
  s: Sides,
  secB: unknown,
  secR: unknown,
  prefix: "api-security" | "api-global-security",
  op: OperationRef | undefined,
  source: Change["source"],
): void {
  const listB = (Array.isArray(secB) ? secB : []).filter(isObject);
  const listR = (Array.isArray(secR) ? secR : []).filter(isObject);
  const mapB = new Map(listB.map((req) => [securityKey(req), req]));
  const mapR = new Map(listR.map((req) => [securityKey(req), req]));
  for (const [key, req] of mapB) {
    const other = mapR.get(key);
    if (!other) {
      s.out.add(`${prefix}-removed`, ruleText(`${prefix}-removed`, { value: key }), op, source);
      continue;
    }
    for (const scheme of Object.keys(req)) {
      const scopesB = Array.isArray(req[scheme]) ? (req[scheme] as unknown[]) : [];
      const scopesR = Array.isArray(other[scheme]) ? (other[scheme] as unknown[]) : [];
      for (const scope of scopesB) if (!scopesR.includes(scope)) s.out.add(`${prefix}-scope-removed`, ruleText(`${prefix}-scope-removed`, { value: scope, note: `scheme ${scheme}` }), op, source);
      for (const scope of scopesR) if (!scopesB.includes(scope)) s.out.add(`${prefix}-scope-added`, ruleText(`${prefix}-scope-added`, { value: scope, note: `scheme ${scheme}` }), op, source);
    }
  }
  for (const key of mapR.keys()) if (!mapB.has(key)) s.out.add(`${prefix}-added`, ruleText(`${prefix}-added`, { value: key }), op, source);
}

function compareGlobalSecurity(s: Sides): void {
  if (jsonEqual(s.base.root.security, s.revision.root.security)) return;
  compareSecurity(s, s.base.root.security, s.revision.root.security, "api-global-security", undefined, { base: "#/security", revision: "#/security" });
}

interface Param {
  key: string;
  name: string;
  in: string;
  located: Located;
  /** Defined on the path item (shared by its operations) rather than on the operation. */
  fromPath: boolean;
}

function collectParameters(doc: SpecDocument, item: Located, op: Record<string, unknown>, path: string, opPointer: string): Map<string, Param> {
  const params = new Map<string, Param>();
  const templateNames = [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  const add = (list: unknown, pointer: string, fromPath: boolean) => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, index) => {
      const p = resolve(doc, raw, pointerJoin(pointer, "parameters", index));
      if (!p || typeof p.node.name !== "string" || typeof p.node.in !== "string") return;
      const where = p.node.in;
      const name = p.node.name;
      // Path parameters match by position in the template, so renaming {id} to {petId} is no change.
      const key = where === "path" ? `path:${templateNames.indexOf(name)}:${templateNames.indexOf(name) === -1 ? name : ""}` : `${where}:${where === "header" ? name.toLowerCase() : name}`;
      params.set(key, { key, name, in: where, located: p, fromPath });
    });
  };
  add(item.node.parameters, item.pointer, true);
  add(op.parameters, opPointer, false);
  return params;
}

function parameterSchema(doc: SpecDocument, p: Located): { schema: Located | undefined; typing: Typing } {
  if (p.node.schema !== undefined) return { schema: resolve(doc, p.node.schema, pointerJoin(p.pointer, "schema")), typing: "parameter" };
  const content = asObject(p.node.content);
  const [mediaType] = Object.keys(content);
  if (mediaType === undefined) return { schema: undefined, typing: "parameter" };
  const entry = asObject(content[mediaType]);
  return { schema: resolve(doc, entry.schema, pointerJoin(p.pointer, "content", mediaType, "schema")), typing: /json/i.test(mediaType) ? "json" : "text" };
}

function compareParameters(
  s: Sides,
  op: OperationRef,
  pathB: string,
  itemB: Located,
  itemR: Located,
  opB: Record<string, unknown>,
  opR: Record<string, unknown>,
  pointerB: string,
  pointerR: string,
): void {
  const pb = collectParameters(s.base, itemB, opB, pathB, pointerB);
  const pr = collectParameters(s.revision, itemR, opR, op.path, pointerR);
  const pathLevelB = new Set((Array.isArray(itemB.node.parameters) ? itemB.node.parameters : []).map((raw) => {
    const p = resolve(s.base, raw, itemB.pointer);
    return p ? `${p.node.in}:${p.node.name}` : "";
  }));
  for (const [key, param] of pr) {
    if (pb.has(key)) continue;
    const source = { revision: param.located.pointer };
    const name = `${param.in} ${param.name}`;
    const required = param.located.node.required === true;
    if (param.in === "path") {
      s.out.add("new-request-path-parameter", ruleText("new-request-path-parameter", { name: param.name }), op, source);
      continue;
    }
    const id = required ? "new-required-request-parameter" : "new-optional-request-parameter";
    s.out.add(id, ruleText(id, { name }), op, source);
    if (param.fromPath && !pathLevelB.has(`${param.in}:${param.name}`)) {
      const shared = required ? "new-required-request-default-parameter-to-existing-path" : "new-optional-request-default-parameter-to-existing-path";
      s.out.add(shared, ruleText(shared, { name }), op, source);
    }
  }
  for (const [key, param] of pb) {
    const other = pr.get(key);
    const name = `${param.in} ${param.name}`;
    if (!other) {
      const source = { base: param.located.pointer };
      const node = param.located.node;
      if (node.deprecated !== true) {
        s.out.add("request-parameter-removed", ruleText("request-parameter-removed", { name }), op, source);
        continue;
      }
      const sunset = parseSunset(node["x-sunset"]);
      if (sunset && "error" in sunset) s.out.add("request-parameter-sunset-parse", ruleText("request-parameter-sunset-parse", { name, note: sunset.error }), op, source);
      else if (sunset && daysUntil(s.policy.today, sunset.date) > 0) s.out.add("request-parameter-removed-before-sunset", ruleText("request-parameter-removed-before-sunset", { name, note: `sunset ${sunset.date}` }), op, source);
      else s.out.add("request-parameter-removed-with-deprecation", ruleText("request-parameter-removed-with-deprecation", { name }), op, source);
      continue;
    }
    const B = param.located.node;
    const R = other.located.node;
    const source = { base: param.located.pointer, revision: other.located.pointer };
    for (const change of deprecationChanges(s.policy, B, R)) {
      const id = PARAMETER_LIFECYCLE[change.kind]!;
      s.out.add(id, ruleText(id, { name, note: change.detail }), op, source);
    }
    if (B.required !== true && R.required === true) s.out.add("request-parameter-became-required", ruleText("request-parameter-became-required", { name }), op, source);
    if (B.required === true && R.required !== true) s.out.add("request-parameter-became-optional", ruleText("request-parameter-became-optional", { name }), op, source);
    const sb = parameterSchema(s.base, param.located);
    const sr = parameterSchema(s.revision, other.located);
    const changes = compareSchemas(s.schemas, sb.schema, sr.schema, "request", sb.typing === "text" && sr.typing === "text" ? "text" : "parameter");
    emitSchemaChanges(s.out, { kind: "parameter", in: param.in, subject: `${param.in} parameter \`${param.name}\`` }, changes, op);
  }
}

function mediaTypes(value: unknown): Record<string, unknown> {
  return asObject(value);
}

function compareRequestBody(s: Sides, op: OperationRef, opB: Record<string, unknown>, opR: Record<string, unknown>, pointerB: string, pointerR: string): void {
  const bodyB = resolve(s.base, opB.requestBody, pointerJoin(pointerB, "requestBody"));
  const bodyR = resolve(s.revision, opR.requestBody, pointerJoin(pointerR, "requestBody"));
  if (!bodyB && !bodyR) return;
  if (!bodyB && bodyR) {
    const id = bodyR.node.required === true ? "request-body-added-required" : "request-body-added-optional";
    s.out.add(id, ruleText(id, {}), op, { revision: bodyR.pointer });
    return;
  }
  if (bodyB && !bodyR) {
    s.out.add("request-body-removed", ruleText("request-body-removed", {}), op, { base: bodyB.pointer });
    return;
  }
  const B = bodyB!;
  const R = bodyR!;
  const source = { base: B.pointer, revision: R.pointer };
  if (B.node.required !== true && R.node.required === true) s.out.add("request-body-became-required", ruleText("request-body-became-required", {}), op, source);
  if (B.node.required === true && R.node.required !== true) s.out.add("request-body-became-optional", ruleText("request-body-became-optional", {}), op, source);
  const contentB = mediaTypes(B.node.content);
  const contentR = mediaTypes(R.node.content);
  for (const mediaType of Object.keys(contentB)) {
    if (!(mediaType in contentR)) s.out.add("request-body-media-type-removed", ruleText("request-body-media-type-removed", { value: mediaType }), op, { base: pointerJoin(B.pointer, "content", mediaType) });
  }
  for (const mediaType of Object.keys(contentR)) {
    if (!(mediaType in contentB)) {
      s.out.add("request-body-media-type-added", ruleText("request-body-media-type-added", { value: mediaType }), op, { revision: pointerJoin(R.pointer, "content", mediaType) });
      continue;
    }
    compareMediaType(s, op, "request", mediaType, B, R, contentB[mediaType], contentR[mediaType], `request body ${mediaType}`);
  }
}

function compareMediaType(
  s: Sides,
  op: OperationRef,
  direction: Direction,
  mediaType: string,
  parentB: Located,
  parentR: Located,
  rawB: unknown,
  rawR: unknown,
  subject: string,
  mediaTypeR = mediaType,
): void {
  const mtB = asObject(rawB);
  const mtR = asObject(rawR);
  const pointerB = pointerJoin(parentB.pointer, "content", mediaType);
  const pointerR = pointerJoin(parentR.pointer, "content", mediaTypeR);
  const hasB = mtB.schema !== undefined;
  const hasR = mtR.schema !== undefined;
  if (!hasB && hasR) {
    const id = `${direction}-body-media-type-schema-added`;
    s.out.add(id, ruleText(id, { value: mediaType }), op, { revision: pointerR });
    return;
  }
  if (hasB && !hasR) {
    const id = `${direction}-body-media-type-schema-removed`;
    s.out.add(id, ruleText(id, { value: mediaType }), op, { base: pointerB });
    return;
  }
  if (!hasB) return;
  const schemaB = resolve(parentB.doc, mtB.schema, pointerJoin(pointerB, "schema"));
  const schemaR = resolve(parentR.doc, mtR.schema, pointerJoin(pointerR, "schema"));
  const changes = compareSchemas(s.schemas, schemaB, schemaR, direction, /json/i.test(mediaTypeR) ? "json" : "text");
  emitSchemaChanges(s.out, { kind: "body", direction, subject }, changes, op);
}

function isSuccess(status: string): boolean {
  return /^2/.test(status);
}

function compareResponses(s: Sides, op: OperationRef, opB: Record<string, unknown>, opR: Record<string, unknown>, pointerB: string, pointerR: string): void {
  const responsesB = asObject(opB.responses);
  const responsesR = asObject(opR.responses);
  for (const status of Object.keys(responsesB)) {
    if (status in responsesR) continue;
    const id = isSuccess(status) ? "response-success-status-removed" : "response-non-success-status-removed";
    s.out.add(id, ruleText(id, { value: status }), op, { base: pointerJoin(pointerB, "responses", status) });
  }
  for (const status of Object.keys(responsesR)) {
    if (!(status in responsesB)) {
      const id = isSuccess(status) ? "response-success-status-added" : "response-non-success-status-added";
      s.out.add(id, ruleText(id, { value: status }), op, { revision: pointerJoin(pointerR, "responses", status) });
      continue;
    }
    const B = resolve(s.base, responsesB[status], pointerJoin(pointerB, "responses", status));
    const R = resolve(s.revision, responsesR[status], pointerJoin(pointerR, "responses", status));
    if (!B || !R) continue;
    if (fingerprint(B.doc, B.node) === fingerprint(R.doc, R.node)) continue;
    compareResponseHeaders(s, op, status, B, R);
    const contentB = mediaTypes(B.node.content);
    const contentR = mediaTypes(R.node.content);
    const removed = Object.keys(contentB).filter((mediaType) => !(mediaType in contentR));
    const added = Object.keys(contentR).filter((mediaType) => !(mediaType in contentB));
    // One media type replaced by a wildcard that covers it (or the reverse): a rename, not a removal.
    const renamed = removed.length === 1 && added.length === 1 ? mediaTypeRename(removed[0]!, added[0]!) : undefined;
    if (renamed) {
      const [from, to] = [removed[0]!, added[0]!];
      s.out.add(renamed, ruleText(renamed, { from, to, where: `response ${status}` }), op, { base: pointerJoin(B.pointer, "content", from), revision: pointerJoin(R.pointer, "content", to) });
      compareMediaType(s, op, "response", from, B, R, contentB[from], contentR[to], `response ${status} ${to}`, to);
    }
    for (const mediaType of renamed ? [] : removed) {
      s.out.add("response-media-type-removed", ruleText("response-media-type-removed", { value: mediaType, where: `response ${status}` }), op, { base: pointerJoin(B.pointer, "content", mediaType) });
    }
    for (const mediaType of Object.keys(contentR)) {
      if (renamed && added.includes(mediaType)) continue;
      if (!(mediaType in contentB)) {
        s.out.add("response-media-type-added", ruleText("response-media-type-added", { value: mediaType, where: `response ${status}` }), op, { revision: pointerJoin(R.pointer, "content", mediaType) });
        continue;
      }
      compareMediaType(s, op, "response", mediaType, B, R, contentB[mediaType], contentR[mediaType], `response ${status} ${mediaType}`);
    }
  }
}

/** `text/*` covers `text/plain`; `*\/*` covers everything; parameters (`;charset=…`) are ignored. */
function mediaTypeCovers(range: string, mediaType: string): boolean {
  const [rangeType, rangeSub] = range.split(";")[0]!.trim().toLowerCase().split("/");
  const [type, sub] = mediaType.split(";")[0]!.trim().toLowerCase().split("/");
  return (rangeType === "*" || rangeType === type) && (rangeSub === "*" || rangeSub === sub);
}

function mediaTypeRename(from: string, to: string): string | undefined {
  if (from.split(";")[0]!.trim().toLowerCase() === to.split(";")[0]!.trim().toLowerCase()) return "response-media-type-name-changed";
  if (mediaTypeCovers(to, from)) return "response-media-type-name-generalized";
  if (mediaTypeCovers(from, to)) return "response-media-type-name-specialized";
  return undefined;
}

function compareResponseHeaders(s: Sides, op: OperationRef, status: string, B: Located, R: Located): void {
  const headersB = asObject(B.node.headers);
  const headersR = asObject(R.node.headers);
  const where = `response ${status}`;
  for (const name of Object.keys(headersB)) {
    const hb = resolve(B.doc, headersB[name], pointerJoin(B.pointer, "headers", name));
    if (!hb) continue;
    const otherName = Object.keys(headersR).find((n) => n.toLowerCase() === name.toLowerCase());
    if (otherName === undefined) {
      const id = hb.node.required === true ? "required-response-header-removed" : "optional-response-header-removed";
      s.out.add(id, ruleText(id, { name, where }), op, { base: hb.pointer });
      continue;
    }
    const hr = resolve(R.doc, headersR[otherName], pointerJoin(R.pointer, "headers", otherName));
    if (!hr) continue;
    if (hb.node.required === true && hr.node.required !== true) s.out.add("response-header-became-optional", ruleText("response-header-became-optional", { name, where }), op, { base: hb.pointer, revision: hr.pointer });
    const sb = parameterSchema(B.doc, hb);
    const sr = parameterSchema(R.doc, hr);
    emitSchemaChanges(s.out, { kind: "header", subject: `${where} header \`${name}\`` }, compareSchemas(s.schemas, sb.schema, sr.schema, "response", "parameter"), op);
  }
  for (const name of Object.keys(headersR)) {
    if (Object.keys(headersB).some((n) => n.toLowerCase() === name.toLowerCase())) continue;
    s.out.add("response-header-added", ruleText("response-header-added", { name, where }), op, { revision: pointerJoin(R.pointer, "headers", name) });
  }
}

function compareComponents(s: Sides): void {
  const componentsB = asObject(s.base.root.components);
  const componentsR = asObject(s.revision.root.components);
  const schemesB = asObject(componentsB.securitySchemes);
  const schemesR = asObject(componentsR.securitySchemes);
  for (const name of Object.keys(schemesB)) {
    const pointerB = pointerJoin("#/components/securitySchemes", name);
    if (!(name in schemesR)) {
      s.out.add("api-security-component-removed", ruleText("api-security-component-removed", { name }), undefined, { base: pointerB });
      continue;
    }
    const B = resolve(s.base, schemesB[name], pointerB);
    const R = resolve(s.revision, schemesR[name], pointerB);
    if (!B || !R) continue;
    const source = { base: B.pointer, revision: R.pointer };
    if (B.node.type !== R.node.type) s.out.add("api-security-component-type-changed", ruleText("api-security-component-type-changed", { name, from: B.node.type, to: R.node.type }), undefined, source);
    const flowsB = asObject(B.node.flows);
    const flowsR = asObject(R.node.flows);
    for (const flow of Object.keys(flowsB)) {
      if (!(flow in flowsR)) continue;
      const fb = asObject(flowsB[flow]);
      const fr = asObject(flowsR[flow]);
      if (fb.authorizationUrl !== fr.authorizationUrl) s.out.add("api-security-component-oauth-url-changed", ruleText("api-security-component-oauth-url-changed", { name, from: fb.authorizationUrl, to: fr.authorizationUrl }), undefined, source);
      if (fb.tokenUrl !== fr.tokenUrl) s.out.add("api-security-component-oauth-token-url-changed", ruleText("api-security-component-oauth-token-url-changed", { name, from: fb.tokenUrl, to: fr.tokenUrl }), undefined, source);
      const scopesB = asObject(fb.scopes);
      const scopesR = asObject(fr.scopes);
      for (const scope of Object.keys(scopesB)) {
        if (!(scope in scopesR)) s.out.add("api-security-component-oauth-scope-removed", ruleText("api-security-component-oauth-scope-removed", { name, value: scope }), undefined, source);
        else if (scopesB[scope] !== scopesR[scope]) s.out.add("api-security-component-oauth-scope-changed", ruleText("api-security-component-oauth-scope-changed", { name, value: scope, from: scopesB[scope], to: scopesR[scope] }), undefined, source);
      }
      for (const scope of Object.keys(scopesR)) {
        if (!(scope in scopesB)) s.out.add("api-security-component-oauth-scope-added", ruleText("api-security-component-oauth-scope-added", { name, value: scope }), undefined, source);
      }
    }
  }
  for (const name of Object.keys(schemesR)) {
    if (!(name in schemesB)) s.out.add("api-security-component-added", ruleText("api-security-component-added", { name }), undefined, { revision: pointerJoin("#/components/securitySchemes", name) });
  }
  const schemasB = asObject(componentsB.schemas);
  const schemasR = asObject(componentsR.schemas);
  for (const name of Object.keys(schemasB)) {
    if (!(name in schemasR)) s.out.add("api-schema-removed", ruleText("api-schema-removed", { name }), undefined, { base: pointerJoin("#/components/schemas", name) });
  }
}

function compareWebhooks(s: Sides): void {
  const hooksB = asObject(s.base.root.webhooks);
  const hooksR = asObject(s.revision.root.webhooks);
  for (const name of Object.keys(hooksB)) {
    if (!(name in hooksR)) s.out.add("webhook-removed", ruleText("webhook-removed", { name }), undefined, { base: pointerJoin("#/webhooks", name) });
  }
  for (const name of Object.keys(hooksR)) {
    if (!(name in hooksB)) s.out.add("webhook-added", ruleText("webhook-added", { name }), undefined, { revision: pointerJoin("#/webhooks", name) });
  }
}

function semver(value: unknown): [number, number, number] | undefined {
  const match = typeof value === "string" ? /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(value) : null;
  return match ? [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)] : undefined;
}

/** Versioning discipline: judged after the other checks, since it depends on whether anything broke. */
function compareVersion(s: Sides): void {
  const vb = asObject(s.base.root.info).version;
  const vr = asObject(s.revision.root.info).version;
  const source = { base: "#/info/version", revision: "#/info/version" };
  const b = semver(vb);
  const r = semver(vr);
  const order = b && r ? (r[0] - b[0] || r[1] - b[1] || r[2] - b[2]) : 0;
  if (b && r && order < 0) {
    s.out.add("api-version-decreased", ruleText("api-version-decreased", { from: vb, to: vr }), undefined, source);
    return;
  }
  const breaking = s.out.changes.some((change) => change.level === "error");
  if (!breaking) return;
  if (vb === vr) s.out.add("api-version-not-bumped", ruleText("api-version-not-bumped", { value: vr }), undefined, source);
  else if (b && r && r[0] === b[0]) s.out.add("api-major-version-not-bumped", ruleText("api-major-version-not-bumped", { from: vb, to: vr }), undefined, source);
}
