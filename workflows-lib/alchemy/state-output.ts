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
  const text = stripAnsi(output);
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end < start) throw new Error(`alchemy state get ${fqn} printed no JSON`);
  return JSON.parse(text.slice(start, end + 1));
}

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
