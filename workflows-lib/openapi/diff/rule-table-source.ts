// Builds the source of rules.ts (the committed rule table) from oasdiff's rule ids and levels, as
// `oasdiff checks changelog --format json` lists them (levels "error" / "warning" / "info"; the short
// ERR / WARN / INFO of oasdiff's test data are accepted too). Kept apart from the generator script so the
// drift test can rebuild the table in memory and compare.

/** The oasdiff release the rule table follows (the version `.ci/install-tools` builds). */
export const OASDIFF_VERSION = "v1.37.0";

const LEVEL: Record<string, "error" | "warning" | "info"> = {
  ERR: "error", WARN: "warning", INFO: "info", error: "error", warning: "warning", info: "info",
};

// Trailing words of a rule id that say how the thing changed; the rest of the id names the check.
const CHANGE_SUFFIX =
  /-(added|removed|deleted|changed|increased|decreased|set|unset|generalized|specialized|compatible|widened|narrowed)(-annotation-only)?$/;

const WORDS: Record<string, string> = {
  api: "API", max: "maximum", min: "minimum", id: "ID", url: "URL", oauth: "OAuth", mediatype: "media type",
};

const DESCRIPTIONS: Record<string, string> = {
  "api-invalid-stability-level": "Endpoint has an invalid x-stability-level",
  "api-major-version-not-bumped": "Breaking changes without a major version bump of info.version",
  "api-version-not-bumped": "Breaking changes without a change of info.version",
  "sunset-deleted": "Endpoint sunset date removed",
  "new-required-request-default-parameter-to-existing-path": "New required path-level request parameter on an existing path",
  "new-optional-request-default-parameter-to-existing-path": "New optional path-level request parameter on an existing path",
};

// Id endings that read badly word by word.
const PHRASES: ReadonlyArray<readonly [RegExp, string]> = [
  [/-deprecated-sunset-missing$/, " deprecated without a sunset date"],
  [/-deprecated-sunset-(parse|invalid)$/, " deprecated with a sunset date that cannot be parsed"],
  [/-sunset-date-changed-too-small$/, " sunset date moved earlier than the deprecation policy allows"],
  [/-sunset-date-too-small$/, " sunset date is sooner than the deprecation policy allows"],
  [/-sunset-parse$/, " removed, but its sunset date cannot be parsed"],
  [/-annotation-only$/, " (annotations only)"],
];

/** "request-property-max-length-decreased" → "Request property maximum length decreased". */
export function describeRuleId(id: string): string {
  const fixed = DESCRIPTIONS[id];
  if (fixed) return fixed;
  let tail = "";
  let head = id;
  for (const [pattern, phrase] of PHRASES) {
    if (pattern.test(head)) {
      head = head.replace(pattern, "");
      tail = phrase;
      break;
    }
  }
  const text = head
    .replace(/\ball-of\b/g, "allOf")
    .replace(/\bany-of\b/g, "anyOf")
    .replace(/\bone-of\b/g, "oneOf")
    .replace(/\bx-extensible-enum\b/g, "x_extensible_enum")
    .replace(/\bread-only\b/g, "read_only")
    .replace(/\bwrite-only\b/g, "write_only")
    .replace(/\boperation-id\b/g, "operationId")
    .replace(/\bnon-success\b/g, "non_success")
    .split("-")
    .map((word) => WORDS[word] ?? word)
    .join(" ")
    .replaceAll("x_extensible_enum", "x-extensible-enum")
    .replaceAll("read_only", "read-only")
    .replaceAll("write_only", "write-only")
    .replaceAll("non_success", "non-success") + tail;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The check a rule belongs to: body- and property-level rules of one keyword share a check. */
export function checkOfRuleId(id: string): string {
  let family: string;
  if (/deprecat|reactivated|sunset|stability/.test(id) && !/^api-(path-)?removed-(with|without)-deprecation$/.test(id)) {
    const subject = /^(request-property|response-property|request-parameter)-/.exec(id)?.[1] ?? "api";
    family = `${subject}-${/stability/.test(id) ? "stability" : "deprecation"}`;
  } else if (/^api-(path-)?removed-/.test(id)) {
    family = "api-removed";
  } else {
    family = id
      .replace(/^request-(body|read-only-property)-/, "request-property-")
      .replace(/^response-(body|write-only-property|mediatype)-/, "response-property-")
      .replace(/^(request|response)-(optional|required)-(write-only-)?property-became-(not-)?/, "$1-property-")
      .replace(/-became-(not-)?/, "-")
      .replace(CHANGE_SUFFIX, "");
  }
  return family.split("-").map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join("") + "Check";
}

/** One rule as oasdiff lists it (`oasdiff checks changelog --format json`); only these fields are kept. */
export interface ListedRule {
  id: string;
  level: string;
  direction?: string;
  kind?: string;
  effect?: string;
  guards?: string[];
}

const DIRECTIONS = new Set(["request", "response", "none"]);
const EFFECTS = new Set(["none", "widens", "narrows", "incomparable", "unknown", "violation"]);

export function buildRuleTableSource(rules: readonly ListedRule[]): string {
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const lines = sorted.map((rule) => {
    const level = LEVEL[rule.level];
    if (!level) throw new Error(`rule ${rule.id}: unknown level ${rule.level}`);
    const direction = rule.direction ?? "none";
    const effect = rule.effect ?? "none";
    if (!DIRECTIONS.has(direction)) throw new Error(`rule ${rule.id}: unknown direction ${direction}`);
    if (!EFFECTS.has(effect)) throw new Error(`rule ${rule.id}: unknown effect ${effect}`);
    const fields = [
      `level: ${JSON.stringify(level)}`,
      `check: ${JSON.stringify(checkOfRuleId(rule.id))}`,
      `description: ${JSON.stringify(describeRuleId(rule.id))}`,
      `direction: ${JSON.stringify(direction)}`,
      `kind: ${JSON.stringify(rule.kind ?? "none")}`,
      `effect: ${JSON.stringify(effect)}`,
      ...(rule.guards && rule.guards.length > 0 ? [`guards: ${JSON.stringify(rule.guards)}`] : []),
    ];
    return `  ${JSON.stringify(rule.id)}: { ${fields.join(", ")} },`;
  });
  return [
    `// Generated by scripts/openapi-rule-table.ts from the rules of oasdiff ${OASDIFF_VERSION}. Do not edit by hand.`,
    "// A test fails when this table and oasdiff's own listing (`oasdiff checks changelog`) disagree.",
    "",
    "export type RuleLevel = \"error\" | \"warning\" | \"info\";",
    "/** Whose data the rule is about: what a client sends, what it receives, or neither. */",
    "export type RuleDirection = \"request\" | \"response\" | \"none\";",
    "/** What the change does to the set of accepted values, from which oasdiff derives the level. */",
    "export type RuleEffect = \"none\" | \"widens\" | \"narrows\" | \"incomparable\" | \"unknown\" | \"violation\";",
    "",
    "export interface RuleInfo {",
    "  level: RuleLevel;",
    "  /** The group of rules one comparison produces (body and property variants share one). */",
    "  check: string;",
    "  /** What the rule reports, in one line; the change's text adds what and where. */",
    "  description: string;",
    "  direction: RuleDirection;",
    "  /** existence, requiredness, mutability, type, constraints, values, structure or lifecycle. */",
    "  kind: string;",
    "  effect: RuleEffect;",
    "  /** Document states the rule requires (read-only, write-only, sanctioned, non-success, …). */",
    "  guards?: readonly string[];",
    "}",
    "",
    `export const RULES: Readonly<Record<string, RuleInfo>> = {`,
    ...lines,
    "};",
    "",
  ].join("\n");
}
