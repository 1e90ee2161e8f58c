// Paths and operations: which endpoints were added or removed (and whether that was announced), and for
// each operation present on both sides its lifecycle, operationId, tags, parameters, request body and
// responses. Paths match by their template (`/orders/{id}` is `/orders/{orderId}`), parameters by where
// they are and their name (path parameters by position), media types by name or an equivalent rename.
// A modified operation is reported under the base document's path.
import type { OperationRef, RawChange, Sink, TextDetail } from "./change.ts";
import { announce, belowThreshold, deprecationDays, removal, stabilityOf, stabilityRank, sunsetChange } from "./lifecycle.ts";
import type { DeprecationPolicy } from "./lifecycle.ts";
import { bareName, mediaTypeContained, pairContent, parseMediaType } from "./media-types.ts";
import { fingerprint, isObject, pointerJoin, resolve } from "./refs.ts";
import type { Located, SpecDocument } from "./refs.ts";
import { constrainsNothing, diffChild, isModified, schemaAt } from "./schema-diff.ts";
import type { DiffContext, Schema } from "./schema-diff.ts";
import { bodyRules, headerSchemaRules, parameterSchemaRules } from "./schema-rules.ts";
import type { OperationPair } from "./security.ts";

export { HTTP_METHODS as METHODS } from "../http-methods.ts";
import { HTTP_METHODS as METHODS } from "../http-methods.ts";

export interface Sides {
  readonly base: SpecDocument;
  readonly revision: SpecDocument;
  readonly ctx: DiffContext;
  readonly policy: DeprecationPolicy;
  readonly sink: Sink;
}

/** A pair of path items matched by their template, with the base's path parameter names → the revision's. */
export interface PathPair {
  path: string;
  pathR: string;
  base: Located;
  revision: Located;
  params: Map<string, string>;
}

/** Template params: `/a/{x}/b/{y}` → { normal: "/a/{}/b/{}", names: [x, y] }. */
function template(path: string): { normal: string; names: string[] } {
  const names: string[] = [];
  const normal = path.replace(/\{([^}]*)\}/g, (_, name: string) => {
    names.push(name);
    return "{}";
  });
  return { normal, names };
}

export function pathItems(doc: SpecDocument, key: "paths" | "webhooks"): Map<string, Located> {
  const items = new Map<string, Located>();
  const raw = isObject(doc.root[key]) ? (doc.root[key] as Record<string, unknown>) : {};
  for (const path of Object.keys(raw)) {
    const located = resolve(doc, raw[path], pointerJoin(`#/${key}`, path));
    if (located) items.set(path, located);
  }
  return items;
}

export function operationsOf(item: Located): Map<string, Record<string, unknown>> {
  const ops = new Map<string, Record<string, unknown>>();
  for (const method of METHODS) if (isObject(item.node[method])) ops.set(method, item.node[method] as Record<string, unknown>);
  return ops;
}

/** Matches base and revision paths: the same text first, else the same template with as many parameters. */
export function matchPaths(base: Map<string, Located>, revision: Map<string, Located>): { pairs: PathPair[]; deleted: string[]; added: string[] } {
  const byTemplate = new Map<string, string[]>();
  for (const path of [...revision.keys()].sort()) {
    const t = template(path).normal;
    byTemplate.set(t, [...(byTemplate.get(t) ?? []), path]);
  }
  const find = (path: string, other: Map<string, Located>, index: Map<string, string[]>) => {
    if (other.has(path)) return { path, params: new Map<string, string>() };
    const t = template(path);
    for (const candidate of index.get(t.normal) ?? []) {
      const names = template(candidate).names;
      if (names.length === t.names.length) return { path: candidate, params: new Map(t.names.map((name, i) => [name, names[i]!])) };
    }
    return undefined;
  };
  const baseIndex = new Map<string, string[]>();
  for (const path of [...base.keys()].sort()) {
    const t = template(path).normal;
    baseIndex.set(t, [...(baseIndex.get(t) ?? []), path]);
  }
  const pairs: PathPair[] = [];
  const deleted: string[] = [];
  for (const path of [...base.keys()].sort()) {
    const match = find(path, revision, byTemplate);
    if (match) pairs.push({ path, pathR: match.path, base: base.get(path)!, revision: revision.get(match.path)!, params: match.params });
    else deleted.push(path);
  }
  const added = [...revision.keys()].sort().filter((path) => !find(path, base, baseIndex));
  return { pairs, deleted, added };
}

const opId = (op: Record<string, unknown>) => (typeof op.operationId === "string" ? op.operationId : undefined);

function opRef(method: string, path: string, op: Record<string, unknown>): OperationRef {
  const ref: OperationRef = { method, path };
  const id = opId(op);
  if (id) ref.operationId = id;
  return ref;
}

function add(s: Sides, id: string, text: TextDetail, op: OperationRef | undefined, source?: RawChange["source"]): void {
  const change: RawChange = { id, text, ...(op ? { op } : {}) };
  if (source) change.source = source;
  s.sink(change);
}

const REMOVAL = {
  path: { removed: "api-path-removed-without-deprecation", withDeprecation: "api-path-removed-with-deprecation", beforeSunset: "api-path-removed-before-sunset", sunsetParse: "api-path-sunset-parse" },
  operation: { removed: "api-removed-without-deprecation", withDeprecation: "api-removed-with-deprecation", beforeSunset: "api-removed-before-sunset", sunsetParse: "api-path-sunset-parse" },
};

function reportRemoval(s: Sides, kind: "path" | "operation", op: OperationRef, node: Record<string, unknown>, pointer: string): void {
  const rule = removal(node.deprecated === true, node, s.policy.today, REMOVAL[kind]);
  if (rule) add(s, rule.id, rule.note ? { note: rule.note } : {}, op, { base: pointer });
}

export interface PathsOutcome {
  /** Operations present on both sides (for security), draft and alpha revisions left out. */
  operationPairs: OperationPair[];
}

/** Compares `paths` (or, with `webhook`, the modified webhooks as `webhook:<name>` paths). */
export function comparePaths(s: Sides, kind: "paths" | "webhooks"): PathsOutcome {
  const isWebhook = kind === "webhooks";
  const base = pathItems(s.base, kind);
  const revision = pathItems(s.revision, kind);
  const outcome: PathsOutcome = { operationPairs: [] };
  let pairs: PathPair[];
  if (isWebhook) {
    pairs = [...base.keys()].filter((name) => revision.has(name)).sort().map((name) => ({ path: `webhook:${name}`, pathR: `webhook:${name}`, base: base.get(name)!, revision: revision.get(name)!, params: new Map() }));
  } else {
    const matched = matchPaths(base, revision);
    pairs = matched.pairs;
    for (const path of matched.added) {
      for (const [method, op] of operationsOf(revision.get(path)!)) add(s, "endpoint-added", {}, opRef(method, path, op), { revision: pointerJoin(revision.get(path)!.pointer, method) });
    }
    for (const path of matched.deleted) {
      const item = base.get(path)!;
      for (const [method, op] of operationsOf(item)) {
        const ref = opRef(method, path, op);
        const stability = stabilityOf(op);
        if ("invalid" in stability) {
          add(s, "api-invalid-stability-level", { value: stability.invalid }, ref, { base: pointerJoin(item.pointer, method) });
          continue;
        }
        if (stability.level === "draft" || stability.level === "alpha") continue;
        reportRemoval(s, "path", ref, op, pointerJoin(item.pointer, method));
      }
    }
  }

  for (const pair of pairs) {
    const opsB = operationsOf(pair.base);
    const opsR = operationsOf(pair.revision);
    for (const [method, op] of opsR) {
      if (!opsB.has(method)) add(s, "endpoint-added", {}, opRef(method, pair.path, op), { revision: pointerJoin(pair.revision.pointer, method) });
    }
    for (const [method, op] of opsB) {
      if (opsR.has(method)) continue;
      const ref = opRef(method, pair.path, op);
      if (!isWebhook) {
        // Stability is judged for paths only (webhooks are compared after it, like oasdiff does).
        const stability = stabilityOf(op);
        if ("invalid" in stability) {
          add(s, "api-invalid-stability-level", { value: stability.invalid }, ref, { base: pointerJoin(pair.base.pointer, method) });
          continue;
        }
        if (stability.level === "draft" || stability.level === "alpha") continue;
      }
      reportRemoval(s, "operation", ref, op, pointerJoin(pair.base.pointer, method));
    }
    compareSharedParameters(s, pair, opsR);
    for (const [method, opB] of opsB) {
      const opR = opsR.get(method);
      if (!opR) continue;
      const ref = opRef(method, pair.path, opR);
      const pointerB = pointerJoin(pair.base.pointer, method);
      const pointerR = pointerJoin(pair.revision.pointer, method);
      if (!isWebhook && belowThreshold(opR)) {
        // Draft and alpha endpoints may change freely: only a change of their stability level is reported.
        stabilityRules(s, ref, opB, opR, pointerB, pointerR);
        continue;
      }
      outcome.operationPairs.push({ op: ref, base: opB, revision: opR, pointerB, pointerR, webhook: isWebhook });
      if (fingerprint(s.base, opB) === fingerprint(s.revision, opR)) continue;
      if (!isWebhook) stabilityRules(s, ref, opB, opR, pointerB, pointerR);
      compareOperation(s, ref, pair, opB, opR, pointerB, pointerR);
    }
  }
  return outcome;
}

function stabilityRules(s: Sides, op: OperationRef, opB: Record<string, unknown>, opR: Record<string, unknown>, pointerB: string, pointerR: string): void {
  const sb = stabilityOf(opB);
  const sr = stabilityOf(opR);
  if ("invalid" in sb) add(s, "api-invalid-stability-level", { value: sb.invalid }, op, { base: pointerB });
  if ("invalid" in sr) add(s, "api-invalid-stability-level", { value: sr.invalid }, op, { revision: pointerR });
  if ("invalid" in sb || "invalid" in sr) return;
  const rb = stabilityRank(sb.level);
  const rr = stabilityRank(sr.level);
  if (rb === rr || rb < stabilityRank("beta")) return;
  add(s, rr < rb ? "api-stability-decreased" : "api-stability-increased", { from: sb.level ?? "stable", to: sr.level ?? "stable" }, op, { base: pointerB, revision: pointerR });
}

const ENDPOINT_ANNOUNCE = {
  reactivated: "endpoint-reactivated", deprecated: "endpoint-deprecated", withSunset: "endpoint-deprecated-with-sunset",
  sunsetMissing: "api-deprecated-sunset-missing", sunsetParse: "api-deprecated-sunset-parse", sunsetTooSmall: "api-sunset-date-too-small",
};
const ENDPOINT_SUNSET = { deleted: "sunset-deleted", sunsetParse: "api-path-sunset-parse", changedEarlier: "api-sunset-date-changed-earlier", changedTooSmall: "api-sunset-date-changed-too-small" };
const PARAMETER_ANNOUNCE = {
  reactivated: "request-parameter-reactivated", deprecated: "request-parameter-deprecated", sunsetMissing: "request-parameter-deprecated-sunset-missing",
  sunsetParse: "request-parameter-sunset-parse", sunsetTooSmall: "request-parameter-sunset-date-too-small",
};
const PARAMETER_SUNSET = { deleted: "request-parameter-sunset-deleted", sunsetParse: "request-parameter-sunset-parse", changedEarlier: "request-parameter-sunset-date-changed-earlier", changedTooSmall: "request-parameter-sunset-date-changed-too-small" };
const PARAMETER_REMOVAL = { removed: "request-parameter-removed", withDeprecation: "request-parameter-removed-with-deprecation", beforeSunset: "request-parameter-removed-before-sunset", sunsetParse: "request-parameter-sunset-parse" };

function compareOperation(s: Sides, op: OperationRef, pair: PathPair, opB: Record<string, unknown>, opR: Record<string, unknown>, pointerB: string, pointerR: string): void {
  const source = { base: pointerB, revision: pointerR };
  // Lifecycle.
  if ((opB.deprecated === true) !== (opR.deprecated === true)) {
    const days = deprecationDays(s.policy, opR);
    if (days !== undefined || opR.deprecated !== true) {
      const stage = announce(opR.deprecated === true, opR, days ?? 0, s.policy.today, ENDPOINT_ANNOUNCE);
      add(s, stage.id, stage.note ? { note: stage.note } : {}, op, source);
    }
  }
  if (opR.deprecated === true) {
    const change = sunsetChange(opB, opR, deprecationDays(s.policy, opR), s.policy.today, ENDPOINT_SUNSET);
    if (change) add(s, change.id, change.note ? { note: change.note } : {}, op, source);
  }
  // operationId and tags.
  const idB = opId(opB) ?? "";
  const idR = opId(opR) ?? "";
  if (idB !== idR) {
    if (idB === "") add(s, "api-operation-id-added", { value: idR }, op, { revision: pointerR });
    else add(s, "api-operation-id-removed", { value: idB, ...(idR ? { to: idR } : {}) }, op, { base: pointerB });
  }
  const tagsB = Array.isArray(opB.tags) ? opB.tags : [];
  const tagsR = Array.isArray(opR.tags) ? opR.tags : [];
  for (const tag of new Set(tagsB)) if (!tagsR.includes(tag)) add(s, "api-tag-removed", { value: tag }, op, { base: pointerB });
  for (const tag of new Set(tagsR)) if (!tagsB.includes(tag)) add(s, "api-tag-added", { value: tag }, op, { revision: pointerR });

  compareOperationParameters(s, op, pair, opB, opR, pointerB, pointerR);
  compareRequestBody(s, op, opR, resolve(s.base, opB.requestBody, pointerJoin(pointerB, "requestBody")), resolve(s.revision, opR.requestBody, pointerJoin(pointerR, "requestBody")));
  compareResponses(s, op, opR, opB, pointerB, pointerR);
}

interface Param {
  in: string;
  name: string;
  located: Located;
}

function parametersOf(doc: SpecDocument, list: unknown, pointer: string): Param[] {
  if (!Array.isArray(list)) return [];
  const out: Param[] = [];
  list.forEach((raw, index) => {
    const p = resolve(doc, raw, pointerJoin(pointer, "parameters", index));
    // Header names are case-insensitive: compared in lower case, like oasdiff does.
    if (p && typeof p.node.name === "string" && typeof p.node.in === "string") out.push({ in: p.node.in, name: p.node.in === "header" ? p.node.name.toLowerCase() : p.node.name, located: p });
  });
  return out;
}

/** Pairs parameters: same location and name; path parameters through the path templates' positions. */
function pairParameters(listB: Param[], listR: Param[], pathParams: Map<string, string>) {
  const taken = new Set<Param>();
  const pairs: Array<[Param, Param]> = [];
  const deleted: Param[] = [];
  for (const pb of listB) {
    const pr = listR.find((candidate) => {
      if (taken.has(candidate) || candidate.in !== pb.in) return false;
      if (pb.in !== "path" || pathParams.size === 0) return candidate.name === pb.name;
      return pathParams.get(pb.name) === candidate.name;
    });
    if (pr) {
      taken.add(pr);
      pairs.push([pb, pr]);
    } else deleted.push(pb);
  }
  return { pairs, deleted, added: listR.filter((pr) => !taken.has(pr)) };
}

/** Parameters declared on the path item: a new one is a new parameter of every operation below it. */
function compareSharedParameters(s: Sides, pair: PathPair, opsR: Map<string, Record<string, unknown>>): void {
  if (opsR.size === 0) return;
  const listB = parametersOf(s.base, pair.base.node.parameters, pair.base.pointer);
  const listR = parametersOf(s.revision, pair.revision.node.parameters, pair.revision.pointer);
  if (listR.length === 0) return;
  const { added } = pairParameters(listB, listR, pair.params);
  for (const param of added) {
    if (param.in === "path") continue;
    const id = param.located.node.required === true ? "new-required-request-default-parameter-to-existing-path" : "new-optional-request-default-parameter-to-existing-path";
    for (const [method, op] of opsR) add(s, id, { name: `${param.in} ${param.name}` }, opRef(method, pair.path, op), { revision: param.located.pointer });
  }
}

function compareOperationParameters(s: Sides, op: OperationRef, pair: PathPair, opB: Record<string, unknown>, opR: Record<string, unknown>, pointerB: string, pointerR: string): void {
  const listB = parametersOf(s.base, opB.parameters, pointerB);
  const listR = parametersOf(s.revision, opR.parameters, pointerR);
  if (listB.length === 0 && listR.length === 0) return;
  const { pairs, deleted, added } = pairParameters(listB, listR, pair.params);
  for (const param of added) {
    const source = { revision: param.located.pointer };
    if (param.in === "path") {
      add(s, "new-request-path-parameter", { name: param.name }, op, source);
      continue;
    }
    const first = listR.find((p) => p.name === param.name) ?? param;
    add(s, first.located.node.required === true ? "new-required-request-parameter" : "new-optional-request-parameter", { name: `${param.in} ${param.name}` }, op, source);
  }
  for (const param of deleted) {
    const rule = removal(param.located.node.deprecated === true, param.located.node, s.policy.today, PARAMETER_REMOVAL);
    if (rule) add(s, rule.id, { name: `${param.in} ${param.name}`, ...(rule.note ? { note: rule.note } : {}) }, op, { base: param.located.pointer });
  }
  const days = deprecationDays(s.policy, opR);
  for (const [pb, pr] of pairs) {
    const B = pb.located.node;
    const R = pr.located.node;
    if (fingerprint(s.base, B) === fingerprint(s.revision, R)) continue;
    const name = `${pb.in} ${pb.name}`;
    const source = { base: pb.located.pointer, revision: pr.located.pointer };
    if ((B.required === true) !== (R.required === true)) add(s, R.required === true ? "request-parameter-became-required" : "request-parameter-became-optional", { name }, op, source);
    if ((B.deprecated === true) !== (R.deprecated === true) && (days !== undefined || R.deprecated !== true)) {
      const stage = announce(R.deprecated === true, R, days ?? 0, s.policy.today, PARAMETER_ANNOUNCE);
      add(s, stage.id, { name, ...(stage.note ? { note: stage.note } : {}) }, op, source);
    }
    if (R.deprecated === true) {
      const change = sunsetChange(B, R, days, s.policy.today, PARAMETER_SUNSET);
      if (change) add(s, change.id, { name, ...(change.note ? { note: change.note } : {}) }, op, source);
    }
    const schema = diffChild(s.ctx, schemaAt(s.base, B.schema, pointerJoin(pb.located.pointer, "schema")), schemaAt(s.revision, R.schema, pointerJoin(pr.located.pointer, "schema")));
    if (isModified(schema)) parameterSchemaRules({ op, in: pb.in, name: pb.name, base: B, revision: R, sink: s.sink, source }, schema);
  }
}

function contentOf(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

function compareRequestBody(s: Sides, op: OperationRef, opR: Record<string, unknown>, B: Located | undefined, R: Located | undefined): void {
  if (!B && !R) return;
  if (!B) {
    add(s, R!.node.required === true ? "request-body-added-required" : "request-body-added-optional", {}, op, { revision: R!.pointer });
    return;
  }
  if (!R) {
    add(s, "request-body-removed", {}, op, { base: B.pointer });
    return;
  }
  if ((B.node.required === true) !== (R.node.required === true)) add(s, R.node.required === true ? "request-body-became-required" : "request-body-became-optional", {}, op, { base: B.pointer, revision: R.pointer });
  const cb = contentOf(B.node.content);
  const cr = contentOf(R.node.content);
  const pairs = pairContent(Object.keys(cb), Object.keys(cr));
  for (const name of pairs.added) add(s, "request-body-media-type-added", { value: name }, op, { revision: pointerJoin(R.pointer, "content", name) });
  for (const name of pairs.deleted) add(s, "request-body-media-type-removed", { value: name }, op, { base: pointerJoin(B.pointer, "content", name) });
  for (const [nameB, nameR] of pairs.common) compareMediaType(s, op, opR, "request", undefined, B, R, nameB, nameR, cb[nameB], cr[nameR]);
}

function compareMediaType(
  s: Sides,
  op: OperationRef,
  opR: Record<string, unknown>,
  direction: "request" | "response",
  status: string | undefined,
  parentB: Located,
  parentR: Located,
  nameB: string,
  nameR: string,
  rawB: unknown,
  rawR: unknown,
): void {
  const mtB = contentOf(rawB);
  const mtR = contentOf(rawR);
  const pointerB = pointerJoin(parentB.pointer, "content", nameB);
  const pointerR = pointerJoin(parentR.pointer, "content", nameR);
  const where = direction === "request" ? `request body ${nameR}` : `response ${status} ${nameR}`;
  for (const [keyword, label] of [["schema", "schema"], ["itemSchema", "item-schema"]] as const) {
    const sb = schemaAt(parentB.doc, mtB[keyword], pointerJoin(pointerB, keyword));
    const sr = schemaAt(parentR.doc, mtR[keyword], pointerJoin(pointerR, keyword));
    if (!sb && !sr) continue;
    if (!sb || !sr) {
      oneSidedSchema(s, op, direction, status, label, nameR, sb, sr, { base: sb ? pointerB : undefined, revision: sr ? pointerR : undefined }, mtR);
      continue;
    }
    const diff = diffChild(s.ctx, sb, sr);
    if (!isModified(diff)) continue;
    bodyRules({
      ctx: s.ctx, direction, op, mediaType: nameR, ...(status !== undefined ? { status } : {}),
      where: keyword === "itemSchema" ? `${where} (item schema)` : where, operation: opR, policy: s.policy, openapi31: s.base.openapi31, sink: s.sink,
    }, diff);
  }
}

/** A media type whose schema (or item schema) appeared or disappeared. */
function oneSidedSchema(
  s: Sides,
  op: OperationRef,
  direction: "request" | "response",
  status: string | undefined,
  label: "schema" | "item-schema",
  name: string,
  sb: Schema | undefined,
  sr: Schema | undefined,
  source: RawChange["source"],
  mtR: Record<string, unknown>,
): void {
  const text = { value: name, ...(status ? { where: `response ${status}` } : {}) };
  if (label === "item-schema") {
    if (sr) add(s, `${direction}-body-media-type-item-schema-added`, text, op, source);
    else add(s, direction === "response" && mtR.schema === undefined ? "response-body-media-type-item-schema-removed-untyped" : `${direction}-body-media-type-item-schema-removed`, text, op, source);
    return;
  }
  if (sr) {
    if (sr.always === undefined && constrainsNothing(s.ctx, sr)) return;
    add(s, sr.always === false ? `${direction}-body-schema-became-false` : `${direction}-body-media-type-schema-added`, text, op, source);
  } else if (sb) {
    if (sb.always === undefined && constrainsNothing(s.ctx, sb)) return;
    add(s, `${direction}-body-media-type-schema-removed`, text, op, source);
  }
}

function statusCode(status: string): number | undefined {
  return /^\d+$/.test(status) ? Number(status) : undefined;
}

function compareResponses(s: Sides, op: OperationRef, opR: Record<string, unknown>, opB: Record<string, unknown>, pointerB: string, pointerR: string): void {
  const responsesB = contentOf(opB.responses);
  const responsesR = contentOf(opR.responses);
  const success = (code: number) => code >= 200 && code <= 299;
  for (const status of Object.keys(responsesB)) {
    if (status in responsesR) continue;
    const code = statusCode(status);
    if (code === undefined) continue;
    add(s, success(code) ? "response-success-status-removed" : "response-non-success-status-removed", { value: status }, op, { base: pointerJoin(pointerB, "responses", status) });
  }
  for (const status of Object.keys(responsesR)) {
    if (!(status in responsesB)) {
      const code = statusCode(status);
      if (code !== undefined) add(s, success(code) ? "response-success-status-added" : "response-non-success-status-added", { value: status }, op, { revision: pointerJoin(pointerR, "responses", status) });
      continue;
    }
    const B = resolve(s.base, responsesB[status], pointerJoin(pointerB, "responses", status));
    const R = resolve(s.revision, responsesR[status], pointerJoin(pointerR, "responses", status));
    if (!B || !R || fingerprint(B.doc, B.node) === fingerprint(R.doc, R.node)) continue;
    compareResponseHeaders(s, op, status, B, R);
    const cb = contentOf(B.node.content);
    const cr = contentOf(R.node.content);
    const pairs = pairContent(Object.keys(cb), Object.keys(cr));
    const where = `response ${status}`;
    for (const name of pairs.deleted) add(s, "response-media-type-removed", { value: name, where }, op, { base: pointerJoin(B.pointer, "content", name) });
    for (const name of pairs.added) add(s, "response-media-type-added", { value: name, where }, op, { revision: pointerJoin(R.pointer, "content", name) });
    for (const [nameB, nameR] of pairs.common) {
      const source = { base: pointerJoin(B.pointer, "content", nameB), revision: pointerJoin(R.pointer, "content", nameR) };
      if (nameB !== nameR) mediaTypeRename(s, op, where, nameB, nameR, source);
      compareMediaType(s, op, opR, "response", status, B, R, nameB, nameR, cb[nameB], cr[nameR]);
    }
  }
}

/** A response media type renamed to an equivalent one: its parameters changed, or it got more or less specific. */
function mediaTypeRename(s: Sides, op: OperationRef, where: string, from: string, to: string, source: RawChange["source"]): void {
  const a = parseMediaType(from)!;
  const b = parseMediaType(to)!;
  const added = [...b.params.keys()].filter((k) => !a.params.has(k)).sort();
  const deleted = [...a.params.keys()].filter((k) => !b.params.has(k)).sort();
  const modified = [...a.params.keys()].filter((k) => b.params.has(k) && a.params.get(k) !== b.params.get(k)).sort();
  if (added.length || deleted.length || modified.length) {
    const mixed = [added, deleted, modified].filter((list) => list.length > 0).length > 1;
    if (mixed || bareName(a) !== bareName(b)) {
      add(s, "response-media-type-name-changed", { from, to, where }, op, source);
      return;
    }
    for (const param of added) add(s, "response-media-type-parameter-added", { value: param, to: b.params.get(param), where: `${where} ${bareName(a)}` }, op, source);
    for (const param of deleted) add(s, "response-media-type-parameter-removed", { value: param, from: a.params.get(param), where: `${where} ${bareName(a)}` }, op, source);
    for (const param of modified) add(s, "response-media-type-parameter-changed", { value: param, from: a.params.get(param), to: b.params.get(param), where: `${where} ${bareName(a)}` }, op, source);
    return;
  }
  add(s, mediaTypeContained(from, to) ? "response-media-type-name-specialized" : "response-media-type-name-generalized", { from, to, where }, op, source);
}

function compareResponseHeaders(s: Sides, op: OperationRef, status: string, B: Located, R: Located): void {
  const headersB = contentOf(B.node.headers);
  const headersR = contentOf(R.node.headers);
  const where = `response ${status}`;
  const lowerR = new Map(Object.keys(headersR).map((name) => [name.toLowerCase(), name]));
  const lowerB = new Set(Object.keys(headersB).map((name) => name.toLowerCase()));
  for (const name of Object.keys(headersB)) {
    const hb = resolve(B.doc, headersB[name], pointerJoin(B.pointer, "headers", name));
    if (!hb) continue;
    const nameR = lowerR.get(name.toLowerCase());
    if (nameR === undefined) {
      add(s, hb.node.required === true ? "required-response-header-removed" : "optional-response-header-removed", { name, where }, op, { base: hb.pointer });
      continue;
    }
    const hr = resolve(R.doc, headersR[nameR], pointerJoin(R.pointer, "headers", nameR));
    if (!hr || fingerprint(hb.doc, hb.node) === fingerprint(hr.doc, hr.node)) continue;
    const source = { base: hb.pointer, revision: hr.pointer };
    if (hb.node.required === true && hr.node.required !== true) add(s, "response-header-became-optional", { name, where }, op, source);
    const diff = diffChild(s.ctx, schemaAt(hb.doc, hb.node.schema, pointerJoin(hb.pointer, "schema")), schemaAt(hr.doc, hr.node.schema, pointerJoin(hr.pointer, "schema")));
    if (isModified(diff)) headerSchemaRules(op, name, status, diff, s.sink, source);
  }
  for (const name of Object.keys(headersR)) {
    if (lowerB.has(name.toLowerCase())) continue;
    add(s, "response-header-added", { name, where }, op, { revision: pointerJoin(R.pointer, "headers", name) });
  }
}

/** Webhooks added or removed (changed ones are compared like operations, under `webhook:<name>`). */
export function compareWebhookSets(s: Sides): void {
  const base = pathItems(s.base, "webhooks");
  const revision = pathItems(s.revision, "webhooks");
  for (const name of [...base.keys()].sort()) if (!revision.has(name)) add(s, "webhook-removed", { name }, undefined, { base: pointerJoin("#/webhooks", name) });
  for (const name of [...revision.keys()].sort()) if (!base.has(name)) add(s, "webhook-added", { name }, undefined, { revision: pointerJoin("#/webhooks", name) });
}
