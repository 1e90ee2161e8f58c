/**
 * GitHub workflow commands written to stdout (`::error file=…,line=…::message`), which the runner turns into
 * annotations. Escaping follows the runner: `%`, CR and LF in data; also `:` and `,` in properties.
 */
export type AnnotationLevel = "error" | "warning" | "notice";

export function escapeCommandData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export interface AnnotationProperties {
  title?: string;
  file?: string;
  line?: number;
  col?: number;
  endLine?: number;
  endColumn?: number;
}

/** One annotation line (without the trailing newline); properties in the runner's order, absent ones left out. */
export function annotationCommand(level: AnnotationLevel, message: string, properties: AnnotationProperties = {}): string {
  const props = (["file", "line", "col", "endLine", "endColumn", "title"] as const)
    .filter((key) => properties[key] !== undefined)
    .map((key) => `${key}=${escapeCommandProperty(String(properties[key]))}`);
  return `::${level}${props.length > 0 ? ` ${props.join(",")}` : ""}::${escapeCommandData(message)}`;
}
