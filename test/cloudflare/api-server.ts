// The Cloudflare v4 REST API on 127.0.0.1: authentication, route matching against the SDK's catalogue,
// Cloudflare's envelope, fault injection, the call log and violations. The endpoints are in handlers.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Faults } from "../github/faults.ts";
import type { CloudflareAccount } from "./account.ts";
import { matchOperation, pathKnown, type Operation } from "./catalogue.ts";
import { CloudflareError, failure, noRoute, ok, type Envelope } from "./envelope.ts";
import type { Edge } from "./edge.ts";
import type { WorkerRuntime } from "./runtime.ts";
import { UploadProblem } from "./upload.ts";

export const API_PREFIX = "/client/v4";

export interface Call {
  method: string;
  /** Path below the API prefix, with the query. */
  path: string;
  operationId?: string;
  /** Undefined for a reset connection. */
  status?: number;
  faulted: boolean;
  requestBody?: unknown;
  responseBody?: unknown;
}

export interface Violation {
  /** `unknown-route`: Cloudflare has no such route; `unimplemented`: it has, the stand-in does not serve it;
   *  `request`: a body, parameter or upload Cloudflare would reject as malformed. */
  kind: "unknown-route" | "unimplemented" | "request";
  method: string;
  path: string;
  operationId?: string;
  status: number;
  message: string;
}

export interface HandlerContext {
  operation: Operation;
  params: Record<string, string>;
  query: URLSearchParams;
  /** JSON body (undefined when the body is not JSON). */
  body: unknown;
  rawBody: Buffer;
  headers: IncomingMessage["headers"];
  account: CloudflareAccount;
  runtime: WorkerRuntime;
  edge: Edge;
  /** Records a violation without failing the call (the answer is still Cloudflare's). */
  violation(message: string): void;
}

/** What a handler answers: an envelope with `result`, or a raw body (script content, KV values). */
export type Answer<T> =
  | { status?: number; result: T; resultInfo?: Envelope["result_info"] }
  | { status?: number; raw: Buffer | string; contentType: string };

export type Handler<T = unknown> = (ctx: HandlerContext) => Answer<T> | Promise<Answer<T>>;

export class CallLog extends Array<Call> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  count(route: string): number {
    return this.of(route).length;
  }
  of(route: string): Call[] {
    return this.filter((c) => matches(route, c));
  }
  get served(): Call[] {
    return this.filter((c) => !c.faulted);
  }
  last(): Call | undefined {
    return this[this.length - 1];
  }
  reset(): void {
    this.length = 0;
  }
}

function matches(route: string, call: Call): boolean {
  if (route === "*") return true;
  if (route === call.operationId) return true;
  const [method, template] = route.split(" ", 2);
  if (!template) return false;
  return method === call.method && (template === "*" || matchOperation(call.method, call.path.split("?")[0]!)?.operation.template === template);
}

export interface ApiServerOptions {
  token: string;
  account: CloudflareAccount;
  runtime: WorkerRuntime;
  edge: Edge;
  handlers: Record<string, Handler>;
  faults: Faults;
  calls: CallLog;
  violations: Violation[];
}

/** Handles one request to the API (from the 127.0.0.1 listener or from the proxy for api.cloudflare.com). */
export async function handleApi(options: ApiServerOptions, req: IncomingMessage, res: ServerResponse, rawBody: Buffer): Promise<void> {
  const url = new URL(req.url ?? "/", "http://stand-in");
  const method = (req.method ?? "GET").toUpperCase();
  const fullPath = url.pathname;
  const call: Call = { method, path: `${fullPath.slice(API_PREFIX.length) || "/"}${url.search}`, faulted: false };
  options.calls.push(call);
  const send = (status: number, body: Envelope | Buffer | string, contentType = "application/json") => {
    call.status = status;
    call.responseBody = Buffer.isBuffer(body) ? `<${body.length} bytes>` : body;
    const payload = Buffer.isBuffer(body) ? body : typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, { "content-type": contentType, "cf-ray": "0000000000000000-SJC", server: "cloudflare" });
    res.end(payload);
  };
  const violation = (kind: Violation["kind"], status: number, message: string, operationId?: string) =>
    options.violations.push({ kind, method, path: call.path, status, message, ...(operationId ? { operationId } : {}) });

  if (!fullPath.startsWith(`${API_PREFIX}/`)) {
    violation("unknown-route", 404, `not under ${API_PREFIX}`);
    return send(404, failure([{ code: 7003, message: `Could not route to ${fullPath}` }]));
  }
  const apiPath = fullPath.slice(API_PREFIX.length);
  const matched = matchOperation(method, apiPath);
  if (!matched) {
    const error = noRoute(apiPath);
    violation("unknown-route", error.status, pathKnown(apiPath) ? `Cloudflare has no ${method} for this path` : "Cloudflare has no such route");
    return send(error.status, failure([{ code: error.code, message: error.message }, ...error.extra]));
  }
  const { operation, params } = matched;
  call.operationId = operation.operationId;
  let body: unknown;
  const contentType = String(req.headers["content-type"] ?? "");
  if (rawBody.length > 0 && contentType.includes("json")) {
    try {
      body = JSON.parse(rawBody.toString("utf8"));
    } catch {
      violation("request", 400, "malformed JSON body", operation.operationId);
      return send(400, failure([{ code: 10002, message: "Malformed JSON in request body" }]));
    }
    call.requestBody = body;
  } else if (rawBody.length > 0) {
    call.requestBody = `<${contentType || "body"} ${rawBody.length} bytes>`;
  }

  const auth = String(req.headers.authorization ?? "");
  if (auth !== `Bearer ${options.token}`) {
    return send(auth ? 403 : 400, failure([auth ? { code: 10000, message: "Authentication error" } : { code: 10000, message: "Authentication error: no Authorization header" }]));
  }
  if (params.account_id !== undefined) {
    if (!/^[0-9a-f]{32}$/.test(params.account_id)) {
      const error = noRoute(apiPath);
      return send(error.status, failure([{ code: error.code, message: error.message }, ...error.extra]));
    }
    if (params.account_id !== options.account.id) return send(403, failure([{ code: 10000, message: "Authentication error" }]));
  }

  const handler = options.handlers[operation.operationId];
  if (!handler) {
    violation("unimplemented", 501, `the stand-in does not serve ${operation.operationId} (${method} ${operation.template})`, operation.operationId);
    return send(501, failure([{ code: 10001, message: `Not implemented by the Cloudflare stand-in: ${operation.operationId}` }]));
  }

  const fault = options.faults.pick(method, operation);
  if (fault) {
    call.faulted = fault.kind !== "latency";
    if (fault.kind === "latency") await sleep(fault.latencyMs ?? 100);
    else if (fault.kind === "reset") {
      req.socket.destroy();
      return;
    } else if (fault.kind === 429 || fault.kind === "secondary-rate-limit") {
      call.status = 429;
      res.writeHead(429, { "content-type": "application/json", "retry-after": String(fault.retryAfter ?? 1) });
      res.end(JSON.stringify(failure([{ code: 971, message: "Please wait and consider throttling your request speed" }])));
      return;
    } else if (fault.kind !== "reset-after-write") {
      if (fault.kind === 500) return send(500, failure([{ code: 10013, message: "An unknown error has occurred" }]));
      return send(fault.kind, `<html><head><title>${fault.kind}</title></head><body><center><h1>${fault.kind} ${fault.kind === 502 ? "Bad Gateway" : "Service Temporarily Unavailable"}</h1></center><hr><center>cloudflare</center></body></html>`, "text/html");
    }
  }

  try {
    const answer = await handler({
      operation,
      params,
      query: url.searchParams,
      body,
      rawBody,
      headers: req.headers,
      account: options.account,
      runtime: options.runtime,
      edge: options.edge,
      violation: (message) => violation("request", 400, message, operation.operationId),
    });
    if (fault?.kind === "reset-after-write") {
      call.status = undefined;
      req.socket.destroy();
      return;
    }
    if ("raw" in answer) return send(answer.status ?? 200, Buffer.isBuffer(answer.raw) ? answer.raw : Buffer.from(answer.raw), answer.contentType);
    return send(answer.status ?? 200, ok(answer.result, answer.resultInfo));
  } catch (error) {
    if (error instanceof UploadProblem && error.violation) violation("request", error.status, error.message, operation.operationId);
    if (error instanceof CloudflareError) {
      return send(error.status, failure([{ code: error.code, message: error.message }, ...error.extra]));
    }
    violation("unimplemented", 500, `handler ${operation.operationId} threw: ${(error as Error).stack ?? String(error)}`, operation.operationId);
    return send(500, failure([{ code: 10013, message: `Internal error in the stand-in: ${(error as Error).message}` }]));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
