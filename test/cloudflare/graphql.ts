// `POST /client/v4/graphql`: Cloudflare's GraphQL Analytics API, the part that reports Worker invocations per
// script version — `viewer.accounts(filter: {accountTag}).workersInvocationsAdaptive(limit, filter, orderBy)`
// with `sum { requests errors subrequests }` and `dimensions { scriptName scriptVersion datetime status }`,
// computed from what the edge answered. `errors` counts answers with a 5xx status (Cloudflare counts
// invocations that did not succeed: an uncaught exception is a 500 here too). Unknown fields and syntax
// errors answer like Cloudflare's GraphQL (HTTP 200, `errors`) and are violations.
import { GraphQLError, parse, type Field, type Selection, type Value } from "../github/graphql.ts";
import type { Handler, HandlerContext } from "./api-server.ts";
import type { EdgeRecord } from "./edge.ts";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const SUM_FIELDS = ["requests", "errors", "subrequests"] as const;
const DIMENSIONS = ["scriptName", "scriptVersion", "datetime", "datetimeMinute", "datetimeHour", "status"] as const;
const FILTERS = new Set(["scriptName", "scriptName_in", "scriptVersion", "scriptVersion_in", "datetime_geq", "datetime_leq", "datetime_gt", "datetime_lt", "status"]);

export const answerGraphql: Handler = (ctx) => {
  const body = (ctx.body ?? {}) as { query?: unknown; variables?: unknown };
  const respond = (payload: Json) => ({ raw: JSON.stringify(payload), contentType: "application/json" });
  if (typeof body.query !== "string") {
    ctx.violation("GraphQL request without a `query` string");
    return respond({ data: null, errors: [{ message: "must provide query string", path: null, extensions: { code: "bad_request" } }] });
  }
  const variables = (body.variables && typeof body.variables === "object" ? body.variables : {}) as Record<string, Json>;
  try {
    const document = parse(body.query);
    if (document.operation !== "query") throw new GraphQLError("Only queries are served by the analytics API");
    return respond({ data: selectRoot(document.selections, ctx, variables), errors: null });
  } catch (error) {
    ctx.violation(`GraphQL: ${(error as Error).message}`);
    return respond({ data: null, errors: [{ message: (error as Error).message, path: null, extensions: { code: "bad_request", timestamp: new Date().toISOString() } }] });
  }
};

function fields(selections: Selection[], where: string): Field[] {
  return selections.map((s) => {
    if (s.kind !== "field") throw new GraphQLError(`fragments are not supported in ${where}`);
    return s.field;
  });
}

function selectRoot(selections: Selection[], ctx: HandlerContext, variables: Record<string, Json>): Json {
  const out: Record<string, Json> = {};
  for (const field of fields(selections, "Query")) {
    if (field.name !== "viewer") throw new GraphQLError(`unknown field "${field.name}" on type "Query"`);
    const viewer: Record<string, Json> = {};
    for (const sub of fields(field.selections, "viewer")) {
      if (sub.name !== "accounts") throw new GraphQLError(`unknown field "${sub.name}" on type "viewer"`);
      const filter = resolve(sub.args.filter, variables) as Record<string, Json> | null;
      const tag = filter?.accountTag;
      if (typeof tag !== "string") throw new GraphQLError("accounts needs filter: {accountTag}");
      viewer[sub.alias] = tag === ctx.account.id ? [selectAccount(sub.selections, ctx, variables)] : [];
    }
    out[field.alias] = viewer;
  }
  return out;
}

function selectAccount(selections: Selection[], ctx: HandlerContext, variables: Record<string, Json>): Json {
  const out: Record<string, Json> = {};
  for (const field of fields(selections, "account")) {
    if (field.name !== "workersInvocationsAdaptive") throw new GraphQLError(`unknown field "${field.name}" on type "account"`);
    out[field.alias] = invocations(field, ctx.edge.log, variables);
  }
  return out;
}

function invocations(field: Field, log: readonly EdgeRecord[], variables: Record<string, Json>): Json {
  const limit = resolve(field.args.limit, variables);
  if (typeof limit !== "number" || limit < 1 || limit > 10000) throw new GraphQLError("workersInvocationsAdaptive needs limit between 1 and 10000");
  const filter = (resolve(field.args.filter, variables) ?? {}) as Record<string, Json>;
  for (const key of Object.keys(filter)) if (!FILTERS.has(key)) throw new GraphQLError(`unknown filter "${key}" for workersInvocationsAdaptive`);
  const selected = fields(field.selections, "workersInvocationsAdaptive");
  const dimensionField = selected.find((f) => f.name === "dimensions");
  const dims = dimensionField ? fields(dimensionField.selections, "dimensions") : [];
  for (const d of dims) if (!(DIMENSIONS as readonly string[]).includes(d.name)) throw new GraphQLError(`unknown field "${d.name}" on type "dimensions"`);
  for (const f of selected) {
    if (f.name === "sum") for (const s of fields(f.selections, "sum")) if (!(SUM_FIELDS as readonly string[]).includes(s.name)) throw new GraphQLError(`unknown field "${s.name}" on type "sum"`);
    if (!["sum", "dimensions", "quantiles"].includes(f.name)) throw new GraphQLError(`unknown field "${f.name}" on type "workersInvocationsAdaptive"`);
  }
  const time = (key: string) => (typeof filter[key] === "string" ? Date.parse(filter[key] as string) : undefined);
  const [geq, leq, gt, lt] = [time("datetime_geq"), time("datetime_leq"), time("datetime_gt"), time("datetime_lt")];
  const rows = log.filter((r) => {
    if (!r.script || !r.versionId) return false;
    if (filter.scriptName !== undefined && r.script !== filter.scriptName) return false;
    if (Array.isArray(filter.scriptName_in) && !filter.scriptName_in.includes(r.script)) return false;
    if (filter.scriptVersion !== undefined && r.versionId !== filter.scriptVersion) return false;
    if (Array.isArray(filter.scriptVersion_in) && !filter.scriptVersion_in.includes(r.versionId)) return false;
    if (filter.status !== undefined && statusOf(r) !== filter.status) return false;
    if (geq !== undefined && r.at < geq) return false;
    if (leq !== undefined && r.at > leq) return false;
    if (gt !== undefined && r.at <= gt) return false;
    if (lt !== undefined && r.at >= lt) return false;
    return true;
  });
  const groups = new Map<string, { dims: Record<string, Json>; requests: number; errors: number }>();
  for (const r of rows) {
    const values: Record<string, Json> = {};
    for (const d of dims) values[d.alias] = dimension(d.name, r);
    const key = JSON.stringify(values);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { dims: values, requests: 0, errors: 0 }));
    group.requests += 1;
    if (r.status >= 500) group.errors += 1;
  }
  return [...groups.values()].slice(0, limit).map((g) => {
    const item: Record<string, Json> = {};
    for (const f of selected) {
      if (f.name === "dimensions") item[f.alias] = g.dims;
      else if (f.name === "sum") {
        const sum: Record<string, Json> = {};
        for (const s of fields(f.selections, "sum")) sum[s.alias] = s.name === "requests" ? g.requests : s.name === "errors" ? g.errors : 0;
        item[f.alias] = sum;
      } else item[f.alias] = {};
    }
    return item;
  });
}

function statusOf(r: EdgeRecord): string {
  return r.status >= 500 ? "scriptThrewException" : "success";
}

function dimension(name: string, r: EdgeRecord): Json {
  const iso = new Date(r.at).toISOString();
  switch (name) {
    case "scriptName":
      return r.script ?? null;
    case "scriptVersion":
      return r.versionId ?? null;
    case "datetime":
      return iso.replace(/\.\d{3}Z$/, "Z");
    case "datetimeMinute":
      return `${iso.slice(0, 16)}:00Z`;
    case "datetimeHour":
      return `${iso.slice(0, 13)}:00:00Z`;
    case "status":
      return statusOf(r);
  }
  return null;
}

function resolve(value: Value | undefined, variables: Record<string, Json>): Json {
  if (!value) return null;
  switch (value.kind) {
    case "var":
      if (!(value.name in variables)) throw new GraphQLError(`Variable $${value.name} is used but not provided`);
      return variables[value.name] ?? null;
    case "enum":
      return value.value;
    case "literal":
      return value.value as Json;
    case "list":
      return value.items.map((item) => resolve(item, variables));
    case "object":
      return Object.fromEntries(Object.entries(value.fields).map(([k, v]) => [k, resolve(v, variables)]));
  }
}
