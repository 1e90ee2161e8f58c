// Where in the seed a schema mutation can land: every schema object (not a `$ref`) with the place it sits —
// a parameter, a response header, a request or response body (its root or a property below), or a
// component schema used in requests, responses or both. Mutations pick sites of different kinds, so one
// operator is tried as a request-body, response-body, parameter and header change.
import type { Json } from "./seed.ts";

export interface Site {
  /** Tokens from the document root to the schema. */
  path: readonly string[];
  /** parameter | header | request | response | both, then `:root` or `:property`. */
  kind: string;
}

/** How each component schema of the seed is used (followed by hand: the seed is small and fixed). */
const COMPONENT_USE: Record<string, "request" | "response" | "both"> = {
  Product: "response",
  ProductInput: "request",
  Dimensions: "both",
  OrderRequest: "both",
  OrderLine: "both",
  Order: "response",
  Payment: "both",
  CardPayment: "both",
  BankPayment: "both",
  Address: "both",
  PickupPoint: "both",
  Customer: "both",
  CustomerPatch: "request",
  SearchQuery: "request",
  SearchResult: "response",
  Error: "response",
};

/** Component schemas that are a body themselves (their root is a request or response body). */
const BODY_ROOTS = new Set(["Product", "ProductInput", "OrderRequest", "Order", "Customer", "CustomerPatch", "SearchQuery", "SearchResult", "Error"]);

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function walk(node: unknown, path: string[], use: string, root: boolean, out: Site[]): void {
  if (!isObject(node) || typeof node.$ref === "string") return;
  out.push({ path, kind: `${use}:${root ? "root" : "property"}` });
  if (isObject(node.properties)) {
    for (const [name, child] of Object.entries(node.properties)) walk(child, [...path, "properties", name], use, false, out);
  }
  if (isObject(node.items)) walk(node.items, [...path, "items"], use, false, out);
  if (isObject(node.additionalProperties)) walk(node.additionalProperties, [...path, "additionalProperties"], use, false, out);
  for (const keyword of ["allOf", "oneOf", "anyOf", "prefixItems"]) {
    if (Array.isArray(node[keyword])) (node[keyword] as unknown[]).forEach((child, i) => walk(child, [...path, keyword, String(i)], use, root && keyword === "allOf", out));
  }
}

export function schemaSites(doc: Json): Site[] {
  const out: Site[] = [];
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    walk(schema, ["components", "schemas", name], COMPONENT_USE[name] ?? "both", BODY_ROOTS.has(name), out);
  }
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    (item.parameters ?? []).forEach((p: Json, i: number) => walk(p.schema, ["paths", path, "parameters", String(i), "schema"], "parameter", true, out));
    for (const [method, op] of Object.entries<Json>(item)) {
      if (method === "parameters" || !isObject(op)) continue;
      const at = ["paths", path, method];
      (op.parameters ?? []).forEach((p: Json, i: number) => walk(p.schema, [...at, "parameters", String(i), "schema"], "parameter", true, out));
      for (const [mediaType, entry] of Object.entries<Json>(op.requestBody?.content ?? {})) {
        walk(entry.schema, [...at, "requestBody", "content", mediaType, "schema"], "request", true, out);
      }
      for (const [status, response] of Object.entries<Json>(op.responses ?? {})) {
        for (const [mediaType, entry] of Object.entries<Json>(response.content ?? {})) {
          walk(entry.schema, [...at, "responses", status, "content", mediaType, "schema"], "response", true, out);
        }
        for (const [header, entry] of Object.entries<Json>(response.headers ?? {})) {
          walk(entry.schema, [...at, "responses", status, "headers", header, "schema"], "header", true, out);
        }
      }
    }
  }
  return out;
}

export function nodeAt(doc: Json, path: readonly string[]): Json {
  let node: unknown = doc;
  for (const token of path) node = Array.isArray(node) ? node[Number(token)] : (node as Json)[token];
  if (!isObject(node)) throw new Error(`no schema at /${path.join("/")}`);
  return node;
}

/**
 * Up to `count` sites, spread over kinds: kinds in a fixed order, one site of each in turn, so an operator
 * lands in a request body, a response body, a parameter and a header before it lands twice in one.
 */
export function spreadSites(sites: readonly Site[], count: number): Site[] {
  const byKind = new Map<string, Site[]>();
  for (const site of sites) {
    const list = byKind.get(site.kind) ?? [];
    list.push(site);
    byKind.set(site.kind, list);
  }
  const kinds = [...byKind.keys()].sort();
  const picked: Site[] = [];
  for (let round = 0; picked.length < count; round++) {
    let any = false;
    for (const kind of kinds) {
      const site = byKind.get(kind)![round];
      if (!site) continue;
      any = true;
      if (picked.length < count) picked.push(site);
    }
    if (!any) break;
  }
  return picked;
}
