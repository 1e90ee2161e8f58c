// The GitHub stand-in: a stateful HTTP server on 127.0.0.1 that Octokit talks to through `baseUrl`
// (`GITHUB_API_URL`). Every request is matched to an operation of GitHub's OpenAPI description and
// validated against it; every response the stand-in sends is validated too. What GitHub would reject,
// and whatever the stand-in itself gets wrong, lands in `violations` — tests assert it stays empty.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Factories } from "./factories.ts";
import { Faults, routeMatches, type FaultRule, type FaultSpec } from "./faults.ts";
import { executeGraphQL } from "./graphql.ts";
import { handlers } from "./handlers.ts";
import { GitHubError, type HandlerContext, type HandlerResult } from "./http.ts";
import {
  coerceParameter,
  loadSpec,
  matchRoute,
  operationById,
  validate,
  type Json,
  type JsonObject,
  type Operation,
  type SchemaError,
} from "./openapi.ts";
import { createSeeder, type Seeder, type SeededDefaults } from "./seed.ts";
import { GitHubState, type UserRecord, type UserType } from "./state.ts";
import { scanText } from "../support/planted-secrets.ts";

export type ViolationKind = "unknown-route" | "unimplemented" | "request" | "response" | "graphql";

export interface Violation {
  kind: ViolationKind;
  method: string;
  path: string;
  operationId: string | undefined;
  status: number | undefined;
  message: string;
  errors: SchemaError[];
}

export interface Call {
  method: string;
  /** Path with query string, without the REST prefix. */
  path: string;
  operationId: string | undefined;
  status: number | undefined;
  /** The fault injected into this call, if any. */
  faulted: FaultSpec["kind"] | undefined;
  requestBody: Json | undefined;
  responseBody: Json | undefined;
}

/** GraphQL is not in the REST description; this stands for it in call logs and fault routes. */
const GRAPHQL_OPERATION: Operation = {
  operationId: "graphql",
  method: "POST",
  template: "/graphql",
  docsUrl: "https://docs.github.com/graphql",
  parameters: [],
  requestBody: undefined,
  responses: new Map(),
};

function operationOf(operationId: string | undefined): Operation | undefined {
  if (operationId === undefined) return undefined;
  return operationId === GRAPHQL_OPERATION.operationId ? GRAPHQL_OPERATION : operationById(operationId);
}

/** Array-like call log with helpers to count calls per test. */
export class CallLog implements Iterable<Call> {
  private entries: Call[] = [];

  record(call: Call): void {
    this.entries.push(call);
  }

  get length(): number {
    return this.entries.length;
  }

  get all(): readonly Call[] {
    return this.entries;
  }

  [Symbol.iterator](): Iterator<Call> {
    return this.entries[Symbol.iterator]();
  }

  filter(predicate: (call: Call) => boolean): Call[] {
    return this.entries.filter(predicate);
  }

  /** Calls of one operation (`issues/create-comment`) or route (`POST /repos/{owner}/{repo}/…`). */
  of(route: string): Call[] {
    return this.entries.filter((c) => routeMatches(route, c.method, operationOf(c.operationId)));
  }

  count(route?: string): number {
    return route === undefined ? this.entries.length : this.of(route).length;
  }

  /** Calls that were not faulted (what actually reached the handlers and got an answer). */
  get served(): Call[] {
    return this.entries.filter((c) => c.faulted === undefined || c.faulted === "latency");
  }

  last(): Call | undefined {
    return this.entries.at(-1);
  }

  reset(): void {
    this.entries = [];
  }
}

export type ResponseMutation = (body: Json | undefined, call: { operationId: string; status: number }) => Json | undefined;

export interface StandInOptions {
  /** Token clients must send (`token X` or `Bearer X`). Default: a random `ghs_…` installation-style token. */
  token?: string;
  /** The account the token belongs to; writes are attributed to it. Default: `github-actions[bot]`. */
  viewer?: { login: string; type?: UserType; id?: number };
  /** Seed of the fault RNG (default 1): same seed, same faults. */
  seed?: number;
  /** REST prefix, e.g. `/api/v3` to look like GitHub Enterprise Server (GraphQL then lives at `/api/graphql`). */
  pathPrefix?: string;
  /** Web root used in `html_url`s (default `https://github.com`). */
  htmlUrl?: string;
  /** Seed `octo/app` with PR #1 (default true). */
  defaults?: boolean;
  /** Clock for timestamps (default: real time). */
  now?: () => Date;
}

export interface GitHubStandIn {
  /** REST base URL for Octokit's `baseUrl` / `GITHUB_API_URL`. */
  url: string;
  /** GraphQL endpoint (`GITHUB_GRAPHQL_URL`). */
  graphqlUrl: string;
  token: string;
  state: GitHubState;
  calls: CallLog;
  violations: Violation[];
  faults: { add(spec: FaultSpec): FaultRule; clear(): void; reseed(seed: number): void; readonly active: readonly FaultRule[] };
  /** Rewrite what the stand-in answers (to prove response validation catches a wrong answer). */
  responseMutations: { add(route: string, mutate: ResponseMutation, times?: number): void; clear(): void };
  seed: Seeder;
  /** What `defaults: true` created: `octo/app`, PR #1 and its shas. */
  defaults: SeededDefaults | undefined;
  /**
   * Another token, acting as `login` (created as a user if new): what it writes is that account's. For a
   * commenter forging a marker, a personal access token (`type: "User"`, the default), another app's bot.
   */
  tokenFor(login: string, init?: { type?: UserType; id?: number }): string;
  /** The account a token acts as; undefined for an unknown token. */
  identityOf(token: string): UserRecord | undefined;
  /** Environment for a process that should talk to the stand-in (action harness, CLI). */
  env: Record<string, string>;
  close(): Promise<void>;
}

const DOCS_ROOT = "https://docs.github.com/rest";

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function resourceName(operation: Operation): string {
  const last = operation.operationId.split("/")[1] ?? "";
  const noun = last.replace(/^(create|update|delete|get|list|set|add|remove)-(or-update-)?/, "").replace(/-for-.*$/, "");
  return noun
    .split("-")
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("")
    .replace(/s$/, "");
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function startGitHubStandIn(options: StandInOptions = {}): Promise<GitHubStandIn> {
  loadSpec();
  const token = options.token ?? `ghs_${randomBytes(18).toString("base64url")}`;
  const prefix = (options.pathPrefix ?? "").replace(/\/$/, "");
  const graphqlPath = prefix.endsWith("/v3") ? `${prefix.slice(0, -3)}/graphql` : `${prefix}/graphql`;
  const clock = { now: options.now ?? (() => new Date()) };
  const viewer = options.viewer ?? { login: "github-actions[bot]", type: "Bot" as const, id: 41898282 };
  const state = new GitHubState(clock, { login: viewer.login, type: viewer.type ?? "User", ...(viewer.id !== undefined ? { id: viewer.id } : {}) });
  const tokens = new Map<string, UserRecord>([[token, state.viewer]]);
  const calls = new CallLog();
  const violations: Violation[] = [];
  const faults = new Faults(options.seed ?? 1);
  let mutations: { route: string; mutate: ResponseMutation; remaining: number }[] = [];
  const sockets = new Set<Socket>();
  let remaining = 5000;
  const urls = { api: "", html: (options.htmlUrl ?? "https://github.com").replace(/\/$/, "") };
  const factories = new Factories(state, urls);

  const violation = (v: Omit<Violation, "errors"> & { errors?: SchemaError[] }): void => {
    violations.push({ ...v, errors: v.errors ?? [] });
  };

  function rateHeaders(): Record<string, string> {
    remaining = remaining > 1 ? remaining - 1 : 4999;
    return {
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": String(remaining),
      "x-ratelimit-reset": String(Math.floor(clock.now().getTime() / 1000) + 3600),
      "x-ratelimit-used": String(5000 - remaining),
      "x-ratelimit-resource": "core",
    };
  }

  function send(res: ServerResponse, status: number, body: Json | undefined, headers: Record<string, string> = {}): void {
    const payload = body === undefined ? "" : JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
      "x-github-media-type": "github.v3; format=json",
      "x-github-api-version-selected": "2022-11-28",
      ...rateHeaders(),
      ...headers,
      ...(body === undefined ? {} : { "content-length": String(Buffer.byteLength(payload)) }),
    });
    res.end(payload);
  }

  function errorBody(operation: Operation | undefined, status: number, message: string, errors?: JsonObject[] | string[]): JsonObject {
    const body: JsonObject = { message, documentation_url: operation?.docsUrl ?? DOCS_ROOT, status: String(status) };
    if (errors) body.errors = errors;
    return body;
  }

  /** 422 in the shape the operation documents (`validation-error` or `validation-error-simple`). */
  function validationFailedBody(operation: Operation, errors: SchemaError[]): JsonObject {
    const documented = JSON.stringify(operation.responses.get("422") ?? {});
    if (documented.includes("validation-error-simple")) {
      return errorBody(operation, 422, "Validation Failed", errors.map((e) => e.message));
    }
    const resource = resourceName(operation);
    return errorBody(
      operation,
      422,
      "Validation Failed",
      errors.map((e) => ({
        resource,
        ...(e.field ? { field: e.field } : {}),
        code: e.keyword === "required" ? "missing_field" : "invalid",
        message: e.message,
      })),
    );
  }

  function validateRequest(
    operation: Operation,
    params: Record<string, string>,
    search: URLSearchParams,
    body: Json | undefined,
  ): { params: Record<string, Json>; query: Record<string, Json>; pathErrors: SchemaError[]; errors: SchemaError[] } {
    const coercedParams: Record<string, Json> = {};
    const query: Record<string, Json> = {};
    const pathErrors: SchemaError[] = [];
    const errors: SchemaError[] = [];
    for (const param of operation.parameters) {
      if (param.in === "path") {
        const raw = params[param.name];
        if (raw === undefined) continue;
        const value = coerceParameter(raw, param.schema);
        pathErrors.push(
          ...validate(`${operation.operationId}:path:${param.name}`, param.schema, value).map((e) => ({ ...e, field: param.name, message: `path parameter ${param.name}: ${e.message}` })));
        coercedParams[param.name] = value;
      } else if (param.in === "query") {
        const raw = search.getAll(param.name).length > 1 ? search.getAll(param.name).join(",") : search.get(param.name);
        if (raw === null) {
          if (param.required) errors.push({ path: "/", keyword: "required", message: `query parameter ${param.name} is required`, field: param.name });
          continue;
        }
        const value = coerceParameter(raw, param.schema);
        errors.push(
          ...validate(`${operation.operationId}:query:${param.name}`, param.schema, value).map((e) => ({ ...e, field: param.name, message: `query parameter ${param.name}: ${e.message}` })));
        query[param.name] = value;
      }
    }
    if (operation.requestBody?.schema) {
      // A missing body is GitHub's `{}`; it only matters when the operation requires one.
      if (body !== undefined || operation.requestBody.required) {
        errors.push(...validate(`${operation.operationId}:body`, operation.requestBody.schema, body ?? {}));
      }
    }
    return { params: coercedParams, query, pathErrors, errors };
  }

  function validateResponse(operation: Operation, method: string, path: string, status: number, body: Json | undefined): void {
    const key = String(status);
    if (!operation.responses.has(key)) {
      // GitHub documents few error statuses per operation; only an undocumented success is a defect.
      if (status < 400) {
        violation({ kind: "response", method, path, operationId: operation.operationId, status, message: `status ${status} is not documented for ${operation.operationId}` });
      }
      return;
    }
    const schema = operation.responses.get(key);
    if (!schema) {
      if (body !== undefined && status < 400) {
        violation({ kind: "response", method, path, operationId: operation.operationId, status, message: `status ${status} of ${operation.operationId} has no body, but one was sent` });
      }
      return;
    }
    const errors = validate(`${operation.operationId}:response:${key}`, schema, body ?? null);
    if (errors.length > 0) {
      violation({
        kind: "response",
        method,
        path,
        operationId: operation.operationId,
        status,
        message: `response ${status} of ${operation.operationId} does not match GitHub's schema`,
        errors,
      });
    }
  }

  function applyMutations(operation: Operation, method: string, status: number, body: Json | undefined): Json | undefined {
    let out = body;
    for (const m of mutations) {
      if (m.remaining <= 0 || !routeMatches(m.route, method, operation)) continue;
      m.remaining--;
      out = m.mutate(out === undefined ? undefined : (structuredClone(out) as Json), { operationId: operation.operationId, status });
    }
    mutations = mutations.filter((m) => m.remaining > 0);
    return out;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://stand-in");
    const raw = await readBody(req);
    let pathname = url.pathname;
    const call: Call = { method, path: "", operationId: undefined, status: undefined, faulted: undefined, requestBody: undefined, responseBody: undefined };
    const reply = (status: number, body: Json | undefined, headers?: Record<string, string>): void => {
      call.status = status;
      call.responseBody = body;
      send(res, status, body, headers);
    };
    calls.record(call);

    /** Parses a JSON body; answers 400 like GitHub (and records it) when it is not JSON. */
    const parseJson = (operation: Operation | undefined): { ok: boolean; value: Json | undefined } => {
      if (raw.length === 0) return { ok: true, value: undefined };
      try {
        const value = JSON.parse(raw.toString("utf8")) as Json;
        call.requestBody = value;
        return { ok: true, value };
      } catch {
        violation({ kind: "request", method, path: call.path, operationId: operation?.operationId, status: 400, message: "request body is not valid JSON" });
        reply(400, errorBody(operation, 400, "Problems parsing JSON"));
        return { ok: false, value: undefined };
      }
    };

    const auth = headerValue(req.headers.authorization);
    const presented = auth?.replace(/^(token|bearer)\s+/i, "");
    if (method === "POST" && pathname === graphqlPath) {
      call.path = pathname;
      call.operationId = "graphql";
      if (!auth) return reply(401, { message: "This endpoint requires you to be authenticated.", documentation_url: "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql" });
      const graphqlActor = presented === undefined ? undefined : tokens.get(presented);
      if (!graphqlActor) return reply(401, { message: "Bad credentials", documentation_url: DOCS_ROOT });
      const json = parseJson(undefined);
      if (!json.ok) return;
      const fault = faults.pick(method, GRAPHQL_OPERATION);
      if (fault && (await applyFault(fault, req, res, call))) return;
      const outcome = executeGraphQL(state, factories, (json.value ?? {}) as JsonObject, graphqlActor);
      if (outcome.problem) violation({ kind: "graphql", method, path: pathname, operationId: "graphql", status: 200, message: outcome.problem });
      if (fault?.kind === "reset-after-write") {
        call.faulted = fault.kind;
        req.socket.destroy();
        return;
      }
      return reply(200, outcome.body);
    }

    if (prefix && pathname.startsWith(prefix)) pathname = pathname.slice(prefix.length) || "/";
    call.path = pathname + url.search;
    const match = matchRoute(method, pathname);
    if (!match) {
      violation({ kind: "unknown-route", method, path: call.path, operationId: undefined, status: 404, message: `${method} ${pathname} is not a route of GitHub's REST API` });
      return reply(404, errorBody(undefined, 404, "Not Found"));
    }
    const { operation } = match;
    call.operationId = operation.operationId;
    if (!auth) return reply(401, errorBody(operation, 401, "Requires authentication"));
    const actor = presented === undefined ? undefined : tokens.get(presented);
    if (!actor) return reply(401, errorBody(operation, 401, "Bad credentials"));

    let parsed: Json | undefined;
    if (operation.requestBody?.binary) {
      call.requestBody = `<${raw.length} bytes>`;
    } else {
      const json = parseJson(operation);
      if (!json.ok) return;
      parsed = json.value;
    }

    const checked = validateRequest(operation, match.params, url.searchParams, parsed);
    if (checked.pathErrors.length > 0) {
      violation({ kind: "request", method, path: call.path, operationId: operation.operationId, status: 404, message: `invalid path parameter for ${operation.operationId}`, errors: checked.pathErrors });
      return reply(404, errorBody(operation, 404, "Not Found"));
    }
    if (checked.errors.length > 0) {
      violation({ kind: "request", method, path: call.path, operationId: operation.operationId, status: 422, message: `request rejected by GitHub's schema for ${operation.operationId}`, errors: checked.errors });
      const body = validationFailedBody(operation, checked.errors);
      validateResponse(operation, method, call.path, 422, body);
      return reply(422, body);
    }

    const handler = handlers[operation.operationId];
    if (!handler) {
      violation({
        kind: "unimplemented",
        method,
        path: call.path,
        operationId: operation.operationId,
        status: 404,
        message: `${operation.operationId} (${method} ${operation.template}) is a GitHub route the stand-in does not implement; add it to test/github/handlers.ts`,
      });
      return reply(404, errorBody(operation, 404, "Not Found"));
    }

    const fault = faults.pick(method, operation);
    if (fault && (await applyFault(fault, req, res, call))) return;

    const ctx: HandlerContext = {
      operation,
      params: checked.params,
      query: checked.query,
      body: (parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : {}) as JsonObject,
      rawBody: raw,
      headers: req.headers,
      state,
      actor,
      factories,
      path: pathname,
      search: url.searchParams,
    };
    let result: HandlerResult;
    try {
      result = handler(ctx);
    } catch (error) {
      if (!(error instanceof GitHubError)) throw error;
      result = { status: error.status, body: errorBody(operation, error.status, error.message, error.errors) };
    }
    if (fault?.kind === "reset-after-write") {
      call.faulted = fault.kind;
      call.status = undefined;
      req.socket.destroy();
      return;
    }
    const body = applyMutations(operation, method, result.status, result.body);
    validateResponse(operation, method, call.path, result.status, body);
    reply(result.status, body, result.headers);
  }

  /** Returns true when the fault answered (or killed) the call; latency and reset-after-write let it go on. */
  async function applyFault(fault: FaultRule, req: IncomingMessage, res: ServerResponse, call: Call): Promise<boolean> {
    const opDocs = call.operationId === "graphql" ? undefined : operationOf(call.operationId);
    switch (fault.kind) {
      case "latency":
        call.faulted = "latency";
        await new Promise((resolve) => setTimeout(resolve, fault.latencyMs ?? 100));
        return false;
      case "reset-after-write":
        return false;
      case "reset":
        call.faulted = "reset";
        req.socket.destroy();
        return true;
      case "secondary-rate-limit": {
        call.faulted = fault.kind;
        call.status = 403;
        send(res, 403, errorBody(opDocs, 403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID."), {
          "retry-after": String(fault.retryAfter ?? 1),
        });
        return true;
      }
      case 429: {
        call.faulted = 429;
        call.status = 429;
        const retryAfter = fault.retryAfter ?? 1;
        send(res, 429, errorBody(opDocs, 429, "API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID."), {
          "retry-after": String(retryAfter),
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(Math.floor(clock.now().getTime() / 1000) + retryAfter),
        });
        return true;
      }
      default: {
        const status = fault.kind;
        call.faulted = status;
        call.status = status;
        const message = status === 500 ? "Server Error" : status === 502 ? "Bad Gateway" : "Service Unavailable";
        send(res, status, { message, documentation_url: DOCS_ROOT, status: String(status) });
        return true;
      }
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violation({ kind: "response", method: req.method ?? "GET", path: req.url ?? "/", operationId: undefined, status: 500, message: `stand-in crashed: ${(error as Error).stack ?? String(error)}` });
      if (!res.headersSent) send(res, 500, { message: "Server Error", documentation_url: DOCS_ROOT });
      else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  urls.api = `${origin}${prefix}`;

  /**
   * Everything the kit wrote to GitHub, scanned for planted secrets (test/support/planted-secrets.ts): every
   * request body (comments, deployments and their statuses, releases, refs, the ledger), file contents put
   * through the contents API (base64), uploaded release assets. Tokens the stand-in issued count as secrets.
   */
  function scanWritten(): void {
    const issued = Object.fromEntries([...tokens.keys()].map((value, i) => [`GitHub token ${i + 1}`, value]));
    calls.all.forEach((call, i) => {
      if (call.requestBody === undefined || call.method === "GET") return;
      const where = `GitHub stand-in: ${call.method} ${call.path.split("?")[0]} (call ${i + 1})`;
      scanText(where, JSON.stringify(call.requestBody), issued);
      const content = (call.requestBody as JsonObject | null)?.content;
      if (typeof content === "string") scanText(`${where}, decoded content`, Buffer.from(content, "base64").toString("latin1"), issued);
    });
    for (const repo of state.repos.values()) {
      for (const release of repo.releases.values()) {
        for (const asset of release.assets.values()) scanText(`GitHub stand-in: ${repo.fullName} release ${release.tagName} asset ${asset.name}`, asset.content.toString("latin1"), issued);
      }
    }
  }

  const seed = createSeeder(state);
  const defaults = options.defaults === false ? undefined : seed.defaults();

  return {
    url: urls.api,
    graphqlUrl: `${origin}${graphqlPath}`,
    token,
    state,
    calls,
    violations,
    faults: {
      add: (spec) => faults.add(spec),
      clear: () => faults.clear(),
      reseed: (value) => faults.reseed(value),
      get active() {
        return faults.active;
      },
    },
    responseMutations: {
      add: (route, mutate, times = Number.POSITIVE_INFINITY) => {
        mutations.push({ route, mutate, remaining: times });
      },
      clear: () => {
        mutations = [];
      },
    },
    seed,
    defaults,
    tokenFor(login, init = {}) {
      const user = state.user(login, { type: init.type ?? "User", ...(init.id !== undefined ? { id: init.id } : {}) });
      const issued = `${user.type === "Bot" ? "ghs" : "ghp"}_${randomBytes(18).toString("base64url")}`;
      tokens.set(issued, user);
      return issued;
    },
    identityOf: (value) => tokens.get(value),
    env: {
      GITHUB_API_URL: urls.api,
      GITHUB_GRAPHQL_URL: `${origin}${graphqlPath}`,
      GITHUB_SERVER_URL: urls.html,
      GITHUB_TOKEN: token,
      ...(defaults ? { GITHUB_REPOSITORY: defaults.repo.fullName } : {}),
    },
    close: () => {
      scanWritten();
      return new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
