import type { NotifyEvent } from "../event.ts";
import { chatWebhookReceiver, clip, SEVERITY_COLOR, SEVERITY_EMOJI, type ChatWebhookSettings, type Receiver } from "./receiver.ts";

/** Discord markdown: escape what would format or quote; mentions are disabled through allowed_mentions. */
const markdown = (text: string): string =>
  text.replace(/([\\*_~`|[\]])/g, "\\$1").replace(/^([>#-])/gm, "\\$1");

/** An execute-webhook body with one embed, within Discord's documented limits (6000 characters per embed). */
export function discordMessage(event: NotifyEvent): Record<string, unknown> {
  const title = clip(`${SEVERITY_EMOJI[event.severity]} ${event.title}`, 256);
  const fields = event.facts.slice(0, 24).map((fact) => ({ name: clip(fact.label, 256), value: clip(fact.value || "—", 1024), inline: true }));
  if (event.links.length > 0) {
    fields.push({
      name: "Links",
      value: clip(event.links.map((link) => `[${markdown(link.label)}](${link.url})`).join(" · "), 1024),
      inline: false,
    });
  }
  const description = event.text ? clip(markdown(event.text), 4096 - 1) : undefined;
  const footer = clip(`${event.repository} · ${event.type}`, 2048);
  return {
    username: "alchkit",
    // Never ping @everyone, roles or users from a commit message or an error text.
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title,
        ...(description ? { description } : {}),
        ...(event.links[0] ? { url: event.links[0].url } : {}),
        color: SEVERITY_COLOR[event.severity],
        fields,
        footer: { text: footer },
        timestamp: event.at,
      },
    ],
  };
}

export function discordReceiver(settings: ChatWebhookSettings): Receiver {
  const url = new URL(settings.url);
  // wait=true: Discord answers with the message it created (200) instead of 204, so "posted" is certain.
  url.searchParams.set("wait", "true");
  return chatWebhookReceiver("discord", "Discord webhook", { ...settings, url: url.toString() }, discordMessage, (response) => {
    const id = safeId(response.body);
    return id ? `message ${id}` : "posted";
  });
}

function safeId(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { id?: unknown };
    return typeof parsed.id === "string" ? parsed.id : undefined;
  } catch {
    return undefined;
  }
}
