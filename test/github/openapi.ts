// GitHub's own OpenAPI description (from @octokit/openapi) as the contract of the stand-in: route
// matching, parameter/body validation and response validation. The description is parsed once per
// process; ajv validators are compiled lazily per operation and cached, because compiling every
// schema up front would cost seconds.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { fullFormats } from "ajv-formats/dist/formats.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface ParameterSpec {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: JsonObject;
}

export interface Operation {
  operationId: string;
  method: string;
  template: string;
  docsUrl: string;
  parameters: ParameterSpec[];
  /** `binary`: the body is raw bytes (release asset uploads), not JSON. */
  requestBody: { required: boolean; schema: JsonObject | undefined; binary: boolean } | undefined;
  /** status code → JSON schema of the body (undefined = no JSON body documented). */
  responses: Map<string, JsonObject | undefined>;
}

export interface RouteMatch {
  operation: Operation;
  params: Record<string, string>;
}

export interface SchemaError {
  path: string;
  keyword: string;
  message: string;
  /** Property the error is about (missing property for `required`). */
  field: string | undefined;
}

const SCHEMA_BASE = "https://api.github.com/openapi/schemas/";
const COMPONENT_REF = "#/components/schemas/";

interface CompiledRoute {
  method: string;
  template: string;
  raw: JsonObject;
  shared: Json[];
  /** Compiled on first use. */
  regex?: RegExp;
  names: string[];
  literalSegments: number;
  /** Literal text before the first parameter. */
  prefix: string;
  segments: number;
  operation?: Operation;
}

interface Spec {
  raw: JsonObject;
  routes: Map<string, CompiledRoute[]>;
  byId: Map<string, CompiledRoute>;
  /** Stops at the first error: cheap to compile, used for every check. */
  fast: Engine;
  /** Collects every error; compiled only for a schema that something failed, to report all problems. */
  detailed: Engine | undefined;
}

interface Engine {
  ajv: Ajv;
  validators: Map<string, ValidateFunction>;
  /** Component schemas already registered with this ajv (lazily, with everything they reference). */
  registered: Set<string>;
}

let loaded: Spec | undefined;

function createEngine(allErrors: boolean): Engine {
  const ajv = new Ajv({ strict: false, allErrors, validateSchema: false, logger: false, coerceTypes: false, inlineRefs: false });
  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
  addFormats(ajv);
  ajv.addFormat("uri-template", true);
  // GitHub sends "" for unset URLs its description marks `format: uri` (a deployment status without a
  // `log_url` answers `"target_url": ""`); accept exactly that, keep the full URI check otherwise.
  const uri = fullFormats.uri as (value: string) => boolean;
  ajv.addFormat("uri", { type: "string", validate: (value: string) => value === "" || uri(value) });
  return { ajv, validators: new Map(), registered: new Set() };
}

function specPath(): string {
  const require = createRequire(import.meta.url);
  return require.resolve("@octokit/openapi/generated/api.github.com.json");
}

/**
 * OpenAPI 3.0 → JSON Schema for ajv: `nullable` becomes a `null` type (ajv's own `nullable` rejects
 * null when an `enum` is present), `oneOf` becomes `anyOf`, component refs become absolute ids,
 * docs-only keywords go.
 * Names of referenced components are collected into `refs`.
 */
function toJsonSchema(node: Json, refs: Set<string>): Json {
  if (Array.isArray(node)) return node.map((item) => toJsonSchema(item, refs));
  if (node === null || typeof node !== "object") return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "example" || key === "examples" || key === "description" || key === "x-github" || key === "title") continue;
    if (key === "$ref" && typeof value === "string" && value.startsWith(COMPONENT_REF)) {
      const name = value.slice(COMPONENT_REF.length);
      refs.add(name);
      out[key] = SCHEMA_BASE + encodeURIComponent(name);
    } else if (key === "properties" && value && typeof value === "object" && !Array.isArray(value)) {
      const props: JsonObject = {};
      for (const [name, schema] of Object.entries(value)) props[name] = toJsonSchema(schema, refs);
      out[key] = props;
    } else if (key === "oneOf") {
      // GitHub's description uses oneOf for alternatives that overlap (a basic error also matches a
      // rule-violation error), so exclusive matching would reject GitHub's own answers.
      out.anyOf = toJsonSchema(value, refs);
    } else out[key] = toJsonSchema(value, refs);
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === "string") {
      out.type = [out.type, "null"];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [{ type: "null" }, out] };
  }
  delete out.nullable;
  return out;
}

function resolve(spec: JsonObject, node: Json): JsonObject {
  let current = node;
  for (let i = 0; i < 10 && current && typeof current === "object" && !Array.isArray(current); i++) {
    const ref = current.$ref;
    if (typeof ref !== "string") return current;
    current = ref
      .replace(/^#\//, "")
      .split("/")
      .reduce<Json>((at, key) => (at && typeof at === "object" && !Array.isArray(at) ? (at[key] ?? null) : null), spec);
  }
  return (current ?? {}) as JsonObject;
}

/** Cheap facts about a template, so most routes are ruled out without compiling their regex. */
function describeTemplate(template: string): { names: string[]; literalSegments: number; prefix: string; segments: number } {
  const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const parts = template.split("/");
  const brace = template.indexOf("{");
  return {
    names,
    literalSegments: parts.filter((segment) => !segment.includes("{")).length,
    prefix: brace < 0 ? template : template.slice(0, brace),
    segments: parts.length,
  };
}

function templateRegex(template: string): RegExp {
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const source = template
    .split("/")
    .map((segment) =>
      segment
        .split(/(\{[^}]+\})/)
        .map((part) => (/^\{[^}]+\}$/.test(part) ? "([^/]+?)" : escape(part)))
        .join(""),
    )
    .join("/");
  return new RegExp(`^${source}$`);
}

function regexOf(route: CompiledRoute): RegExp {
  route.regex ??= templateRegex(route.template);
  return route.regex;
}

/** Parses the description once per process; operations and schemas are prepared on first use. */
export function loadSpec(): Spec {
  if (loaded) return loaded;
  const raw = JSON.parse(readFileSync(specPath(), "utf8")) as JsonObject;
  const routes = new Map<string, CompiledRoute[]>();
  const byId = new Map<string, CompiledRoute>();
  for (const [template, item] of Object.entries(raw.paths as JsonObject)) {
    const pathItem = item as JsonObject;
    const shared = (pathItem.parameters as Json[] | undefined) ?? [];
    for (const method of ["get", "post", "put", "patch", "delete", "head"]) {
      const op = pathItem[method] as JsonObject | undefined;
      if (!op) continue;
      const route: CompiledRoute = { method: method.toUpperCase(), template, raw: op, shared, ...describeTemplate(template) };
      byId.set(String(op.operationId), route);
      const list = routes.get(route.method) ?? [];
      list.push(route);
      routes.set(route.method, list);
    }
  }
  // More literal segments first: `/releases/latest` beats `/releases/{release_id}`.
  for (const list of routes.values()) list.sort((a, b) => b.literalSegments - a.literalSegments);
  loaded = { raw, routes, byId, fast: createEngine(false), detailed: undefined };
  return loaded;
}

/** Converts a schema of an operation and registers every component it reaches with ajv. */
function prepareSchema(spec: Spec, engine: Engine, node: Json): JsonObject {
  const refs = new Set<string>();
  const schema = toJsonSchema(node, refs) as JsonObject;
  const components = (spec.raw.components as JsonObject).schemas as JsonObject;
  const pending = [...refs];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (engine.registered.has(name)) continue;
    engine.registered.add(name);
    const nested = new Set<string>();
    const converted = toJsonSchema(components[name] ?? {}, nested) as JsonObject;
    engine.ajv.addSchema({ ...converted, $id: SCHEMA_BASE + encodeURIComponent(name) });
    pending.push(...nested);
  }
  return schema;
}

function buildOperation(spec: Spec, route: CompiledRoute): Operation {
  if (route.operation) return route.operation;
  const op = route.raw;
  const parameters = [...route.shared, ...((op.parameters as Json[] | undefined) ?? [])].map((p) => {
    const param = resolve(spec.raw, p);
    return {
      name: String(param.name),
      in: param.in as ParameterSpec["in"],
      required: param.required === true,
      schema: (param.schema ?? {}) as JsonObject,
    };
  });
  const body = op.requestBody ? resolve(spec.raw, op.requestBody) : undefined;
  const bodyJson = body ? ((body.content as JsonObject | undefined)?.["application/json"] as JsonObject | undefined) : undefined;
  const responses = new Map<string, JsonObject | undefined>();
  for (const [status, response] of Object.entries((op.responses ?? {}) as JsonObject)) {
    const resolved = resolve(spec.raw, response);
    const content = resolved.content as JsonObject | undefined;
    const json = (content?.["application/json"] ?? content?.["application/scim+json"]) as JsonObject | undefined;
    responses.set(status, json?.schema ? (json.schema as JsonObject) : undefined);
  }
  route.operation = {
    operationId: String(op.operationId),
    method: route.method,
    template: route.template,
    docsUrl: String((op.externalDocs as JsonObject | undefined)?.url ?? "https://docs.github.com/rest"),
    parameters,
    requestBody: body
      ? {
          required: body.required === true,
          schema: bodyJson?.schema as JsonObject | undefined,
          binary: !bodyJson && Object.keys((body.content as JsonObject | undefined) ?? {}).length > 0,
        }
      : undefined,
    responses,
  };
  return route.operation;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Trailing parameters GitHub also accepts with literal slashes (`contents/a/b.txt`, `git/ref/heads/x/y`). */
const MULTI_SEGMENT = new Set(["path", "ref", "basehead", "head", "tag"]);

/**
 * Finds the operation for a request. A parameter matches one path segment (Octokit percent-encodes
 * slashes in `ref`, `path`, …); when nothing matches, the last parameter may span several segments,
 * as GitHub accepts `git/ref/heads/feature/x` unencoded too.
 */
export function matchRoute(method: string, pathname: string): RouteMatch | undefined {
  const spec = loadSpec();
  const candidates = spec.routes.get(method.toUpperCase()) ?? [];
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  const segments = path.split("/").length;
  for (const route of candidates) {
    if (route.segments !== segments || !path.startsWith(route.prefix)) continue;
    const m = regexOf(route).exec(path);
    if (m) return { operation: buildOperation(spec, route), params: paramsOf(route.names, m) };
  }
  for (const route of candidates) {
    if (!MULTI_SEGMENT.has(route.names.at(-1) ?? "") || route.segments > segments + 1 || !pathname.startsWith(route.prefix)) continue;
    const source = regexOf(route).source;
    const lastParam = source.lastIndexOf("([^/]+?)");
    if (lastParam < 0 || !source.endsWith("([^/]+?)$")) continue;
    // A `path` may be empty: `…/contents` is the repository root on GitHub (Octokit drops the slash).
    const head = source.slice(0, lastParam);
    const greedy = route.names.at(-1) === "path" ? new RegExp(`${head.replace(/\\?\/$/, "")}(?:/(.*))?$`) : new RegExp(`${head}(.+)$`);
    const m = greedy.exec(path);
    if (m) return { operation: buildOperation(spec, route), params: paramsOf(route.names, m) };
  }
  return undefined;
}

function paramsOf(names: string[], m: RegExpExecArray): Record<string, string> {
  const params: Record<string, string> = {};
  names.forEach((name, i) => (params[name] = decode(m[i + 1] ?? "")));
  return params;
}

export function operationById(operationId: string): Operation | undefined {
  const spec = loadSpec();
  const route = spec.byId.get(operationId);
  return route ? buildOperation(spec, route) : undefined;
}

function compiled(spec: Spec, engine: Engine, key: string, schema: JsonObject): ValidateFunction {
  let fn = engine.validators.get(key);
  if (!fn) {
    fn = engine.ajv.compile(prepareSchema(spec, engine, schema));
    engine.validators.set(key, fn);
  }
  return fn;
}

/**
 * Validates `data` against one schema of one operation (`key` names it for the cache). Returns every
 * problem found, or nothing when the data is valid.
 */
export function validate(key: string, schema: JsonObject, data: Json | undefined): SchemaError[] {
  const spec = loadSpec();
  if (compiled(spec, spec.fast, key, schema)(data)) return [];
  spec.detailed ??= createEngine(true);
  const detailed = compiled(spec, spec.detailed, key, schema);
  detailed(data);
  return toSchemaErrors(detailed.errors);
}

function toSchemaErrors(errors: ErrorObject[] | null | undefined): SchemaError[] {
  return (errors ?? [])
    .filter((e) => !(e.keyword === "anyOf" || e.keyword === "oneOf") || (errors ?? []).length === 1)
    .map((e) => {
      const missing = e.keyword === "required" ? String((e.params as { missingProperty?: string }).missingProperty) : undefined;
      const segments = e.instancePath.split("/").filter(Boolean);
      return {
        path: e.instancePath || "/",
        keyword: e.keyword,
        message: `${e.instancePath || "(root)"} ${e.message ?? "is invalid"}`,
        field: missing ?? segments.at(-1),
      };
    });
}

/** Coerces a query/path string to the parameter's schema type, as GitHub does. */
export function coerceParameter(value: string, schema: JsonObject): Json {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (type === "integer" || type === "number") {
    return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  if (type === "boolean") return value === "true" ? true : value === "false" ? false : value;
  if (type === "array") return value.split(",");
  return value;
}

export type { Json, JsonObject };
