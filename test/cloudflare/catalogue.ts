// The catalogue of Cloudflare's v4 routes, read from Cloudflare's official TypeScript SDK (npm `cloudflare`,
// generated from Cloudflare's OpenAPI description). Every route the stand-in serves must be in it; a request
// for a route Cloudflare does not have is answered like Cloudflare (404, code 7003) and recorded as a
// violation. Operation ids are the SDK's method paths, e.g. `workers.scripts.subdomain.create`.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface Operation {
  /** The SDK method, e.g. `workers.scripts.update`. */
  operationId: string;
  method: HttpMethod;
  /** Cloudflare's path template with named parameters, e.g. `/accounts/{account_id}/workers/scripts/{script_name}`. */
  template: string;
  /** The template's parameter names, in order. */
  params: string[];
  matcher: RegExp;
}

/**
 * Routes Cloudflare documents that the SDK does not wrap: the GraphQL Analytics API (its own endpoint under
 * the v4 base) and a Worker's service record (`GET`, and `PATCH` to rename: the dashboard's, wrangler's and
 * Alchemy's `…/workers/services/{name}`), and the queues a Worker consumes (`GET …/scripts/{name}/queue-consumers`,
 * what the dashboard and Alchemy's Worker delete read).
 */
const OUTSIDE_SDK: { operationId: string; method: HttpMethod; template: string }[] = [
  { operationId: "graphql", method: "POST", template: "/graphql" },
  { operationId: "workers.services.get", method: "GET", template: "/accounts/{account_id}/workers/services/{service_name}" },
  { operationId: "workers.services.rename", method: "PATCH", template: "/accounts/{account_id}/workers/services/{service_name}" },
  { operationId: "workers.scripts.queueConsumers.list", method: "GET", template: "/accounts/{account_id}/workers/scripts/{script_name}/queue-consumers" },
];

const CALL = /this\._client\.(get|post|put|patch|delete|getAPIList)\((?:\(0, path_1\.path\) `([^`]*)`|'([^']*)')/g;
const EXAMPLE = /(?<![\w.])client\.([a-zA-Z0-9_.]+)\(/g;
const METHOD = /\n\s+(?:async\s+)?([a-zA-Z0-9_]+)\([^)]*\)\s*\{/g;

/**
 * The SDK method a call belongs to: the `client.…(` of the method's own doc example, or else the resource's
 * path (`resources/kv/namespaces/namespaces.js` → `kv.namespaces`) and the method's name.
 */
function operationIdAt(source: string, index: number, root: string, file: string, declarations: RegExpExecArray[]): string {
  let declaration: RegExpExecArray | undefined;
  for (const d of declarations) {
    if (d.index >= index) break;
    declaration = d;
  }
  const method = declaration?.[1] ?? "call";
  const start = declaration?.index ?? 0;
  const docStart = source.lastIndexOf("/**", start);
  const docEnd = source.lastIndexOf("*/", start);
  const doc = docStart >= 0 && docEnd > docStart && start - docEnd < 20 ? source.slice(docStart, docEnd) : "";
  const example = [...doc.matchAll(EXAMPLE)].at(-1)?.[1];
  if (example) return example;
  const parts = path.relative(root, file).replace(/\.js$/, "").split(path.sep);
  if (parts.length > 1 && parts.at(-1) === parts.at(-2)) parts.pop();
  const camel = parts.map((p) => p.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()));
  return [...camel, method].join(".");
}

let cached: Operation[] | undefined;

/** Every route of the SDK (about 2 500), parsed once per process (~100 ms). */
export function catalogue(): Operation[] {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  // The package root, from its main entry (its `exports` map hides package.json).
  const root = path.join(path.dirname(require.resolve("cloudflare")), "resources");
  const byKey = new Map<string, Operation>();
  for (const file of walk(root)) {
    const source = readFileSync(file, "utf8");
    const declarations = [...source.matchAll(METHOD)];
    for (const call of source.matchAll(CALL)) {
      // A list call is a GET unless its options say otherwise (`getAPIList(path, Page, { body, method: 'post' })`).
      const listMethod = /^[^;]*?method: '(post|put|patch)'/.exec(source.slice(call.index, call.index + 400))?.[1];
      const method = (call[1] === "getAPIList" ? (listMethod ?? "get").toUpperCase() : call[1]!.toUpperCase()) as HttpMethod;
      const template = normalizeTemplate(call[2] ?? call[3]!);
      const operationId = operationIdAt(source, call.index, root, file, declarations);
      const key = `${method} ${template}`;
      if (!byKey.has(key)) byKey.set(key, operation(operationId, method, template));
    }
  }
  for (const extra of OUTSIDE_SDK) byKey.set(`${extra.method} ${extra.template}`, operation(extra.operationId, extra.method, extra.template));
  // Literal segments win over parameters (`/workers/scripts-search` before `/workers/scripts/{name}`).
  cached = [...byKey.values()].sort((a, b) => specificity(b) - specificity(a));
  return cached;
}

/** The operation a request is for, with its path parameters decoded. */
export function matchOperation(method: string, pathname: string): { operation: Operation; params: Record<string, string> } | undefined {
  for (const operation of catalogue()) {
    if (operation.method !== method) continue;
    const match = operation.matcher.exec(pathname);
    if (!match) continue;
    const params: Record<string, string> = {};
    operation.params.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1]!)));
    return { operation, params };
  }
  return undefined;
}

/** True when some method of Cloudflare's API serves this path (for 405-like answers). */
export function pathKnown(pathname: string): boolean {
  return catalogue().some((op) => op.matcher.test(pathname));
}

export function findOperation(operationId: string): Operation | undefined {
  return catalogue().find((op) => op.operationId === operationId);
}

function operation(operationId: string, method: HttpMethod, template: string): Operation {
  const params: string[] = [];
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_m, name: string) => {
    params.push(name);
    return "([^/]+)";
  });
  return { operationId, method, template, params, matcher: new RegExp(`^${pattern}$`) };
}

/** `${account_id}` → `{account_id}`; camelCase SDK names → Cloudflare's snake_case (`scriptName` → `script_name`). */
function normalizeTemplate(raw: string): string {
  return raw.replace(/\$\{([^}]+)\}/g, (_m, name: string) => `{${name.replace(/ID$/, "_id").replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}}`);
}

function specificity(op: Operation): number {
  const segments = op.template.split("/").filter(Boolean);
  return segments.reduce((score, s) => score * 2 + (s.startsWith("{") ? 0 : 1), 1) + segments.length * 1e-3;
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.name.endsWith(".js")) yield full;
  }
}
