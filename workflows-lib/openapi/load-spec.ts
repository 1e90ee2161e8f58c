import { dirname, resolve } from "node:path";
import { InputError } from "../errors.ts";
import { lookupPointer, parsePointer, toPointer } from "./json-pointer.ts";
import { formatFromName, formatLocation, parseSpecText } from "./parse-spec.ts";
import type { ParsedText, SourceLocation, SpecFormat } from "./parse-spec.ts";

/** An OpenAPI 3.0/3.1 description as parsed JSON. */
export type OpenAPIDocument = Record<string, unknown> & { openapi: string };

/** Reads files for the loader (the local file system in the CLI and actions, fixtures in tests). */
export interface SpecReader {
  readText(path: string): Promise<string>;
}

/**
 * Bundles external `$ref`s of a description on disk into one document with internal `$ref`s only.
 * Called only when the description has external references, which the loader has already checked.
 */
export type ExternalRefBundler = (path: string) => Promise<unknown>;

export interface LoadedSpec {
  /** How errors name the input: a path, a URL, `stdout of "<command>"`. */
  name: string;
  format: SpecFormat;
  /** Every `$ref` is internal (`#/...`): external files are bundled in. */
  document: OpenAPIDocument;
  /** The `openapi` field: 3.0.x or 3.1.x. */
  version: string;
  /** Line and column of a JSON pointer in the text that was read (external files bundled in: not located). */
  locate(pointer: string): SourceLocation | undefined;
}

/** Checks a description an app generated in memory: an OpenAPI document whose `$ref`s all resolve. */
export function loadSpecValue(value: unknown, name: string): LoadedSpec {
  // A generator's output may hold undefined members, class instances or shared objects: keep plain JSON.
  const plain: unknown = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  const text: ParsedText = { value: plain, format: "json", locate: () => undefined };
  const document = asOpenAPIDocument(plain, name);
  for (const ref of collectRefs(document)) {
    if (!ref.target.startsWith("#")) {
      throw new InputError(name, "only internal $refs (#/...)", `$ref at ${toPointer(ref.at)}: ${JSON.stringify(ref.target)}`);
    }
    checkInternalRef(ref, document, name, text);
  }
  return loaded(name, text, document);
}

/** Parses a description that is not a file (a URL's body, a command's stdout): only internal `$ref`s. */
export function loadSpecText(text: string, name: string, format?: SpecFormat): LoadedSpec {
  const parsed = parseSpecText(text, name, format ?? formatFromName(name));
  const document = asOpenAPIDocument(parsed.value, name);
  const refs = collectRefs(document);
  for (const ref of refs) {
    if (!ref.target.startsWith("#")) {
      throw new InputError(
        formatLocation(name, parsed.locate(ref.at)),
        "only internal $refs (#/...) in a description that is not a file",
        `$ref at ${toPointer(ref.at)}: ${JSON.stringify(ref.target)}`,
      );
    }
    checkInternalRef(ref, document, name, parsed);
  }
  return loaded(name, parsed, document);
}

/**
 * Reads a description from a file: JSON or YAML, every `$ref` checked (a missing target is an InputError with
 * the JSON pointer and line of the `$ref`), external files (relative paths) bundled in.
 */
export async function loadSpecFile(path: string, reader: SpecReader, bundle: ExternalRefBundler): Promise<LoadedSpec> {
  const root = await readParsed(path, path, reader);
  const document = asOpenAPIDocument(root.value, path);
  const files = new Map<string, ParsedText>([[resolve(path), root]]);
  const queue: { path: string; name: string; value: unknown; parsed: ParsedText }[] = [
    { path: resolve(path), name: path, value: document, parsed: root },
  ];
  const walked = new Set<string>();
  let external = false;
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (walked.has(file.path)) continue;
    walked.add(file.path);
    for (const ref of collectRefs(file.value)) {
      if (ref.target.startsWith("#")) {
        checkInternalRef(ref, file.value, file.name, file.parsed);
        continue;
      }
      // Locating means parsing the text again: only done for an error.
      const where = () => formatLocation(file.name, file.parsed.locate(ref.at));
      if (/^[a-z][a-z0-9+.-]*:/i.test(ref.target)) {
        throw new InputError(
          where(),
          "a $ref to this file or a relative file path",
          `$ref at ${toPointer(ref.at)}: ${JSON.stringify(ref.target)} is a URL; alchkit reads descriptions offline`,
        );
      }
      external = true;
      const hash = ref.target.indexOf("#");
      const filePart = decodeURI(hash === -1 ? ref.target : ref.target.slice(0, hash));
      const fragment = hash === -1 ? "" : ref.target.slice(hash);
      const target = resolve(dirname(file.path), filePart);
      let parsed = files.get(target);
      if (!parsed) {
        try {
          parsed = await readParsed(target, filePart, reader);
        } catch (error) {
          if (!(error instanceof InputError) || !/readable file/.test(error.expected)) throw error;
          throw new InputError(
            where(),
            "a $ref to a readable file",
            `$ref at ${toPointer(ref.at)}: ${JSON.stringify(ref.target)}: ${error.message}`,
          );
        }
        files.set(target, parsed);
        queue.push({ path: target, name: filePart, value: parsed.value, parsed });
      }
      checkFragment({ ...ref, fragment }, parsed.value, where);
    }
  }
  if (!external) return loaded(path, root, document);
  const bundled = asOpenAPIDocument(await bundle(path), path);
  return loaded(path, root, bundled);
}

async function readParsed(path: string, name: string, reader: SpecReader): Promise<ParsedText> {
  let text: string;
  try {
    text = await reader.readText(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory" : (error as Error).message;
    throw new InputError(name, "a readable file", reason);
  }
  return parseSpecText(text, name, formatFromName(path));
}

function loaded(name: string, parsed: ParsedText, document: OpenAPIDocument): LoadedSpec {
  return {
    name,
    format: parsed.format,
    document,
    version: document.openapi,
    locate: (pointer) => parsed.locate(parsePointer(pointer)),
  };
}

/** The one check that makes a parsed value an OpenAPI 3.0/3.1 description. */
export function asOpenAPIDocument(value: unknown, name: string): OpenAPIDocument {
  const expected = "an OpenAPI 3.0 or 3.1 description";
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError(name, expected, `found ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`);
  }
  const record = value as Record<string, unknown>;
  if (typeof record.swagger === "string") {
    throw new InputError(name, expected, `found Swagger ${record.swagger}; convert it to OpenAPI 3 first`);
  }
  if (typeof record.openapi !== "string") {
    throw new InputError(name, expected, 'no "openapi" version field at the top level');
  }
  if (!/^3\.[01]\.\d+(-.+)?$/.test(record.openapi)) {
    throw new InputError(name, expected, `"openapi" is ${JSON.stringify(record.openapi)}`);
  }
  return record as OpenAPIDocument;
}

interface RefSite {
  /** Segments of the pointer to the `$ref` member itself. */
  at: string[];
  target: string;
}

/** Keys whose values are example data, not description: a `$ref` in there is a literal. */
const DATA_KEYS = new Set(["example", "const", "default", "enum"]);
/** Members that map user-chosen names to objects: there `default` or `x-foo` is a name, not a keyword. */
const NAMED_MEMBERS = new Set([
  "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas", "responses",
  "parameters", "examples", "requestBodies", "headers", "securitySchemes", "links", "callbacks", "pathItems",
  "paths", "webhooks", "content", "encoding", "variables",
]);

function collectRefs(root: unknown): RefSite[] {
  const sites: RefSite[] = [];
  const seen = new Set<object>();
  // One path, extended and shortened on the way down and up: a description of GitHub's size has millions
  // of nodes, and a copy of the path per node cost more than parsing the file.
  const at: string[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== "object" || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        at.push(String(i));
        walk(node[i]);
        at.pop();
      }
      return;
    }
    const record = node as Record<string, unknown>;
    if (typeof record.$ref === "string") sites.push({ at: [...at, "$ref"], target: record.$ref });
    const parentKey = at.length > 0 ? at[at.length - 1]! : "";
    // An Example Object (a member of a named `examples` map) keeps its data under `value`.
    const exampleObject = at.length > 1 && at[at.length - 2] === "examples";
    const named = NAMED_MEMBERS.has(parentKey);
    for (const key of Object.keys(record)) {
      if (key === "$ref") continue;
      if ((DATA_KEYS.has(key) || key.startsWith("x-")) && !named) continue;
      if (exampleObject && key === "value") continue;
      const value = record[key];
      // A schema's `examples` (3.1) is an array of data.
      if (key === "examples" && Array.isArray(value)) continue;
      at.push(key);
      walk(value);
      at.pop();
    }
  };
  walk(root);
  return sites;
}

function checkInternalRef(ref: RefSite, root: unknown, name: string, parsed: ParsedText): void {
  checkFragment({ ...ref, fragment: ref.target }, root, () => formatLocation(name, parsed.locate(ref.at)));
}

/** Fragments already found in a parsed document: a large description points at the same components thousands of times. */
const resolvedIn = new WeakMap<object, Set<string>>();

function checkFragment(ref: RefSite & { fragment: string }, root: unknown, where: () => string): void {
  const { fragment } = ref;
  if (fragment === "" || fragment === "#") return;
  const resolved = root !== null && typeof root === "object" ? resolvedIn.get(root) ?? new Set<string>() : undefined;
  if (resolved?.has(fragment)) return;
  const expected = "a $ref that resolves";
  const site = () => `$ref at ${toPointer(ref.at)}: ${JSON.stringify(ref.target)}`;
  if (!fragment.startsWith("#/")) {
    // A plain-name fragment refers to a schema's `$anchor` (OpenAPI 3.1).
    const anchor = fragment.slice(1);
    if (!hasAnchor(root, anchor)) throw new InputError(where(), expected, `${site()}: no schema has $anchor "${anchor}"`);
  } else {
    const lookup = lookupPointer(root, parsePointer(fragment));
    if (!lookup.found) {
      throw new InputError(where(), expected, `${site()}: ${lookup.parent} has no member "${lookup.missing}"`);
    }
  }
  if (resolved) resolvedIn.set(root as object, resolved.add(fragment));
}

function hasAnchor(root: unknown, anchor: string): boolean {
  const stack: unknown[] = [root];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    if ((node as Record<string, unknown>).$anchor === anchor) return true;
    stack.push(...Object.values(node));
  }
  return false;
}
