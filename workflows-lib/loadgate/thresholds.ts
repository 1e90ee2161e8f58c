/**
 * The thresholds file: k6's `options.thresholds` object as JSON. Each key is a metric or submetric; each value
 * is a list of expressions, either strings or `{threshold, abortOnFail, delayAbortEval}` (a single string or
 * object is accepted in place of a one-item list). Every problem is an InputError naming the threshold.
 */
import { InputError } from "../errors.ts";
import { ExpressionError, parseThresholdExpression, type ThresholdExpression } from "./expression.ts";
import { parseDuration } from "./duration.ts";
import { MetricNameError, metricKey, parseMetricName, type MetricName } from "./metric-name.ts";

export interface ThresholdSpec {
  /** The key as written, e.g. `http_req_duration{status:200}`. */
  metric: string;
  /** Canonical (sub)metric key. */
  key: string;
  name: MetricName;
  expression: ThresholdExpression;
  abortOnFail: boolean;
  /** k6 duration string (e.g. "10s") before an abortOnFail threshold may abort the run. */
  delayAbortEval?: string;
  /** Where the threshold sits in the file, for messages: `thresholds["http_req_duration"][0]`. */
  where: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
export function parseThresholds(raw: unknown, inputName = "thresholds"): ThresholdSpec[] {
  if (!isRecord(raw)) {
    throw new InputError(inputName, 'an object of k6 thresholds, e.g. {"http_req_duration": ["p(95)<200"]}');
  }
  const specs: ThresholdSpec[] = [];
  for (const [metric, value] of Object.entries(raw)) {
    const at = `${inputName}["${metric}"]`;
    let name: MetricName;
    try {
      name = parseMetricName(metric);
    } catch (error) {
      if (error instanceof MetricNameError) throw new InputError(at, "a metric name, optionally with {tag:value,…}", error.message);
      throw error;
    }
    const items = Array.isArray(value) ? value : [value];
    if (items.length === 0) throw new InputError(at, "at least one threshold expression");
    items.forEach((item, i) => {
      const where = Array.isArray(value) ? `${at}[${i}]` : at;
      let source: string;
      let abortOnFail = false;
      let delayAbortEval: string | undefined;
      if (typeof item === "string") {
        source = item;
      } else if (isRecord(item)) {
        if (typeof item.threshold !== "string") throw new InputError(`${where}.threshold`, "a threshold expression string");
        source = item.threshold;
        for (const key of Object.keys(item)) {
          if (!["threshold", "abortOnFail", "delayAbortEval"].includes(key)) {
            throw new InputError(`${where}.${key}`, "only threshold, abortOnFail, delayAbortEval");
          }
        }
        if (item.abortOnFail !== undefined) {
          if (typeof item.abortOnFail !== "boolean") throw new InputError(`${where}.abortOnFail`, "a boolean");
          abortOnFail = item.abortOnFail;
        }
        if (item.delayAbortEval !== undefined) {
          if (typeof item.delayAbortEval !== "string" || parseDuration(item.delayAbortEval) === undefined) {
            throw new InputError(`${where}.delayAbortEval`, 'a k6 duration such as "10s" or "1m30s"');
          }
          delayAbortEval = item.delayAbortEval;
        }
      } else {
        throw new InputError(where, "a threshold expression string or {threshold, abortOnFail, delayAbortEval}");
      }
      let expression: ThresholdExpression;
      try {
        expression = parseThresholdExpression(source);
      } catch (error) {
        if (error instanceof ExpressionError) {
          throw new InputError(`${where} (${metric}: ${source})`, "a k6 threshold expression such as p(95)<200", error.message);
        }
        throw error;
      }
      const spec: ThresholdSpec = { metric, key: metricKey(name), name, expression, abortOnFail, where };
      if (delayAbortEval !== undefined) spec.delayAbortEval = delayAbortEval;
      specs.push(spec);
    });
  }
  if (specs.length === 0) throw new InputError(inputName, "at least one threshold");
  return specs;
}
