import type { EventType, NotifyEvent, Severity } from "../event.ts";
import type { HttpRequest, HttpResponse } from "../http.ts";
import type { SendOptions } from "../retry.ts";

export const RECEIVER_TYPES = ["slack", "discord", "teams", "webhook", "sentry"] as const;
export type ReceiverType = (typeof RECEIVER_TYPES)[number];

/** A receiver's way to send: retries, backoff and the duplicate rules of `sendWithRetry` are applied for it. */
export type Send = (request: HttpRequest, options: SendOptions) => Promise<HttpResponse>;

export interface Receiver {
  type: ReceiverType;
  /** Shown in logs and results; never a URL (webhook URLs are credentials). */
  name: string;
  /** Event types it gets; undefined = all it knows how to show. */
  events?: readonly EventType[];
  accepts(event: NotifyEvent): boolean;
  /** Sends the event; resolves with a short note of what the service now holds (e.g. "deploy 12 of release …"). */
  deliver(event: NotifyEvent, send: Send): Promise<string>;
}

export const SEVERITY_EMOJI: Record<Severity, string> = { success: "✅", warning: "⚠️", failure: "❌", info: "ℹ️" };
export const SEVERITY_COLOR: Record<Severity, number> = { success: 0x2eb886, warning: 0xdaa038, failure: 0xd00000, info: 0x439fe0 };

/** Cuts text to a service's limit, marking the cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

export function accepts(events: readonly EventType[] | undefined, event: NotifyEvent): boolean {
  return events === undefined || events.includes(event.type);
}

export const USER_AGENT = "alchkit-notify/1";

export interface ChatWebhookSettings {
  name?: string;
  url: string;
  events?: readonly EventType[];
}

/**
 * A chat service's incoming webhook (Slack, Discord, Teams): one JSON POST per event. These webhooks have no
 * idempotency key, so a request whose answer was lost is never sent again (it could post twice).
 */
export function chatWebhookReceiver(
  type: ReceiverType,
  what: string,
  settings: ChatWebhookSettings,
  message: (event: NotifyEvent) => Record<string, unknown>,
  delivered: (response: HttpResponse) => string = () => "posted",
): Receiver {
  return {
    type,
    name: settings.name ?? type,
    ...(settings.events ? { events: settings.events } : {}),
    accepts: (event) => accepts(settings.events, event),
    async deliver(event, send) {
      const response = await send(
        {
          method: "POST",
          url: settings.url,
          headers: { "content-type": "application/json; charset=utf-8", "user-agent": USER_AGENT },
          body: JSON.stringify(message(event)),
        },
        { idempotent: false, what },
      );
      return delivered(response);
    },
  };
}
