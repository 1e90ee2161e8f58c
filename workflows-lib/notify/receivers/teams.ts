import type { EventType, NotifyEvent } from "../event.ts";
import { accepts, clip, SEVERITY_EMOJI, USER_AGENT, type Receiver } from "./receiver.ts";

const COLOR = { success: "Good", warning: "Warning", failure: "Attention", info: "Accent" } as const;

/**
 * A message with one Adaptive Card (schema 1.4), the body a Teams "Post to a channel when a webhook request
 * is received" workflow accepts (and the older Office 365 connector webhooks too).
 */
export function teamsMessage(event: NotifyEvent): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    {
      type: "TextBlock",
      text: clip(`${SEVERITY_EMOJI[event.severity]} ${event.title}`, 1000),
      weight: "Bolder",
      size: "Medium",
      color: COLOR[event.severity],
      wrap: true,
    },
  ];
  if (event.text) body.push({ type: "TextBlock", text: clip(event.text, 4000), wrap: true });
  if (event.facts.length > 0) body.push({ type: "FactSet", facts: event.facts.map((fact) => ({ title: fact.label, value: fact.value })) });
  body.push({ type: "TextBlock", text: `${event.repository} · ${event.type} · ${event.at}`, isSubtle: true, size: "Small", wrap: true });
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          msteams: { width: "Full" },
          body,
          ...(event.links.length > 0
            ? { actions: event.links.slice(0, 5).map((link) => ({ type: "Action.OpenUrl", title: clip(link.label, 100), url: link.url })) }
            : {}),
        },
      },
    ],
  };
}

export function teamsReceiver(settings: { name?: string; url: string; events?: readonly EventType[] }): Receiver {
  return {
    type: "teams",
    name: settings.name ?? "teams",
    ...(settings.events ? { events: settings.events } : {}),
    accepts: (event) => accepts(settings.events, event),
    async deliver(event, send) {
      await send(
        {
          method: "POST",
          url: settings.url,
          headers: { "content-type": "application/json", "user-agent": USER_AGENT },
          body: JSON.stringify(teamsMessage(event)),
        },
        { idempotent: false, what: "Teams webhook" },
      );
      return "posted";
    },
  };
}
