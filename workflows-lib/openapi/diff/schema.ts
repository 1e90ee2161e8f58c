// Compares two schemas and lists what changed, relative to the schema pair: each change names its kind
// (the tail of an oasdiff rule id, e.g. "max-length-decreased") and the property path below the schema.
// The caller turns kinds into rule ids for where the schema sits (request body, parameter, response…).
// Results for a pair of `$ref`s are memoised per direction and re-used wherever the pair appears; a pair
// already being compared further up (a recursive schema) is not entered again.
import { fingerprint, isObject, jsonEqual, pointerJoin, resolve } from "./refs.ts";
import type { Located, SpecDocument } from "./refs.ts";
import type { DeprecationPolicy } from "./deprecation.ts";
import { deprecationChanges } from "./deprecation.ts";

export type Direction = "request" | "response";

export interface SchemaChange {
  /** Candidate rule-id tails, most specific first; a tail starting with "=" is a complete rule id. */
  kinds: readonly string[];
  /** Property path below the compared schema ([] = the schema itself). */
  path: readonly string[];
  from?: unknown;
  to?: unknown;
  value?: unknown;
  /** The node the change sits on is readOnly / writeOnly (in the revision, or in the base when removed). */
  readOnly: boolean;
  writeOnly: boolean;
  /** The change is about a non-JSON media type (loosely typed: every value travels as text). */
  source: { base?: string; revision?: string };
}

export interface SchemaContext {
  readonly base: SpecDocument;
  readonly revision: SpecDocument;
  readonly policy: DeprecationPolicy;
  readonly memo: Map<string, SchemaChange[]>;
  readonly active: Set<string>;
  /** Pairs whose comparison was cut short because they were already being compared further up. */
  readonly cuts: string[];
  /** Merge allOf subschemas into their parent before comparing (oasdiff's --flatten-allof). */
  readonly flattenAllOf: boolean;
}

const ANNOTATIONS = new Set([
  "title", "description", "example", "examples", "deprecated", "externalDocs", "$comment", "readOnly", "writeOnly",
  "default", "xml",
]);

const BOUNDS: ReadonlyArray<readonly [keyword: string, name: string, upper: boolean]> = [
  ["maximum", "max", true],
  ["minimum", "min", false],
  ["exclusiveMaximum", "exclusive-max", true],
  ["exclusiveMinimum", "exclusive-min", false],
  ["maxLength", "max-length", true],
  ["minLength", "min-length", false],
  ["maxItems", "max-items", true],
  ["minItems", "min-items", false],
  ["maxContains", "max-contains", true],
  ["minContains", "min-contains", false],
];

const PRESENCE: ReadonlyArray<readonly [keyword: string, name: string]> = [
  ["if", "if"],
  ["then", "then"],
  ["else", "else"],
  ["contains", "contains"],
  ["propertyNames", "property-names"],
  ["unevaluatedItems", "unevaluated-items"],
  ["unevaluatedProperties", "unevaluated-properties"],
  ["contentSchema", "content-schema"],
];

const STABILITY = ["draft", "alpha", "beta", "stable"];

export function typesOf(node: Record<string, unknown>): { types: string[]; nullable: boolean } {
  const raw = node.type;
  const list = Array.isArray(raw) ? raw.filter((t): t is string => typeof t === "string") : typeof raw === "string" ? [raw] : [];
  const nullable = list.includes("null") || node.nullable === true;
  return { types: list.filter((t) => t !== "null").sort(), nullable };
}

/** 3.0 `exclusiveMaximum: true` makes `maximum` exclusive; 3.1 carries the bound in the keyword itself. */
function bound(node: Record<string, unknown>, keyword: string): number | undefined {
  const value = node[keyword];
  if (keyword === "maximum" || keyword === "minimum") {
    const exclusive = node[keyword === "maximum" ? "exclusiveMaximum" : "exclusiveMinimum"];
    if (exclusive === true) return undefined;
  }
  if (keyword === "exclusiveMaximum" || keyword === "exclusiveMinimum") {
    if (value === true) return bound({ ...node, exclusiveMaximum: undefined, exclusiveMinimum: undefined }, keyword === "exclusiveMaximum" ? "maximum" : "minimum");
    if (value === false) return undefined;
  }
  return typeof value === "number" ? value : undefined;
}

/** True when every value valid for (tb, fb) is valid for (tr, fr). */
function typeWidens(tb: string | undefined, fb: unknown, tr: string | undefined, fr: unknown): boolean {
  if (tr === undefined) return true;
  if (tb === undefined) return false;
  const formatWidens =
    fr === undefined || fb === fr || (fb === "int32" && fr === "int64") || (fb === "float" && fr === "double");
  if (tb === tr) return formatWidens;
  if (tb === "integer" && tr === "number") return fr === undefined || fr === "double" || fr === "float" || fb === undefined;
  return false;
}

function isAnyString(pattern: unknown): boolean {
  return typeof pattern === "string" && /^\^?\.\*\$?$/.test(pattern);
}

function refName(located: Located | undefined): string | undefined {
  return located?.ref?.slice(located.ref.lastIndexOf("/") + 1);
}

function annotationOnly(node: Record<string, unknown>): boolean {
  return Object.keys(node).every((key) => ANNOTATIONS.has(key) || key.startsWith("x-"));
}

function resolveChild(doc: SpecDocument, value: unknown, pointer: string): Located | undefined {
  return resolve(doc, value, pointer);
}

export function newSchemaContext(base: SpecDocument, revision: SpecDocument, policy: DeprecationPolicy, flattenAllOf = false): SchemaContext {
  return { base, revision, policy, memo: new Map(), active: new Set(), cuts: [], flattenAllOf };
}

const flattened = new WeakMap<object, Record<string, unknown>>();

/**
 * The schema with its allOf subschemas merged in: properties and required lists are united, other keywords
 * keep the first value found (the schema's own first). Subschemas from another file stay as allOf, since
 * their relative refs would not resolve from here; a subschema that refers back to the schema is skipped.
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

/**
 * How values travel: "json" (typed), "text" (a non-JSON media type such as XML: a type change there is only
 * "compatible") or "parameter" (query/path/header/cookie text, where string accepts every scalar).
 */
export type Typing = "json" | "text" | "parameter";

/**
 * The changes from `b` to `r` as seen by a client sending (`request`) or receiving (`response`) the data.
 */
export function compareSchemas(
  ctx: SchemaContext,
  b: Located | undefined,
  r: Located | undefined,
  direction: Direction,
  looselyTyped: Typing = "json",
): SchemaChange[] {
  if (!b || !r) return [];
  if (ctx.flattenAllOf) {
    b = flattenAllOf(b);
    r = flattenAllOf(r);
  }
  if (b.node === r.node && b.doc === r.doc) return [];
  if (fingerprint(b.doc, b.node) === fingerprint(r.doc, r.node)) return [];
  const key = b.ref && r.ref ? `${direction}|${looselyTyped}|${b.ref}|${r.ref}` : undefined;
  if (key) {
    const hit = ctx.memo.get(key);
    if (hit) return hit;
    if (ctx.active.has(key)) {
      ctx.cuts.push(key);
      return [];
    }
    ctx.active.add(key);
  }
  const cutsBefore = ctx.cuts.length;
  try {
    const changes = compareNodes(ctx, b, r, direction, looselyTyped);
    // A result is complete unless a cycle was cut at a pair further up than this one: then the same pair
    // entered from elsewhere would see more, so it is not re-used.
    if (key && !ctx.cuts.slice(cutsBefore).some((cut) => cut !== key && ctx.active.has(cut))) ctx.memo.set(key, changes);
    return changes;
  } finally {
    if (key) ctx.active.delete(key);
  }
}

function compareNodes(
  ctx: SchemaContext,
  b: Located,
  r: Located,
  direction: Direction,
  looselyTyped: Typing,
): SchemaChange[] {
  const B = b.node;
  const R = r.node;
  const out: SchemaChange[] = [];
  const here = { base: b.pointer, revision: r.pointer };
  const flags = { readOnly: R.readOnly === true, writeOnly: R.writeOnly === true };
  const emit = (kinds: string | readonly string[], detail: { from?: unknown; to?: unknown; value?: unknown } = {}): void => {
    out.push({ kinds: typeof kinds === "string" ? [kinds] : kinds, path: [], ...detail, ...flags, source: here });
  };
  const nest = (segment: string, changes: readonly SchemaChange[], childFlags?: { readOnly: boolean; writeOnly: boolean }): void => {
    for (const change of changes) {
      out.push({
        ...change,
        path: [segment, ...change.path],
        readOnly: change.readOnly || (childFlags?.readOnly ?? false),
        writeOnly: change.writeOnly || (childFlags?.writeOnly ?? false),
      });
    }
  };

  // A schema wrapped into a oneOf of variants: reported once, the variants are new shapes, not edits.
  if (!Array.isArray(B.oneOf) && Array.isArray(R.oneOf) && R.type === undefined && R.properties === undefined &&
    (B.type !== undefined || B.properties !== undefined)) {
    emit("wrapped-in-one-of");
    return out;
  }

  // Lifecycle of the schema itself (only property-level rules exist; the caller drops body-level ones).
  for (const change of deprecationChanges(ctx.policy, B, R)) emit(change.kind, { to: change.detail });
  const sb = typeof B["x-stability-level"] === "string" ? STABILITY.indexOf(B["x-stability-level"]) : -1;
  const sr = typeof R["x-stability-level"] === "string" ? STABILITY.indexOf(R["x-stability-level"]) : -1;
  if (sb >= 0 && sr >= 0 && sb !== sr) {
    emit(sr < sb ? "stability-decreased" : "stability-increased", { from: B["x-stability-level"], to: R["x-stability-level"] });
  }

  // Types: nullability (3.0 `nullable` and a 3.1 "null" member are the same thing), lists of types, formats.
  const tb = typesOf(B);
  const tr = typesOf(R);
  if (!tb.nullable && tr.nullable) emit("became-nullable");
  if (tb.nullable && !tr.nullable) emit("became-not-nullable");
  const sameTypes = tb.types.length === tr.types.length && tb.types.every((t, i) => t === tr.types[i]);
  if (tb.types.length > 1 || tr.types.length > 1) {
    if (!sameTypes) {
      const widened = tb.types.every((t) => tr.types.includes(t));
      const narrowed = tr.types.every((t) => tb.types.includes(t));
      emit(widened ? "list-of-types-widened" : narrowed ? "list-of-types-narrowed" : ["type-changed"], { from: tb.types, to: tr.types });
    }
  } else if (!sameTypes || B.format !== R.format) {
    const from = tb.types[0];
    const to = tr.types[0];
    const widens = typeWidens(from, B.format, to, R.format);
    // In a parameter every value is text: turning a string into a number, integer or boolean narrows it.
    const textNarrows = looselyTyped === "parameter" && from === "string" && B.format === undefined && (to === "number" || to === "integer" || to === "boolean");
    const narrows = textNarrows || typeWidens(to, R.format, from, B.format);
    const detail = { from: describeType(from, B.format), to: describeType(to, R.format) };
    if (looselyTyped === "text" && !widens && !narrows) emit(["type-compatible", "type-changed"], detail);
    else if (direction === "request") emit(widens ? ["type-generalized"] : narrows ? ["type-specialized", "type-changed"] : ["type-changed"], detail);
    else emit(narrows ? ["type-specialized"] : widens ? ["type-generalized", "type-changed"] : ["type-changed"], detail);
  }

  // Values: enum, x-extensible-enum, const, default.
  const eb = Array.isArray(B.enum) ? B.enum : undefined;
  const er = Array.isArray(R.enum) ? R.enum : undefined;
  if (!eb && er) emit("became-enum", { to: er });
  if (eb && er) {
    const inB = valueSet(eb);
    const inR = valueSet(er);
    for (const value of eb) if (!inR.has(JSON.stringify(value))) emit("enum-value-removed", { value });
    for (const value of er) if (!inB.has(JSON.stringify(value))) emit("enum-value-added", { value });
  }
  const xb = B["x-extensible-enum"];
  const xr = R["x-extensible-enum"];
  if (Array.isArray(xb) && Array.isArray(xr)) {
    const inR = valueSet(xr);
    for (const value of xb) if (!inR.has(JSON.stringify(value))) emit("x-extensible-enum-value-removed", { value });
  }
  for (const [keyword, name] of [["const", "const"], ["default", "default-value"]] as const) {
    const hasB = keyword in B;
    const hasR = keyword in R;
    if (!hasB && hasR) emit(`${name}-added`, { to: R[keyword] });
    else if (hasB && !hasR) emit(`${name}-removed`, { from: B[keyword] });
    else if (hasB && hasR && !jsonEqual(B[keyword], R[keyword])) emit(`${name}-changed`, { from: B[keyword], to: R[keyword] });
  }

  // Bounds.
  for (const [keyword, name, upper] of BOUNDS) {
    const vb = bound(B, keyword);
    const vr = bound(R, keyword);
    if (vb === vr) continue;
    if (vb === undefined) emit([`${name}-set`], { to: vr });
    else if (vr === undefined) emit([`${name}-unset`, upper ? `${name}-increased` : `${name}-decreased`], { from: vb });
    else emit(vr > vb ? `${name}-increased` : `${name}-decreased`, { from: vb, to: vr });
  }

  // Pattern.
  const patternB = B.pattern === "" ? undefined : B.pattern;
  const patternR = R.pattern === "" ? undefined : R.pattern;
  if (patternB !== patternR) {
    if (patternB === undefined) emit("pattern-added", { to: patternR });
    else if (patternR === undefined) emit("pattern-removed", { from: patternB });
    else emit(isAnyString(patternR) ? ["pattern-generalized", "pattern-changed"] : "pattern-changed", { from: patternB, to: patternR });
  }

  // 3.1 keywords whose presence narrows or widens what is accepted.
  for (const [keyword, name] of PRESENCE) {
    const hasB = B[keyword] !== undefined;
    const hasR = R[keyword] !== undefined;
    if (!hasB && hasR) emit(`${name}-added`);
    else if (hasB && !hasR) emit(`${name}-removed`);
    else if (hasB && hasR) {
      const cb = resolveChild(b.doc, B[keyword], pointerJoin(b.pointer, keyword));
      const cr = resolveChild(r.doc, R[keyword], pointerJoin(r.pointer, keyword));
      nest(keyword, compareSchemas(ctx, cb, cr, direction));
    }
  }
  for (const keyword of ["contentMediaType", "contentEncoding"] as const) {
    if (B[keyword] !== R[keyword]) emit(keyword === "contentMediaType" ? "content-media-type-changed" : "content-encoding-changed", { from: B[keyword], to: R[keyword] });
  }
  compareKeyed(B.dependentRequired, R.dependentRequired, (name, vb, vr) => {
    if (vb === undefined) emit("dependent-required-added", { value: name });
    else if (vr === undefined) emit("dependent-required-removed", { value: name });
    else if (!jsonEqual(vb, vr)) emit("dependent-required-changed", { value: name, from: vb, to: vr });
  });
  for (const [keyword, name] of [["dependentSchemas", "dependent-schema"], ["patternProperties", "pattern-property"]] as const) {
    compareKeyed(B[keyword], R[keyword], (key, vb, vr) => {
      if (vb === undefined) emit(`${name}-added`, { value: key });
      else if (vr === undefined) emit(`${name}-removed`, { value: key });
      else {
        const cb = resolveChild(b.doc, vb, pointerJoin(b.pointer, keyword, key));
        const cr = resolveChild(r.doc, vr, pointerJoin(r.pointer, keyword, key));
        nest(`${keyword}/${key}`, compareSchemas(ctx, cb, cr, direction));
      }
    });
  }
  const pb = Array.isArray(B.prefixItems) ? B.prefixItems : undefined;
  const pr = Array.isArray(R.prefixItems) ? R.prefixItems : undefined;
  if (!pb && pr) emit("prefix-items-added");
  else if (pb && !pr) emit("prefix-items-removed");
  else if (pb && pr) {
    if (pr.length > pb.length) emit("prefix-items-added", { from: pb.length, to: pr.length });
    if (pr.length < pb.length) emit("prefix-items-removed", { from: pb.length, to: pr.length });
    for (let i = 0; i < Math.min(pb.length, pr.length); i++) {
      const cb = resolveChild(b.doc, pb[i], pointerJoin(b.pointer, "prefixItems", i));
      const cr = resolveChild(r.doc, pr[i], pointerJoin(r.pointer, "prefixItems", i));
      nest(`prefixItems/${i}`, compareSchemas(ctx, cb, cr, direction));
    }
  }

  // Discriminator.
  const db = isObject(B.discriminator) ? B.discriminator : undefined;
  const dr = isObject(R.discriminator) ? R.discriminator : undefined;
  if (!db && dr) emit("discriminator-added", { to: dr.propertyName });
  else if (db && !dr) emit("discriminator-removed", { from: db.propertyName });
  else if (db && dr) {
    if (db.propertyName !== dr.propertyName) emit("discriminator-property-name-changed", { from: db.propertyName, to: dr.propertyName });
    compareKeyed(db.mapping, dr.mapping, (key, vb, vr) => {
      if (vb === undefined) emit("discriminator-mapping-added", { value: key });
      else if (vr === undefined) emit("discriminator-mapping-deleted", { value: key });
      else if (vb !== vr) emit("discriminator-mapping-changed", { value: key, from: vb, to: vr });
    });
  }

  // Composition.
  for (const [keyword, name] of [["allOf", "all-of"], ["anyOf", "any-of"], ["oneOf", "one-of"]] as const) {
    compareComposition(ctx, b, r, keyword, direction, looselyTyped, (kind, value) => emit(kind, { value }), (segment, changes) => nest(segment, changes));
    void name;
  }

  // Items and additional properties.
  for (const keyword of ["items", "additionalProperties"] as const) {
    if (isObject(B[keyword]) && isObject(R[keyword])) {
      const cb = resolveChild(b.doc, B[keyword], pointerJoin(b.pointer, keyword));
      const cr = resolveChild(r.doc, R[keyword], pointerJoin(r.pointer, keyword));
      nest(keyword, compareSchemas(ctx, cb, cr, direction, looselyTyped));
    }
  }

  compareProperties(ctx, b, r, direction, looselyTyped, out);
  return out;
}

/** Enum values by their JSON text: large enums compare in linear time. */
function valueSet(values: readonly unknown[]): Set<string> {
  return new Set(values.map((value) => JSON.stringify(value)));
}

function describeType(type: string | undefined, format: unknown): string {
  const name = type ?? "any";
  return typeof format === "string" ? `${name}/${format}` : name;
}

const semanticPrints = new WeakMap<object, string>();

/** A fingerprint that ignores the schema's own annotations (title, description, examples…). */
function semanticFingerprint(located: Located): string {
  let print = semanticPrints.get(located.node);
  if (print === undefined) {
    const stripped: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(located.node)) {
      if (!ANNOTATIONS.has(key) || key === "default" || key === "readOnly" || key === "writeOnly") stripped[key] = value;
    }
    print = fingerprint(located.doc, stripped);
    semanticPrints.set(located.node, print);
  }
  return print;
}

function compareKeyed(
  base: unknown,
  revision: unknown,
  visit: (key: string, b: unknown, r: unknown) => void,
): void {
  const bo = isObject(base) ? base : {};
  const ro = isObject(revision) ? revision : {};
  for (const key of Object.keys(bo)) visit(key, bo[key], key in ro ? ro[key] : undefined);
  for (const key of Object.keys(ro)) if (!(key in bo)) visit(key, undefined, ro[key]);
}

function compareComposition(
  ctx: SchemaContext,
  b: Located,
  r: Located,
  keyword: "allOf" | "anyOf" | "oneOf",
  direction: Direction,
  looselyTyped: Typing,
  emit: (kind: string, value: unknown) => void,
  nest: (segment: string, changes: readonly SchemaChange[]) => void,
): void {
  const lb = Array.isArray(b.node[keyword]) ? (b.node[keyword] as unknown[]) : [];
  const lr = Array.isArray(r.node[keyword]) ? (r.node[keyword] as unknown[]) : [];
  if (lb.length === 0 && lr.length === 0) return;
  const name = keyword === "allOf" ? "all-of" : keyword === "anyOf" ? "any-of" : "one-of";
  const items = (side: Located, list: unknown[]) =>
    list.map((raw, index) => {
      const located = resolve(side.doc, raw, pointerJoin(side.pointer, keyword, index));
      return { index, raw, located, ref: isObject(raw) && typeof raw.$ref === "string" ? located?.ref : undefined };
    });
  const left = items(b, lb);
  const right = items(r, lr);
  const matched = new Set<number>();
  const unmatchedLeft: typeof left = [];
  // Same content first (an inline schema moved to a $ref is no change), then the same $ref target name.
  for (const item of left) {
    const fp = item.located ? semanticFingerprint(item.located) : "";
    const same = right.find((other) => !matched.has(other.index) && other.located && semanticFingerprint(other.located) === fp);
    if (same) matched.add(same.index);
    else unmatchedLeft.push(item);
  }
  const stillLeft: typeof left = [];
  for (const item of unmatchedLeft) {
    const same = item.ref
      ? right.find((other) => !matched.has(other.index) && other.ref && refName(other.located) === refName(item.located))
      : undefined;
    if (same) {
      matched.add(same.index);
      nest(`${keyword}[${refName(same.located)}]`, compareSchemas(ctx, item.located, same.located, direction, looselyTyped));
    } else stillLeft.push(item);
  }
  const added = right.filter((item) => !matched.has(item.index));
  // Inline subschemas that changed in place (same count of leftovers on both sides): compare pairwise.
  const inlineLeft = stillLeft.filter((item) => !item.ref);
  const inlineRight = added.filter((item) => !item.ref);
  const paired = new Set<number>();
  if (inlineLeft.length > 0 && inlineLeft.length === inlineRight.length && stillLeft.length === added.length) {
    inlineLeft.forEach((item, i) => {
      const other = inlineRight[i]!;
      paired.add(other.index);
      nest(`${keyword}[${other.index}]`, compareSchemas(ctx, item.located, other.located, direction, looselyTyped));
    });
  }
  const label = (item: (typeof left)[number]) => refName(item.located) ?? `#${item.index}`;
  for (const item of added) {
    if (paired.has(item.index)) continue;
    const annotation = keyword === "allOf" && item.located && annotationOnly(item.located.node);
    emit(annotation ? `${name}-added-annotation-only` : `${name}-added`, label(item));
  }
  if (paired.size === 0) {
    for (const item of stillLeft) {
      const annotation = keyword === "allOf" && item.located && annotationOnly(item.located.node);
      emit(annotation ? `${name}-removed-annotation-only` : `${name}-removed`, label(item));
    }
  }
}

function compareProperties(
  ctx: SchemaContext,
  b: Located,
  r: Located,
  direction: Direction,
  looselyTyped: Typing,
  out: SchemaChange[],
): void {
  const pb = isObject(b.node.properties) ? b.node.properties : {};
  const pr = isObject(r.node.properties) ? r.node.properties : {};
  const requiredB = new Set(Array.isArray(b.node.required) ? (b.node.required as unknown[]) : []);
  const requiredR = new Set(Array.isArray(r.node.required) ? (r.node.required as unknown[]) : []);
  const push = (name: string, id: string, child: Located | undefined, side: "base" | "revision", detail: { from?: unknown; to?: unknown } = {}) => {
    out.push({
      kinds: [`=${id}`],
      path: [name],
      ...detail,
      readOnly: child?.node.readOnly === true,
      writeOnly: child?.node.writeOnly === true,
      source: side === "base" ? { base: child?.pointer } : { base: b.pointer, revision: child?.pointer },
    });
  };
  for (const name of Object.keys(pr)) {
    if (name in pb) continue;
    const child = resolve(r.doc, pr[name], pointerJoin(r.pointer, "properties", name));
    const required = requiredR.has(name);
    const readOnly = child?.node.readOnly === true;
    const writeOnly = child?.node.writeOnly === true;
    if (direction === "request") {
      if (readOnly) continue;
      const withDefault = child?.node.default !== undefined;
      push(name, required ? (withDefault ? "new-required-request-property-with-default" : "new-required-request-property") : "new-optional-request-property", child, "revision");
    } else {
      const only = writeOnly ? "write-only-" : "";
      push(name, `response-${required ? "required" : "optional"}-${only}property-added`, child, "revision");
    }
  }
  for (const name of Object.keys(pb)) {
    if (name in pr) continue;
    const child = resolve(b.doc, pb[name], pointerJoin(b.pointer, "properties", name));
    if (direction === "request") {
      if (child?.node.readOnly === true) continue;
      push(name, "request-property-removed", child, "base");
    } else {
      const only = child?.node.writeOnly === true ? "write-only-" : "";
      push(name, `response-${requiredB.has(name) ? "required" : "optional"}-${only}property-removed`, child, "base");
    }
  }
  for (const name of Object.keys(pb)) {
    if (!(name in pr)) continue;
    const cb = resolve(b.doc, pb[name], pointerJoin(b.pointer, "properties", name));
    const cr = resolve(r.doc, pr[name], pointerJoin(r.pointer, "properties", name));
    if (!cb || !cr) continue;
    const wasRequired = requiredB.has(name);
    const isRequired = requiredR.has(name);
    const readOnly = cr.node.readOnly === true;
    const writeOnly = cr.node.writeOnly === true;
    const at = (id: string, detail: { from?: unknown; to?: unknown } = {}) => push(name, id, cr, "revision", detail);
    if (direction === "request") {
      if (!wasRequired && isRequired && !readOnly) at(cr.node.default !== undefined ? "request-property-became-required-with-default" : "request-property-became-required");
      if (wasRequired && !isRequired && !readOnly) at("request-property-became-optional");
    } else {
      const only = writeOnly ? "write-only-" : "";
      if (wasRequired && !isRequired) at(`response-${only}property-became-optional`);
      if (!wasRequired && isRequired) at(`response-${only}property-became-required`);
    }
    const requiredness = isRequired ? "required" : "optional";
    const wasReadOnly = cb.node.readOnly === true;
    const wasWriteOnly = cb.node.writeOnly === true;
    if (wasReadOnly !== readOnly) at(`${direction}-${requiredness}-property-became-${readOnly ? "" : "not-"}read-only`);
    if (wasWriteOnly !== writeOnly) at(`${direction}-${requiredness}-property-became-${writeOnly ? "" : "not-"}write-only`);
    const nested = compareSchemas(ctx, cb, cr, direction, looselyTyped);
    for (const change of nested) {
      out.push({
        ...change,
        path: [name, ...change.path],
        readOnly: change.readOnly || readOnly,
        writeOnly: change.writeOnly || writeOnly,
      });
    }
  }
}
