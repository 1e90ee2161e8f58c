import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document, Node } from "yaml";
import { InputError } from "../errors.ts";

export type SpecFormat = "json" | "yaml";

/** 1-based line and column in the text the user wrote. */
export interface SourceLocation {
  line: number;
  column: number;
}

export interface ParsedText {
  value: unknown;
  format: SpecFormat;
  /** Where a JSON pointer's value sits in the text, when it exists. Computed on demand (errors are rare). */
  locate(segments: readonly string[]): SourceLocation | undefined;
}

/** `name:line:column`, the form editors and GitHub annotations understand. */
export function formatLocation(name: string, location: SourceLocation | undefined): string {
  return location ? `${name}:${location.line}:${location.column}` : name;
}

/** JSON or YAML from a file name; undefined when the name does not say. */
export function formatFromName(name: string): SpecFormat | undefined {
  if (/\.json$/i.test(name)) return "json";
  if (/\.ya?ml$/i.test(name)) return "yaml";
  return undefined;
}

function sniffFormat(text: string): SpecFormat {
  return /^\s*[{[]/.test(text) ? "json" : "yaml";
}

/**
 * Parses an OpenAPI description written as JSON or YAML. `name` is how errors refer to the input (a file
 * path, a URL, "stdout of <command>"). A syntax error is an InputError carrying line and column.
 */
export function parseSpecText(text: string, name: string, format: SpecFormat = sniffFormat(text)): ParsedText {
  if (format === "json") {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const at = / at position (\d+)/.exec(message);
      const location = at ? offsetToLocation(text, Number(at[1])) : undefined;
      const reason = message.replace(/ in JSON at position \d+.*$/, "").replace(/ \(line \d+ column \d+\)$/, "");
      throw new InputError(formatLocation(name, location), "valid JSON", reason);
    }
    let yamlView: YamlView | undefined;
    return {
      value,
      format,
      // JSON is YAML 1.2, so the YAML parser gives positions for JSON too; only parsed when a location is asked.
      locate: (segments) => {
        yamlView ??= parseYamlView(text);
        return locateIn(yamlView, segments);
      },
    };
  }
  const view = parseYamlView(text);
  const first = view.doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const location = pos ? { line: pos.line, column: pos.col } : undefined;
    const reason = first.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw new InputError(formatLocation(name, location), "valid YAML", reason);
  }
  let value: unknown;
  try {
    value = view.doc.toJS({ maxAliasCount: 10_000 });
  } catch (error) {
    throw new InputError(name, "valid YAML", (error as Error).message);
  }
  return { value, format, locate: (segments) => locateIn(view, segments) };
}

interface YamlView {
  doc: Document.Parsed;
  lines: LineCounter;
}

function parseYamlView(text: string): YamlView {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  return { doc, lines };
}

function locateIn(view: YamlView, segments: readonly string[]): SourceLocation | undefined {
  let node: unknown = view.doc.contents;
  let last: Node | undefined = node as Node | undefined;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
      if (!pair) break;
      node = pair.value ?? pair.key;
      last = (pair.value ?? pair.key) as Node;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) break;
      node = item;
      last = item as Node;
    } else {
      break;
    }
  }
  const offset = last?.range?.[0];
  if (offset === undefined) return undefined;
  const pos = view.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function offsetToLocation(text: string, offset: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
