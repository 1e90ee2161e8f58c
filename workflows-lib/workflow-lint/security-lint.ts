import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode, LineCounter, type Document } from "yaml";

/**
 * The security rules every workflow and composite action of the kit, and everything `alchkit init` writes,
 * must pass. Pure: YAML text in, findings out.
 */
export interface Finding {
  file: string;
  line: number;
  rule: "permissions" | "pinning" | "script-injection" | "yaml";
  message: string;
}

/** Contexts an attacker controls (PR titles, branch names, bodies) or a caller passes: never inline in scripts. */
const UNTRUSTED_IN_SCRIPT = /\$\{\{[^}]*\b(github\.event\.|github\.head_ref\b|inputs\.)[^}]*\}\}/;

/** Our own actions and reusable workflows are pinned by the release (see scripts/release.ts), not by SHA. */
const OWN = /^alchkit\/alchkit(\/|@)/;

export function lintWorkflowSecurity(file: string, text: string, kind: "workflow" | "action" = "workflow"): Finding[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) {
    return doc.errors.map((e) => ({ file, line: e.linePos?.[0]?.line ?? 1, rule: "yaml", message: e.message }));
  }
  const findings: Finding[] = [];
  const lineOf = (node: YamlNode | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 1);
  if (kind === "workflow" && !hasTopLevel(doc, "permissions")) {
    findings.push({ file, line: 1, rule: "permissions", message: "no top-level `permissions:`; declare the least the workflow needs (e.g. `contents: read`)" });
  }
  visit(doc.contents as YamlNode, (key, value) => {
    if (key === "uses" && isScalar(value) && typeof value.value === "string") {
      const problem = pinningProblem(value.value, textLine(text, lineOf(value)));
      if (problem) findings.push({ file, line: lineOf(value), rule: "pinning", message: problem });
    }
    if (key === "run" && isScalar(value) && typeof value.value === "string") {
      const m = UNTRUSTED_IN_SCRIPT.exec(value.value);
      if (m) {
        findings.push({
          file,
          line: lineOf(value),
          rule: "script-injection",
          message: `\`${m[0]}\` is expanded into a shell script; pass it through \`env:\` and use the variable instead`,
        });
      }
    }
  });
  return findings;
}

function hasTopLevel(doc: Document, key: string): boolean {
  return isMap(doc.contents) && doc.contents.items.some((pair) => isScalar(pair.key) && pair.key.value === key);
}

function visit(node: YamlNode | null | undefined, onPair: (key: string, value: YamlNode | null) => void): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      onPair(key, pair.value as YamlNode | null);
      visit(pair.value as YamlNode, onPair);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) visit(item as YamlNode, onPair);
  }
}

function textLine(text: string, line: number): string {
  return text.split("\n")[line - 1] ?? "";
}

/** A third-party action must be pinned to a full commit SHA, with the version it stands for in a comment. */
export function pinningProblem(uses: string, sourceLine: string): string | undefined {
  if (uses.startsWith("./") || uses.startsWith("docker://") || OWN.test(uses)) return undefined;
  const at = uses.lastIndexOf("@");
  if (at < 0) return `\`${uses}\` has no ref; pin it to a full commit SHA`;
  const ref = uses.slice(at + 1);
  if (!/^[0-9a-f]{40}$/.test(ref)) return `\`${uses}\` is pinned to a movable ref; pin it to a full commit SHA with a \`# vX.Y.Z\` comment`;
  if (!/#\s*v?\d+(\.\d+)*/.test(sourceLine)) return `\`${uses}\` needs a \`# vX.Y.Z\` comment naming the version of that SHA`;
  return undefined;
}
