// The generated corpus: every operator of the mutation catalogue applied to the seed — schema operators in
// OpenAPI 3.0 and 3.1, on up to SITES_PER_OPERATOR sites of different kinds each; document operators in
// one of the two versions, alternating — and written to a
// folder as pairs of files by the kit's own writer (`serializeSpec`: normalized key order; JSON, every
// YAML_EVERY-th pair YAML, so both parsers are exercised).
//
// Each pair keeps the operations the mutation touched (compared with every $ref followed) and one it did
// not, and the component schemas either side still uses: a small API per pair, and the findings are the
// same as on the whole seed.
//
// Schema mutations only change what operations accept and return, so their pairs are also given to
// oasdiff in batches (its composed mode: one process compares the endpoints of many files): each pair's
// paths carry a prefix of their own (/m0042/orders), webhooks are left out (composed mode compares paths
// only), and info.version is a date (not semver: composed mode judges no versions, so neither tool may).
// Document-level mutations (security schemes, components, webhooks, versions…) run one process per pair.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { serializeSpec } from "../../../workflows-lib/openapi/normalize.ts";
import type { OpenAPIDocument } from "../../../workflows-lib/openapi/load-spec.ts";
import { DOCUMENT_OPERATORS, SCHEMA_OPERATORS } from "./mutations.ts";
import { seed } from "./seed.ts";
import type { Json, OpenApiVersion } from "./seed.ts";
import { nodeAt, schemaSites, spreadSites } from "./sites.ts";

export const SITES_PER_OPERATOR = 3;
export const YAML_EVERY = 8;
/** Batches of schema pairs, one oasdiff process each (one per core of a 2-core machine). */
export const BATCHES = 2;
export const VERSIONS: readonly OpenApiVersion[] = ["3.0", "3.1"];

export interface MutatedPair {
  /** `3.1 maxLength decreased @ /components/schemas/ProductInput/properties/name`. */
  name: string;
  operator: string;
  family: string;
  version: OpenApiVersion;
  base: Json;
  revision: Json;
  /** For batched pairs: the prefix of their paths (`/m0042`). */
  prefix?: string;
}

export function buildCorpus(today: string): MutatedPair[] {
  const pairs: MutatedPair[] = [];
  for (const version of VERSIONS) {
    const sites = schemaSites(seed(version, today));
    for (const operator of SCHEMA_OPERATORS) {
      if (operator.versions && !operator.versions.includes(version)) continue;
      const probe = seed(version, today);
      const applicable = sites.filter((site) => operator.applies(nodeAt(probe, site.path), site, version));
      for (const site of spreadSites(applicable, SITES_PER_OPERATOR)) {
        const base = seed(version, today);
        const revision = seed(version, today);
        if (operator.prepare) {
          operator.prepare(nodeAt(base, site.path), version, today);
          operator.prepare(nodeAt(revision, site.path), version, today);
        }
        if (operator.replace) {
          const parent = nodeAt(revision, site.path.slice(0, -1));
          parent[site.path.at(-1)!] = operator.replace(parent[site.path.at(-1)!], version);
        } else operator.mutate(nodeAt(revision, site.path), version, today);
        prune(base, revision);
        const prefix = `/m${String(pairs.length).padStart(4, "0")}`;
        for (const doc of [base, revision]) batchable(doc, prefix);
        pairs.push({ name: `${version} ${operator.name} @ /${site.path.join("/")}`, operator: operator.name, family: operator.family, version, base, revision, prefix });
      }
    }
    for (const [index, operator] of DOCUMENT_OPERATORS.entries()) {
      // Document mutations run in one version each, alternating (a process per pair is what they cost),
      // except the ones that exist in one version only.
      if (operator.versions ? !operator.versions.includes(version) : VERSIONS[index % VERSIONS.length] !== version) continue;
      const base = seed(version, today);
      const revision = seed(version, today);
      operator.mutate(base, revision, version, today);
      prune(base, revision);
      pairs.push({ name: `${version} ${operator.name}`, operator: operator.name, family: operator.family, version, base, revision });
    }
  }
  return pairs;
}

export interface WrittenPair extends MutatedPair {
  baseFile: string;
  revisionFile: string;
}

/** A schema pair's document made ready for a batch: prefixed paths, no webhooks, a non-semver version. */
function batchable(doc: Json, prefix: string): void {
  doc.paths = Object.fromEntries(Object.entries(doc.paths ?? {}).map(([path, item]) => [`${prefix}${path}`, item]));
  delete doc.webhooks;
  doc.info.version = "2024-06-01";
}

export interface Batch {
  /** Folders holding one file per pair, the same name on both sides. */
  baseDir: string;
  revisionDir: string;
}

export function batchDirs(dir: string): Batch[] {
  return Array.from({ length: BATCHES }, (_, k) => ({ baseDir: join(dir, `batch-${k}`, "base"), revisionDir: join(dir, `batch-${k}`, "revision") }));
}

/**
 * Writes each pair: batched ones into `batch-<k>/base/<index>.<ext>` and `batch-<k>/revision/<index>.<ext>`,
 * the others into `single/<index>/base.<ext>` and `revision.<ext>`.
 */
export function writeCorpus(pairs: readonly MutatedPair[], dir: string): WrittenPair[] {
  const batches = batchDirs(dir);
  for (const batch of batches) {
    mkdirSync(batch.baseDir, { recursive: true });
    mkdirSync(batch.revisionDir, { recursive: true });
  }
  return pairs.map((pair, index) => {
    const id = String(index).padStart(4, "0");
    const format = index % YAML_EVERY === YAML_EVERY - 1 ? "yaml" : "json";
    let baseFile: string;
    let revisionFile: string;
    if (pair.prefix) {
      const batch = batches[index % BATCHES]!;
      baseFile = join(batch.baseDir, `${id}.${format}`);
      revisionFile = join(batch.revisionDir, `${id}.${format}`);
    } else {
      const folder = join(dir, "single", id);
      mkdirSync(folder, { recursive: true });
      baseFile = join(folder, `base.${format}`);
      revisionFile = join(folder, `revision.${format}`);
    }
    writeFileSync(baseFile, serializeSpec(pair.base as OpenAPIDocument, format));
    writeFileSync(revisionFile, serializeSpec(pair.revision as OpenAPIDocument, format));
    return { ...pair, baseFile, revisionFile };
  });
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

function componentAt(doc: Json, ref: string): unknown {
  return ref.startsWith("#/") ? ref.slice(2).split("/").reduce<unknown>((at, token) => (at as Json | undefined)?.[token], doc) : undefined;
}

function refsIn(node: unknown, out: Set<string>): Set<string> {
  if (typeof node !== "object" || node === null) return out;
  if (Array.isArray(node)) {
    for (const item of node) refsIn(item, out);
    return out;
  }
  for (const key in node) {
    const value = (node as Json)[key];
    if (key === "$ref" && typeof value === "string") out.add(value);
    else if (typeof value === "object") refsIn(value, out);
  }
  return out;
}

/** Drops the operations a mutation left alone (all but one) and the component schemas no side uses. */
function prune(base: Json, revision: Json): void {
  const memo = new Map<Json, Map<string, string>>();
  // Every component a ref reaches, as text: one string per ref, computed once per document.
  const closure = (doc: Json, ref: string, seen: Set<string>): string => {
    let texts = memo.get(doc);
    if (!texts) memo.set(doc, (texts = new Map()));
    const hit = texts.get(ref);
    if (hit !== undefined) return hit;
    if (seen.has(ref)) return ref;
    seen.add(ref);
    const target = componentAt(doc, ref);
    const text = [`${ref}=${JSON.stringify(target)}`, ...[...refsIn(target, new Set())].sort().map((inner) => closure(doc, inner, seen))].join("\n");
    texts.set(ref, text);
    return text;
  };
  const reach = (doc: Json, node: unknown): string => [...refsIn(node, new Set())].sort().map((ref) => closure(doc, ref, new Set())).join("\n");
  // An operation as a client sees it: itself, its path's parameters, the global security and every
  // component it reaches.
  const print = (doc: Json, path: string, method: string) => {
    const item = doc.paths?.[path];
    const op = item?.[method];
    if (op === undefined) return undefined;
    const own = { pathParameters: item.parameters, op, security: doc.security };
    return `${JSON.stringify(own)}\n${reach(doc, own)}`;
  };
  const paths = new Set([...Object.keys(base.paths ?? {}), ...Object.keys(revision.paths ?? {})]);
  let keptUntouched = false;
  for (const path of [...paths].sort()) {
    for (const method of METHODS) {
      const b = print(base, path, method);
      const r = print(revision, path, method);
      if (b === undefined && r === undefined) continue;
      if (b !== r) continue;
      if (!keptUntouched) {
        keptUntouched = true;
        continue;
      }
      delete base.paths[path][method];
      delete revision.paths[path][method];
    }
    for (const doc of [base, revision]) {
      const item = doc.paths?.[path];
      if (item && !METHODS.some((method) => item[method] !== undefined)) delete doc.paths[path];
    }
  }
  // Component schemas: keep what either side reaches from its paths and webhooks, and any that differ.
  const reached = new Set<string>();
  for (const doc of [base, revision]) {
    let frontier = refsIn({ paths: doc.paths, webhooks: doc.webhooks }, new Set());
    while (frontier.size > 0) {
      const next = new Set<string>();
      for (const ref of frontier) {
        if (reached.has(ref)) continue;
        reached.add(ref);
        const name = ref.replace("#/components/schemas/", "");
        refsIn(doc.components?.schemas?.[name], next);
      }
      frontier = next;
    }
  }
  for (const name of new Set([...Object.keys(base.components?.schemas ?? {}), ...Object.keys(revision.components?.schemas ?? {})])) {
    if (reached.has(`#/components/schemas/${name}`)) continue;
    if (JSON.stringify(base.components.schemas[name]) !== JSON.stringify(revision.components.schemas[name])) continue;
    delete base.components.schemas[name];
    delete revision.components.schemas[name];
  }
}
