// Security: the requirements each operation ends up with (its own, or the document's it inherits),
// whether unauthenticated requests are accepted, and the security schemes under components.
// An operation that inherits the global requirements is judged on the effective ones, so changing the
// global list shows up on every operation that relies on it; the global change itself is then reported
// only when no operation inherits it on both sides.
import type { OperationRef, RawChange, Sink } from "./change.ts";
import { isObject, pointerJoin, resolve } from "./refs.ts";
import type { SpecDocument } from "./refs.ts";

type Requirement = Record<string, string[]>;

function requirementsOf(value: unknown): Requirement[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isObject).map((req) => Object.fromEntries(Object.entries(req).map(([k, v]) => [k, Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []])));
}

const schemes = (req: Requirement) => Object.keys(req).sort().join("\u0000");
const label = (req: Requirement) => Object.keys(req).sort().map((name) => (req[name]!.length ? `${name}: [${[...req[name]!].sort().join(", ")}]` : name)).join(" AND ") || "{}";

interface RequirementsDiff {
  added: Requirement[];
  deleted: Requirement[];
  modified: Array<{ scopes: Map<string, { added: string[]; deleted: string[] }> }>;
}

function scopesDiff(a: Requirement, b: Requirement): Map<string, { added: string[]; deleted: string[] }> {
  const result = new Map<string, { added: string[]; deleted: string[] }>();
  for (const [scheme, scopes] of Object.entries(a)) {
    const other = b[scheme];
    if (!other) continue;
    const added = [...new Set(other)].filter((x) => !scopes.includes(x));
    const deleted = [...new Set(scopes)].filter((x) => !other.includes(x));
    if (added.length || deleted.length) result.set(scheme, { added, deleted });
  }
  return result;
}

/** Alternatives matched as oasdiff matches them: identical ones, then the only one with the same schemes. */
function diffRequirements(base: Requirement[] | undefined, revision: Requirement[] | undefined): RequirementsDiff | undefined {
  const a = base ?? [];
  const b = revision ?? [];
  const matchedA = a.map(() => false);
  const matchedB = b.map(() => false);
  const find = (req: Requirement, exact: boolean) =>
    b.findIndex((other, j) => !matchedB[j] && schemes(other) === schemes(req) && (!exact || scopesDiff(req, other).size === 0));
  a.forEach((req, i) => {
    const j = find(req, true);
    if (j >= 0) matchedA[i] = matchedB[j] = true;
  });
  const unique = (list: Requirement[], matched: boolean[], key: string) => list.filter((req, k) => !matched[k] && schemes(req) === key).length === 1;
  const result: RequirementsDiff = { added: [], deleted: [], modified: [] };
  a.forEach((req, i) => {
    if (matchedA[i] || !unique(a, matchedA, schemes(req))) return;
    const j = find(req, false);
    if (j < 0 || !unique(b, matchedB, schemes(b[j]!))) return;
    matchedA[i] = matchedB[j] = true;
    const scopes = scopesDiff(req, b[j]!);
    if (scopes.size) result.modified.push({ scopes });
  });
  a.forEach((req, i) => !matchedA[i] && result.deleted.push(req));
  b.forEach((req, j) => !matchedB[j] && result.added.push(req));
  const listChanged = (base === undefined) !== (revision === undefined);
  return result.added.length || result.deleted.length || result.modified.length || listChanged ? result : undefined;
}

/** No requirements at all, or an empty alternative, lets unauthenticated requests through. */
function allowsAnonymous(reqs: Requirement[] | undefined): boolean {
  return reqs === undefined || reqs.length === 0 || reqs.some((req) => Object.keys(req).length === 0);
}

function emit(sink: Sink, id: string, value: unknown, op: OperationRef | undefined, source: RawChange["source"], level?: "info"): void {
  const change: RawChange = { id, text: { value }, ...(op ? { op } : {}), source };
  if (level) change.level = level;
  sink(change);
}

function operationChanges(sink: Sink, op: OperationRef, diff: RequirementsDiff | undefined, access: { known: boolean; base: boolean; revision: boolean }, revision: Requirement[] | undefined, source: RawChange["source"]): void {
  if (access.known && access.base !== access.revision) {
    if (access.base) emit(sink, "api-security-anonymous-access-removed", (revision ?? []).map(label).join(" OR "), op, source);
    else emit(sink, "api-security-anonymous-access-added", undefined, op, source);
    return;
  }
  if (!diff) return;
  const acceptsAll = access.known && access.revision;
  for (const req of diff.added) if (Object.keys(req).length) emit(sink, "api-security-added", label(req), op, source);
  if (!acceptsAll) for (const req of diff.deleted) if (Object.keys(req).length) emit(sink, "api-security-removed", label(req), op, source);
  for (const m of diff.modified) {
    for (const [scheme, scopes] of m.scopes) {
      if (!acceptsAll) for (const scope of scopes.added) emit(sink, "api-security-scope-added", `${scope} (${scheme})`, op, source);
      for (const scope of scopes.deleted) emit(sink, "api-security-scope-removed", `${scope} (${scheme})`, op, source);
    }
  }
}

export interface OperationPair {
  op: OperationRef;
  base: Record<string, unknown>;
  revision: Record<string, unknown>;
  pointerB: string;
  pointerR: string;
  /** A webhook's operation: it never inherits the document's security. */
  webhook: boolean;
}

/**
 * Operation and global security, for the operations on both sides (draft and alpha revisions left out;
 * webhook operations included).
 */
export function compareSecurity(sink: Sink, base: SpecDocument, revision: SpecDocument, all: readonly OperationPair[]): void {
  const pairs = all.filter((pair) => !pair.webhook);
  const globalB = requirementsOf(base.root.security);
  const globalR = requirementsOf(revision.root.security);
  const globalDiff = diffRequirements(globalB ?? [], globalR ?? []);
  const handled = new Set<string>();
  const key = (op: OperationRef) => `${op.method} ${op.path}`;
  for (const pair of pairs) {
    const ownB = requirementsOf(pair.base.security);
    const ownR = requirementsOf(pair.revision.security);
    if (ownB !== undefined && ownR !== undefined) continue;
    handled.add(key(pair.op));
    const effectiveB = ownB ?? globalB ?? [];
    const effectiveR = ownR ?? globalR ?? [];
    const access = { known: true, base: allowsAnonymous(effectiveB), revision: allowsAnonymous(effectiveR) };
    operationChanges(sink, pair.op, diffRequirements(effectiveB, effectiveR), access, effectiveR, { base: pair.pointerB, revision: pair.pointerR });
  }
  for (const pair of all) {
    if (handled.has(key(pair.op))) continue;
    const ownB = requirementsOf(pair.base.security);
    const ownR = requirementsOf(pair.revision.security);
    const diff = diffRequirements(ownB, ownR);
    if (!diff) continue;
    const access = { known: ownB !== undefined && ownR !== undefined, base: allowsAnonymous(ownB), revision: allowsAnonymous(ownR) };
    operationChanges(sink, pair.op, diff, access, ownR, { base: pair.pointerB, revision: pair.pointerR });
  }
  if (globalDiff && !pairs.some((pair) => pair.base.security === undefined && pair.revision.security === undefined)) {
    const source = { base: "#/security", revision: "#/security" };
    for (const req of globalDiff.added) if (Object.keys(req).length) emit(sink, "api-global-security-added", label(req), undefined, source, "info");
    for (const req of globalDiff.deleted) if (Object.keys(req).length) emit(sink, "api-global-security-removed", label(req), undefined, source, "info");
    for (const m of globalDiff.modified) {
      for (const [scheme, scopes] of m.scopes) {
        for (const scope of scopes.added) emit(sink, "api-global-security-scope-added", `${scope} (${scheme})`, undefined, source, "info");
        for (const scope of scopes.deleted) emit(sink, "api-global-security-scope-removed", `${scope} (${scheme})`, undefined, source, "info");
      }
    }
  }
}

/** URLs equal after normalising case, default ports, percent-encoding and a trailing slash. */
export function sameUrl(from: unknown, to: unknown): boolean {
  if (typeof from !== "string" || typeof to !== "string") return false;
  const normal = (raw: string) => {
    const decoded = raw.replace(/%[0-9a-fA-F]{2}/g, (enc) => {
      const c = String.fromCharCode(parseInt(enc.slice(1), 16));
      return /[A-Za-z0-9\-._~]/.test(c) ? c : enc.toUpperCase();
    });
    try {
      const url = new URL(decoded);
      if (!url.host) return decoded;
      return url.toString().replace(/\/$/, "");
    } catch {
      return decoded;
    }
  };
  return normal(from) === normal(to);
}

/** Security schemes under components: added, removed, and what changed in each. */
export function compareSecuritySchemes(sink: Sink, base: SpecDocument, revision: SpecDocument): void {
  const schemesOf = (doc: SpecDocument) => (isObject(doc.root.components) && isObject(doc.root.components.securitySchemes) ? (doc.root.components.securitySchemes as Record<string, unknown>) : {});
  const sb = schemesOf(base);
  const sr = schemesOf(revision);
  const put = (id: string, level: "error" | "warning" | "info", name: string, detail: { value?: unknown; from?: unknown; to?: unknown }, source: RawChange["source"]) =>
    sink({ id, level, text: { name, ...detail }, source });
  for (const name of Object.keys(sb).sort()) {
    const pointer = pointerJoin("#/components/securitySchemes", name);
    if (!(name in sr)) {
      put("api-security-component-removed", "info", name, {}, { base: pointer });
      continue;
    }
    const B = resolve(base, sb[name], pointer)?.node ?? {};
    const R = resolve(revision, sr[name], pointer)?.node ?? {};
    const source = { base: pointer, revision: pointer };
    const flowsB = isObject(B.flows) ? B.flows : undefined;
    const flowsR = isObject(R.flows) ? R.flows : undefined;
    if (flowsB && flowsR) {
      for (const flow of ["implicit", "password", "clientCredentials", "authorizationCode"]) {
        const fb = isObject(flowsB[flow]) ? (flowsB[flow] as Record<string, unknown>) : undefined;
        const fr = isObject(flowsR[flow]) ? (flowsR[flow] as Record<string, unknown>) : undefined;
        if (!fb || !fr) continue;
        for (const [key, id] of [["authorizationUrl", "api-security-component-oauth-url-changed"], ["tokenUrl", "api-security-component-oauth-token-url-changed"], ["refreshUrl", "api-security-component-oauth-refresh-url-changed"]] as const) {
          const from = fb[key] ?? "";
          const to = fr[key] ?? "";
          if (from !== to && !sameUrl(from, to)) put(id, "warning", name, { value: flow, from, to }, source);
        }
        const scopesB = isObject(fb.scopes) ? fb.scopes : {};
        const scopesR = isObject(fr.scopes) ? fr.scopes : {};
        for (const scope of Object.keys(scopesR).sort()) if (!(scope in scopesB)) put("api-security-component-oauth-scope-added", "info", name, { value: scope }, { revision: pointer });
        for (const scope of Object.keys(scopesB).sort()) if (!(scope in scopesR)) put("api-security-component-oauth-scope-removed", "info", name, { value: scope }, { base: pointer });
        for (const scope of Object.keys(scopesB).sort()) if (scope in scopesR && scopesB[scope] !== scopesR[scope]) put("api-security-component-oauth-scope-changed", "info", name, { value: scope, from: scopesB[scope], to: scopesR[scope] }, source);
      }
    }
    if (B.type !== R.type) {
      put("api-security-component-type-changed", "error", name, { from: B.type, to: R.type }, source);
      continue;
    }
    // Header names are case-insensitive: oasdiff compares an API key sent in a header in lower case.
    const keyName = (scheme: Record<string, unknown>) => (scheme.type === "apiKey" && scheme.in === "header" && typeof scheme.name === "string" ? scheme.name.toLowerCase() : scheme.name ?? "");
    if (keyName(B) !== keyName(R)) put("api-security-component-api-key-name-changed", "error", name, { from: B.name, to: R.name }, source);
    if ((B.in ?? "") !== (R.in ?? "")) put("api-security-component-api-key-in-changed", "error", name, { from: B.in, to: R.in }, source);
    if (String(B.scheme ?? "").toLowerCase() !== String(R.scheme ?? "").toLowerCase()) put("api-security-component-http-scheme-changed", "error", name, { from: B.scheme, to: R.scheme }, source);
    if ((B.bearerFormat ?? "") !== (R.bearerFormat ?? "")) put("api-security-component-bearer-format-changed", "info", name, { from: B.bearerFormat, to: R.bearerFormat }, source);
    const oidcB = B.openIdConnectUrl ?? "";
    const oidcR = R.openIdConnectUrl ?? "";
    if (oidcB !== oidcR && !sameUrl(oidcB, oidcR)) put("api-security-component-openid-connect-url-changed", "warning", name, { from: oidcB, to: oidcR }, source);
  }
  for (const name of Object.keys(sr).sort()) if (!(name in sb)) put("api-security-component-added", "info", name, {}, { revision: pointerJoin("#/components/securitySchemes", name) });
}
