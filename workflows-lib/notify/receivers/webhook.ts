import type { EventType, NotifyEvent } from "../event.ts";
import { SIGNATURE_HEADER, signBody } from "../signature.ts";
import { accepts, USER_AGENT, type Receiver } from "./receiver.ts";

/** The JSON body of the generic webhook: the event itself, versioned. Retries send the same bytes. */
export function webhookBody(event: NotifyEvent): string {
  const { id, type, ...rest } = event;
  return JSON.stringify({ version: 1, delivery: id, event: type, ...rest });
}

/**
 * Headers: `X-Alchkit-Event` (the type), `X-Alchkit-Delivery` and `Idempotency-Key` (the event id: a receiver
 * drops a delivery it has seen), `X-Alchkit-Signature` (HMAC-SHA256 of the body). Because receivers drop
 * repeats, a request whose answer was lost is sent again.
 */
export function webhookReceiver(settings: { name?: string; url: string; secret: string; events?: readonly EventType[] }): Receiver {
  return {
    type: "webhook",
    name: settings.name ?? "webhook",
    ...(settings.events ? { events: settings.events } : {}),
    accepts: (event) => accepts(settings.events, event),
    async deliver(event, send) {
      const body = webhookBody(event);
      await send(
        {
          method: "POST",
          url: settings.url,
          headers: {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "x-alchkit-event": event.type,
            "x-alchkit-delivery": event.id,
            "idempotency-key": event.id,
            [SIGNATURE_HEADER]: signBody(body, settings.secret),
          },
          body,
        },
        { idempotent: true, what: "webhook" },
      );
      return `delivery ${event.id}`;
    },
  };
}
