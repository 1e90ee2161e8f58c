import { LineCounter, parseDocument } from "yaml";
import { InputError } from "../errors.ts";
import { expectation } from "../validate.ts";
import { deploymentFactsSchema, type DeploymentFacts } from "./facts-schema.ts";

/**
 * Reads a facts document someone else wrote (`--facts FILE`): invalid JSON or a document that breaks the
 * schema is one error naming the file, the line and the field.
 */
export function parseFactsText(text: string, file: string): DeploymentFacts {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const line = /\(line (\d+) column (\d+)\)/.exec((error as Error).message);
    throw new InputError(line ? `${file}:${line[1]}` : file, "deployment facts as JSON", (error as Error).message);
  }
  const result = deploymentFactsSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const pathText = issue.path.map(String).join(".");
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  // The deepest node of the path that exists (a missing field points at its parent object).
  let line: number | undefined;
  for (let depth = issue.path.length; depth >= 0 && line === undefined; depth -= 1) {
    const node = doc.getIn(issue.path.slice(0, depth) as (string | number)[], true) as { range?: [number, number, number] } | undefined;
    if (node?.range) line = lineCounter.linePos(node.range[0]).line;
  }
  const where = `${file}${line ? `:${line}` : ""}`;
  const expected = expectation(issue);
  throw new InputError(where, `deployment facts (docs/policy-facts.schema.json)`, `${pathText || "the document"}: ${expected}`);
}
