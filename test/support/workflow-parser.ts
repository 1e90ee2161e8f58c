// GitHub's own parser for workflows and action manifests (@actions/workflow-parser, the one GitHub's VS Code
// extension and language server use): schema, expressions and their contexts, job `needs` (unknown jobs,
// cycles), and for a job calling a reusable workflow, the called workflow's contract (required inputs and
// secrets, unknown ones, input types).
import { readFileSync } from "node:fs";
import { registerHooks } from "node:module";
import path from "node:path";
import type { FileReference } from "@actions/workflow-parser/workflows/file-reference";
import { repoRoot } from "../harness/run-action.ts";

// The package imports its JSON schemas without `with { type: "json" }` (it is meant for bundlers); Node refuses
// that, so the attribute is added when its own JSON files are resolved.
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    return resolved.url.includes("/@actions/workflow-parser/") && resolved.url.endsWith(".json")
      ? { ...resolved, importAttributes: { ...context.importAttributes, type: "json" } }
      : resolved;
  },
});
const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await import("@actions/workflow-parser");
const { convertActionTemplate, parseAction } = await import("@actions/workflow-parser/actions/index");

export interface ParseReport {
  errors: string[];
}

/**
 * Where called workflows come from: the kit's own (`alchkit/alchkit/.github/workflows/<file>@<ref>`) are read
 * from this working tree; a local one (`./.github/workflows/<file>`) from `localRoot`.
 */
function fileProvider(localRoot: string) {
  return {
    async getFileContent(ref: FileReference) {
      let file = path.join(localRoot, ref.path);
      if ("repository" in ref) {
        if (ref.owner !== "alchkit" || ref.repository !== "alchkit") throw new Error(`no copy of ${ref.owner}/${ref.repository} here`);
        file = path.join(repoRoot, ref.path);
      }
      return { name: file, content: readFileSync(file, "utf8") };
    },
  };
}

/** Parses a workflow as GitHub does, fetching the reusable workflows its jobs call (one level). */
export async function parseWorkflowFile(name: string, content: string, localRoot = repoRoot): Promise<ParseReport> {
  const trace = new NoOperationTraceWriter();
  const parsed = parseWorkflow({ name, content }, trace);
  if (!parsed.value) return { errors: parsed.context.errors.getErrors().map((e) => e.message) };
  const template = await convertWorkflowTemplate(parsed.context, parsed.value, fileProvider(localRoot), { fetchReusableWorkflowDepth: 1 });
  return { errors: (template.errors ?? []).map((e) => e.Message) };
}

/** Parses an action manifest (action.yml) as GitHub does. */
export function parseActionFile(name: string, content: string): ParseReport {
  const parsed = parseAction({ name, content }, new NoOperationTraceWriter());
  if (!parsed.value) return { errors: parsed.context.errors.getErrors().map((e) => e.message) };
  convertActionTemplate(parsed.context, parsed.value);
  return { errors: parsed.context.errors.getErrors().map((e) => e.message) };
}
