/**
 * Generated tables in markdown files, between markers:
 *
 *   <!-- alchkit:table inputs actions/comment/action.yml -->
 *   …generated…
 *   <!-- alchkit:table-end -->
 *
 * Kinds: `inputs`, `outputs` (an action.yml or a reusable workflow) and `secrets` (a reusable workflow).
 * Like changesets/action's update-readme script, the tables always come from the YAML, never by hand.
 */
import { parse } from "yaml";
import { escapeCell, table, code } from "../workflows-lib/report/markdown.ts";

const BLOCK = /(<!-- alchkit:table (inputs|outputs|secrets) ([^\s]+) -->)\n[\s\S]*?(<!-- alchkit:table-end -->)/g;

type Spec = { description?: string; required?: boolean; default?: unknown; type?: string; value?: string } | null;

export function renderTable(kind: "inputs" | "outputs" | "secrets", yamlText: string, source: string): string {
  const doc = parse(yamlText) as {
    inputs?: Record<string, Spec>;
    outputs?: Record<string, Spec>;
    on?: { workflow_call?: { inputs?: Record<string, Spec>; outputs?: Record<string, Spec>; secrets?: Record<string, Spec> } };
  };
  const call = doc.on?.workflow_call;
  const entries = Object.entries((call ? call[kind] : kind === "secrets" ? undefined : doc[kind]) ?? {});
  if (entries.length === 0) return `_${source} has no ${kind}._`;
  if (kind === "outputs") {
    return table(["Output", "Description"], entries.map(([name, spec]) => [code(name), escapeCell(spec?.description ?? "")]));
  }
  const header = kind === "secrets" ? ["Secret", "Required", "Description"] : ["Input", "Required", "Default", "Description"];
  const rows = entries.map(([name, spec]) => {
    const required = spec?.required === true ? "yes" : "no";
    const description = escapeCell(spec?.description ?? "");
    if (kind === "secrets") return [code(name), required, description];
    const def = spec?.default === undefined || spec.default === "" ? "" : code(String(spec.default));
    return [code(name), required, def, description];
  });
  return table(header, rows);
}

/** Rewrites every marked block of one markdown text; `read` loads the YAML a marker names. */
export function fillTables(markdown: string, read: (path: string) => string): string {
  return markdown.replace(BLOCK, (_all, open: string, kind: "inputs" | "outputs" | "secrets", path: string, close: string) => {
    return `${open}\n${renderTable(kind, read(path), path)}\n${close}`;
  });
}
