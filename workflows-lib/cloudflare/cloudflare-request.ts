/**
 * Cloudflare's API v4 for the kit's own clients: Bearer token, the `{success, errors, result}` envelope, and
 * retries with backoff on 429 (honouring `retry-after`), 5xx and dropped connections. Only requests that are
 * safe to repeat are retried: reads, deletes, and writes whose repeat leaves the same state (a deployment that
 * sets a traffic split sets it again).
 */

export const CLOUDFLARE_API = "https://api.cloudflare.com/client/v4";

export interface CloudflareClientOptions {
  apiToken: string;
  accountId: string;
  /** CLOUDFLARE_BASE_URL when set (Alchemy honours it too). */
  baseUrl?: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per request (default 5); waits 500 ms, doubling, or what `retry-after` says. */
  attempts?: number;
  backoffMs?: number;
  /** What the token needs, said when Cloudflare rejects it (401/403). */
  authHint?: string;
}

export class CloudflareApiError extends Error {
  readonly status: number | undefined;
  /** Cloudflare's error codes from the envelope (e.g. 10237 "version not found"). */
  readonly codes: number[];
  constructor(message: string, status?: number, codes: number[] = []) {
    super(message);
    this.name = "CloudflareApiError";
    this.status = status;
    this.codes = codes;
  }
}

export interface Envelope<T> {
  success: boolean;
  errors?: { code: number; message: string }[];
  result: T;
  result_info?: { page?: number; total_pages?: number; count?: number; per_page?: number; cursor?: string };
}

export interface CloudflareRequest {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Sent as JSON. */
  body?: unknown;
  /** A 404 is an answer, not an error (deleting what is gone). */
  allowNotFound?: boolean;
}

export type CloudflareClient = (<T>(path: string, request?: CloudflareRequest) => Promise<Envelope<T>>) & {
  /** `/accounts/<id>`: the prefix of every account path. */
  readonly account: string;
};

export function createCloudflareClient(options: CloudflareClientOptions): CloudflareClient {
  const base = (options.baseUrl ?? CLOUDFLARE_API).replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const attempts = options.attempts ?? 5;

  async function call<T>(path: string, request: CloudflareRequest = {}): Promise<Envelope<T>> {
    const method = request.method ?? "GET";
    const headers: Record<string, string> = { authorization: `Bearer ${options.apiToken}`, accept: "application/json" };
    if (request.body !== undefined) headers["content-type"] = "application/json";
    let wait = options.backoffMs ?? 500;
    let last = "";
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let response: Response;
      try {
        response = await doFetch(`${base}${path}`, { method, headers, ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}) });
      } catch (error) {
        last = (error as Error).message;
        if (attempt < attempts) await sleep(wait);
        wait *= 2;
        continue;
      }
      if (response.status === 429 || response.status >= 500) {
        last = `HTTP ${response.status}`;
        const retryAfter = Number(response.headers.get("retry-after"));
        await response.body?.cancel();
        if (attempt < attempts) await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : wait);
        wait *= 2;
        continue;
      }
      const text = await response.text();
      let body: Envelope<T>;
      try {
        body = JSON.parse(text) as Envelope<T>;
      } catch {
        throw new CloudflareApiError(`Cloudflare answered ${method} ${path} with ${response.status} and no JSON`, response.status);
      }
      if (response.status === 401 || response.status === 403) {
        throw new CloudflareApiError(
          `Cloudflare rejected the API token in CLOUDFLARE_API_TOKEN (${method} ${path})${options.authHint ? `: ${options.authHint}` : ""}.`,
          response.status,
        );
      }
      if (request.allowNotFound && response.status === 404) return body;
      if (!body.success) {
        const codes = (body.errors ?? []).map((e) => e.code);
        const errors = (body.errors ?? []).map((e) => `${e.code}: ${e.message}`).join("; ");
        throw new CloudflareApiError(`Cloudflare refused ${method} ${path} (${response.status}): ${errors}`, response.status, codes);
      }
      return body;
    }
    throw new CloudflareApiError(`Cloudflare did not answer ${method} ${path} after ${attempts} attempts (${last})`);
  }
  return Object.assign(call, { account: `/accounts/${options.accountId}` });
}
