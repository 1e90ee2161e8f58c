/**
 * Metric names with optional submetric selectors, `http_req_duration{status:200,method:GET}`, parsed as k6
 * parses them (metrics/metric.go ParseMetricName + AddSubmetric): the selector must close at the end of the
 * name, every `key:value` needs a non-empty value; keys and values are trimmed and lose surrounding quotes.
 * Two selectors with the same tags in another order name the same submetric.
 */

export interface MetricName {
  /** The parent metric, e.g. `http_req_duration`. */
  metric: string;
  /** Tags of the submetric, sorted by key; empty for the metric itself. */
  tags: Array<[string, string]>;
}

export class MetricNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MetricNameError";
  }
}

const stripQuotes = (s: string): string => s.trim().replace(/^["']+|["']+$/g, "");

export function parseMetricName(name: string): MetricName {
  const open = name.indexOf("{");
  const close = name.lastIndexOf("}");
  if (open === -1 && close === -1) return { metric: name, tags: [] };
  if (open === -1 || close === -1) {
    throw new MetricNameError(`metric "${name}" has an unmatched opening/closing curly brace`);
  }
  if (close < open) throw new MetricNameError(`metric "${name}": the closing curly brace comes before the opening one`);
  if (close !== name.length - 1) throw new MetricNameError(`metric "${name}" must end with its closing curly brace`);
  const inner = name.slice(open + 1, close);
  if (inner.trim() === "") throw new MetricNameError(`metric "${name}": submetric criteria cannot be empty`);
  const tags = new Map<string, string>();
  for (const part of inner.split(",")) {
    const at = part.indexOf(":");
    if (at === -1 || part.slice(at + 1) === "") {
      throw new MetricNameError(`metric "${name}": tag expression "${part}" is malformed, expected key:value`);
    }
    tags.set(stripQuotes(part.slice(0, at)), stripQuotes(part.slice(at + 1)));
  }
  return { metric: name.slice(0, open), tags: [...tags].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
}

/** A canonical key: the same for every spelling of one (sub)metric. */
export function metricKey(name: MetricName): string {
  if (name.tags.length === 0) return name.metric;
  return `${name.metric}{${name.tags.map(([k, v]) => `${k}:${v}`).join(",")}}`;
}

/** Canonical key of a name as written, or undefined when it does not parse (e.g. a summary's odd key). */
export function tryMetricKey(name: string): string | undefined {
  try {
    return metricKey(parseMetricName(name));
  } catch {
    return undefined;
  }
}
