import { errorMessage } from "../errors.ts";
import type { NotifyEvent } from "./event.ts";
import type { Clock, HttpPort } from "./http.ts";
import { redactEvent } from "./redact.ts";
import { DEFAULT_RETRY, DeliveryError, sendWithRetry, type RetryPolicy } from "./retry.ts";
import type { Receiver, Send } from "./receivers/receiver.ts";

export interface NotifyPorts {
  http: HttpPort;
  clock: Clock & { now(): number };
  log: (line: string) => void;
}

export interface NotifyOptions {
  /** Values that must never appear in a message (tokens, webhook URLs, passwords): replaced by `***`. */
  secrets: readonly string[];
  retry?: RetryPolicy;
}

export interface ReceiverResult {
  name: string;
  type: Receiver["type"];
  status: "sent" | "skipped" | "failed";
  detail: string;
  /** HTTP requests made, retries included. */
  requests: number;
  /** A failure where the service may still have got the message. */
  ambiguous?: boolean;
}

export interface NotifyReport {
  event: NotifyEvent;
  results: ReceiverResult[];
  /** Every receiver that wanted the event got it. */
  ok: boolean;
}

/**
 * Sends one event to every receiver that takes it, all at once and independently: a receiver that fails
 * never stops another. Each gets the same redacted event; retries follow each receiver's duplicate rules.
 * Never throws for a delivery failure: the report says what failed, and the shell decides whether that fails
 * the step (it does not unless asked).
 */
export async function notify(event: NotifyEvent, receivers: readonly Receiver[], ports: NotifyPorts, options: NotifyOptions): Promise<NotifyReport> {
  const safe = redactEvent(event, options.secrets);
  const policy = options.retry ?? DEFAULT_RETRY;
  const results = await Promise.all(
    receivers.map(async (receiver): Promise<ReceiverResult> => {
      const base = { name: receiver.name, type: receiver.type };
      if (!receiver.accepts(safe)) return { ...base, status: "skipped", detail: `does not take ${safe.type}`, requests: 0 };
      let requests = 0;
      const counting: HttpPort = {
        send: (request, timeoutMs) => {
          requests++;
          return ports.http.send(request, timeoutMs);
        },
      };
      const send: Send = (request, sendOptions) => sendWithRetry(counting, request, policy, ports.clock, sendOptions);
      try {
        const detail = await receiver.deliver(safe, send);
        ports.log(`notify ${receiver.name}: ${safe.type} sent (${detail}, ${requests} request(s))`);
        return { ...base, status: "sent", detail, requests };
      } catch (error) {
        const detail = errorMessage(error);
        ports.log(`notify ${receiver.name}: ${safe.type} failed: ${detail}`);
        return {
          ...base,
          status: "failed",
          detail,
          requests,
          ...(error instanceof DeliveryError && error.ambiguous ? { ambiguous: true } : {}),
        };
      }
    }),
  );
  return { event: safe, results, ok: results.every((result) => result.status !== "failed") };
}
