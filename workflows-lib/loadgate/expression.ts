/**
 * k6 threshold expressions, parsed exactly as k6 parses them (metrics/thresholds_parser.go):
 *
 *   assertion  -> method whitespace* operator whitespace* float
 *   method     -> value | count | rate | avg | min | med | max | p(float)
 *   operator   -> <= | < | >= | > | === | == | !=
 *
 * k6 scans for the operators in that order and splits on the first occurrence of the first one found, then
 * trims both sides; the number follows Go's strconv.ParseFloat. We add one check k6 leaves implicit:
 * a percentile must lie in [0, 100].
 */

export type AggregationMethod = "value" | "count" | "rate" | "avg" | "min" | "med" | "max" | "p";
export type Operator = "<=" | "<" | ">=" | ">" | "===" | "==" | "!=";
export type MetricType = "counter" | "gauge" | "rate" | "trend";

export interface ThresholdExpression {
  /** The expression as written. */
  source: string;
  method: AggregationMethod;
  /** The percentile for `p(N)`, e.g. 99.9 for `p(99.90)`. */
  percentile?: number;
  operator: Operator;
  value: number;
}

/** Scan order matters: longer tokens sharing characters with shorter ones come first (as in k6). */
const OPERATORS: readonly Operator[] = ["<=", "<", ">=", ">", "===", "==", "!="];
const KEYWORDS: readonly AggregationMethod[] = ["value", "count", "rate", "avg", "min", "med", "max"];

/** Aggregation methods each metric type supports (k6's MetricType.supportedAggregationMethods). */
export const METHODS_BY_TYPE: Record<MetricType, readonly AggregationMethod[]> = {
  counter: ["count", "rate"],
  gauge: ["value"],
  rate: ["rate"],
  trend: ["avg", "min", "med", "max", "p"],
};

export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExpressionError";
  }
}

/** Go's unicode.IsSpace set (JS `\s` differs: it includes U+FEFF and lacks U+0085). */
const GO_SPACE = "[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const GO_TRIM = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, "g");

/** Go's strings.TrimSpace. */
function goTrimSpace(text: string): string {
  return text.replace(GO_TRIM, "");
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]((?:_?[0-9a-fA-F])*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?\d+)$/;
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Go's strconv.ParseFloat(s, 64) for the inputs it accepts: decimal with optional exponent, hexadecimal
 * with a binary exponent (underscores allowed only with the 0x prefix), Inf/Infinity/NaN with a sign.
 * Returns undefined when Go would return an error (also for values out of float64 range).
 */
export function parseGoFloat(text: string): number | undefined {
  if (DECIMAL.test(text)) {
    const n = Number(text);
    return Number.isFinite(n) ? n : undefined;
  }
  const special = SPECIAL.exec(text);
  if (special) {
    if (special[2]!.toLowerCase() === "nan") return NaN;
    return special[1] === "-" ? -Infinity : Infinity;
  }
  const hex = HEX.exec(text);
  if (hex) {
    const [, sign, intPart = "", fracPart = "", exp] = hex;
    const intDigits = intPart.replace(/_/g, "");
    const fracDigits = fracPart.replace(/_/g, "");
    if (intDigits === "" && fracDigits === "") return undefined;
    if (/__|_$/.test(intPart) || fracPart.startsWith("_") || /__|_$/.test(fracPart)) return undefined;
    const mantissa = Number.parseInt(intDigits + fracDigits || "0", 16);
    const n = mantissa * 2 ** (Number(exp) - 4 * fracDigits.length);
    if (!Number.isFinite(n)) return undefined;
    return sign === "-" ? -n : n;
  }
  return undefined;
}

/** Parses `p(95) < 200`-style expressions. Throws ExpressionError saying what is wrong. */
export function parseThresholdExpression(source: string): ThresholdExpression {
  let split: { lhs: string; operator: Operator; rhs: string } | undefined;
  for (const op of OPERATORS) {
    const at = source.indexOf(op);
    if (at !== -1) {
      split = { lhs: goTrimSpace(source.slice(0, at)), operator: op, rhs: goTrimSpace(source.slice(at + op.length)) };
      break;
    }
  }
  if (!split) {
    throw new ExpressionError(`malformed threshold expression "${source}": expected "method operator number" with an operator among ${OPERATORS.join(" ")}`);
  }
  const { lhs, operator, rhs } = split;

  let method: AggregationMethod | undefined = KEYWORDS.find((k) => k === lhs);
  let percentile: number | undefined;
  if (!method) {
    if (lhs.startsWith("p(") && lhs.endsWith(")") && lhs.length >= 3) {
      const inner = lhs.slice(2, -1);
      const p = parseGoFloat(inner);
      if (p === undefined || Number.isNaN(p)) {
        throw new ExpressionError(`malformed percentile "${lhs}" in "${source}": expected p(N) with a number N`);
      }
      if (p < 0 || p > 100) {
        throw new ExpressionError(`percentile "${lhs}" in "${source}" is out of range: expected 0 ≤ N ≤ 100`);
      }
      method = "p";
      percentile = p;
    } else {
      throw new ExpressionError(`unknown aggregation method "${lhs}" in "${source}": expected one of ${KEYWORDS.join(", ")}, p(N)`);
    }
  }

  const value = parseGoFloat(rhs);
  if (value === undefined) {
    throw new ExpressionError(`malformed right-hand side "${rhs}" in "${source}": expected a number`);
  }
  return percentile === undefined ? { source, method, operator, value } : { source, method, percentile, operator, value };
}

/**
 * Names a percentile in its shortest form, as k6 keys its sinks: 99.90 → "p(99.9)", 95.0 → "p(95)".
 * Lookups in a summary compare percentiles numerically, so this is for display and output keys.
 */
export function percentileKey(percentile: number): string {
  return `p(${String(percentile)})`;
}

/** The statistic key an expression reads: "p(99.9)", "avg", "rate", … */
export function statisticKey(expr: ThresholdExpression): string {
  return expr.method === "p" ? percentileKey(expr.percentile!) : expr.method;
}

/** Applies the operator exactly as k6 does (`==` and `===` are the same on float64). NaN fails all but `!=`. */
export function compare(lhs: number, operator: Operator, rhs: number): boolean {
  switch (operator) {
    case ">": return lhs > rhs;
    case ">=": return lhs >= rhs;
    case "<=": return lhs <= rhs;
    case "<": return lhs < rhs;
    case "==":
    case "===": return lhs === rhs;
    case "!=": return lhs !== rhs;
  }
}

/** Throws ExpressionError when the metric type does not support the expression's method. */
export function checkMethodForType(expr: ThresholdExpression, type: MetricType): void {
  const allowed = METHODS_BY_TYPE[type];
  if (!allowed.includes(expr.method)) {
    const shown = expr.method === "p" ? "p(N)" : expr.method;
    throw new ExpressionError(
      `unsupported aggregation method ${shown} on a metric of type ${type}; supported: ${allowed.map((m) => (m === "p" ? "p(N)" : m)).join(", ")}`,
    );
  }
}
