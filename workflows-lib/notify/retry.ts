import { TransportError, type Clock, type HttpPort, type HttpRequest, type HttpResponse } from "./http.ts";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Wait before the first retry; doubles each time up to maxDelayMs, with ±50 % jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest `Retry-After` honoured; a service asking for longer ends the delivery. */
  maxRetryAfterMs: number;
  /** One attempt's timeout. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000, timeoutMs: 10_000 };

/** Statuses that mean "not processed, try again": timeouts, rate limits and server errors. */
const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

export class DeliveryError extends Error {
  /** The last answer, when there was one. */
  readonly status?: number;
  /** The request may have been processed (an answer never came back after it was sent). */
  readonly ambiguous: boolean;
  readonly attempts: number;
  constructor(message: string, options: { status?: number; ambiguous: boolean; attempts: number }) {
    super(message);
    this.name = "DeliveryError";
    if (options.status !== undefined) this.status = options.status;
    this.ambiguous = options.ambiguous;
    this.attempts = options.attempts;
  }
}

/** Seconds or an HTTP date, as in `Retry-After`; Discord also says it in its JSON body (`retry_after`, seconds). */
export function retryAfterMs(response: HttpResponse, now: number): number | undefined {
  const header = response.headers["retry-after"];
  if (header !== undefined) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(header);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  if (response.status === 429 && response.body.startsWith("{")) {
    try {
      const parsed = JSON.parse(response.body) as { retry_after?: unknown };
      if (typeof parsed.retry_after === "number" && parsed.retry_after >= 0) return parsed.retry_after * 1000;
    } catch {
      // not JSON after all
    }
  }
  return undefined;
}

export interface SendOptions {
  /**
   * The service tells a repeat from a new message (an idempotency key, a name looked up first): a request
   * that may have been processed can be sent again. Otherwise such a request is never repeated.
   */
  idempotent: boolean;
  /** For messages: what is being sent, e.g. "POST releases". */
  what: string;
  /**
   * Asked after an ambiguous failure of a non-idempotent request: true when the service shows it got it
   * (e.g. the deploy is listed), so the delivery is done without sending again.
   */
  landed?: () => Promise<boolean>;
}

/**
 * Sends one request with retries and backoff. Retries: transport errors that never reached the service,
 * 408/425/429/5xx answers (honouring Retry-After), and — only when the request is idempotent or `landed` says
 * it did not land — answers lost after sending. Any other 4xx ends at once (a configuration error).
 */
export async function sendWithRetry(
  http: HttpPort,
  request: HttpRequest,
  policy: RetryPolicy,
  clock: Clock & { now(): number },
  options: SendOptions,
): Promise<HttpResponse> {
  let delay = policy.baseDelayMs;
  for (let attempt = 1; ; attempt++) {
    let wait: number | undefined;
    let failure: DeliveryError;
    try {
      const response = await http.send(request, policy.timeoutMs);
      if (response.status >= 200 && response.status < 300) return response;
      const detail = `${options.what} answered ${response.status}${response.body ? `: ${response.body.slice(0, 200)}` : ""}`;
      failure = new DeliveryError(detail, { status: response.status, ambiguous: false, attempts: attempt });
      if (!RETRYABLE.has(response.status)) throw failure;
      wait = retryAfterMs(response, clock.now());
      if (wait !== undefined && wait > policy.maxRetryAfterMs) {
        throw new DeliveryError(`${detail} (asked to wait ${Math.round(wait / 1000)} s, more than allowed)`, {
          status: response.status,
          ambiguous: false,
          attempts: attempt,
        });
      }
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      if (!(error instanceof TransportError)) throw error;
      failure = new DeliveryError(`${options.what}: ${error.message}`, { ambiguous: error.sent, attempts: attempt });
      if (error.sent && !options.idempotent) {
        if (!options.landed) {
          throw new DeliveryError(
            `${failure.message}; the service may have received it, so it is not sent again (that could post it twice)`,
            { ambiguous: true, attempts: attempt },
          );
        }
        if (await options.landed()) return { status: 200, headers: {}, body: "" };
      }
    }
    if (attempt >= policy.attempts) {
      throw new DeliveryError(`${failure.message} (gave up after ${attempt} attempts)`, {
        ...(failure.status !== undefined ? { status: failure.status } : {}),
        ambiguous: failure.ambiguous,
        attempts: attempt,
      });
    }
    const jittered = delay * (0.5 + clock.random());
    await clock.sleep(Math.min(Math.max(wait ?? 0, jittered), Math.max(policy.maxRetryAfterMs, policy.maxDelayMs)));
    delay = Math.min(delay * 2, policy.maxDelayMs);
  }
}
