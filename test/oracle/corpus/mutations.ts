// The mutation catalogue: one edit each, named for what it does, grouped by the rule family it exercises.
// Schema operators land on schema sites of the seed (see sites.ts: parameters, headers, request and response
// bodies and their properties); document operators edit paths, operations, parameters, bodies, responses,
// security, lifecycle and components directly. Some prepare the base first (a deprecated property to remove,
// a discriminator to change), applying the same preparation to both sides.
import { dayFrom, nullable } from "./seed.ts";
import type { Json, OpenApiVersion } from "./seed.ts";
import type { Site } from "./sites.ts";

export interface SchemaOperator {
  name: string;
  family: string;
  versions?: readonly OpenApiVersion[];
  applies(node: Json, site: Site, version: OpenApiVersion): boolean;
  /** Applied to both sides before `mutate`, to give the base what the edit needs. */
  prepare?(node: Json, version: OpenApiVersion, today: string): void;
  mutate(node: Json, version: OpenApiVersion, today: string): void;
  /** Replaces the schema instead (a boolean schema, which no edit in place can make). */
  replace?(node: Json, version: OpenApiVersion): unknown;
}

export interface DocumentOperator {
  name: string;
  family: string;
  versions?: readonly OpenApiVersion[];
  /** Edits both documents in place: usually only the revision, sometimes the base too (a precondition). */
  mutate(base: Json, revision: Json, version: OpenApiVersion, today: string): void;
}

const typeOf = (node: Json): string | undefined => (Array.isArray(node.type) ? node.type.find((t: string) => t !== "null") : node.type);
const isNullable = (node: Json): boolean => node.nullable === true || (Array.isArray(node.type) && node.type.includes("null"));
const plain = (node: Json, type: string): boolean => typeOf(node) === type && node.enum === undefined && node.const === undefined;
const propertyNames = (node: Json): string[] => Object.keys(node.properties ?? {});
const isObjectSchema = (node: Json): boolean => typeOf(node) === "object" && node.properties !== undefined;

type Bound = readonly [keyword: string, type: string, setTo: (node: Json) => number | boolean];

const BOUNDS: readonly Bound[] = [
  ["maxLength", "string", () => 40],
  ["minLength", "string", () => 3],
  ["maximum", "number", () => 5000],
  ["minimum", "number", () => 1],
  ["maxItems", "array", () => 25],
  ["minItems", "array", () => 1],
  ["maxProperties", "object", () => 30],
  ["minProperties", "object", () => 1],
  ["multipleOf", "number", () => 2],
];

const numeric = (type: string | undefined) => type === "number" || type === "integer";
const fits = (node: Json, type: string) => (type === "number" ? numeric(typeOf(node)) : typeOf(node) === type);

function boundOperators(): SchemaOperator[] {
  const out: SchemaOperator[] = [];
  for (const [keyword, type, setTo] of BOUNDS) {
    out.push(
      { name: `${keyword} set`, family: "bounds", applies: (n) => fits(n, type) && n[keyword] === undefined, mutate: (n) => void (n[keyword] = setTo(n)) },
      { name: `${keyword} unset`, family: "bounds", applies: (n) => n[keyword] !== undefined, mutate: (n) => void delete n[keyword] },
      {
        name: `${keyword} increased`,
        family: "bounds",
        applies: (n) => typeof n[keyword] === "number",
        mutate: (n) => void (n[keyword] = keyword === "multipleOf" ? n[keyword] * 2 : n[keyword] + Math.max(1, Math.ceil(n[keyword] / 2))),
      },
      {
        name: `${keyword} decreased`,
        family: "bounds",
        applies: (n) => typeof n[keyword] === "number" && (keyword === "multipleOf" || n[keyword] >= 2),
        mutate: (n) => void (n[keyword] = keyword === "multipleOf" ? n[keyword] / 2 : Math.floor(n[keyword] / 2)),
      },
    );
  }
  out.push(
    { name: "uniqueItems set", family: "bounds", applies: (n) => typeOf(n) === "array" && n.uniqueItems === undefined, mutate: (n) => void (n.uniqueItems = true) },
    { name: "uniqueItems unset", family: "bounds", applies: (n) => n.uniqueItems === true, mutate: (n) => void delete n.uniqueItems },
    {
      // 3.0 writes an exclusive bound as a flag beside minimum/maximum, 3.1 as a number of its own.
      name: "exclusiveMinimum set",
      family: "bounds",
      applies: (n) => numeric(typeOf(n)) && n.exclusiveMinimum === undefined,
      mutate: (n, version) => {
        if (version === "3.0") {
          n.minimum ??= 0;
          n.exclusiveMinimum = true;
        } else n.exclusiveMinimum = typeof n.minimum === "number" ? n.minimum : 0;
      },
    },
    {
      name: "exclusiveMaximum set",
      family: "bounds",
      applies: (n) => numeric(typeOf(n)) && n.exclusiveMaximum === undefined,
      mutate: (n, version) => {
        if (version === "3.0") {
          n.maximum ??= 1000;
          n.exclusiveMaximum = true;
        } else n.exclusiveMaximum = 1000;
      },
    },
    {
      name: "exclusiveMinimum increased",
      family: "bounds",
      applies: (n) => n.exclusiveMinimum !== undefined,
      mutate: (n, version) => {
        if (version === "3.0") n.minimum = (n.minimum ?? 0) + 5;
        else n.exclusiveMinimum += 5;
      },
    },
    {
      name: "exclusiveMinimum unset",
      family: "bounds",
      applies: (n) => n.exclusiveMinimum !== undefined,
      mutate: (n) => void delete n.exclusiveMinimum,
    },
  );
  return out;
}

/** Removes an object schema's first property, from its required list too. */
function removeFirstProperty(n: Json): void {
  const name = propertyNames(n)[0]!;
  delete n.properties[name];
  if (Array.isArray(n.required)) n.required = n.required.filter((r: string) => r !== name);
  if (n.required?.length === 0) delete n.required;
}

function mediaTypeSchema(op: Json, status: string, mediaType = "application/json"): Json {
  return op.responses[status].content[mediaType].schema;
}

export const SCHEMA_OPERATORS: readonly SchemaOperator[] = [
  // Types and formats.
  { name: "type string → integer", family: "types and formats", applies: (n) => plain(n, "string") && n.format === undefined && n.pattern === undefined, mutate: (n) => void (n.type = Array.isArray(n.type) ? n.type.map((t: string) => (t === "string" ? "integer" : t)) : "integer") },
  { name: "type integer → number", family: "types and formats", applies: (n) => plain(n, "integer"), mutate: (n) => void (n.type = Array.isArray(n.type) ? n.type.map((t: string) => (t === "integer" ? "number" : t)) : "number") },
  { name: "type number → integer", family: "types and formats", applies: (n) => plain(n, "number") && n.multipleOf === undefined, mutate: (n) => void (n.type = Array.isArray(n.type) ? n.type.map((t: string) => (t === "number" ? "integer" : t)) : "integer") },
  { name: "type number → string", family: "types and formats", applies: (n) => plain(n, "number") && n.multipleOf === undefined && n.minimum === undefined && n.maximum === undefined, mutate: (n) => void (n.type = "string") },
  { name: "format added", family: "types and formats", applies: (n) => plain(n, "string") && n.format === undefined && n.pattern === undefined, mutate: (n) => void (n.format = "uuid") },
  { name: "format removed", family: "types and formats", applies: (n) => typeof n.format === "string", mutate: (n) => void delete n.format },
  { name: "format int32 → int64", family: "types and formats", applies: (n) => n.format === "int32", mutate: (n) => void (n.format = "int64") },
  { name: "format int64 → int32", family: "types and formats", applies: (n) => n.format === "int64", mutate: (n) => void (n.format = "int32") },
  { name: "format date → date-time", family: "types and formats", applies: (n) => n.format === "date" || n.format === "date-time", mutate: (n) => void (n.format = n.format === "date" ? "date-time" : "date") },
  {
    name: "became nullable",
    family: "types and formats",
    applies: (n) => typeof n.type === "string" && !isNullable(n) && n.type !== "object",
    mutate: (n, version) => Object.assign(n, nullable(version, { ...n })),
  },
  {
    name: "became not nullable",
    family: "types and formats",
    applies: (n) => isNullable(n),
    mutate: (n) => {
      delete n.nullable;
      if (Array.isArray(n.type)) {
        const rest = n.type.filter((t: string) => t !== "null");
        n.type = rest.length === 1 ? rest[0] : rest;
      }
    },
  },
  { name: "type list widened", family: "types and formats", versions: ["3.1"], applies: (n) => typeof n.type === "string" && ["string", "integer"].includes(n.type) && n.enum === undefined, mutate: (n) => void (n.type = [n.type, n.type === "string" ? "integer" : "string"]) },
  { name: "type list narrowed", family: "types and formats", versions: ["3.1"], applies: (n) => Array.isArray(n.type) && n.type.filter((t: string) => t !== "null").length > 1, mutate: (n) => void (n.type = n.type.filter((t: string) => t !== "integer")) },
  { name: "pattern added", family: "types and formats", applies: (n) => plain(n, "string") && n.pattern === undefined && n.format === undefined, mutate: (n) => void (n.pattern = "^[A-Za-z0-9 ]*$") },
  { name: "pattern changed", family: "types and formats", applies: (n) => typeof n.pattern === "string", mutate: (n) => void (n.pattern = `${n.pattern.replace(/\$$/, "")}[!]?$`) },
  { name: "pattern removed", family: "types and formats", applies: (n) => typeof n.pattern === "string", mutate: (n) => void delete n.pattern },
  { name: "pattern relaxed to any string", family: "types and formats", applies: (n) => typeof n.pattern === "string", mutate: (n) => void (n.pattern = ".*") },

  // Enums and values.
  { name: "enum value added", family: "enums and values", applies: (n) => Array.isArray(n.enum), mutate: (n) => void n.enum.push(typeOf(n) === "integer" ? 99 : "extra") },
  { name: "enum value removed", family: "enums and values", applies: (n) => Array.isArray(n.enum) && n.enum.length > 1, mutate: (n) => void n.enum.pop() },
  { name: "became enum", family: "enums and values", applies: (n) => plain(n, "string") && n.format === undefined && n.pattern === undefined, mutate: (n) => void (n.enum = ["alpha", "beta"]) },
  { name: "enum dropped", family: "enums and values", applies: (n) => Array.isArray(n.enum), mutate: (n) => void delete n.enum },
  { name: "default added", family: "enums and values", applies: (n) => (plain(n, "string") || plain(n, "integer") || plain(n, "boolean")) && n.default === undefined, mutate: (n) => void (n.default = typeOf(n) === "string" ? "none" : typeOf(n) === "boolean" ? true : 1) },
  { name: "default changed", family: "enums and values", applies: (n) => n.default !== undefined, mutate: (n) => void (n.default = Array.isArray(n.enum) ? n.enum[n.enum.length - 1] : typeof n.default === "number" ? n.default + 5 : typeof n.default === "boolean" ? !n.default : `${n.default}-x`) },
  { name: "default removed", family: "enums and values", applies: (n) => n.default !== undefined, mutate: (n) => void delete n.default },
  { name: "const added", family: "enums and values", versions: ["3.1"], applies: (n) => plain(n, "string") && n.format === undefined, mutate: (n) => void (n.const = "fixed") },
  { name: "const changed", family: "enums and values", versions: ["3.1"], applies: (n) => n.const !== undefined, mutate: (n) => void (n.const = `${n.const}-next`) },
  { name: "const removed", family: "enums and values", versions: ["3.1"], applies: (n) => n.const !== undefined, mutate: (n) => void delete n.const },

  // Bounds.
  ...boundOperators(),

  // Required-ness and properties.
  {
    name: "property became required",
    family: "required-ness",
    applies: (n) => isObjectSchema(n) && propertyNames(n).some((p) => !(n.required ?? []).includes(p) && !n.properties[p].readOnly && !n.properties[p].writeOnly),
    mutate: (n) => void (n.required = [...(n.required ?? []), propertyNames(n).find((p) => !(n.required ?? []).includes(p) && !n.properties[p].readOnly && !n.properties[p].writeOnly)]),
  },
  {
    name: "property became optional",
    family: "required-ness",
    applies: (n) => isObjectSchema(n) && (n.required ?? []).length > 0,
    mutate: (n) => {
      n.required = n.required.slice(0, -1);
      if (n.required.length === 0) delete n.required;
    },
  },
  { name: "new required property", family: "required-ness", applies: (n) => isObjectSchema(n), mutate: (n) => {
    n.properties.addedRequired = { type: "string", maxLength: 20 };
    n.required = [...(n.required ?? []), "addedRequired"];
  } },
  { name: "new required property with default", family: "required-ness", applies: (n) => isObjectSchema(n), mutate: (n) => {
    n.properties.addedWithDefault = { type: "string", default: "none" };
    n.required = [...(n.required ?? []), "addedWithDefault"];
  } },
  { name: "new optional property", family: "request bodies", applies: (n) => isObjectSchema(n), mutate: (n) => void (n.properties.addedOptional = { type: "integer" }) },
  {
    name: "optional property removed",
    family: "response bodies",
    applies: (n) => isObjectSchema(n) && propertyNames(n).some((p) => !(n.required ?? []).includes(p)),
    mutate: (n) => void delete n.properties[propertyNames(n).filter((p) => !(n.required ?? []).includes(p)).pop()!],
  },
  {
    name: "required property removed",
    family: "response bodies",
    applies: (n) => isObjectSchema(n) && (n.required ?? []).length > 0,
    mutate: (n) => {
      const name = n.required[n.required.length - 1];
      delete n.properties[name];
      n.required = n.required.slice(0, -1);
      if (n.required.length === 0) delete n.required;
    },
  },
  { name: "additionalProperties false", family: "request bodies", applies: (n) => isObjectSchema(n) && n.additionalProperties === undefined, mutate: (n) => void (n.additionalProperties = false) },
  { name: "map values typed integer", family: "types and formats", applies: (n) => typeOf(n) === "object" && typeof n.additionalProperties === "object", mutate: (n) => void (n.additionalProperties = { type: "integer" }) },
  { name: "array items type changed", family: "types and formats", applies: (n) => typeOf(n) === "array" && n.items?.type === "string", mutate: (n) => void (n.items = { ...n.items, type: "integer", maxLength: undefined }) },

  // readOnly / writeOnly.
  { name: "became readOnly", family: "readOnly / writeOnly", applies: (n, site) => site.kind.endsWith("property") && typeOf(n) !== undefined && !n.readOnly && !n.writeOnly, mutate: (n) => void (n.readOnly = true) },
  { name: "became not readOnly", family: "readOnly / writeOnly", applies: (n) => n.readOnly === true, mutate: (n) => void delete n.readOnly },
  { name: "became writeOnly", family: "readOnly / writeOnly", applies: (n, site) => site.kind.endsWith("property") && typeOf(n) !== undefined && !n.readOnly && !n.writeOnly, mutate: (n) => void (n.writeOnly = true) },
  { name: "became not writeOnly", family: "readOnly / writeOnly", applies: (n) => n.writeOnly === true, mutate: (n) => void delete n.writeOnly },

  // Lifecycle of properties.
  { name: "property deprecated", family: "deprecation and sunset", applies: (n, site) => site.kind.endsWith("property") && typeOf(n) !== undefined && n.deprecated === undefined, mutate: (n) => void (n.deprecated = true) },
  { name: "property deprecated with sunset", family: "deprecation and sunset", applies: (n, site) => site.kind.endsWith("property") && typeOf(n) !== undefined && n.deprecated === undefined, mutate: (n, _v, today) => Object.assign(n, { deprecated: true, "x-sunset": dayFrom(today, 300) }) },
  { name: "property reactivated", family: "deprecation and sunset", applies: (n) => n.deprecated === true, mutate: (n) => void delete n.deprecated },
  {
    name: "deprecated property removed",
    family: "deprecation and sunset",
    applies: (n) => isObjectSchema(n) && propertyNames(n).length > 1,
    prepare: (n) => void (n.properties[propertyNames(n)[0]!].deprecated = true),
    mutate: removeFirstProperty,
  },
  {
    name: "property removed before its sunset",
    family: "deprecation and sunset",
    applies: (n) => isObjectSchema(n) && propertyNames(n).length > 1,
    prepare: (n, _v, today) => Object.assign(n.properties[propertyNames(n)[0]!], { deprecated: true, "x-sunset": dayFrom(today, 200) }),
    mutate: removeFirstProperty,
  },
  {
    name: "property sunset moved earlier",
    family: "deprecation and sunset",
    applies: (n, site) => site.kind.endsWith("property") && typeOf(n) !== undefined && n.deprecated === undefined,
    prepare: (n, _v, today) => Object.assign(n, { deprecated: true, "x-sunset": dayFrom(today, 300) }),
    mutate: (n, _v, today) => void (n["x-sunset"] = dayFrom(today, 250)),
  },
  {
    name: "property sunset removed",
    family: "deprecation and sunset",
    applies: (n, site) => site.kind.endsWith("property") && typeOf(n) !== undefined && n.deprecated === undefined,
    prepare: (n, _v, today) => Object.assign(n, { deprecated: true, "x-sunset": dayFrom(today, 300) }),
    mutate: (n) => void delete n["x-sunset"],
  },

  {
    name: "x-extensible-enum value removed",
    family: "enums and values",
    applies: (n) => plain(n, "string") && n.format === undefined && n.pattern === undefined,
    prepare: (n) => void (n["x-extensible-enum"] = ["standard", "express", "pickup"]),
    mutate: (n) => void (n["x-extensible-enum"] = ["standard", "express"]),
  },
  {
    name: "property stability decreased",
    family: "stability",
    applies: (n, site) => site.kind.endsWith("property") && site.path.at(-2) === "properties" && typeOf(n) !== undefined,
    prepare: (n) => void (n["x-stability-level"] = "stable"),
    mutate: (n) => void (n["x-stability-level"] = "beta"),
  },

  // 3.1 keywords.
  { name: "patternProperties added", family: "request bodies", versions: ["3.1"], applies: (n) => typeOf(n) === "object" && n.patternProperties === undefined, mutate: (n) => void (n.patternProperties = { "^x-": { type: "string" } }) },
  { name: "propertyNames added", family: "request bodies", versions: ["3.1"], applies: (n) => typeOf(n) === "object" && n.propertyNames === undefined, mutate: (n) => void (n.propertyNames = { pattern: "^[a-z]+$" }) },
  { name: "prefixItems added", family: "response bodies", versions: ["3.1"], applies: (n) => typeOf(n) === "array" && n.prefixItems === undefined, mutate: (n) => void (n.prefixItems = [{ type: "string" }]) },
  { name: "prefixItems removed", family: "request bodies", versions: ["3.1"], applies: (n) => Array.isArray(n.prefixItems), mutate: (n) => void delete n.prefixItems },
  { name: "if/then added", family: "request bodies", versions: ["3.1"], applies: (n) => isObjectSchema(n), mutate: (n) => Object.assign(n, { if: { required: [propertyNames(n)[0]] }, then: { required: propertyNames(n).slice(0, 2) } }) },
  { name: "dependentRequired added", family: "request bodies", versions: ["3.1"], applies: (n) => isObjectSchema(n) && n.dependentRequired === undefined && propertyNames(n).length > 1, mutate: (n) => void (n.dependentRequired = { [propertyNames(n)[0]!]: [propertyNames(n)[1]!] }) },
  { name: "dependentRequired removed", family: "request bodies", versions: ["3.1"], applies: (n) => n.dependentRequired !== undefined, mutate: (n) => void delete n.dependentRequired },
  { name: "contains added", family: "request bodies", versions: ["3.1"], applies: (n) => typeOf(n) === "array", mutate: (n) => void (n.contains = { type: "string", minLength: 1 }) },
  { name: "schema became false", family: "types and formats", versions: ["3.1"], applies: (_n, site) => site.kind.endsWith("property") && site.path.at(-2) === "properties", mutate: () => {}, replace: () => false },
  { name: "contentMediaType set", family: "types and formats", versions: ["3.1"], applies: (n) => plain(n, "string") && n.format === undefined && n.contentMediaType === undefined, mutate: (n) => void (n.contentMediaType = "image/png") },
  { name: "contentEncoding set", family: "types and formats", versions: ["3.1"], applies: (n) => plain(n, "string") && n.format === undefined && n.contentEncoding === undefined, mutate: (n) => void (n.contentEncoding = "base64") },

  // Composition.
  { name: "anyOf member added", family: "allOf / oneOf / anyOf", applies: (n) => Array.isArray(n.anyOf), mutate: (n) => void n.anyOf.push({ type: "object", required: ["lockerId"], properties: { lockerId: { type: "string" } } }) },
  { name: "anyOf member removed", family: "allOf / oneOf / anyOf", applies: (n) => Array.isArray(n.anyOf) && n.anyOf.length > 1, mutate: (n) => void n.anyOf.pop() },
  { name: "oneOf member added", family: "allOf / oneOf / anyOf", applies: (n) => Array.isArray(n.oneOf), mutate: (n) => void n.oneOf.push({ type: "object", required: ["kind", "wallet"], properties: { kind: { type: "string" }, wallet: { type: "string" } } }) },
  { name: "oneOf member removed", family: "allOf / oneOf / anyOf", applies: (n) => Array.isArray(n.oneOf) && n.oneOf.length > 1, mutate: (n) => {
    n.oneOf.pop();
    if (n.discriminator?.mapping) delete n.discriminator.mapping[Object.keys(n.discriminator.mapping).pop()!];
  } },
  { name: "allOf member added", family: "allOf / oneOf / anyOf", applies: (n) => Array.isArray(n.allOf), mutate: (n) => void n.allOf.push({ type: "object", properties: { channel: { type: "string" } } }) },
  { name: "allOf member removed", family: "allOf / oneOf / anyOf", applies: (n) => Array.isArray(n.allOf) && n.allOf.length > 1, mutate: (n) => void n.allOf.pop() },
  {
    name: "wrapped into allOf with an annotation",
    family: "allOf / oneOf / anyOf",
    applies: (n, site) => isObjectSchema(n) && site.kind.endsWith("root"),
    mutate: (n) => {
      const inner = { ...n };
      for (const key of Object.keys(n)) delete n[key];
      n.allOf = [inner, { description: "Annotated" }];
    },
  },
  {
    name: "wrapped into oneOf with a new variant",
    family: "allOf / oneOf / anyOf",
    applies: (n, site) => isObjectSchema(n) && site.kind.endsWith("root"),
    mutate: (n) => {
      const inner = { ...n };
      for (const key of Object.keys(n)) delete n[key];
      n.oneOf = [inner, { type: "object", required: ["legacy"], properties: { legacy: { type: "boolean" } } }];
    },
  },

  // Discriminators.
  { name: "discriminator removed", family: "discriminators", applies: (n) => n.discriminator !== undefined, mutate: (n) => void delete n.discriminator },
  { name: "discriminator property renamed", family: "discriminators", applies: (n) => n.discriminator !== undefined, mutate: (n) => void (n.discriminator.propertyName = "type") },
  { name: "discriminator mapping deleted", family: "discriminators", applies: (n) => n.discriminator?.mapping !== undefined, mutate: (n) => void delete n.discriminator.mapping[Object.keys(n.discriminator.mapping)[0]!] },
  { name: "discriminator mapping added", family: "discriminators", applies: (n) => n.discriminator?.mapping !== undefined, mutate: (n) => void (n.discriminator.mapping.iban = n.discriminator.mapping[Object.keys(n.discriminator.mapping).pop()!]) },
  { name: "discriminator mapping changed", family: "discriminators", applies: (n) => n.discriminator?.mapping !== undefined, mutate: (n) => {
    const [a, b] = Object.keys(n.discriminator.mapping);
    [n.discriminator.mapping[a!], n.discriminator.mapping[b!]] = [n.discriminator.mapping[b!], n.discriminator.mapping[a!]];
  } },
  { name: "discriminator added", family: "discriminators", applies: (n) => Array.isArray(n.anyOf) || (Array.isArray(n.oneOf) && n.discriminator === undefined), mutate: (n) => void (n.discriminator = { propertyName: "kind" }) },
];

// Document operators ---------------------------------------------------------------------------------

const op = (doc: Json, path: string, method: string): Json => doc.paths[path][method];
const bump = (doc: Json) => void (doc.info.version = "2.0.0");

export const DOCUMENT_OPERATORS: readonly DocumentOperator[] = [
  // Paths and operations.
  { name: "path removed", family: "paths and operations", mutate: (_b, r) => void delete r.paths["/customers"] },
  { name: "path with several operations removed", family: "paths and operations", mutate: (_b, r) => void delete r.paths["/products/{productId}"] },
  { name: "operation removed", family: "paths and operations", mutate: (_b, r) => void delete r.paths["/products/{productId}"].delete },
  { name: "operation removed with a version bump", family: "paths and operations", mutate: (_b, r) => {
    delete r.paths["/products/{productId}"].delete;
    bump(r);
  } },
  { name: "operation removed with a minor version bump", family: "document", mutate: (_b, r) => {
    delete r.paths["/products/{productId}"].delete;
    r.info.version = "1.5.0";
  } },
  { name: "path added", family: "paths and operations", mutate: (_b, r) => void (r.paths["/coupons"] = { get: { operationId: "listCoupons", responses: { "200": { description: "Coupons" } } } }) },
  { name: "operation added", family: "paths and operations", mutate: (_b, r) => void (r.paths["/orders/{orderId}"].delete = { operationId: "cancelOrder", parameters: [{ name: "orderId", in: "path", required: true, schema: { type: "string" } }], responses: { "204": { description: "Cancelled" } } }) },
  { name: "path parameter renamed", family: "paths and operations", mutate: (_b, r) => {
    const item = r.paths["/orders/{orderId}"];
    delete r.paths["/orders/{orderId}"];
    item.get.parameters[0].name = "id";
    r.paths["/orders/{id}"] = item;
  } },
  { name: "path segment changed", family: "paths and operations", mutate: (_b, r) => {
    r.paths["/clients"] = r.paths["/customers"];
    delete r.paths["/customers"];
  } },
  { name: "operationId changed", family: "paths and operations", mutate: (_b, r) => void (op(r, "/orders", "get").operationId = "findOrders") },
  { name: "operationId removed", family: "paths and operations", mutate: (_b, r) => void delete op(r, "/orders", "get").operationId },
  { name: "operationId added", family: "paths and operations", mutate: (b, r) => {
    delete op(b, "/health", "get").operationId;
    op(r, "/health", "get").operationId = "healthCheck";
  } },
  { name: "tag added", family: "paths and operations", mutate: (_b, r) => void op(r, "/orders", "post").tags.push("checkout") },
  { name: "tag removed", family: "paths and operations", mutate: (_b, r) => void (op(r, "/orders", "post").tags = []) },
  { name: "summary and description edited", family: "paths and operations", mutate: (_b, r) => Object.assign(op(r, "/orders", "post"), { summary: "Place an order", description: "Places an order." }) },
  { name: "version decreased", family: "document", mutate: (_b, r) => void (r.info.version = "1.3.9") },

  // Deprecation and sunset of operations.
  { name: "operation deprecated", family: "deprecation and sunset", mutate: (_b, r) => void (op(r, "/orders", "get").deprecated = true) },
  { name: "operation deprecated with sunset", family: "deprecation and sunset", mutate: (_b, r, _v, today) => Object.assign(op(r, "/orders", "get"), { deprecated: true, "x-sunset": dayFrom(today, 365) }) },
  { name: "operation deprecated with an unreadable sunset", family: "deprecation and sunset", mutate: (_b, r) => Object.assign(op(r, "/orders", "get"), { deprecated: true, "x-sunset": "next spring" }) },
  { name: "operation reactivated", family: "deprecation and sunset", mutate: (_b, r) => {
    delete op(r, "/reports/daily", "get").deprecated;
    delete op(r, "/reports/daily", "get")["x-sunset"];
  } },
  { name: "sunset moved earlier", family: "deprecation and sunset", mutate: (_b, r, _v, today) => void (op(r, "/reports/daily", "get")["x-sunset"] = dayFrom(today, 200)) },
  { name: "sunset moved later", family: "deprecation and sunset", mutate: (_b, r, _v, today) => void (op(r, "/reports/daily", "get")["x-sunset"] = dayFrom(today, 600)) },
  { name: "sunset removed", family: "deprecation and sunset", mutate: (_b, r) => void delete op(r, "/reports/daily", "get")["x-sunset"] },
  { name: "deprecated path removed before sunset", family: "deprecation and sunset", mutate: (_b, r) => void delete r.paths["/reports/daily"] },
  { name: "deprecated path removed after sunset", family: "deprecation and sunset", mutate: (_b, r) => void delete r.paths["/reports/legacy"] },
  { name: "deprecated operation removed before sunset", family: "deprecation and sunset", mutate: (b, r, _v, today) => {
    Object.assign(op(b, "/products/{productId}", "delete"), { deprecated: true, "x-sunset": dayFrom(today, 90) });
    delete r.paths["/products/{productId}"].delete;
  } },
  { name: "deprecated operation removed", family: "deprecation and sunset", mutate: (b, r) => {
    op(b, "/products/{productId}", "delete").deprecated = true;
    delete r.paths["/products/{productId}"].delete;
  } },
  { name: "deprecated operation with an unreadable sunset removed", family: "deprecation and sunset", mutate: (b, r) => {
    Object.assign(op(b, "/products/{productId}", "delete"), { deprecated: true, "x-sunset": "soon" });
    delete r.paths["/products/{productId}"].delete;
  } },

  // Stability.
  { name: "stability decreased", family: "stability", mutate: (_b, r) => void (op(r, "/beta/recommendations", "get")["x-stability-level"] = "alpha") },
  { name: "stability increased", family: "stability", mutate: (_b, r) => void (op(r, "/beta/recommendations", "get")["x-stability-level"] = "stable") },
  { name: "stability level invalid", family: "stability", mutate: (_b, r) => void (op(r, "/beta/recommendations", "get")["x-stability-level"] = "experimental") },
  { name: "alpha endpoint changed freely", family: "stability", mutate: (b, r) => {
    op(b, "/beta/recommendations", "get")["x-stability-level"] = "alpha";
    op(r, "/beta/recommendations", "get")["x-stability-level"] = "alpha";
    op(r, "/beta/recommendations", "get").parameters[0].required = true;
    delete op(r, "/beta/recommendations", "get").responses["200"].content;
  } },
  { name: "beta endpoint removed", family: "stability", mutate: (_b, r) => void delete r.paths["/beta/recommendations"] },

  // Parameters.
  { name: "required query parameter added", family: "parameters", mutate: (_b, r) => void op(r, "/orders", "get").parameters.push({ name: "region", in: "query", required: true, schema: { type: "string" } }) },
  { name: "optional query parameter added", family: "parameters", mutate: (_b, r) => void op(r, "/orders", "get").parameters.push({ name: "region", in: "query", schema: { type: "string" } }) },
  { name: "required header parameter added", family: "parameters", mutate: (_b, r) => void (op(r, "/orders", "post").parameters ??= []).push({ name: "Idempotency-Key", in: "header", required: true, schema: { type: "string" } }) },
  { name: "path-level required parameter added", family: "parameters", mutate: (_b, r) => r.paths["/products/{productId}"].parameters.push({ name: "X-Tenant", in: "header", required: true, schema: { type: "string" } }) },
  { name: "path-level optional parameter added", family: "parameters", mutate: (_b, r) => r.paths["/products/{productId}"].parameters.push({ name: "lang", in: "query", schema: { type: "string" } }) },
  { name: "query parameter removed", family: "parameters", mutate: (_b, r) => void (op(r, "/products", "get").parameters = op(r, "/products", "get").parameters.filter((p: Json) => p.name !== "sort")) },
  { name: "cookie parameter removed", family: "parameters", mutate: (_b, r) => void (op(r, "/products", "get").parameters = op(r, "/products", "get").parameters.filter((p: Json) => p.in !== "cookie")) },
  { name: "deprecated parameter removed", family: "deprecation and sunset", mutate: (b, r) => {
    op(b, "/products", "get").parameters.find((p: Json) => p.name === "sort").deprecated = true;
    op(r, "/products", "get").parameters = op(r, "/products", "get").parameters.filter((p: Json) => p.name !== "sort");
  } },
  { name: "parameter removed before its sunset", family: "deprecation and sunset", mutate: (b, r, _v, today) => {
    Object.assign(op(b, "/products", "get").parameters.find((p: Json) => p.name === "sort"), { deprecated: true, "x-sunset": dayFrom(today, 120) });
    op(r, "/products", "get").parameters = op(r, "/products", "get").parameters.filter((p: Json) => p.name !== "sort");
  } },
  { name: "parameter deprecated", family: "deprecation and sunset", mutate: (_b, r) => void (op(r, "/products", "get").parameters.find((p: Json) => p.name === "q").deprecated = true) },
  { name: "parameter deprecated with sunset", family: "deprecation and sunset", mutate: (_b, r, _v, today) => Object.assign(op(r, "/products", "get").parameters.find((p: Json) => p.name === "q"), { deprecated: true, "x-sunset": dayFrom(today, 300) }) },
  { name: "parameter reactivated", family: "deprecation and sunset", mutate: (b) => void (op(b, "/products", "get").parameters.find((p: Json) => p.name === "q").deprecated = true) },
  { name: "parameter sunset moved earlier", family: "deprecation and sunset", mutate: (b, r, _v, today) => {
    Object.assign(op(b, "/products", "get").parameters.find((p: Json) => p.name === "q"), { deprecated: true, "x-sunset": dayFrom(today, 300) });
    Object.assign(op(r, "/products", "get").parameters.find((p: Json) => p.name === "q"), { deprecated: true, "x-sunset": dayFrom(today, 100) });
  } },
  { name: "parameter became required", family: "required-ness", mutate: (_b, r) => void (op(r, "/products", "get").parameters.find((p: Json) => p.name === "sort").required = true) },
  { name: "parameter became optional", family: "required-ness", mutate: (_b, r) => void delete op(r, "/orders", "get").parameters[0].required },
  { name: "parameter moved from query to header", family: "parameters", mutate: (_b, r) => void (op(r, "/orders", "get").parameters[1].in = "header") },
  { name: "parameter renamed", family: "parameters", mutate: (_b, r) => void (op(r, "/orders", "get").parameters[1].name = "from") },
  { name: "parameter explode changed", family: "parameters", mutate: (_b, r) => void (op(r, "/products", "get").parameters.find((p: Json) => p.name === "tag").explode = false) },
  { name: "parameter moved from operation to path", family: "parameters", mutate: (_b, r) => {
    const get = op(r, "/orders/{orderId}", "get");
    r.paths["/orders/{orderId}"].parameters = get.parameters;
    delete get.parameters;
  } },
  { name: "parameter schema moved to a ref", family: "parameters", mutate: (_b, r) => {
    const p = op(r, "/orders", "get").parameters[0];
    r.components.schemas.OrderStatus = p.schema;
    p.schema = { $ref: "#/components/schemas/OrderStatus" };
  } },

  // Request bodies.
  { name: "request body added (required)", family: "request bodies", mutate: (_b, r) => void (op(r, "/products/{productId}", "delete").requestBody = { required: true, content: { "application/json": { schema: { type: "object", properties: { reason: { type: "string" } } } } } }) },
  { name: "request body added (optional)", family: "request bodies", mutate: (_b, r) => void (op(r, "/products/{productId}", "delete").requestBody = { content: { "application/json": { schema: { type: "object", properties: { reason: { type: "string" } } } } } }) },
  { name: "request body removed", family: "request bodies", mutate: (_b, r) => void delete op(r, "/search", "post").requestBody },
  { name: "request body became required", family: "required-ness", mutate: (_b, r) => void (op(r, "/search", "post").requestBody.required = true) },
  { name: "request body became optional", family: "required-ness", mutate: (_b, r) => void delete op(r, "/orders", "post").requestBody.required },
  { name: "request media type removed", family: "request bodies", mutate: (_b, r) => void delete op(r, "/customers/{customerId}", "patch").requestBody.content["application/x-www-form-urlencoded"] },
  { name: "request media type added", family: "request bodies", mutate: (_b, r) => void (op(r, "/orders", "post").requestBody.content["application/xml"] = { schema: { $ref: "#/components/schemas/OrderRequest" } }) },
  { name: "request body schema removed", family: "request bodies", mutate: (_b, r) => void delete op(r, "/search", "post").requestBody.content["application/json"].schema },
  { name: "request body schema inlined", family: "request bodies", mutate: (_b, r) => void (op(r, "/search", "post").requestBody.content["application/json"].schema = structuredClone(r.components.schemas.SearchQuery)) },

  // Responses.
  { name: "success status removed", family: "response bodies", mutate: (_b, r) => {
    const responses = op(r, "/products", "post").responses;
    responses["200"] = responses["201"];
    delete responses["201"];
  } },
  { name: "success status added", family: "response bodies", mutate: (_b, r) => void (op(r, "/orders", "post").responses["202"] = { description: "Accepted for later" }) },
  { name: "non-success status removed", family: "response bodies", mutate: (_b, r) => void delete op(r, "/products", "post").responses["422"] },
  { name: "non-success status added", family: "response bodies", mutate: (_b, r) => void (op(r, "/orders", "post").responses["409"] = { description: "Conflict", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }) },
  { name: "default response added", family: "response bodies", mutate: (_b, r) => void (op(r, "/orders", "get").responses.default = { description: "Problem" }) },
  { name: "response media type removed", family: "response bodies", mutate: (_b, r) => void delete op(r, "/orders/{orderId}", "get").responses["200"].content["application/xml"] },
  { name: "response media type added", family: "response bodies", mutate: (_b, r) => void (op(r, "/products/{productId}", "get").responses["200"].content["application/xml"] = { schema: { $ref: "#/components/schemas/Product" } }) },
  { name: "response media type renamed with charset", family: "response bodies", mutate: (_b, r) => {
    const content = op(r, "/health", "get").responses["200"].content;
    content["text/plain; charset=utf-8"] = content["text/plain"];
    delete content["text/plain"];
  } },
  { name: "response media type generalized", family: "response bodies", mutate: (_b, r) => {
    const content = op(r, "/reports/daily", "get").responses["200"].content;
    content["text/*"] = content["text/csv"];
    delete content["text/csv"];
  } },
  { name: "response body schema removed", family: "response bodies", mutate: (_b, r) => void delete op(r, "/products/{productId}", "get").responses["200"].content["application/json"].schema },
  { name: "response body removed", family: "response bodies", mutate: (_b, r) => void delete op(r, "/products/{productId}", "get").responses["200"].content },
  { name: "response body wrapped into a page", family: "response bodies", mutate: (_b, r) => {
    const response = op(r, "/beta/recommendations", "get").responses["200"];
    response.content["application/json"].schema = { type: "object", properties: { items: response.content["application/json"].schema } };
  } },
  { name: "response schema ref target swapped", family: "response bodies", mutate: (_b, r) => void (mediaTypeSchema(op(r, "/orders/{orderId}", "get"), "404").$ref = "#/components/schemas/Order") },

  // Response headers.
  { name: "required response header removed", family: "headers", mutate: (_b, r) => void delete op(r, "/products", "get").responses["200"].headers["X-Rate-Limit"] },
  { name: "optional response header removed", family: "headers", mutate: (_b, r) => void delete op(r, "/products", "get").responses["200"].headers["X-Next-Cursor"] },
  { name: "response header added", family: "headers", mutate: (_b, r) => void (op(r, "/orders", "post").responses["201"].headers = { Location: { required: true, schema: { type: "string" } } }) },
  { name: "response header became optional", family: "headers", mutate: (_b, r) => void delete op(r, "/products", "get").responses["200"].headers["X-Rate-Limit"].required },
  { name: "response header became required", family: "headers", mutate: (_b, r) => void (op(r, "/products", "get").responses["200"].headers["X-Next-Cursor"].required = true) },
  { name: "response header name case changed", family: "headers", mutate: (_b, r) => {
    const headers = op(r, "/products", "get").responses["200"].headers;
    headers["x-rate-limit"] = headers["X-Rate-Limit"];
    delete headers["X-Rate-Limit"];
  } },

  // Security.
  { name: "global security removed", family: "security", mutate: (_b, r) => void delete r.security },
  { name: "global security scheme added", family: "security", mutate: (_b, r) => void r.security.push({ bearer: [] }) },
  { name: "global security scope added", family: "security", mutate: (_b, r) => void r.security[0].oauth.push("write") },
  { name: "global security scope removed", family: "security", mutate: (b) => {
    b.security[0].oauth.push("write");
  } },
  { name: "operation security requirement removed", family: "security", mutate: (_b, r) => void op(r, "/products", "post").security.pop() },
  { name: "operation security requirement added", family: "security", mutate: (_b, r) => void op(r, "/products", "post").security.push({ bearer: [] }) },
  { name: "operation security scope added", family: "security", mutate: (_b, r) => void op(r, "/products", "post").security[0].oauth.push("admin") },
  { name: "operation security scope removed", family: "security", mutate: (_b, r) => void (op(r, "/products", "post").security[0].oauth = []) },
  { name: "operation security overrides the global one", family: "security", mutate: (_b, r) => void (op(r, "/orders", "get").security = [{ bearer: [] }]) },
  { name: "anonymous access removed", family: "security", mutate: (_b, r) => void delete op(r, "/health", "get").security },
  { name: "anonymous access added", family: "security", mutate: (_b, r) => void (op(r, "/orders", "get").security = [{}, { oauth: ["read"] }]) },
  { name: "security scheme removed", family: "security", mutate: (b) => {
    b.components.securitySchemes.basic = { type: "http", scheme: "basic" };
  } },
  { name: "security scheme added", family: "security", mutate: (_b, r) => void (r.components.securitySchemes.basic = { type: "http", scheme: "basic" }) },
  { name: "security scheme type changed", family: "security", mutate: (_b, r) => void (r.components.securitySchemes.apiKey = { type: "http", scheme: "basic" }) },
  { name: "api key moved to a query parameter", family: "security", mutate: (_b, r) => void (r.components.securitySchemes.apiKey.in = "query") },
  { name: "api key renamed", family: "security", mutate: (_b, r) => void (r.components.securitySchemes.apiKey.name = "X-Key") },
  { name: "http scheme changed", family: "security", mutate: (b, r) => {
    b.components.securitySchemes.basic = { type: "http", scheme: "basic" };
    r.components.securitySchemes.basic = { type: "http", scheme: "digest" };
  } },
  { name: "bearer format changed", family: "security", mutate: (_b, r) => void (r.components.securitySchemes.bearer.bearerFormat = "opaque") },
  { name: "oauth authorization URL changed", family: "security", mutate: (_b, r) => void (r.components.securitySchemes.oauth.flows.authorizationCode.authorizationUrl = "https://id.example.com/authorize") },
  { name: "oauth token URL changed", family: "security", mutate: (_b, r) => void (r.components.securitySchemes.oauth.flows.authorizationCode.tokenUrl = "https://id.example.com/token") },
  { name: "oauth refresh URL added", family: "security", mutate: (_b, r) => void (r.components.securitySchemes.oauth.flows.authorizationCode.refreshUrl = "https://id.example.com/refresh") },
  { name: "oauth scope added", family: "security", mutate: (_b, r) => void (r.components.securitySchemes.oauth.flows.authorizationCode.scopes.audit = "Read the audit log") },
  { name: "oauth scope removed", family: "security", mutate: (_b, r) => void delete r.components.securitySchemes.oauth.flows.authorizationCode.scopes.admin },
  { name: "oauth scope description changed", family: "security", mutate: (_b, r) => void (r.components.securitySchemes.oauth.flows.authorizationCode.scopes.read = "Read everything") },
  { name: "openid connect URL changed", family: "security", mutate: (b, r) => {
    b.components.securitySchemes.oidc = { type: "openIdConnect", openIdConnectUrl: "https://auth.example.com/.well-known/openid-configuration" };
    r.components.securitySchemes.oidc = { type: "openIdConnect", openIdConnectUrl: "https://id.example.com/.well-known/openid-configuration" };
  } },

  // Components and webhooks.
  { name: "component schema removed", family: "document", mutate: (b) => void (b.components.schemas.Unused = { type: "string" }) },
  { name: "component schema renamed", family: "document", mutate: (_b, r) => {
    r.components.schemas.Fault = r.components.schemas.Error;
    delete r.components.schemas.Error;
    const text = JSON.stringify(r.paths).replaceAll("#/components/schemas/Error", "#/components/schemas/Fault");
    r.paths = JSON.parse(text);
  } },
  { name: "webhook removed", family: "document", versions: ["3.1"], mutate: (_b, r) => void delete r.webhooks.productChanged },
  { name: "webhook added", family: "document", versions: ["3.1"], mutate: (_b, r) => void (r.webhooks.orderPaid = { post: { requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Order" } } } }, responses: { "200": { description: "Received" } } } }) },
  { name: "servers changed", family: "document", mutate: (_b, r) => void (r.servers = [{ url: "https://api.example.com/v2" }]) },
];
