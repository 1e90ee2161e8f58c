/**
 * Conftest's conventions, so policies written for conftest work unchanged: in every namespace (package),
 * rules named `deny`, `violation` or `warn` — alone or with a suffix, `deny_no_latest` — are the findings;
 * `deny`/`violation` fail the gate, `warn` only reports. A result is a string (the message) or an object
 * with `msg`. `exception contains ["no_latest"]` in the same namespace turns `deny_no_latest`/`violation_no_latest`
 * off and reports it as excepted.
 */

export type FindingLevel = "deny" | "warn";

export interface Finding {
  /** The policy file that defines the rule, relative to the repository (library files: `library/<id>.rego`). */
  policy: string;
  /** Rule name, e.g. `deny` or `deny_preview_binding`. */
  rule: string;
  level: FindingLevel;
  message: string;
  /** Rego package, e.g. `main` or `alchkit.library.stage_isolation`. */
  namespace: string;
  /** Line of the rule's first definition in `policy`. */
  line?: number;
  /** Everything else a result object carried besides `msg` (conftest's metadata). */
  details?: Record<string, unknown>;
}

const RULE = /^(deny|violation|warn)(_[A-Za-z0-9_]+)?$/;

/** The level of a rule name, or undefined when it is not a finding rule. */
export function ruleLevel(name: string): FindingLevel | undefined {
  const match = RULE.exec(name);
  if (!match) return undefined;
  return match[1] === "warn" ? "warn" : "deny";
}

/** `deny_no_latest` → `no_latest` (the name exceptions use); `deny` → undefined (bare rules cannot be excepted). */
export function exceptionName(rule: string): string | undefined {
  const match = RULE.exec(rule);
  return match?.[2] ? match[2].slice(1) : undefined;
}

/** A Rego reference to `data.<package>.<rule>` that survives any package segment. */
export function dataRef(packagePath: string[], rule: string): string {
  return `data${packagePath.map((segment) => `[${JSON.stringify(segment)}]`).join("")}.${rule}`;
}

/** Message and extra fields of one result value. */
export function readResult(value: unknown): { message: string; details?: Record<string, unknown> } {
  if (typeof value === "string") return { message: value };
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const { msg, ...rest } = value as Record<string, unknown>;
    const details = Object.keys(rest).length > 0 ? rest : undefined;
    return { message: typeof msg === "string" ? msg : JSON.stringify(value), ...(details ? { details } : {}) };
  }
  return { message: JSON.stringify(value) };
}

/** Denials first, then by policy file, rule and message: the same facts always list the same way. */
export function sortFindings(findings: Finding[]): Finding[] {
  const rank = (f: Finding) => (f.level === "deny" ? 0 : 1);
  return [...findings].sort(
    (a, b) => rank(a) - rank(b) || a.policy.localeCompare(b.policy) || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message),
  );
}
