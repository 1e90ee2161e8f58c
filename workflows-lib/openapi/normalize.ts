import { stringify as stringifyYaml } from "yaml";
import type { OpenAPIDocument } from "./load-spec.ts";
import { HTTP_METHODS } from "./http-methods.ts";

/**
 * Puts a description in one stable key order, so that two generations of the same API are byte-identical and a
 * diff of the file itself reads well: the OpenAPI specification's order for the top level, info, path items,
 * operations and components; paths, webhooks, component names and response codes sorted; HTTP methods in
 * the specification's order. Schemas keep the order of their properties (it is what docs show).
 */
export function normalizeSpec(document: OpenAPIDocument): OpenAPIDocument {
  const top = ordered(document, TOP_LEVEL);
  if (isRecord(top.info)) top.info = ordered(top.info, INFO);
  if (isRecord(top.paths)) top.paths = sortedMap(top.paths, normalizePathItem);
  if (isRecord(top.webhooks)) top.webhooks = sortedMap(top.webhooks, normalizePathItem);
  if (isRecord(top.components)) {
    const components = ordered(top.components, COMPONENTS);
    for (const [kind, members] of Object.entries(components)) {
      if (kind.startsWith("x-") || !isRecord(members)) continue;
      components[kind] = sortedMap(members, kind === "pathItems" ? normalizePathItem : kind === "responses" ? normalizeResponse : (v) => v);
    }
    top.components = components;
  }
  return top as OpenAPIDocument;
}

const TOP_LEVEL = ["openapi", "info", "jsonSchemaDialect", "servers", "security", "tags", "externalDocs", "paths", "webhooks", "components"];
const INFO = ["title", "summary", "description", "termsOfService", "contact", "license", "version"];
const PATH_ITEM = ["$ref", "summary", "description", "servers", "parameters", ...HTTP_METHODS];
const OPERATION = [
  "tags", "summary", "description", "externalDocs", "operationId", "parameters", "requestBody", "responses",
  "callbacks", "deprecated", "security", "servers",
];
const RESPONSE = ["$ref", "description", "headers", "content", "links"];
const COMPONENTS = [
  "schemas", "responses", "parameters", "examples", "requestBodies", "headers", "securitySchemes", "links",
  "callbacks", "pathItems",
];

function normalizePathItem(item: unknown): unknown {
  if (!isRecord(item)) return item;
  const result = ordered(item, PATH_ITEM);
  for (const method of HTTP_METHODS) {
    const operation = result[method];
    if (!isRecord(operation)) continue;
    const op = ordered(operation, OPERATION);
    if (isRecord(op.responses)) op.responses = sortResponses(op.responses);
    result[method] = op;
  }
  return result;
}

function normalizeResponse(response: unknown): unknown {
  return isRecord(response) ? ordered(response, RESPONSE) : response;
}

/** Status codes in numeric order, the `1XX`-style ranges after their codes, `default` last. */
function sortResponses(responses: Record<string, unknown>): Record<string, unknown> {
  const rank = (code: string): string => (code === "default" ? "9" : code.toUpperCase().replace(/X/g, "~"));
  const keys = Object.keys(responses).sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, normalizeResponse(responses[k])]));
}

/** Known keys first in the given order, then the rest (extensions and unknown members) sorted. */
function ordered(record: Record<string, unknown>, known: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of known) if (Object.hasOwn(record, key)) result[key] = record[key];
  for (const key of Object.keys(record).filter((k) => !known.includes(k)).sort()) result[key] = record[key];
  return result;
}

function sortedMap(record: Record<string, unknown>, each: (value: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, each(record[k])]),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The text of a description: 2-space JSON, or YAML without anchors (shared objects are written out in full). */
export function serializeSpec(document: OpenAPIDocument, format: "json" | "yaml"): string {
  if (format === "json") return `${JSON.stringify(document, null, 2)}\n`;
  return stringifyYaml(document, { aliasDuplicateObjects: false, lineWidth: 0 });
}
