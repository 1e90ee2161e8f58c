// $ref resolution for the diff engine: lazy (a ref is followed only when a comparison reaches it), safe on
// recursive schemas (callers detect cycles by the pair of refs they are comparing), and able to follow refs
// into other files through a loader the caller provides. Also fingerprints: a stable string per node that
// includes everything reachable through its refs, so two equal subtrees are skipped without walking them.
import { createHash } from "node:crypto";
import { InputError } from "../../errors.ts";

/** Loads the document a relative `$ref` points into (`other.yaml#/...`), already parsed. */
export type RefLoader = (location: string) => unknown;

export interface SpecDocument {
  /** Which side of the comparison this document belongs to, for error messages. */
  readonly side: "base" | "revision";
  readonly root: Record<string, unknown>;
  /** Where the document lives ("" for the main document), used to resolve relative file refs. */
  readonly location: string;
  readonly openapi31: boolean;
  readonly loader: RefLoader | undefined;
  readonly files: Map<string, SpecDocument>;
  /** The document the caller passed in (not one loaded through a file ref). */
  readonly main: boolean;
}

/** A resolved node: its object, the document it lives in and a JSON pointer to it (for `source`). */
export interface Located {
  readonly node: Record<string, unknown>;
  readonly doc: SpecDocument;
  readonly pointer: string;
  /** The canonical ref (`file#/pointer`) when this node was reached through `$ref`. */
  readonly ref?: string;
}

export function openDocument(
  side: "base" | "revision",
  root: unknown,
  loader: RefLoader | undefined,
): SpecDocument {
  if (!isObject(root)) throw new InputError(side, "an OpenAPI document (an object)", `got ${kindOf(root)}`);
  const version = root.openapi;
  if (typeof version !== "string" || !/^3\.\d+/.test(version)) {
    const swagger = typeof root.swagger === "string" ? ` (Swagger ${root.swagger} is not supported)` : "";
    throw new InputError(side, "an OpenAPI 3.x document with an `openapi` version field", `got ${JSON.stringify(version)}${swagger}`);
  }
  return { side, root, location: "", openapi31: !version.startsWith("3.0"), loader, files: new Map(), main: true };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

function decodePointer(pointer: string): string[] {
  if (pointer === "" || pointer === "/") return pointer === "/" ? [""] : [];
  return pointer
    .slice(1)
    .split("/")
    .map((token) => decodeURIComponent(token).replaceAll("~1", "/").replaceAll("~0", "~"));
}

export function pointerJoin(pointer: string, ...tokens: Array<string | number>): string {
  return pointer + tokens.map((token) => "/" + String(token).replaceAll("~", "~0").replaceAll("/", "~1")).join("");
}

function joinLocation(from: string, relative: string): string {
  if (/^[a-z]+:\/\//i.test(relative) || relative.startsWith("/")) return relative;
  const base = from.includes("/") ? from.slice(0, from.lastIndexOf("/") + 1) : "";
  const parts: string[] = [];
  for (const part of (base + relative).split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "." && part !== "") parts.push(part);
  }
  return parts.join("/");
}

function documentAt(doc: SpecDocument, location: string, ref: string, at: string): SpecDocument {
  if (location === "" || location === doc.location) return doc;
  const main = doc.files.get("") ?? doc;
  const cached = main.files.get(location);
  if (cached) return cached;
  if (!doc.loader) {
    throw new InputError(doc.side, "refs that resolve inside the document", `${at}: $ref ${JSON.stringify(ref)} points to another file and no loader was given`);
  }
  let root: unknown;
  try {
    root = doc.loader(location);
  } catch (error) {
    throw new InputError(doc.side, "refs that resolve", `${at}: $ref ${JSON.stringify(ref)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(root)) throw new InputError(doc.side, "refs that resolve to objects", `${at}: $ref ${JSON.stringify(ref)}`);
  const opened: SpecDocument = { ...doc, root, location, files: main.files, main: false };
  if (!main.files.has("")) main.files.set("", main);
  main.files.set(location, opened);
  return opened;
}

/** One `$ref` step, memoised per document and ref text: large documents resolve the same refs thousands of times. */
const steps = new WeakMap<SpecDocument, Map<string, Located>>();

function step(current: Located, ref: string, side: "base" | "revision"): Located {
  let cache = steps.get(current.doc);
  if (!cache) steps.set(current.doc, (cache = new Map()));
  const hit = cache.get(ref);
  if (hit) return hit;
  const hash = ref.indexOf("#");
  const file = hash === -1 ? ref : ref.slice(0, hash);
  const fragment = hash === -1 ? "" : ref.slice(hash + 1);
  const location = file === "" ? current.doc.location : joinLocation(current.doc.location, file);
  const target = documentAt(current.doc, location, ref, current.pointer);
  const canonical = `${location}#${fragment}`;
  let node: unknown = target.root;
  for (const token of decodePointer(fragment)) {
    node = Array.isArray(node) ? node[Number(token)] : isObject(node) ? node[token] : undefined;
    if (node === undefined) break;
  }
  if (!isObject(node)) {
    throw new InputError(side, "refs that resolve", `${current.pointer}: $ref ${JSON.stringify(ref)} does not resolve`);
  }
  const located: Located = { node, doc: target, pointer: (target.main ? "" : location) + "#" + fragment, ref: canonical };
  cache.set(ref, located);
  return located;
}

/** Follows `$ref` chains (also ref → ref) until a plain object; throws InputError when one does not resolve. */
export function resolve(doc: SpecDocument, value: unknown, pointer: string): Located | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.$ref !== "string") return { node: value, doc, pointer };
  let current: Located = { node: value, doc, pointer };
  let seen: Set<string> | undefined;
  while (typeof current.node.$ref === "string") {
    const next = step(current, current.node.$ref, doc.side);
    if (typeof next.node.$ref === "string" || seen) {
      seen ??= new Set();
      if (seen.has(next.ref!)) {
        throw new InputError(doc.side, "refs that resolve to a schema", `${current.pointer}: $ref ${JSON.stringify(current.node.$ref)} refers to itself`);
      }
      seen.add(next.ref!);
    }
    current = next;
  }
  return current;
}

const textOf = new WeakMap<object, string>();

function stableText(node: object): string {
  let text = textOf.get(node);
  if (text === undefined) {
    text = JSON.stringify(node);
    textOf.set(node, text);
  }
  return text;
}

function collectRefs(value: unknown, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, out);
  } else if (isObject(value)) {
    if (typeof value.$ref === "string") out.push(value.$ref);
    for (const key in value) if (key !== "$ref") collectRefs(value[key], out);
  }
}

const ownHashes = new WeakMap<object, string>();

function ownHash(node: object): string {
  let hash = ownHashes.get(node);
  if (hash === undefined) {
    hash = createHash("sha1").update(stableText(node)).digest("base64");
    ownHashes.set(node, hash);
  }
  return hash;
}

const refsOf = new WeakMap<object, string[]>();

function refsInside(node: object): string[] {
  let refs = refsOf.get(node);
  if (!refs) {
    refs = [];
    collectRefs(node, refs);
    refsOf.set(node, refs);
  }
  return refs;
}

const fingerprints = new WeakMap<SpecDocument, Map<object, string>>();

/**
 * A fingerprint of a node with everything it reaches through refs: equal fingerprints mean equal subtrees
 * (refs compared by target content, not by name). Unresolvable refs count by their text; they are reported
 * when a comparison actually needs them.
 */
export function fingerprint(doc: SpecDocument, node: object): string {
  let cache = fingerprints.get(doc.files.get("") ?? doc);
  if (!cache) {
    cache = new Map();
    fingerprints.set(doc.files.get("") ?? doc, cache);
  }
  const hit = cache.get(node);
  if (hit !== undefined) return hit;
  const hash = createHash("sha1");
  hash.update(ownHash(node));
  const visited = new Set<string>();
  const stack: Array<{ doc: SpecDocument; refs: string[] }> = [{ doc, refs: refsInside(node) }];
  const reached: Array<[string, string]> = [];
  while (stack.length > 0) {
    const { doc: from, refs } = stack.pop()!;
    for (const ref of refs) {
      let located: Located | undefined;
      try {
        located = resolve(from, { $ref: ref }, "");
      } catch {
        located = undefined;
      }
      const key = located?.ref ?? `${from.location}|${ref}`;
      if (visited.has(key)) continue;
      visited.add(key);
      reached.push([key, located ? ownHash(located.node) : "unresolved"]);
      if (located) stack.push({ doc: located.doc, refs: refsInside(located.node) });
    }
  }
  reached.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [key, text] of reached) hash.update(`\u0000${key}\u0000${text}`);
  const result = hash.digest("base64");
  cache.set(node, result);
  return result;
}

/** Deep equality of two JSON values (enum values, defaults, consts). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, index) => jsonEqual(item, other[index]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((key) => jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
