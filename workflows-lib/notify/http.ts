/** The HTTP port receivers talk through (fetch in production, the same fetch against local stand-ins in tests). */

export interface HttpRequest {
  method: "GET" | "POST" | "PUT";
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/**
 * A request that got no HTTP answer. `sent: false` when it certainly never reached the service (connection
 * refused, name not found): retrying it cannot duplicate anything. `sent: true` when it may have (reset or
 * timeout after the body went out): only a receiver that can tell a repeat apart may retry it.
 */
export class TransportError extends Error {
  readonly sent: boolean;
  constructor(message: string, sent: boolean) {
    super(message);
    this.name = "TransportError";
    this.sent = sent;
  }
}

export interface HttpPort {
  send(request: HttpRequest, timeoutMs: number): Promise<HttpResponse>;
}

export interface Clock {
  sleep(ms: number): Promise<void>;
  /** 0 ≤ x < 1, for jitter. */
  random(): number;
}
