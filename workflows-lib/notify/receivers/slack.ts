import type { NotifyEvent } from "../event.ts";
import { chatWebhookReceiver, clip, SEVERITY_EMOJI, type ChatWebhookSettings, type Receiver } from "./receiver.ts";

/** Slack's mrkdwn needs only these three escaped; escaping `<` also stops `<!channel>`-style mentions. */
const mrkdwn = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A Block Kit message for an incoming webhook, within Slack's documented limits. */
export function slackMessage(event: NotifyEvent): Record<string, unknown> {
  const title = `${SEVERITY_EMOJI[event.severity]} ${event.title}`;
  const blocks: Record<string, unknown>[] = [{ type: "header", text: { type: "plain_text", text: clip(title, 150), emoji: true } }];
  if (event.text) blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(mrkdwn(event.text), 3000) } });
  if (event.facts.length > 0) {
    blocks.push({
      type: "section",
      fields: event.facts.slice(0, 10).map((fact) => ({ type: "mrkdwn", text: clip(`*${mrkdwn(fact.label)}*\n${mrkdwn(fact.value)}`, 2000) })),
    });
  }
  const buttons = event.links.filter((link) => link.url.length <= 3000).slice(0, 5);
  if (buttons.length > 0) {
    blocks.push({
      type: "actions",
      elements: buttons.map((link, i) => ({
        type: "button",
        text: { type: "plain_text", text: clip(link.label, 75), emoji: true },
        url: link.url,
        action_id: `alchkit-link-${i}`,
        ...(i === 0 && event.severity !== "failure" ? { style: "primary" } : {}),
      })),
    });
  }
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: clip(mrkdwn(`${event.repository} · ${event.type} · ${event.at}`), 3000) }] });
  // `text` is the notification and screen-reader fallback Slack asks for alongside blocks.
  return { text: clip(title, 3000), blocks };
}

export function slackReceiver(settings: ChatWebhookSettings): Receiver {
  return chatWebhookReceiver("slack", "Slack webhook", settings, slackMessage);
}
