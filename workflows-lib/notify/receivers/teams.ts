import type { NotifyEvent } from "../event.ts";
import { chatWebhookReceiver, clip, SEVERITY_EMOJI, type ChatWebhookSettings, type Receiver } from "./receiver.ts";

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

export function teamsReceiver(settings: ChatWebhookSettings): Receiver {
  return chatWebhookReceiver("teams", "Teams webhook", settings, teamsMessage);
}
