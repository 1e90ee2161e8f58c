import type { BindingFact, ResourceFact } from "./facts-schema.ts";

/**
 * Resource facts from Alchemy's state: the JSON Alchemy keeps per resource (`alchemy state get` prints it; the
 * file state store holds it in `.alchemy/<app>/<stage>/<id>.json`). What a resource *is* lives in `output`:
 * its kind, its provider-side name, and for a Worker its bindings, compatibility date and flags, routes.
 * Secret values never reach the facts: Alchemy keeps them encrypted (`{"@secret": …}`) and only the fact
 * that a binding is secret is kept.
 */

export interface StateEntry {
  /** `<app>/<stage>/<id>` (nested scopes add segments). */
  fqn: string;
  /** The resource's state document as Alchemy stores it. */
  state: unknown;
}

export interface BundleSize {
  bytes: number;
  gzipBytes: number;
}

const KIND = "Symbol(alchemy::ResourceKind)";
const FQN = "Symbol(alchemy::ResourceFQN)";

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === "string" && value.length > 0 ? value : undefined);

/** The provider-side name of a resource output: what Cloudflare calls it. */
export function physicalNameOf(output: Json): string | undefined {
  // KV namespaces are named by `title`; Workers, D1, R2, Queues, Hyperdrive… by `name`.
  return str(output.name) ?? str(output.title) ?? str(output.bucketName) ?? str(output.queueName) ?? str(output.scriptName);
}

function bindingFact(name: string, value: unknown): BindingFact {
  if (typeof value === "string") return { name, type: "plain_text", value };
  if (isObject(value) && "@secret" in value) return { name, type: "secret_text" };
  if (isObject(value) && typeof value[KIND] === "string") {
    const physicalName = physicalNameOf(value);
    const fqn = str(value[FQN]);
    return { name, type: "resource", resource: { kind: value[KIND] as string, ...(fqn ? { fqn } : {}), ...(physicalName ? { physicalName } : {}) } };
  }
  // Bindings Alchemy models as plain objects with a `type` (e.g. { type: "version_metadata" }, Assets, Ai).
  if (isObject(value) && typeof value.type === "string") {
    const physicalName = physicalNameOf(value);
    return { name, type: "resource", resource: { kind: `binding::${value.type}`, ...(physicalName ? { physicalName } : {}) } };
  }
  if (typeof value === "number" || typeof value === "boolean" || Array.isArray(value) || isObject(value)) return { name, type: "json" };
  return { name, type: "other" };
}

function patterns(list: unknown, key: string): string[] {
  if (!Array.isArray(list)) return [];
  return list
    .map((item) => (typeof item === "string" ? item : isObject(item) ? str(item[key]) ?? str(item.name) : undefined))
    .filter((item): item is string => item !== undefined);
}

/** One resource's facts; `bundleOf(physicalName)` gives a Worker's built size when it is on disk. */
export function resourceFact(entry: StateEntry, bundleOf?: (scriptName: string) => BundleSize | undefined): ResourceFact {
  const state = isObject(entry.state) ? entry.state : {};
  const output = isObject(state.output) ? state.output : {};
  const kind = str(state.kind) ?? str(output[KIND]) ?? "unknown";
  const fqn = str(state.fqn) ?? entry.fqn;
  const id = str(state.id) ?? fqn.split("/").pop() ?? fqn;
  const physicalName = physicalNameOf(output);
  const url = str(output.url);
  const fact: ResourceFact = { id, fqn, kind, ...(physicalName ? { physicalName } : {}), ...(url ? { url } : {}) };
  if (kind === "cloudflare::Worker") {
    const bindings = isObject(output.bindings) ? output.bindings : {};
    const bundle = physicalName && bundleOf ? bundleOf(physicalName) : undefined;
    const compatibilityDate = str(output.compatibilityDate);
    fact.worker = {
      ...(compatibilityDate ? { compatibilityDate } : {}),
      compatibilityFlags: Array.isArray(output.compatibilityFlags) ? output.compatibilityFlags.filter((f): f is string => typeof f === "string") : [],
      bindings: Object.entries(bindings)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => bindingFact(name, value)),
      routes: patterns(output.routes, "pattern"),
      domains: patterns(output.domains, "name"),
      ...(bundle ? { bundle } : {}),
    };
  }
  return fact;
}

/** Every resource of a stage, in fqn order (stable facts give stable digests). */
export function resourceFacts(entries: StateEntry[], bundleOf?: (scriptName: string) => BundleSize | undefined): ResourceFact[] {
  return entries.map((entry) => resourceFact(entry, bundleOf)).sort((a, b) => a.fqn.localeCompare(b.fqn));
}
