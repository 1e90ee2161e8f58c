import { stripAnsi } from "./alchemy-errors.ts";
import type { DeployedResource, Deployment } from "../platform/runtime.ts";

/** Parses `alchemy state list`: one fully-qualified name per line, or `(no resources)`. */
export function parseStateList(output: string): string[] {
  return stripAnsi(output)
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => /^[^\s()]+\/[^\s]+$/.test(line));
}

/** The state document `alchemy state get <fqn>` prints (pretty JSON, maybe after log lines). */
export function stateDocument(output: string, fqn: string): unknown {
  const document = firstJsonObject(output, isStateDocument);
  if (!document) throw new Error(`alchemy state get ${fqn} printed no state document (a JSON object with its kind); it printed: ${stripAnsi(output).trim().slice(0, 300)}`);
  return document;
}

/** A resource's state as Alchemy stores it: its kind, and usually its fqn, status and output. */
export const isStateDocument = (value: Record<string, unknown>): boolean => typeof value.kind === "string";

/** Parses `alchemy state get <fqn>` (pretty JSON of the resource's state). */
export function parseStateGet(output: string, fqn: string): DeployedResource {
  const state = stateDocument(output, fqn) as {
    kind?: string;
    id?: string;
    fqn?: string;
    output?: Record<string, unknown> | null;
  };
  const out = state.output ?? {};
  const name = typeof out.name === "string" ? out.name : (state.id ?? fqn.split("/").pop() ?? fqn);
  const url = typeof out.url === "string" ? out.url : undefined;
  return { fqn: state.fqn ?? fqn, kind: state.kind ?? "unknown", name, ...(url ? { url } : {}) };
}

/** `{<resource id>: url}` for every resource with a URL; the id is the last segment of the fqn. */
export function toDeployment(stage: string, resources: DeployedResource[]): Deployment {
  const urls: Record<string, string> = {};
  for (const resource of resources) {
    if (resource.url) urls[resource.fqn.split("/").pop()!] = resource.url;
  }
  return { stage, resources, urls };
}

/**
 * The first JSON object in printed output: Alchemy prints log lines — a retried request's error as Node shows
 * an object (`{ status: 503, … }`), a warning — before and after the document, so the text between the first
 * `{` and the last `}` is not always JSON. Each `{` is tried in turn up to its balanced `}`; the first object
 * `accept` takes is the one (an empty `{}` inside a logged error is not a state document).
 */
export function firstJsonObject(output: string, accept: (value: Record<string, unknown>) => boolean): Record<string, unknown> | undefined {
  const text = stripAnsi(output);
  for (let start = text.indexOf("{"); start >= 0; start = text.indexOf("{", start + 1)) {
    const end = balancedEnd(text, start);
    if (end < 0) continue;
    try {
      const value = JSON.parse(text.slice(start, end + 1)) as unknown;
      if (value && typeof value === "object" && !Array.isArray(value) && accept(value as Record<string, unknown>)) return value as Record<string, unknown>;
    } catch {
      // not JSON (an object as Node prints it): try the next brace
    }
  }
  return undefined;
}

/** Index of the `}` closing the `{` at `start` (strings and escapes respected), or -1. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}
