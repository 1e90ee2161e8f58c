// The rules a schema diff yields where the schema sits: a request body, a response body, a parameter or a
// response header. A body's own keywords give `…-body-…` rules; every schema below it that the walk
// reaches (properties, items, allOf/anyOf/oneOf members, additionalProperties…) gives `…-property-…`
// rules. Parameters and headers are judged on their own schema (and, for a few rules, the properties
// below it). Each change keeps the schema node it came from, the readOnly/writeOnly state of the property
// and whether an allOf lies on the way, which settle its level later (levels.ts).
import type { OperationRef, RawChange, Sink, TextDetail } from "./change.ts";
import { announce, deprecationDays, removal, stabilityOf, stabilityRank, sunsetChange } from "./lifecycle.ts";
import type { DeprecationPolicy } from "./lifecycle.ts";
import { RULES } from "./rules.ts";
import { BOUND_KEYWORDS, constrainsNothing, equivalent, isModified, typesOf } from "./schema-diff.ts";
import type { BoundKeyword, ChildDiff, DiffContext, NamesDiff, Schema, SchemaDiff, Subschema, ValueDiff } from "./schema-diff.ts";
import { isObject, pointerJoin } from "./refs.ts";
import { schemaAt } from "./schema-diff.ts";

export type Direction = "request" | "response";

// ---- Walking a schema diff ------------------------------------------------------------------------

export interface WalkEntry {
  /** Path of the parent node ("" at the top), then this node's property name ("" for items, members…). */
  path: string;
  name: string;
  diff: SchemaDiff;
  parent: SchemaDiff;
  underAllOf: boolean;
}

export function fullName(path: string, ...names: string[]): string {
  return [path, ...names].filter((part) => part !== "").join("/");
}

function memberLabel(m: { base: Subschema; revision: Subschema }): string {
  const label = (s: Subschema) => (s.title ? `subschema #${s.index + 1}: ${s.title}` : s.component ? `#/components/schemas/${s.component}` : `subschema #${s.index + 1}`);
  const a = label(m.base);
  const b = label(m.revision);
  return a === b ? a : `${a} -> ${b}`;
}

/**
 * Visits every changed schema below `root` once per (node, under an allOf or not), like oasdiff's walk:
 * allOf members (marking everything below as under an allOf), anyOf and oneOf members, items, properties
 * (in name order), additionalProperties, prefixItems, contains, propertyNames and unevaluated*.
 * `properties` is called for each node whose properties changed, with that node.
 */
export function walkSchema(
  root: SchemaDiff,
  visit: { enter?: (entry: WalkEntry) => void; properties?: (path: string, node: SchemaDiff, underAllOf: boolean) => void },
): void {
  const seen = new Set<string>();
  const ids = new WeakMap<SchemaDiff, number>();
  let next = 0;
  const idOf = (d: SchemaDiff) => {
    let id = ids.get(d);
    if (id === undefined) ids.set(d, (id = next++));
    return id;
  };
  const go = (path: string, name: string, node: SchemaDiff, parent: SchemaDiff | undefined, underAllOf: boolean) => {
    const key = `${idOf(node)}|${underAllOf}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (parent && visit.enter) visit.enter({ path, name, diff: node, parent, underAllOf });
    const here = name !== "" ? fullName(path, name) : path;
    for (const m of node.allOf?.modified ?? []) go(fullName(here, `allOf[${memberLabel(m)}]`), "", m.diff, node, true);
    for (const m of node.anyOf?.modified ?? []) go(fullName(here, `anyOf[${memberLabel(m)}]`), "", m.diff, node, underAllOf);
    for (const m of node.oneOf?.modified ?? []) go(fullName(here, `oneOf[${memberLabel(m)}]`), "", m.diff, node, underAllOf);
    if (isModified(node.items)) go(fullName(here, "items"), "", node.items, node, underAllOf);
    if (node.properties) {
      visit.properties?.(here, node, underAllOf);
      for (const name of [...node.properties.modified.keys()].sort()) go(here, name, node.properties.modified.get(name)!, node, underAllOf);
    }
    if (isModified(node.additionalProperties)) go(fullName(here, "additionalProperties"), "", node.additionalProperties, node, underAllOf);
    for (const m of node.prefixItems?.modified ?? []) go(`${here}/prefixItems[${memberLabel(m)}]`, "", m.diff, node, underAllOf);
    for (const keyword of ["contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties"] as const) {
      const child = node[keyword];
      if (isModified(child)) go(`${here}/${keyword}`, "", child, node, underAllOf);
    }
  };
  go("", "", root, undefined, false);
}

// ---- Shared judgements ----------------------------------------------------------------------------

const hasAllOf = (schema: Schema) => Array.isArray(schema.loc.node.allOf) && (schema.loc.node.allOf as unknown[]).length > 0;
export const nodeHasAllOf = (d: SchemaDiff | undefined) => d !== undefined && (hasAllOf(d.base) || hasAllOf(d.revision));

/** The readOnly / writeOnly state of a property in the revision: requests do not carry readOnly ones. */
function propertyGuards(d: SchemaDiff): string[] {
  const guards: string[] = [];
  if (d.revision.loc.node.readOnly === true) guards.push("read-only");
  if (d.revision.loc.node.writeOnly === true) guards.push("write-only");
  return guards;
}

const isSubtype = (sub: string, sup: string) => sub === sup || (sub === "integer" && sup === "number");
const covered = (t: string, by: readonly string[]) => by.some((b) => isSubtype(t, b));
const isSubset = (sub: readonly string[], sup: readonly string[]) => sub.length > 0 && sub.every((t) => covered(t, sup));

function isTypeContained(to: readonly string[], from: readonly string[], strongly: boolean): boolean {
  if (to.length === 1 && from.length === 1 && isSubtype(from[0]!, to[0]!)) return true;
  if (!strongly) return to.length === 0 || (to.length === 1 && to[0] === "string");
  return false;
}

function isFormatContained(types: readonly string[], to: unknown, from: unknown): boolean {
  if (to === "") return true;
  if (types.length > 1) return false;
  switch (types[0]) {
    case "number":
      return to === "double" && from === "float";
    case "integer":
      return (to === "int64" && from === "int32") || (to === "bigint" && (from === "int32" || from === "int64"));
  }
  return false;
}

function typeOrFormatBreaking(type: NamesDiff | undefined, format: ValueDiff | undefined, strongly: boolean, toTypes: readonly string[]): boolean {
  const typeBreaking = type !== undefined && !isTypeContained(type.added, type.deleted, strongly);
  const formatBreaking = format !== undefined && !isFormatContained(toTypes, format.to, format.from);
  return typeBreaking || formatBreaking;
}

function typeFormatBreaking(type: NamesDiff | undefined, format: ValueDiff | undefined, strongly: boolean, toTypes: readonly string[]): boolean {
  if (type !== undefined && toTypes.length === 0) return false;
  return typeOrFormatBreaking(type, format, strongly, toTypes);
}

const reverseNames = (d: NamesDiff | undefined): NamesDiff | undefined => (d ? { added: d.deleted, deleted: d.added } : undefined);
const reverseValue = (d: ValueDiff | undefined): ValueDiff | undefined => (d ? { from: d.to, to: d.from } : undefined);

/** request-…-type-changed / -generalized / -compatible, as a client sending the value sees it. */
function requestTypeKind(d: SchemaDiff, strongly: boolean): "changed" | "compatible" | "generalized" {
  const tb = typesOf(d.base.loc.node);
  const tr = typesOf(d.revision.loc.node);
  const widened = d.type !== undefined && isSubset(tb, tr);
  if (typeFormatBreaking(widened ? undefined : d.type, d.format, strongly, tr)) return "changed";
  if (d.type && tb.length > 0 && tr.length > 0 && !widened) return "compatible";
  return "generalized";
}

/** response-…-type-changed / -generalized / -compatible / -specialized, as a client receiving it sees it. */
function responseTypeKind(d: SchemaDiff, strongly: boolean): "changed" | "generalized" | "compatible" | "specialized" {
  const tb = typesOf(d.base.loc.node);
  const tr = typesOf(d.revision.loc.node);
  const narrowed = d.type !== undefined && isSubset(tr, tb);
  const widened = d.type !== undefined && isSubset(tb, tr);
  if (typeFormatBreaking(narrowed ? undefined : reverseNames(d.type), reverseValue(d.format), strongly, tb)) return widened ? "generalized" : "changed";
  if (d.type && tb.length > 0 && tr.length > 0 && !narrowed) return "compatible";
  return "specialized";
}

const acceptsNull = (schema: Schema) => schema.loc.node.nullable === true || typesOf(schema.loc.node).includes("null");

export function nullability(d: ChildDiff | undefined): "nullable" | "not-nullable" | undefined {
  if (!isModified(d)) return undefined;
  // 3.0's `nullable: true` and a 3.1 "null" type member are the same thing: a schema accepting null on both
  // sides, in either form, did not change (a deliberate difference from oasdiff, see differences.ts).
  if ((d.nullable || d.type) && acceptsNull(d.base) === acceptsNull(d.revision)) return d.nullableWrapping ? (d.nullableWrapping.added ? "nullable" : "not-nullable") : undefined;
  if (d.nullable) return d.nullable.from === true ? "not-nullable" : d.nullable.to === true ? "nullable" : undefined;
  if (d.type) {
    if (d.type.deleted.includes("null") && typesOf(d.revision.loc.node).length > 0) return "not-nullable";
    if (d.type.added.includes("null") && typesOf(d.base.loc.node).length > 0) return "nullable";
  }
  if (d.nullableWrapping) return d.nullableWrapping.added ? "nullable" : "not-nullable";
  return undefined;
}

/** Keywords that restrict values besides `enum`: an enum added or dropped next to them says less. */
function mayRestrictValues(schema: Schema): boolean {
  const n = schema.loc.node;
  return (Array.isArray(n.oneOf) && n.oneOf.length > 0) || (Array.isArray(n.anyOf) && n.anyOf.length > 0) || (Array.isArray(n.allOf) && n.allOf.length > 0) ||
    n.not !== undefined || n.const !== undefined || n.if !== undefined || n.then !== undefined || n.else !== undefined;
}

const becameEnum = (d: SchemaDiff) => d.enum !== undefined && d.enum.enumAdded && !mayRestrictValues(d.base);
const becameNotEnum = (d: SchemaDiff) => d.enum !== undefined && d.enum.enumDeleted && !mayRestrictValues(d.revision);
const deletedEnumValues = (d: SchemaDiff) => (d.enum === undefined || becameNotEnum(d) ? [] : d.enum.deleted);
const addedEnumValues = (d: SchemaDiff) => (d.enum === undefined || becameEnum(d) ? [] : d.enum.added);

const BOUND_NAMES: Record<BoundKeyword, string> = {
  maximum: "max", minimum: "min", multipleOf: "multiple-of", maxLength: "max-length", minLength: "min-length", maxItems: "max-items",
  minItems: "min-items", maxProperties: "max-properties", minProperties: "min-properties", minContains: "min-contains",
  maxContains: "max-contains", exclusiveMinimum: "exclusive-min", exclusiveMaximum: "exclusive-max",
};

function boundAbsent(keyword: BoundKeyword, value: unknown): boolean {
  if (keyword === "minLength" || keyword === "minItems" || keyword === "minProperties") return value === undefined || value === 0;
  if (keyword === "exclusiveMinimum" || keyword === "exclusiveMaximum") return value === undefined || value === false;
  return value === undefined;
}

function boundAction(keyword: BoundKeyword, d: ValueDiff): "set" | "unset" | "increased" | "decreased" | undefined {
  const fromAbsent = boundAbsent(keyword, d.from);
  const toAbsent = boundAbsent(keyword, d.to);
  if (fromAbsent && !toAbsent) return "set";
  if (!fromAbsent && toAbsent) return "unset";
  if (fromAbsent || toAbsent || keyword === "multipleOf") return undefined;
  if (typeof d.from !== "number" || typeof d.to !== "number") return undefined;
  return d.from < d.to ? "increased" : d.from > d.to ? "decreased" : undefined;
}

/** True when `a` is an integer multiple of `b` (decimal values compared exactly). */
function isIntegerMultiple(a: number, b: number): boolean {
  if (b === 0) return false;
  const decimals = (x: number) => {
    const [mantissa, exponent] = x.toExponential().split("e");
    const fraction = mantissa!.split(".")[1]?.length ?? 0;
    return Math.max(0, fraction - Number(exponent));
  };
  const scale = 10 ** Math.max(decimals(a), decimals(b));
  const ia = Math.round(a * scale);
  const ib = Math.round(b * scale);
  return ib !== 0 && ia % ib === 0;
}

// ---- Bodies (request and response) ----------------------------------------------------------------

export interface BodyContext {
  readonly ctx: DiffContext;
  readonly direction: Direction;
  readonly op: OperationRef;
  readonly mediaType: string;
  readonly status?: string;
  readonly where: string;
  /** The revision operation (its stability decides grace periods). */
  readonly operation: Record<string, unknown>;
  readonly policy: DeprecationPolicy;
  /** The base document is OpenAPI 3.1 or later. */
  readonly openapi31: boolean;
  readonly sink: Sink;
}

const ALLOF_DISCLAIMER_SKIP = new Set([
  "request-body-all-of-added", "request-property-all-of-added", "response-body-all-of-added", "response-property-all-of-added",
  "request-body-all-of-added-annotation-only", "request-body-all-of-removed-annotation-only",
  "request-property-all-of-added-annotation-only", "request-property-all-of-removed-annotation-only",
  "response-body-all-of-added-annotation-only", "response-body-all-of-removed-annotation-only",
  "response-property-all-of-added-annotation-only", "response-property-all-of-removed-annotation-only",
]);

/** Rules for a changed media-type schema (or item schema) of a request body or response. */
export function bodyRules(b: BodyContext, root: SchemaDiff): void {
  const dir = b.direction;
  const strongly = b.mediaType === "application/json" || b.mediaType.endsWith("+json");
  const rootAllOf = nodeHasAllOf(root);
  const where = b.where;
  const source = (d: SchemaDiff) => ({ base: d.base.loc.pointer, revision: d.revision.loc.pointer });
  const emit = (id: string, detail: TextDetail, at: { schema?: SchemaDiff; allOf?: boolean; guards?: string[]; source?: RawChange["source"] }) => {
    if (!(id in RULES)) return;
    const change: RawChange = { id, text: { ...detail, where }, op: b.op, schema: at.schema };
    if (at.source) change.source = at.source;
    if (at.allOf && !ALLOF_DISCLAIMER_SKIP.has(id)) change.allOf = true;
    if (at.guards && at.guards.length > 0) change.guards = at.guards;
    b.sink(change);
  };
  /** A change of the body itself. */
  const atRoot = (id: string, detail: TextDetail = {}) => emit(id, detail, { schema: root, allOf: rootAllOf, source: source(root) });
  /** A change of a schema the walk reached below the body. */
  const atProperty = (e: WalkEntry, id: string, detail: TextDetail = {}, withoutGuard?: string) =>
    emit(id, { name: fullName(e.path, e.name), ...detail }, {
      schema: e.diff, allOf: rootAllOf || e.underAllOf || nodeHasAllOf(e.diff), guards: propertyGuards(e.diff).filter((g) => g !== withoutGuard), source: source(e.diff),
    });

  const nodeRules = (d: SchemaDiff, scope: "body" | "property", put: (id: string, detail?: TextDetail) => void, entry?: WalkEntry) => {
    const prefix = `${dir}-${scope}`;
    // Types and formats.
    if (d.type || d.format) {
      const kind = dir === "request" ? requestTypeKind(d, strongly) : responseTypeKind(d, strongly);
      put(`${prefix}-type-${kind}`, { from: describeType(d.base), to: describeType(d.revision) });
    }
    // A single type turned into a oneOf of types: reported without the allOf or readOnly adjustments.
    if (d.listOfTypes) {
      const widened = dir === "request" ? d.listOfTypes.deleted.length === 0 : d.listOfTypes.added.length > 0;
      const id = `${prefix}-list-of-types-${widened ? "widened" : "narrowed"}`;
      emit(id, { ...(entry ? { name: fullName(entry.path, entry.name) } : {}), value: widened ? d.listOfTypes.added : d.listOfTypes.deleted }, { schema: d, source: source(d) });
    }
    const n = nullability(d);
    if (n) put(`${prefix}-became-${n}`);
    // Enums.
    if (dir === "request") {
      if (d.enum?.enumAdded) put(`${prefix}-became-enum`);
      if (becameNotEnum(d)) put(`${prefix}-became-not-enum`);
      for (const value of deletedEnumValues(d)) {
        put(scope === "property" && d.revision.loc.node.readOnly === true ? "request-read-only-property-enum-value-removed" : `${prefix}-enum-value-removed`, { value });
      }
      for (const value of addedEnumValues(d)) put(`${prefix}-enum-value-added`, { value });
    } else {
      const enumPrefix = scope === "body" ? "response-mediatype" : prefix;
      if (becameEnum(d)) put(`${enumPrefix}-became-enum`);
      if (becameNotEnum(d)) put(`${enumPrefix}-became-not-enum`);
      for (const value of addedEnumValues(d)) {
        put(scope === "property" && d.revision.loc.node.writeOnly === true ? "response-write-only-property-enum-value-added" : `${enumPrefix}-enum-value-added`, { value });
      }
      for (const value of deletedEnumValues(d)) put(`${enumPrefix}-enum-value-removed`, { value });
    }
    if (dir === "request" && scope === "property") {
      for (const value of extensibleEnumRemoved(d)) put("request-property-x-extensible-enum-value-removed", { value });
    }
    // Values.
    for (const [keyword, name] of [["default", "default-value"], ["const", "const"]] as const) {
      const v = d[keyword];
      if (!v) continue;
      if (v.from === undefined) put(`${prefix}-${name}-added`, { to: v.to });
      else if (v.to === undefined) put(`${prefix}-${name}-removed`, { from: v.from });
      else put(`${prefix}-${name}-changed`, { from: v.from, to: v.to });
    }
    // Pattern (properties only).
    if (scope === "property" && d.pattern) {
      const { from, to } = d.pattern;
      if (to === "") put(`${prefix}-pattern-removed`, { from });
      else if (from === "") put(`${prefix}-pattern-added`, { to });
      else put(dir === "request" && to === ".*" ? `${prefix}-pattern-generalized` : `${prefix}-pattern-changed`, { from, to });
    }
    boundRules(d, dir, scope, put);
    // Discriminator.
    const disc = d.discriminator;
    if (disc) {
      const dp = `${prefix}-discriminator`;
      if (disc.added) put(`${dp}-added`);
      else if (disc.deleted) put(`${dp}-removed`);
      else {
        if (disc.propertyName) put(`${dp}-property-name-changed`, disc.propertyName);
        if (disc.mapping) {
          if (disc.mapping.added.length) put(`${dp}-mapping-added`, { value: disc.mapping.added });
          if (disc.mapping.deleted.length) put(`${dp}-mapping-deleted`, { value: disc.mapping.deleted });
          for (const [key, change] of disc.mapping.modified) put(`${dp}-mapping-changed`, { value: key, ...change });
        }
      }
    }
    // Composition.
    if (d.allOf) {
      const annotationOnly = (list: Subschema[], side: Schema) => list.filter((s) => {
        const member = schemaAt(side.loc.doc, (side.loc.node.allOf as unknown[])[s.index], pointerJoin(side.loc.pointer, "allOf", s.index));
        return member !== undefined && constrainsNothing(b.ctx, member);
      });
      const addedOnly = annotationOnly(d.allOf.added, d.revision);
      const deletedOnly = annotationOnly(d.allOf.deleted, d.base);
      const added = d.allOf.added.filter((s) => !addedOnly.includes(s));
      const deleted = d.allOf.deleted.filter((s) => !deletedOnly.includes(s));
      if (added.length) put(`${prefix}-all-of-added`, { value: labels(added) });
      if (addedOnly.length) put(`${prefix}-all-of-added-annotation-only`, { value: labels(addedOnly) });
      if (deleted.length) put(`${prefix}-all-of-removed`, { value: labels(deleted) });
      if (deletedOnly.length) put(`${prefix}-all-of-removed-annotation-only`, { value: labels(deletedOnly) });
    }
    for (const [keyword, name] of [["anyOf", "any-of"], ["oneOf", "one-of"]] as const) {
      const subs = d[keyword];
      if (!subs) continue;
      if (subs.added.length) put(`${prefix}-${name}-added`, { value: labels(subs.added) });
      if (subs.deleted.length) put(`${prefix}-${name}-removed`, { value: labels(subs.deleted) });
    }
    // 3.1 keywords.
    for (const [keyword, name] of [["if", "if"], ["then", "then"], ["else", "else"], ["contains", "contains"], ["contentSchema", "content-schema"], ["propertyNames", "property-names"], ["unevaluatedItems", "unevaluated-items"], ["unevaluatedProperties", "unevaluated-properties"]] as const) {
      const child = d[keyword];
      if (child && !isModified(child)) put(`${prefix}-${name}-${child.schemaAdded ? "added" : "removed"}`);
    }
    if (d.contentMediaType) put(`${prefix}-content-media-type-changed`, d.contentMediaType);
    if (d.contentEncoding) put(`${prefix}-content-encoding-changed`, d.contentEncoding);
    if (d.dependentRequired) {
      for (const [key, values] of d.dependentRequired.added) put(`${prefix}-dependent-required-added`, { value: key, to: values });
      for (const [key, values] of d.dependentRequired.deleted) put(`${prefix}-dependent-required-removed`, { value: key, from: values });
      for (const [key] of d.dependentRequired.modified) put(`${prefix}-dependent-required-changed`, { value: key });
    }
    for (const [keyword, name] of [["dependentSchemas", "dependent-schema"], ["patternProperties", "pattern-property"]] as const) {
      const map = d[keyword];
      if (!map) continue;
      for (const key of map.added) put(`${prefix}-${name}-added`, { value: key });
      for (const key of map.deleted) put(`${prefix}-${name}-removed`, { value: key });
    }
    if (d.prefixItems && prefixItemsChangedContract(b.ctx, d)) {
      if (d.prefixItems.added.length) put(`${prefix}-prefix-items-added`, { value: labels(d.prefixItems.added) });
      if (d.prefixItems.deleted.length) put(`${prefix}-prefix-items-removed`, { value: labels(d.prefixItems.deleted) });
    }
    // Boolean schemas.
    const falseId = falseSchemaChange(d);
    if (falseId) put(`${prefix}-schema-became-${falseId}`);
    const falseItems = falseItemsChange(d);
    if (falseItems) put(`${dir}-property-schema-became-${falseItems}`, { name: entry ? fullName(entry.path, entry.name, "items") : "items" });
  };

  // The body itself.
  nodeRules(root, "body", atRoot);
  requiredRules(root, undefined);
  if (root.oneOfWrapping) atRoot(`${dir}-body-wrapped-in-one-of${root.oneOfWrapping.originalPreserved ? "-original-preserved" : ""}`);

  const days = deprecationDays(b.policy, b.operation);
  walkSchema(root, {
    enter: (e) => {
      nodeRules(e.diff, "property", (id, detail) => atProperty(e, id, detail), e);
      requiredRules(e.diff, e);
      mutabilityRules(e);
      lifecycleRules(e);
    },
    properties: (path, parent, underAllOf) => {
      const allOf = rootAllOf || underAllOf;
      const props = parent.properties!;
      for (const name of props.deleted) {
        const schema = childSchema(parent.base, name);
        const node = schema?.loc.node ?? {};
        if (parent.oneOfWrapping?.movedProperties.includes(name)) continue;
        const at = { schema: parent, allOf, source: { base: schema?.loc.pointer } };
        if (dir === "request") {
          if (node.readOnly === true) continue;
          const rule = removal(node.deprecated === true, node, b.policy.today, { removed: "request-property-removed", withDeprecation: "request-property-removed-with-deprecation", beforeSunset: "request-property-removed-before-sunset" });
          if (rule) emit(rule.id, { name: fullName(path, name), ...(rule.note ? { note: rule.note } : {}) }, at);
        } else if (stringList(parent.base.loc.node.required).includes(name)) {
          if (node.writeOnly === true) {
            emit("response-required-write-only-property-removed", { name: fullName(path, name) }, at);
            continue;
          }
          const rule = removal(node.deprecated === true, node, b.policy.today, { removed: "response-required-property-removed", withDeprecation: "response-required-property-removed-with-deprecation", beforeSunset: "response-required-property-removed-before-sunset" });
          if (rule) emit(rule.id, { name: fullName(path, name), ...(rule.note ? { note: rule.note } : {}) }, at);
        } else {
          emit(node.writeOnly === true ? "response-optional-write-only-property-removed" : "response-optional-property-removed", { name: fullName(path, name) }, at);
        }
      }
      for (const name of props.added) {
        const schema = childSchema(parent.revision, name);
        const node = schema?.loc.node ?? {};
        const required = stringList(parent.revision.loc.node.required).includes(name);
        const at = { schema: parent, allOf, source: { revision: schema?.loc.pointer } };
        if (dir === "request") {
          if (node.readOnly === true) continue;
          const id = required ? (node.default !== undefined ? "new-required-request-property-with-default" : "new-required-request-property") : "new-optional-request-property";
          emit(id, { name: fullName(path, name) }, at);
        } else {
          emit(`response-${required ? "required" : "optional"}-${node.writeOnly === true ? "write-only-" : ""}property-added`, { name: fullName(path, name) }, at);
        }
      }
    },
  });

  /** Properties that became required or optional, read off the required list of `node`. */
  function requiredRules(node: SchemaDiff, entry: WalkEntry | undefined): void {
    const req = node.required;
    if (!req) return;
    const path = entry ? fullName(entry.path, entry.name) : "";
    const inBase = (name: string) => childSchema(node.base, name);
    const inRevision = (name: string) => childSchema(node.revision, name);
    if (dir === "request") {
      const at = { schema: node, allOf: rootAllOf, source: source(node) };
      for (const name of req.added) {
        const r = inRevision(name);
        if (!inBase(name) || !r || r.loc.node.readOnly === true) continue;
        emit(r.loc.node.default === undefined ? "request-property-became-required" : "request-property-became-required-with-default", { name: fullName(path, name) }, at);
      }
      for (const name of req.deleted) {
        const r = inRevision(name);
        if (!inBase(name) || !r || r.loc.node.readOnly === true) continue;
        emit("request-property-became-optional", { name: fullName(path, name) }, at);
      }
      return;
    }
    for (const [names, became] of [[req.deleted, "optional"], [req.added, "required"]] as const) {
      for (const name of names) {
        const bs = inBase(name);
        const rs = inRevision(name);
        if (!rs || (!bs && (entry || became === "required"))) continue;
        const writeOnly = (entry ? bs : rs)?.loc.node.writeOnly === true;
        const id = `response-${writeOnly ? "write-only-" : ""}property-became-${became}`;
        if (entry) atProperty(entry, id, { name: fullName(path, name) });
        else atRoot(id, { name });
      }
    }
  }

  function mutabilityRules(e: WalkEntry): void {
    if (e.name === "" || !childSchema(e.parent.revision, e.name)) return;
    const requiredB = stringList(e.parent.base.loc.node.required).includes(e.name);
    const requiredR = stringList(e.parent.revision.loc.node.required).includes(e.name);
    const d = e.diff;
    if (dir === "request") {
      const both = requiredB && requiredR;
      const req = both ? "required" : "optional";
      if (d.writeOnly) atProperty(e, `request-${req}-property-became-${d.writeOnly.to === true ? "" : "not-"}write-only`);
      if (d.readOnly) {
        let id = `request-${req}-property-became-${d.readOnly.to === true ? "" : "not-"}read-only`;
        if (d.readOnly.to !== true && both && b.openapi31) id = "request-required-property-became-not-read-only-in-openapi-31";
        // The change is the property becoming (or ceasing to be) readOnly: readOnly cannot excuse it.
        atProperty(e, id, {}, "read-only");
      }
      return;
    }
    const req = requiredB ? "required" : "optional";
    if (d.writeOnly) atProperty(e, `response-${req}-property-became-${d.writeOnly.to === true ? "" : "not-"}write-only`, {}, req === "required" ? "write-only" : undefined);
    if (d.readOnly) atProperty(e, `response-${req}-property-became-${d.readOnly.to === true ? "" : "not-"}read-only`);
  }

  function lifecycleRules(e: WalkEntry): void {
    const d = e.diff;
    const p = `${dir}-property`;
    if (days !== undefined && d.deprecated) {
      const stage = announce(d.deprecated.to === true, d.revision.loc.node, days, b.policy.today, {
        reactivated: `${p}-reactivated`, deprecated: `${p}-deprecated`, withSunset: `${p}-deprecated-with-sunset`,
        sunsetMissing: `${p}-deprecated-sunset-missing`, sunsetParse: `${p}-deprecated-sunset-invalid`, sunsetTooSmall: `${p}-sunset-date-too-small`,
      });
      atProperty(e, stage.id, stage.note ? { note: stage.note } : {});
    }
    if (d.revision.loc.node.deprecated === true && !d.deprecated) {
      const change = sunsetChange(d.base.loc.node, d.revision.loc.node, days, b.policy.today, {
        deleted: `${p}-sunset-deleted`, sunsetParse: `${p}-deprecated-sunset-invalid`, changedEarlier: `${p}-sunset-date-changed-earlier`, changedTooSmall: `${p}-sunset-date-changed-too-small`,
      });
      if (change) atProperty(e, change.id, change.note ? { note: change.note } : {});
    }
    if (d.extensions) {
      const sb = stabilityOf(d.base.loc.node);
      const sr = stabilityOf(d.revision.loc.node);
      if ("invalid" in sb || "invalid" in sr) {
        const bad = "invalid" in sb ? sb.invalid : (sr as { invalid: string }).invalid;
        b.sink({ id: "api-invalid-stability-level", text: { value: bad }, op: b.op });
      } else if (stabilityRank(sb.level) !== stabilityRank(sr.level) && stabilityRank(sb.level) >= stabilityRank("beta")) {
        atProperty(e, `${p}-stability-${stabilityRank(sr.level) < stabilityRank(sb.level) ? "decreased" : "increased"}`, { from: sb.level ?? "stable", to: sr.level ?? "stable" });
      }
    }
  }
}

function labels(list: Subschema[]): string {
  return list.map((s) => (s.title ? `subschema #${s.index + 1}: ${s.title}` : s.component ? s.component : `subschema #${s.index + 1}`)).join(", ");
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === "string") : [];
}

function childSchema(parent: Schema, name: string): Schema | undefined {
  const props = parent.loc.node.properties;
  if (!isObject(props) || !(name in props)) return undefined;
  return schemaAt(parent.loc.doc, props[name], pointerJoin(parent.loc.pointer, "properties", name));
}

function describeType(schema: Schema): string {
  const types = typesOf(schema.loc.node);
  const format = typeof schema.loc.node.format === "string" ? schema.loc.node.format : "";
  const t = types.length ? types.join(", ") : "any";
  return format ? (t === "any" ? format : `${t}/${format}`) : t;
}

function extensibleEnumRemoved(d: SchemaDiff): string[] {
  if (!d.extensions?.modified.includes("x-extensible-enum")) return [];
  const from = d.base.loc.node["x-extensible-enum"];
  const to = d.revision.loc.node["x-extensible-enum"];
  if (!Array.isArray(from) || !Array.isArray(to)) return [];
  const textOfValue = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  const kept = new Set(to.map(textOfValue));
  return from.map(textOfValue).filter((v) => !kept.has(v));
}

function falseSchemaChange(d: SchemaDiff): "false" | "not-false" | undefined {
  if (!d.always) return undefined;
  if (d.always.to === false) return "false";
  if (d.always.from === false) return "not-false";
  return undefined;
}

function falseItemsChange(d: SchemaDiff): "false" | "not-false" | undefined {
  const items = d.items;
  if (!items || isModified(items)) return undefined;
  if (items.schemaAdded && d.revision.loc.node.items === false) return "false";
  if (items.schemaDeleted && d.base.loc.node.items === false) return "not-false";
  return undefined;
}

function prefixItemsChangedContract(ctx: DiffContext, d: SchemaDiff): boolean {
  const at = (schema: Schema, i: number): Schema | undefined => {
    const list = Array.isArray(schema.loc.node.prefixItems) ? (schema.loc.node.prefixItems as unknown[]) : [];
    if (i < list.length) return schemaAt(schema.loc.doc, list[i], pointerJoin(schema.loc.pointer, "prefixItems", i));
    if (schema.loc.node.items === undefined) return { loc: { node: {}, doc: schema.loc.doc, pointer: "" } };
    return schemaAt(schema.loc.doc, schema.loc.node.items, pointerJoin(schema.loc.pointer, "items"));
  };
  const nb = Array.isArray(d.base.loc.node.prefixItems) ? (d.base.loc.node.prefixItems as unknown[]).length : 0;
  const nr = Array.isArray(d.revision.loc.node.prefixItems) ? (d.revision.loc.node.prefixItems as unknown[]).length : 0;
  for (let i = 0; i < Math.max(nb, nr); i++) if (!equivalent(ctx, at(d.base, i), at(d.revision, i))) return true;
  return false;
}

/**
 * Bound keywords (maximum, minLength, maxItems, multipleOf, exclusive bounds…) and uniqueItems: set,
 * unset, increased or decreased. A request property that is readOnly has read-only variants of the
 * narrowing rules.
 */
function boundRules(d: SchemaDiff, dir: Direction, scope: "body" | "property" | "parameter" | "header", put: (id: string, detail?: TextDetail) => void): void {
  const prefix = `${dir}-${scope}`;
  for (const keyword of BOUND_KEYWORDS) {
    const v = d.bounds[keyword];
    if (!v) continue;
    const name = BOUND_NAMES[keyword];
    let action: string | undefined = boundAction(keyword, v);
    if (keyword === "multipleOf" && (scope === "body" || scope === "property") && typeof v.from === "number" && typeof v.to === "number") {
      action = dir === "request" ? (isIntegerMultiple(v.from, v.to) ? "generalized" : "changed") : (isIntegerMultiple(v.to, v.from) ? "specialized" : "changed");
    }
    if (!action) continue;
    let id = `${prefix}-${name}-${action}`;
    if (dir === "request" && scope === "property" && d.revision.loc.node.readOnly === true && `request-read-only-property-${name}-${action}` in RULES) id = `request-read-only-property-${name}-${action}`;
    put(id, { from: v.from, to: v.to });
  }
  if ((scope === "body" || scope === "property") && d.uniqueItems) {
    if (d.uniqueItems.to === true) put(`${prefix}-unique-items-set`);
    else put(`${prefix}-unique-items-unset`);
  }
}

// ---- Parameters -----------------------------------------------------------------------------------

export interface ParameterContext {
  readonly op: OperationRef;
  readonly in: string;
  readonly name: string;
  readonly base: Record<string, unknown>;
  readonly revision: Record<string, unknown>;
  readonly sink: Sink;
  readonly source: RawChange["source"];
}

/** Schema rules for a parameter: its own schema, and a few for the properties of an object parameter. */
export function parameterSchemaRules(p: ParameterContext, root: SchemaDiff): void {
  const where = `${p.in} parameter \`${p.name}\``;
  const put = (id: string, detail: TextDetail, schema: SchemaDiff) => {
    if (id in RULES) p.sink({ id, text: { ...detail, where }, op: p.op, schema, source: p.source });
  };
  const atRoot = (id: string, detail: TextDetail = {}) => put(id, detail, root);
  if (root.type || root.format) {
    let id = "request-parameter-type-generalized";
    if (typeOrFormatBreaking(root.type, root.format, false, typesOf(root.revision.loc.node)) && !scalarToFormExplodeArray(p, root)) id = "request-parameter-type-changed";
    atRoot(id, { from: describeType(root.base), to: describeType(root.revision) });
  }
  if (root.listOfTypes) atRoot(`request-parameter-list-of-types-${root.listOfTypes.deleted.length > 0 ? "narrowed" : "widened"}`);
  const n = nullability(root);
  if (n) atRoot(`request-parameter-became-${n}`);
  if (root.enum?.enumAdded) atRoot("request-parameter-became-enum");
  if (becameNotEnum(root)) atRoot("request-parameter-became-not-enum");
  if (root.enum) {
    for (const value of deletedEnumValues(root)) atRoot("request-parameter-enum-value-removed", { value });
    for (const value of addedEnumValues(root)) atRoot("request-parameter-enum-value-added", { value });
  }
  for (const value of extensibleEnumRemoved(root)) atRoot("request-parameter-x-extensible-enum-value-removed", { value });
  if (root.pattern) {
    const { from, to } = root.pattern;
    if (from === "") atRoot("request-parameter-pattern-added", { to });
    else if (to === "") atRoot("request-parameter-pattern-removed", { from });
    else atRoot(to === ".*" ? "request-parameter-pattern-generalized" : "request-parameter-pattern-changed", { from, to });
  }
  if (root.default && p.base.required !== true && p.revision.required !== true) {
    const v = root.default;
    atRoot(v.from === undefined ? "request-parameter-default-value-added" : v.to === undefined ? "request-parameter-default-value-removed" : "request-parameter-default-value-changed", { from: v.from, to: v.to });
  }
  boundRules(root, "request", "parameter", (id, detail) => atRoot(id, detail));
  // maxItems of the items of an array parameter count as the parameter's own when it has none.
  if (!root.bounds.maxItems && isModified(root.items) && root.items.bounds.maxItems) {
    const action = boundAction("maxItems", root.items.bounds.maxItems);
    if (action === "increased" || action === "decreased") atRoot(`request-parameter-max-items-${action}`, root.items.bounds.maxItems);
  }
  const falseId = falseSchemaChange(root);
  if (falseId) atRoot(`request-parameter-schema-became-${falseId}`);
  if (p.in === "header") {
    if (root.enum?.enumAdded) atRoot("request-header-property-became-enum");
    for (const name of root.required?.added ?? []) {
      const r = childSchema(root.revision, name);
      if (!r || r.loc.node.readOnly === true || !childSchema(root.base, name)) continue;
      atRoot("request-header-property-became-required", { name });
    }
  }
  walkSchema(root, {
    enter: (e) => {
      const d = e.diff;
      const name = fullName(e.path, e.name);
      const at = (id: string, detail: TextDetail = {}) => put(id, { name, ...detail }, d);
      if (becameNotEnum(d)) at("request-parameter-property-became-not-enum");
      if (d.enum) {
        for (const value of deletedEnumValues(d)) at("request-parameter-property-enum-value-removed", { value });
        for (const value of d.enum.added) at("request-parameter-property-enum-value-added", { value });
      }
      const nn = nullability(d);
      if (nn) at(`request-parameter-property-became-${nn}`);
      if (d.listOfTypes) at(`request-parameter-property-list-of-types-${d.listOfTypes.deleted.length > 0 ? "narrowed" : "widened"}`);
      if (d.type || d.format) {
        const tr = typesOf(d.revision.loc.node);
        const strong = typeOrFormatBreaking(d.type, d.format, true, tr);
        const loose = typeOrFormatBreaking(d.type, d.format, false, tr);
        at(strong !== loose ? "request-parameter-property-type-changed" : strong ? "request-parameter-property-type-specialized" : "request-parameter-property-type-generalized");
      }
      const f = falseSchemaChange(d);
      if (f) at(`request-parameter-property-schema-became-${f}`);
      if (p.in === "header") {
        if (d.enum?.enumAdded) at("request-header-property-became-enum");
        for (const required of d.required?.added ?? []) {
          const r = childSchema(d.revision, required);
          if (!r || r.loc.node.readOnly === true) continue;
          put("request-header-property-became-required", { name: fullName(name, required) }, d);
        }
      }
    },
    properties: (path, parent) => {
      if (p.in !== "header") return;
      for (const added of parent.properties!.added) {
        const schema = childSchema(parent.revision, added);
        if (!schema || schema.loc.node.readOnly === true) continue;
        if (!stringList(parent.revision.loc.node.required).includes(added)) continue;
        put("new-required-request-header-property", { name: fullName(path, added) }, parent);
      }
    },
  });
}

/** A scalar parameter turned into a form-exploded array of the same values: old requests still parse. */
function scalarToFormExplodeArray(p: ParameterContext, root: SchemaDiff): boolean {
  const added = (root.type?.added ?? []).filter((t) => t !== "null");
  const baseTypes = typesOf(root.base.loc.node).filter((t) => t !== "null");
  if (added.length !== 1 || added[0] !== "array" || baseTypes.length === 0) return false;
  const style = typeof p.revision.style === "string" ? p.revision.style : p.in === "query" || p.in === "cookie" ? "form" : "simple";
  const explode = typeof p.revision.explode === "boolean" ? p.revision.explode : style === "form";
  if (style !== "form" || !explode) return false;
  const items = root.revision.loc.node.items;
  if (!isObject(items)) return false;
  const itemTypes = typesOf(items).filter((t) => t !== "null");
  if (!isTypeContained(itemTypes, baseTypes, false)) return false;
  const strip = (node: Record<string, unknown>) => Object.fromEntries(Object.entries(node).filter(([k]) => k !== "type" && k !== "nullable"));
  return JSON.stringify(strip(root.base.loc.node)) === JSON.stringify(strip(items));
}

// ---- Response headers -----------------------------------------------------------------------------

/** Schema rules for a response header: its own schema only. */
export function headerSchemaRules(op: OperationRef, name: string, status: string, root: SchemaDiff, sink: Sink, source: RawChange["source"]): void {
  const where = `response ${status} header \`${name}\``;
  const put = (id: string, detail: TextDetail = {}) => {
    if (id in RULES) sink({ id, text: { ...detail, where }, op, schema: root, source });
  };
  const n = nullability(root);
  if (n) put(`response-header-became-${n}`);
  if (root.type || root.format) put(`response-header-type-${responseTypeKind(root, false)}`, { from: describeType(root.base), to: describeType(root.revision) });
  const f = falseSchemaChange(root);
  if (f) put(`response-header-schema-became-${f}`);
  boundRules(root, "response", "header", put);
}
