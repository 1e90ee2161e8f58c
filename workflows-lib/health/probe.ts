/**
 * HTTP health probe used by previews, promotion and the local runtime. Pure apart from the injected
 * `fetch`, `sleep` and `now`, so tests drive it with a real server or a scripted fetch and a fake clock.
 */

export interface HealthProbeOptions {
  /** Base URL of the deployment, e.g. `https://api.example.workers.dev/`. */
  url: string;
  /** Path appended to the base URL. Default `/health`. */
  path?: string;
  /** Status that counts as healthy. Default 200; `"any"`: any HTTP answer (the app is up). */
  expectedStatus?: number | "any";
  /** Timeout of one request in ms. Default 5000. */
  timeoutMs?: number;
  /** Attempts after the first one. Default 5. */
  retries?: number;
  /** Wait before the first retry in ms; doubles each retry up to `maxBackoffMs`. Default 500. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Give up when this much time (ms) has passed since the first attempt, retries or not. Default 60000. */
  deadlineMs?: number;
  /**
   * How to point the probe at another path, in the caller's words (e.g. "the workflow's `health-path` input").
   * A 404 from the app is deterministic: the probe stops at once and its reason carries this fix.
   */
  notFoundFix?: string;
}

export interface HealthProbePorts {
  fetch: (url: string, init: { signal: AbortSignal; redirect: "manual" }) => Promise<{ status: number; text(): Promise<string> }>;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export interface HealthAttempt {
  status?: number;
  error?: string;
  elapsedMs: number;
}

export interface HealthResult {
  healthy: boolean;
  url: string;
  /** Status of the last answer, if any answer came. */
  status?: number;
  /** First 2 KiB of the last answer's body. */
  body?: string;
  attempts: HealthAttempt[];
  elapsedMs: number;
  /** Why the probe failed, in one line. */
  reason?: string;
}

const BODY_LIMIT = 2048;

/**
 * Cloudflare's own 404 for a workers.dev name that does not route to the script yet (seconds after a first
 * deploy): not the app's answer, so it is retried like any other failure.
 */
const EDGE_NOT_FOUND = /There is nothing here yet|error code: 10\d\d|cf-error-details/i;

const DEFAULT_NOT_FOUND_FIX =
  "point the health check at a path that answers 200: `preview.healthPath` in alchkit.config.json, the preview workflow's `health-path` input, or `--health-path` (`none` skips the check)";

export function healthUrl(base: string, path = "/health"): string {
  const url = new URL(base);
  const basePath = url.pathname.replace(/\/+$/, "");
  const [pathname, query] = path.split("?", 2) as [string, string | undefined];
  url.pathname = `${basePath}/${pathname.replace(/^\/+/, "")}`;
  url.search = query ? `?${query}` : "";
  return url.toString();
}

export async function probeHealth(options: HealthProbeOptions, ports: HealthProbePorts): Promise<HealthResult> {
  const url = healthUrl(options.url, options.path ?? "/health");
  const expectedStatus = options.expectedStatus ?? 200;
  const timeoutMs = options.timeoutMs ?? 5000;
  const retries = options.retries ?? 5;
  const maxBackoffMs = options.maxBackoffMs ?? 8000;
  const deadlineMs = options.deadlineMs ?? 60_000;
  let backoff = options.backoffMs ?? 500;
  const started = ports.now();
  const attempts: HealthAttempt[] = [];
  let status: number | undefined;
  let body: string | undefined;
  let reason = "";

  for (let attempt = 0; attempt <= retries; attempt++) {
    const remaining = deadlineMs - (ports.now() - started);
    if (remaining <= 0) {
      reason = `deadline of ${deadlineMs} ms passed`;
      break;
    }
    const controller = new AbortController();
    const limit = Math.min(timeoutMs, remaining);
    const timer = setTimeout(() => controller.abort(), limit);
    const attemptStart = ports.now();
    try {
      const response = await ports.fetch(url, { signal: controller.signal, redirect: "manual" });
      status = response.status;
      body = (await response.text()).slice(0, BODY_LIMIT);
      attempts.push({ status, elapsedMs: ports.now() - attemptStart });
      if (expectedStatus === "any" || status === expectedStatus) {
        return { healthy: true, url, status, body, attempts, elapsedMs: ports.now() - started };
      }
      reason = `expected status ${expectedStatus}, got ${status}`;
      if (status === 404 && !EDGE_NOT_FOUND.test(body)) {
        const path = options.path ?? "/health";
        return {
          healthy: false,
          url,
          status,
          body,
          attempts,
          elapsedMs: ports.now() - started,
          reason:
            `${url} answered 404 Not Found: the app has no route at ${path}, so retrying cannot help. ` +
            `Add a route that answers 200 there (Hono: app.get("${path}", (c) => c.text("ok"))), or ${options.notFoundFix ?? DEFAULT_NOT_FOUND_FIX}.`,
        };
      }
    } catch (error) {
      const message = controller.signal.aborted
        ? `no answer within ${limit} ms`
        : describeFetchError(error);
      attempts.push({ error: message, elapsedMs: ports.now() - attemptStart });
      reason = message;
    } finally {
      clearTimeout(timer);
    }
    if (attempt === retries) break;
    const left = deadlineMs - (ports.now() - started);
    if (left <= 0) {
      reason = `${reason}; deadline of ${deadlineMs} ms passed`;
      break;
    }
    await ports.sleep(Math.min(backoff, left));
    backoff = Math.min(backoff * 2, maxBackoffMs);
  }
  return {
    healthy: false,
    url,
    ...(status === undefined ? {} : { status }),
    ...(body === undefined ? {} : { body }),
    attempts,
    elapsedMs: ports.now() - started,
    reason: `${url} unhealthy after ${attempts.length} attempt(s): ${reason}`,
  };
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return `${error.message}: ${cause.message}`;
    return error.message;
  }
  return String(error);
}

/** The ports for real use: global fetch, timers and the wall clock. */
export const systemHealthPorts: HealthProbePorts = {
  fetch: (url, init) => fetch(url, init),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};
