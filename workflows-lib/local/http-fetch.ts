import { TransportError, type Clock, type HttpPort } from "../notify/http.ts";

/** Errors that happen before a request leaves the machine: retrying them cannot duplicate anything. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT", "ERR_INVALID_URL"]);

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The HTTP port on Node's fetch; no redirects are followed (a webhook that redirects is misconfigured). */
export const fetchHttp: HttpPort = {
  async send(request, timeoutMs) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        redirect: "manual",
        signal: controller.signal,
      });
      const body = await response.text();
      const headers: Record<string, string> = {};
      response.headers.forEach((value, key) => void (headers[key.toLowerCase()] = value));
      return { status: response.status, headers, body };
    } catch (error) {
      if (controller.signal.aborted) throw new TransportError(`no answer within ${timeoutMs} ms`, true);
      const code = causeCode(error);
      const host = safeHost(request.url);
      throw new TransportError(`${host}: ${code ?? (error instanceof Error ? error.message : String(error))}`, !(code && NOT_SENT.has(code)));
    } finally {
      clearTimeout(timer);
    }
  },
};

/** Only the host: the path of a webhook URL is its credential. */
function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "the receiver";
  }
}

export const systemClock: Clock & { now(): number } = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  now: Date.now,
};

/** The post-deploy watch's probe: one GET, no redirects followed, answered within the timeout or rejected. */
export async function probeGet(url: string, timeoutMs: number): Promise<{ status: number }> {
  const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(timeoutMs), headers: { "user-agent": "alchkit-watch/1" } });
  await response.arrayBuffer();
  return { status: response.status };
}
