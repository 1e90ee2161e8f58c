// Shapes shared by the server and the endpoint handlers.
import type { Factories } from "./factories.ts";
import type { Json, JsonObject, Operation } from "./openapi.ts";
import type { GitHubState, RepoRecord, UserRecord } from "./state.ts";

export interface HandlerResult {
  status: number;
  body?: Json;
  headers?: Record<string, string>;
}

export interface HandlerContext {
  operation: Operation;
  /** Path parameters, coerced to their schema types (`issue_number` is a number). */
  params: Record<string, Json>;
  /** Query parameters, coerced to their schema types. */
  query: Record<string, Json>;
  body: JsonObject;
  /** The request body as sent (for binary uploads). */
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  state: GitHubState;
  /** The account the request's token belongs to: what it writes is theirs. */
  actor: UserRecord;
  factories: Factories;
  /** The path as requested (without the REST prefix) and its query string, for `Link` headers. */
  path: string;
  search: URLSearchParams;
}

export type Handler = (ctx: HandlerContext) => HandlerResult;

/** Thrown by handlers for GitHub's error answers; the server renders GitHub's error body. */
export class GitHubError extends Error {
  readonly status: number;
  readonly errors: JsonObject[] | string[] | undefined;
  constructor(status: number, message: string, errors?: JsonObject[] | string[]) {
    super(message);
    this.status = status;
    this.errors = errors;
  }
}

export function notFound(): GitHubError {
  return new GitHubError(404, "Not Found");
}

export function repoOf(ctx: HandlerContext): RepoRecord {
  const repo = ctx.state.repo(`${String(ctx.params.owner)}/${String(ctx.params.repo)}`);
  if (!repo) throw notFound();
  return repo;
}

/** GitHub's page-number pagination: `per_page` (default 30, max 100), `page`, and a `Link` header. */
export function paginate<T>(ctx: HandlerContext, items: T[]): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(ctx.query.per_page ?? 30) || 30, 1), 100);
  const page = Math.max(Number(ctx.query.page ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (target: number): string => {
    const search = new URLSearchParams(ctx.search);
    search.set("per_page", String(perPage));
    search.set("page", String(target));
    return `<${ctx.factories.urls.api}${ctx.path}?${search.toString()}>`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(`${link(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) parts.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
  if (page > 1) parts.push(`${link(1)}; rel="first"`);
  return { items: slice, headers: parts.length > 0 ? { link: parts.join(", ") } : {} };
}

export function str(value: Json | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}
