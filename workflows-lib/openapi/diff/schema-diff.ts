// The difference between two schemas as a tree, independent of where the schemas sit: which keywords
// changed (with their values before and after), which properties were added, removed or changed, how the
// subschemas of allOf/anyOf/oneOf pair up, and the recognised reshapings (a schema wrapped into a nullable
// oneOf, an object wrapped into a oneOf of alternatives, a single type turned into a oneOf of types).
// The rules (schema-rules.ts) read the tree for a request body, a response, a parameter or a header.
//
// Keywords are read the way oasdiff reads them, so that both tools see the same changes: an absent
// minLength/minItems/minProperties is 0, absent booleans are false, exclusiveMinimum/Maximum keep their
// 3.0 (boolean) or 3.1 (number) form, and `type` is compared as a set of names ("null" included).
// Diffs are memoised per pair of schema objects; a pair met again below itself (a recursive schema) is
// no change there.
import { fingerprint, isObject, jsonEqual, pointerJoin, resolve } from "./refs.ts";
import type { Located, SpecDocument } from "./refs.ts";

/** A schema as the diff sees it: an object schema, or a boolean schema (`true` / `false`, 3.1). */
export interface Schema {
  readonly loc: Located;
  /** true / false for a boolean schema. */
  readonly always?: boolean;
  /** The `$ref` text the schema was reached through (subschema matching pairs refs by it). */
  readonly refText?: string;
}

export interface ValueDiff {
  from: unknown;
  to: unknown;
}

export interface NamesDiff {
  added: string[];
  deleted: string[];
}

export interface Subschema {
  index: number;
  /** Component name when the subschema is a `$ref`. */
  component?: string;
  title?: string;
}

export interface SubschemasDiff {
  added: Subschema[];
  deleted: Subschema[];
  modified: Array<{ base: Subschema; revision: Subschema; diff: SchemaDiff }>;
}

export interface SchemasDiff {
  added: string[];
  deleted: string[];
  modified: Map<string, SchemaDiff>;
}

/** A child schema present on one side only. */
export interface OneSided {
  readonly schemaAdded?: true;
  readonly schemaDeleted?: true;
}

export type ChildDiff = SchemaDiff | OneSided;

export const BOUND_KEYWORDS = [
  "maximum", "minimum", "multipleOf", "maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties",
  "minContains", "maxContains", "exclusiveMinimum", "exclusiveMaximum",
] as const;
export type BoundKeyword = (typeof BOUND_KEYWORDS)[number];

export interface SchemaDiff {
  readonly base: Schema;
  readonly revision: Schema;
  baseComponent?: string;
  revisionComponent?: string;
  type?: NamesDiff;
  format?: ValueDiff;
  enum?: { enumAdded: boolean; enumDeleted: boolean; added: unknown[]; deleted: unknown[] };
  default?: ValueDiff;
  const?: ValueDiff;
  nullable?: ValueDiff;
  readOnly?: ValueDiff;
  writeOnly?: ValueDiff;
  deprecated?: ValueDiff;
  uniqueItems?: ValueDiff;
  pattern?: ValueDiff;
  additionalPropertiesAllowed?: ValueDiff;
  unevaluatedItemsAllowed?: ValueDiff;
  unevaluatedPropertiesAllowed?: ValueDiff;
  contentMediaType?: ValueDiff;
  contentEncoding?: ValueDiff;
  always?: ValueDiff;
  bounds: Partial<Record<BoundKeyword, ValueDiff>>;
  extensions?: { added: string[]; deleted: string[]; modified: string[] };
  discriminator?: {
    added?: true;
    deleted?: true;
    propertyName?: ValueDiff;
    mapping?: { added: string[]; deleted: string[]; modified: Map<string, ValueDiff> };
  };
  dependentRequired?: { added: Map<string, string[]>; deleted: Map<string, string[]>; modified: Map<string, NamesDiff> };
  required?: NamesDiff;
  listOfTypes?: NamesDiff;
  /** Annotation keywords that changed (title, description, examples…): no rule reads them. */
  annotations?: string[];
  items?: ChildDiff;
  additionalProperties?: ChildDiff;
  not?: ChildDiff;
  contains?: ChildDiff;
  propertyNames?: ChildDiff;
  if?: ChildDiff;
  then?: ChildDiff;
  else?: ChildDiff;
  contentSchema?: ChildDiff;
  unevaluatedItems?: ChildDiff;
  unevaluatedProperties?: ChildDiff;
  properties?: SchemasDiff;
  patternProperties?: SchemasDiff;
  dependentSchemas?: SchemasDiff;
  allOf?: SubschemasDiff;
  anyOf?: SubschemasDiff;
  oneOf?: SubschemasDiff;
  prefixItems?: SubschemasDiff;
  oneOfWrapping?: { movedProperties: string[]; originalPreserved: boolean };
  nullableWrapping?: { added: boolean };
}

export function isModified(child: ChildDiff | undefined): child is SchemaDiff {
  return child !== undefined && "base" in child;
}

const ANNOTATION_KEYWORDS = ["title", "description", "example", "examples", "externalDocs", "$comment", "xml", "$id", "$anchor", "$dynamicRef", "$dynamicAnchor", "$schema"];
const VALIDATION_ANNOTATIONS = new Set(["title", "description", "example", "examples", "externalDocs", "$comment"]);
const CHILD_KEYWORDS = ["not", "contains", "propertyNames", "if", "then", "else", "contentSchema"] as const;
const MAP_KEYWORDS = ["properties", "patternProperties", "dependentSchemas"] as const;

export interface DiffContext {
  /** Memoised diffs per pair of schema objects: base node → revision node → diff (null = no change). */
  readonly memo: WeakMap<object, Map<object, SchemaDiff | null>>;
  /** Pairs being compared further up (a pair met again below itself is no change there). */
  readonly active: Set<string>;
  /** Pairs cut short because they were active; a diff computed past such a cut is not memoised. */
  readonly cuts: string[];
  readonly flattenAllOf: boolean;
  /** Component schema objects → name, per side. */
  readonly componentNames: { base: Map<object, string>; revision: Map<object, string> };
}

export function newDiffContext(base: SpecDocument, revision: SpecDocument, flattenAllOf: boolean): DiffContext {
  const names = (doc: SpecDocument) => {
    const map = new Map<object, string>();
    const schemas = isObject(doc.root.components) && isObject(doc.root.components.schemas) ? doc.root.components.schemas : {};
    for (const [name, schema] of Object.entries(schemas)) if (isObject(schema)) map.set(schema, name);
    return map;
  };
  return { memo: new WeakMap(), active: new Set(), cuts: [], flattenAllOf, componentNames: { base: names(base), revision: names(revision) } };
}

const EMPTY_SCHEMA: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/** Resolves a schema value (object, `$ref`, or boolean) at `pointer`; undefined when absent. */
export function schemaAt(doc: SpecDocument, value: unknown, pointer: string): Schema | undefined {
  if (value === true || value === false) return { loc: { node: EMPTY_SCHEMA, doc, pointer }, always: value };
  if (!isObject(value)) return undefined;
  const loc = resolve(doc, value, pointer);
  if (!loc) return undefined;
  return typeof value.$ref === "string" ? { loc, refText: value.$ref } : { loc };
}

const idsOf = new WeakMap<object, number>();
let nextId = 1;
function idOf(node: object): number {
  let id = idsOf.get(node);
  if (id === undefined) {
    id = nextId++;
    idsOf.set(node, id);
  }
  return id;
}

// ---- Reading keywords the way oasdiff (kin-openapi) does -------------------------------------------

export function typesOf(node: Record<string, unknown>): string[] {
  const raw = node.type;
  if (typeof raw === "string") return [raw];
  return Array.isArray(raw) ? raw.filter((t): t is string => typeof t === "string") : [];
}

const flag = (node: Record<string, unknown>, key: string): boolean => node[key] === true;
const text = (node: Record<string, unknown>, key: string): string => (typeof node[key] === "string" ? (node[key] as string) : "");
const num = (node: Record<string, unknown>, key: string): number | undefined => (typeof node[key] === "number" ? (node[key] as number) : undefined);

/** A bound's value as oasdiff holds it: undefined when absent; minimums of counts are 0 when absent. */
export function boundValue(node: Record<string, unknown>, keyword: BoundKeyword): unknown {
  switch (keyword) {
    case "minLength":
    case "minItems":
    case "minProperties":
      return num(node, keyword) ?? 0;
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const value = node[keyword];
      return typeof value === "boolean" || typeof value === "number" ? value : undefined;
    }
    default:
      return num(node, keyword);
  }
}

function valueDiff(from: unknown, to: unknown): ValueDiff | undefined {
  return jsonEqual(from, to) ? undefined : { from, to };
}

function namesDiff(from: readonly string[], to: readonly string[]): NamesDiff | undefined {
  const a = new Set(from);
  const b = new Set(to);
  const added = [...b].filter((x) => !a.has(x));
  const deleted = [...a].filter((x) => !b.has(x));
  return added.length || deleted.length ? { added, deleted } : undefined;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === "string") : [];
}

function keysOf(value: unknown): string[] {
  return isObject(value) ? Object.keys(value) : [];
}

// ---- The diff -------------------------------------------------------------------------------------

/** The flattened view of a schema when allOf flattening is on; the schema itself otherwise. */
function view(ctx: DiffContext, schema: Schema): Schema {
  if (!ctx.flattenAllOf || schema.always !== undefined || !Array.isArray(schema.loc.node.allOf)) return schema;
  return { ...schema, loc: flattenAllOf(schema.loc) };
}

/**
 * The diff of two schemas; undefined when neither side has one or nothing changed; `{schemaAdded}` /
 * `{schemaDeleted}` when one side has none.
 */
export function diffChild(ctx: DiffContext, b: Schema | undefined, r: Schema | undefined): ChildDiff | undefined {
  if (!b && !r) return undefined;
  if (!b) return { schemaAdded: true };
  if (!r) return { schemaDeleted: true };
  return diffSchemas(ctx, b, r);
}

export function diffSchemas(ctx: DiffContext, b: Schema, r: Schema): SchemaDiff | undefined {
  b = view(ctx, b);
  r = view(ctx, r);
  const nb = b.loc.node;
  const nr = r.loc.node;
  if (b.always === undefined && r.always === undefined) {
    if (nb === nr && b.loc.doc === r.loc.doc) return undefined;
    if (fingerprint(b.loc.doc, nb) === fingerprint(r.loc.doc, nr)) return undefined;
  } else if (b.always === r.always && b.always !== undefined) return undefined;
  let byBase = ctx.memo.get(nb);
  const cached = byBase?.get(nr);
  if (cached !== undefined) return cached ?? undefined;
  const key = `${idOf(nb)}:${b.always ?? ""}|${idOf(nr)}:${r.always ?? ""}`;
  if (ctx.active.has(key)) {
    ctx.cuts.push(key);
    return undefined;
  }
  ctx.active.add(key);
  const cutsBefore = ctx.cuts.length;
  try {
    const diff = computeDiff(ctx, b, r);
    // Complete unless a cycle was cut at a pair still further up: entered from elsewhere, it would see more.
    if (!ctx.cuts.slice(cutsBefore).some((cut) => cut !== key && ctx.active.has(cut))) {
      if (!byBase) ctx.memo.set(nb, (byBase = new Map()));
      byBase.set(nr, diff ?? null);
    }
    return diff;
  } finally {
    ctx.active.delete(key);
  }
}

function childAt(schema: Schema, keyword: string, ...tokens: Array<string | number>): Schema | undefined {
  let value: unknown = schema.loc.node[keyword];
  for (const token of tokens) value = Array.isArray(value) ? value[Number(token)] : isObject(value) ? value[String(token)] : undefined;
  return schemaAt(schema.loc.doc, value, pointerJoin(schema.loc.pointer, keyword, ...tokens));
}

function computeDiff(ctx: DiffContext, b: Schema, r: Schema): SchemaDiff | undefined {
  const B = b.loc.node;
  const R = r.loc.node;
  const d: SchemaDiff = { base: b, revision: r, bounds: {} };
  let changed = false;
  const set = <K extends keyof SchemaDiff>(key: K, value: SchemaDiff[K] | undefined) => {
    if (value === undefined) return;
    d[key] = value;
    changed = true;
  };

  set("always", valueDiff(b.always, r.always));
  set("type", namesDiff(typesOf(B), typesOf(R)));
  set("format", valueDiff(text(B, "format"), text(R, "format")));
  const eb = Array.isArray(B.enum) ? (B.enum as unknown[]) : undefined;
  const er = Array.isArray(R.enum) ? (R.enum as unknown[]) : undefined;
  if (eb || er) {
    const has = (list: unknown[] | undefined, v: unknown) => (list ?? []).some((x) => jsonEqual(x, v));
    const added = (er ?? []).filter((v) => !has(eb, v));
    const deleted = (eb ?? []).filter((v) => !has(er, v));
    if (added.length || deleted.length) set("enum", { enumAdded: !eb && !!er, enumDeleted: !!eb && !er, added, deleted });
  }
  set("default", valueDiff(B.default, R.default));
  set("const", valueDiff(B.const, R.const));
  for (const key of ["nullable", "readOnly", "writeOnly", "deprecated", "uniqueItems"] as const) set(key, valueDiff(flag(B, key), flag(R, key)));
  set("pattern", valueDiff(text(B, "pattern"), text(R, "pattern")));
  set("contentMediaType", valueDiff(text(B, "contentMediaType"), text(R, "contentMediaType")));
  set("contentEncoding", valueDiff(text(B, "contentEncoding"), text(R, "contentEncoding")));
  const boolOf = (value: unknown) => (typeof value === "boolean" ? value : undefined);
  set("additionalPropertiesAllowed", valueDiff(boolOf(B.additionalProperties), boolOf(R.additionalProperties)));
  set("unevaluatedItemsAllowed", valueDiff(boolOf(B.unevaluatedItems), boolOf(R.unevaluatedItems)));
  set("unevaluatedPropertiesAllowed", valueDiff(boolOf(B.unevaluatedProperties), boolOf(R.unevaluatedProperties)));
  for (const keyword of BOUND_KEYWORDS) {
    const bound = valueDiff(boundValue(B, keyword), boundValue(R, keyword));
    if (bound) {
      d.bounds[keyword] = bound;
      changed = true;
    }
  }
  const annotations = ANNOTATION_KEYWORDS.filter((key) => !jsonEqual(B[key], R[key]));
  if (annotations.length) set("annotations", annotations);

  // Extensions.
  const xb = Object.keys(B).filter((k) => k.startsWith("x-"));
  const xr = Object.keys(R).filter((k) => k.startsWith("x-"));
  const xAdded = xr.filter((k) => !(k in B));
  const xDeleted = xb.filter((k) => !(k in R));
  const xModified = xb.filter((k) => k in R && !jsonEqual(B[k], R[k]));
  if (xAdded.length || xDeleted.length || xModified.length) set("extensions", { added: xAdded, deleted: xDeleted, modified: xModified });

  // Discriminator.
  const db = isObject(B.discriminator) ? B.discriminator : undefined;
  const dr = isObject(R.discriminator) ? R.discriminator : undefined;
  if (!db && dr) set("discriminator", { added: true });
  else if (db && !dr) set("discriminator", { deleted: true });
  else if (db && dr && !jsonEqual(db, dr)) {
    const disc: NonNullable<SchemaDiff["discriminator"]> = {};
    const name = valueDiff(db.propertyName, dr.propertyName);
    if (name) disc.propertyName = name;
    const mb = isObject(db.mapping) ? db.mapping : {};
    const mr = isObject(dr.mapping) ? dr.mapping : {};
    const modified = new Map<string, ValueDiff>();
    for (const k of Object.keys(mb)) if (k in mr && mb[k] !== mr[k]) modified.set(k, { from: mb[k], to: mr[k] });
    const added = Object.keys(mr).filter((k) => !(k in mb));
    const deleted = Object.keys(mb).filter((k) => !(k in mr));
    if (added.length || deleted.length || modified.size) disc.mapping = { added, deleted, modified };
    set("discriminator", disc);
  }

  // dependentRequired.
  const drb = isObject(B.dependentRequired) ? B.dependentRequired : {};
  const drr = isObject(R.dependentRequired) ? R.dependentRequired : {};
  if (Object.keys(drb).length || Object.keys(drr).length) {
    const dep = { added: new Map<string, string[]>(), deleted: new Map<string, string[]>(), modified: new Map<string, NamesDiff>() };
    for (const k of Object.keys(drr)) {
      if (!(k in drb)) dep.added.set(k, stringList(drr[k]));
      else {
        const m = namesDiff(stringList(drb[k]), stringList(drr[k]));
        if (m) dep.modified.set(k, m);
      }
    }
    for (const k of Object.keys(drb)) if (!(k in drr)) dep.deleted.set(k, stringList(drb[k]));
    if (dep.added.size || dep.deleted.size || dep.modified.size) set("dependentRequired", dep);
  }

  set("required", namesDiff(stringList(B.required), stringList(R.required)));

  // Children.
  const itemsB = childAt(b, "items");
  const itemsR = childAt(r, "items");
  set("items", diffChild(ctx, itemsB, itemsR));
  set("additionalProperties", diffChild(ctx, isObject(B.additionalProperties) ? childAt(b, "additionalProperties") : undefined, isObject(R.additionalProperties) ? childAt(r, "additionalProperties") : undefined));
  set("unevaluatedItems", diffChild(ctx, isObject(B.unevaluatedItems) ? childAt(b, "unevaluatedItems") : undefined, isObject(R.unevaluatedItems) ? childAt(r, "unevaluatedItems") : undefined));
  set("unevaluatedProperties", diffChild(ctx, isObject(B.unevaluatedProperties) ? childAt(b, "unevaluatedProperties") : undefined, isObject(R.unevaluatedProperties) ? childAt(r, "unevaluatedProperties") : undefined));
  for (const keyword of CHILD_KEYWORDS) set(keyword, diffChild(ctx, childAt(b, keyword), childAt(r, keyword)));
  for (const keyword of MAP_KEYWORDS) set(keyword, diffSchemaMap(ctx, b, r, keyword));
  for (const keyword of ["allOf", "anyOf", "oneOf"] as const) set(keyword, diffSubschemas(ctx, b, r, keyword));
  set("prefixItems", diffPrefixItems(ctx, b, r));
  set("listOfTypes", listOfTypesDiff(b, r));
  set("oneOfWrapping", oneOfWrapping(ctx, b, r));
  set("nullableWrapping", nullableWrapping(ctx, b, r));

  if (!changed) return undefined;
  const nameB = ctx.componentNames.base.get(B);
  const nameR = ctx.componentNames.revision.get(R);
  if (nameB) d.baseComponent = nameB;
  if (nameR) d.revisionComponent = nameR;
  return d;
}

function diffSchemaMap(ctx: DiffContext, b: Schema, r: Schema, keyword: (typeof MAP_KEYWORDS)[number]): SchemasDiff | undefined {
  const kb = keysOf(b.loc.node[keyword]);
  const kr = keysOf(r.loc.node[keyword]);
  if (kb.length === 0 && kr.length === 0) return undefined;
  const inR = new Set(kr);
  const inB = new Set(kb);
  const result: SchemasDiff = { added: kr.filter((k) => !inB.has(k)).sort(), deleted: kb.filter((k) => !inR.has(k)).sort(), modified: new Map() };
  for (const name of kb.filter((k) => inR.has(k)).sort()) {
    const child = diffChild(ctx, childAt(b, keyword, name), childAt(r, keyword, name));
    if (isModified(child)) result.modified.set(name, child);
  }
  return result.added.length || result.deleted.length || result.modified.size ? result : undefined;
}

function componentOf(refText: string | undefined): string | undefined {
  return refText === undefined ? undefined : refText.slice(refText.lastIndexOf("/") + 1);
}

function subschemaOf(schema: Schema | undefined, index: number): Subschema {
  const sub: Subschema = { index };
  const component = componentOf(schema?.refText);
  if (component) sub.component = component;
  const title = schema && typeof schema.loc.node.title === "string" ? (schema.loc.node.title as string) : undefined;
  if (title) sub.title = title;
  return sub;
}

/**
 * allOf/anyOf/oneOf members pair up like oasdiff pairs them: `$ref`s by their ref text; inline schemas
 * when identical, then by title, then the single leftover on each side; and an inline schema moved to an
 * equivalent `$ref` (or back) is no change.
 */
function diffSubschemas(ctx: DiffContext, b: Schema, r: Schema, keyword: "allOf" | "anyOf" | "oneOf"): SubschemasDiff | undefined {
  const lb = Array.isArray(b.loc.node[keyword]) ? (b.loc.node[keyword] as unknown[]) : [];
  const lr = Array.isArray(r.loc.node[keyword]) ? (r.loc.node[keyword] as unknown[]) : [];
  if (lb.length === 0 && lr.length === 0) return undefined;
  const sb = lb.map((_, i) => childAt(b, keyword, i));
  const sr = lr.map((_, i) => childAt(r, keyword, i));
  const isRef = (raw: unknown) => isObject(raw) && typeof raw.$ref === "string";
  const result: SubschemasDiff = { added: [], deleted: [], modified: [] };
  const modify = (i: number, j: number) => {
    const diff = diffChild(ctx, sb[i], sr[j]);
    if (isModified(diff)) result.modified.push({ base: subschemaOf(sb[i], i), revision: subschemaOf(sr[j], j), diff });
  };
  // 1. References, by their text.
  const takenR = new Set<number>();
  for (let i = 0; i < lb.length; i++) {
    if (!isRef(lb[i])) continue;
    const j = lr.findIndex((raw, k) => !takenR.has(k) && isRef(raw) && (raw as { $ref: string }).$ref === (lb[i] as { $ref: string }).$ref);
    if (j >= 0) {
      takenR.add(j);
      modify(i, j);
    } else result.deleted.push(subschemaOf(sb[i], i));
  }
  for (let j = 0; j < lr.length; j++) if (isRef(lr[j]) && !takenR.has(j)) result.added.push(subschemaOf(sr[j], j));
  // 2. Inline schemas: identical ones match; then by title; then one leftover each.
  const identical = (i: number, j: number) => sb[i] !== undefined && sr[j] !== undefined && diffSchemas(ctx, sb[i]!, sr[j]!) === undefined;
  const unmatched = (fromList: unknown[], toList: unknown[], same: (from: number, to: number) => boolean) => {
    const matched = new Set<number>();
    const left: number[] = [];
    fromList.forEach((raw, i) => {
      if (isRef(raw)) return;
      const j = toList.findIndex((other, k) => !isRef(other) && !matched.has(k) && same(i, k));
      if (j < 0) left.push(i);
      else matched.add(j);
    });
    return left;
  };
  let addedIdx = unmatched(lr, lb, (j, i) => identical(i, j));
  let deletedIdx = unmatched(lb, lr, (i, j) => identical(i, j));
  const titleOf = (schema: Schema | undefined) => (schema && typeof schema.loc.node.title === "string" ? (schema.loc.node.title as string) : "");
  const titlesUsed = new Set<string>([""]);
  const pairedAdded = new Set<number>();
  const pairedDeleted = new Set<number>();
  for (const j of addedIdx) {
    const title = titleOf(sr[j]);
    if (titlesUsed.has(title)) continue;
    const i = deletedIdx.find((k) => titleOf(sb[k]) === title);
    if (i === undefined) continue;
    pairedAdded.add(j);
    pairedDeleted.add(i);
    titlesUsed.add(title);
    modify(i, j);
  }
  addedIdx = addedIdx.filter((j) => !pairedAdded.has(j));
  deletedIdx = deletedIdx.filter((i) => !pairedDeleted.has(i));
  if (addedIdx.length === 1 && deletedIdx.length === 1 && titleOf(sb[deletedIdx[0]!]) === "" && titleOf(sr[addedIdx[0]!]) === "") {
    modify(deletedIdx[0]!, addedIdx[0]!);
    addedIdx = [];
    deletedIdx = [];
  }
  for (const j of addedIdx) result.added.push(subschemaOf(sr[j], j));
  for (const i of deletedIdx) result.deleted.push(subschemaOf(sb[i], i));
  // 3. An inline schema replaced by an equivalent $ref (or the reverse).
  const usedAdded = new Set<Subschema>();
  const usedDeleted = new Set<Subschema>();
  for (const del of result.deleted) {
    for (const add of result.added) {
      if (usedAdded.has(add)) continue;
      if (isRef(lb[del.index]) === isRef(lr[add.index])) continue;
      if (!equivalent(ctx, sb[del.index], sr[add.index])) continue;
      usedAdded.add(add);
      usedDeleted.add(del);
      break;
    }
  }
  result.added = result.added.filter((s) => !usedAdded.has(s));
  result.deleted = result.deleted.filter((s) => !usedDeleted.has(s));
  return result.added.length || result.deleted.length || result.modified.length ? result : undefined;
}

function diffPrefixItems(ctx: DiffContext, b: Schema, r: Schema): SubschemasDiff | undefined {
  const lb = Array.isArray(b.loc.node.prefixItems) ? (b.loc.node.prefixItems as unknown[]) : [];
  const lr = Array.isArray(r.loc.node.prefixItems) ? (r.loc.node.prefixItems as unknown[]) : [];
  if (lb.length === 0 && lr.length === 0) return undefined;
  const result: SubschemasDiff = { added: [], deleted: [], modified: [] };
  for (let i = 0; i < Math.min(lb.length, lr.length); i++) {
    const sb = childAt(b, "prefixItems", i);
    const sr = childAt(r, "prefixItems", i);
    const diff = diffChild(ctx, sb, sr);
    if (isModified(diff)) result.modified.push({ base: subschemaOf(sb, i), revision: subschemaOf(sr, i), diff });
  }
  for (let i = lr.length; i < lb.length; i++) result.deleted.push(subschemaOf(childAt(b, "prefixItems", i), i));
  for (let i = lb.length; i < lr.length; i++) result.added.push(subschemaOf(childAt(r, "prefixItems", i), i));
  return result.added.length || result.deleted.length || result.modified.length ? result : undefined;
}

// ---- Equivalence (validation only: annotations do not count) -------------------------------------

/** True when the diff changes what validates (annotations such as title, description, default do not). */
export function hasValidationChanges(diff: ChildDiff | undefined, seen: Set<SchemaDiff> = new Set()): boolean {
  if (diff === undefined) return false;
  if (!isModified(diff)) return true;
  if (seen.has(diff)) return false;
  seen.add(diff);
  for (const [key, value] of Object.entries(diff)) {
    if (value === undefined || key === "base" || key === "revision" || key === "baseComponent" || key === "revisionComponent") continue;
    if (key === "default") continue;
    if (key === "annotations") {
      if ((value as string[]).some((k) => !VALIDATION_ANNOTATIONS.has(k))) return true;
      continue;
    }
    if (key === "bounds") {
      if (Object.keys(value as object).length > 0) return true;
      continue;
    }
    if (key === "properties" || key === "patternProperties" || key === "dependentSchemas") {
      const map = value as SchemasDiff;
      if (map.added.length || map.deleted.length) return true;
      for (const child of map.modified.values()) if (hasValidationChanges(child, seen)) return true;
      continue;
    }
    if (key === "allOf" || key === "anyOf" || key === "oneOf" || key === "prefixItems") {
      const subs = value as SubschemasDiff;
      if (subs.added.length || subs.deleted.length) return true;
      for (const m of subs.modified) if (hasValidationChanges(m.diff, seen)) return true;
      continue;
    }
    if (CHILD_KEYWORDS.includes(key as never) || key === "items" || key === "additionalProperties" || key === "unevaluatedItems" || key === "unevaluatedProperties") {
      if (hasValidationChanges(value as ChildDiff, seen)) return true;
      continue;
    }
    return true;
  }
  return false;
}

const EMPTY_DOC_SCHEMA = (doc: SpecDocument): Schema => ({ loc: { node: EMPTY_SCHEMA, doc, pointer: "" } });

/** `true` reads as the empty schema here, as in oasdiff. */
function trueAsEmpty(schema: Schema): Schema {
  return schema.always === true ? EMPTY_DOC_SCHEMA(schema.loc.doc) : schema;
}

export function equivalent(ctx: DiffContext, a: Schema | undefined, b: Schema | undefined): boolean {
  if (!a || !b) return a === b;
  return !hasValidationChanges(diffSchemas(ctx, trueAsEmpty(a), trueAsEmpty(b)));
}

/** A schema that accepts everything (validation-equivalent to `{}`). */
export function constrainsNothing(ctx: DiffContext, schema: Schema): boolean {
  return equivalent(ctx, EMPTY_DOC_SCHEMA(schema.loc.doc), schema);
}

function withoutKeys(schema: Schema, ...keys: string[]): Schema {
  const node: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema.loc.node)) if (!keys.includes(k)) node[k] = v;
  return { loc: { ...schema.loc, node } };
}

// ---- Recognised reshapings ------------------------------------------------------------------------

function simpleType(schema: Schema | undefined): string | undefined {
  if (!schema) return undefined;
  const n = schema.loc.node;
  const types = typesOf(n);
  if (types.length !== 1) return undefined;
  if (keysOf(n.properties).length || Array.isArray(n.oneOf) && n.oneOf.length || Array.isArray(n.anyOf) && n.anyOf.length || Array.isArray(n.allOf) && n.allOf.length) return undefined;
  return types[0];
}

function typePattern(schema: Schema): { types: string[]; list: boolean } | undefined {
  const n = schema.loc.node;
  if (n.not !== undefined || (Array.isArray(n.allOf) && n.allOf.length > 0) || keysOf(n.properties).length > 0) return undefined;
  const types = typesOf(n);
  if (types.length >= 1) return { types: [types[0]!], list: false };
  for (const keyword of ["oneOf", "anyOf"] as const) {
    const list = Array.isArray(n[keyword]) ? (n[keyword] as unknown[]) : [];
    if (list.length === 0) continue;
    const found: string[] = [];
    let ok = true;
    for (let i = 0; i < list.length; i++) {
      const t = simpleType(childAt(schema, keyword, i));
      if (!t) {
        ok = false;
        break;
      }
      found.push(t);
    }
    if (ok && found.length > 0) return { types: found, list: true };
  }
  return undefined;
}

/** A single type turned into a oneOf/anyOf of simple types, or the reverse (oasdiff's list of types). */
function listOfTypesDiff(b: Schema, r: Schema): NamesDiff | undefined {
  const pb = typePattern(b);
  const pr = typePattern(r);
  if (!pb || !pr) return undefined;
  const sameSet = pb.types.length === pr.types.length && pr.types.every((t) => pb.types.includes(t));
  if (sameSet) return undefined;
  if (!pb.list && !pr.list) return undefined;
  const missing = (from: string[], other: string[]) => [...new Set(from.filter((t) => !other.includes(t)))];
  const diff = { added: missing(pr.types, pb.types), deleted: missing(pb.types, pr.types) };
  return diff.added.length || diff.deleted.length ? diff : undefined;
}

/** An object schema replaced by a oneOf of alternatives that carry its properties. */
function oneOfWrapping(ctx: DiffContext, b: Schema, r: Schema): SchemaDiff["oneOfWrapping"] {
  const B = b.loc.node;
  const R = r.loc.node;
  if ((Array.isArray(B.oneOf) && B.oneOf.length > 0) || keysOf(B.properties).length === 0) return undefined;
  const alternatives = Array.isArray(R.oneOf) ? (R.oneOf as unknown[]) : [];
  if (alternatives.length === 0 || keysOf(R.properties).length > 0 || typesOf(R).length > 0) return undefined;
  const alts = alternatives.map((_, i) => childAt(r, "oneOf", i));
  const moved = keysOf(B.properties).filter((name) => alts.some((alt) => alt !== undefined && keysOf(alt.loc.node.properties).includes(name))).sort();
  if (moved.length === 0) return undefined;
  return { movedProperties: moved, originalPreserved: alts.some((alt) => equivalent(ctx, b, alt)) };
}

function acceptsNull(node: Record<string, unknown>): boolean {
  return node.nullable === true || typesOf(node).includes("null");
}

function isNullableWrap(ctx: DiffContext, plain: Schema, wrapped: Schema, reversed: boolean): boolean {
  const P = plain.loc.node;
  if ((Array.isArray(P.oneOf) && P.oneOf.length) || (Array.isArray(P.anyOf) && P.anyOf.length) || (Array.isArray(P.allOf) && P.allOf.length) || P.not !== undefined) return false;
  if (acceptsNull(P)) return false;
  const W = wrapped.loc.node;
  if (!Array.isArray(W.oneOf) || W.oneOf.length !== 2) return false;
  if (!constrainsNothing(ctx, withoutKeys(wrapped, "oneOf"))) return false;
  let payload: Schema | undefined;
  let nulls = 0;
  for (let i = 0; i < 2; i++) {
    const branch = childAt(wrapped, "oneOf", i);
    if (branch && typesOf(branch.loc.node).length === 1 && typesOf(branch.loc.node)[0] === "null" && constrainsNothing(ctx, withoutKeys(branch, "type"))) nulls++;
    else payload = branch;
  }
  if (nulls !== 1 || !payload) return false;
  return reversed ? equivalent(ctx, payload, plain) : equivalent(ctx, plain, payload);
}

function nullableWrapping(ctx: DiffContext, b: Schema, r: Schema): SchemaDiff["nullableWrapping"] {
  if (b.always !== undefined || r.always !== undefined) return undefined;
  if (isNullableWrap(ctx, b, r, false)) return { added: true };
  if (isNullableWrap(ctx, r, b, true)) return { added: false };
  return undefined;
}

// ---- allOf flattening (oasdiff's --flatten-allof) -------------------------------------------------

const flattened = new WeakMap<object, Record<string, unknown>>();

/**
 * The schema with its allOf subschemas merged in: properties and required lists are united, other
 * keywords keep the first value found (the schema's own first). Subschemas from another file stay as
 * allOf, since their relative refs would not resolve from here; one that refers back is skipped.
 */
export function flattenAllOf(located: Located, seen: Set<object> = new Set()): Located {
  const node = located.node;
  if (!Array.isArray(node.allOf)) return located;
  const cached = flattened.get(node);
  if (cached) return { ...located, node: cached };
  seen.add(node);
  const merged: Record<string, unknown> = {};
  const properties: Record<string, unknown> = {};
  const required = new Set<unknown>();
  const kept: unknown[] = [];
  const absorb = (part: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(part)) {
      if (key === "allOf") continue;
      if (key === "properties" && isObject(value)) {
        for (const [name, schema] of Object.entries(value)) if (!(name in properties)) properties[name] = schema;
      } else if (key === "required" && Array.isArray(value)) {
        for (const name of value) required.add(name);
      } else if (!(key in merged)) merged[key] = value;
    }
  };
  absorb(node);
  node.allOf.forEach((raw, index) => {
    const member = resolve(located.doc, raw, pointerJoin(located.pointer, "allOf", index));
    if (!member || seen.has(member.node)) return;
    if (member.doc !== located.doc) {
      kept.push(raw);
      return;
    }
    absorb(flattenAllOf(member, seen).node);
  });
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  if (kept.length > 0) merged.allOf = kept;
  flattened.set(node, merged);
  return { ...located, node: merged };
}
