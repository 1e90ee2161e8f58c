// Cloudflare's v4 answer envelope: `{success, errors, messages, result}` for every answer, errors and 404s
// included; lists add `result_info`.

export interface CloudflareMessage {
  code: number;
  message: string;
}

export interface Envelope<T = unknown> {
  success: boolean;
  errors: CloudflareMessage[];
  messages: CloudflareMessage[];
  result: T | null;
  result_info?: { page: number; per_page: number; count: number; total_count: number; total_pages?: number };
}

/** Thrown by handlers for Cloudflare's error answers; the server renders the envelope. */
export class CloudflareError extends Error {
  readonly status: number;
  readonly code: number;
  readonly extra: CloudflareMessage[];
  constructor(status: number, code: number, message: string, extra: CloudflareMessage[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

export function ok<T>(result: T, resultInfo?: Envelope["result_info"]): Envelope<T> {
  return { success: true, errors: [], messages: [], result, ...(resultInfo ? { result_info: resultInfo } : {}) };
}

export function failure(errors: CloudflareMessage[]): Envelope<null> {
  return { success: false, errors, messages: [], result: null };
}

/** The answer for a path Cloudflare does not route (also for an identifier of the wrong shape). */
export function noRoute(pathname: string): CloudflareError {
  return new CloudflareError(400, 7003, `Could not route to ${pathname}, perhaps your object identifier is invalid?`, [{ code: 7000, message: "No route for that URI" }]);
}

export const scriptNotFound = (): CloudflareError => new CloudflareError(404, 10007, "This Worker does not exist on your account.");
