// Evaluates GitHub Actions expressions of the kit's workflow files with GitHub's own evaluator
// (@actions/expressions), against the contexts a run would have: a job's `if:` is decided exactly as GitHub
// decides it, without running anything.
import { Evaluator, Lexer, Parser, data } from "@actions/expressions";

export type Contexts = Record<string, unknown>;

function toData(value: unknown): data.ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;
}

/** Evaluates one expression (without `${{ }}`) and returns it as JSON. */
export function evaluate(expression: string, contexts: Contexts): unknown {
  const lexed = new Lexer(expression).lex();
  const expr = new Parser(lexed.tokens, Object.keys(contexts), []).parse();
  const scope = new data.Dictionary(...Object.entries(contexts).map(([key, value]) => ({ key, value: toData(value) })));
  const result = new Evaluator(expr, scope).evaluate();
  return JSON.parse(JSON.stringify(result, data.replacer)) as unknown;
}

/** A job's or step's `if:`: with or without `${{ }}`, coerced to a boolean like GitHub does. */
export function condition(text: string | boolean | undefined, contexts: Contexts): boolean {
  if (text === undefined) return true;
  if (typeof text === "boolean") return text;
  const inner = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text)?.[1] ?? text;
  return truthy(evaluate(inner, contexts));
}

/** A value with `${{ }}` parts, interpolated like GitHub does (a whole-value expression keeps its type). */
export function interpolate(text: string, contexts: Contexts): unknown {
  const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(text);
  if (whole && !whole[1]!.includes("}}")) return evaluate(whole[1]!, contexts);
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_m, inner: string) => asString(evaluate(inner, contexts)));
}

function truthy(value: unknown): boolean {
  return !(value === null || value === false || value === 0 || value === "" || Number.isNaN(value));
}

function asString(value: unknown): string {
  if (value === null) return "";
  return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
}
