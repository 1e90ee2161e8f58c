// Shape checks for each service's documented request format. Each returns the problems found (empty = valid).

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === "string";

function textObject(v: unknown, where: string, max: number, types: string[], problems: string[]): void {
  if (!isObject(v)) return void problems.push(`${where}: expected a text object`);
  if (!types.includes(String(v.type))) problems.push(`${where}.type: expected ${types.join(" or ")}`);
  if (!isString(v.text) || v.text.length === 0) problems.push(`${where}.text: expected a non-empty string`);
  else if (v.text.length > max) problems.push(`${where}.text: ${v.text.length} characters, at most ${max}`);
}

function httpUrl(v: unknown, where: string, max: number, problems: string[]): void {
  if (!isString(v)) return void problems.push(`${where}: expected a URL`);
  if (v.length > max) problems.push(`${where}: longer than ${max}`);
  try {
    if (!/^https?:$/.test(new URL(v).protocol)) problems.push(`${where}: expected http(s)`);
  } catch {
    problems.push(`${where}: not a URL`);
  }
}

/** Slack incoming webhook with Block Kit (api.slack.com/reference/block-kit/blocks). */
export function slackProblems(body: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(body)) return ["body: expected a JSON object"];
  const known = ["text", "blocks", "attachments", "thread_ts", "mrkdwn", "unfurl_links", "unfurl_media", "username", "icon_emoji", "icon_url", "channel"];
  for (const key of Object.keys(body)) if (!known.includes(key)) problems.push(`${key}: not a field of an incoming webhook message`);
  if (!isString(body.text) && !Array.isArray(body.blocks)) problems.push("text or blocks: one is required");
  if (isString(body.text) && body.text.length > 40_000) problems.push("text: too long");
  if (body.blocks === undefined) return problems;
  if (!Array.isArray(body.blocks)) return [...problems, "blocks: expected an array"];
  if (body.blocks.length > 50) problems.push("blocks: at most 50");
  const actionIds = new Set<string>();
  body.blocks.forEach((block: unknown, i: number) => {
    const at = `blocks[${i}]`;
    if (!isObject(block)) return void problems.push(`${at}: expected an object`);
    switch (block.type) {
      case "header":
        textObject(block.text, `${at}.text`, 150, ["plain_text"], problems);
        break;
      case "section":
        if (block.text === undefined && block.fields === undefined) problems.push(`${at}: text or fields required`);
        if (block.text !== undefined) textObject(block.text, `${at}.text`, 3000, ["plain_text", "mrkdwn"], problems);
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields) || block.fields.length === 0 || block.fields.length > 10) problems.push(`${at}.fields: 1 to 10 items`);
          else block.fields.forEach((f: unknown, j: number) => textObject(f, `${at}.fields[${j}]`, 2000, ["plain_text", "mrkdwn"], problems));
        }
        break;
      case "actions":
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25) {
          problems.push(`${at}.elements: 1 to 25 items`);
          break;
        }
        block.elements.forEach((e: unknown, j: number) => {
          const where = `${at}.elements[${j}]`;
          if (!isObject(e) || e.type !== "button") return void problems.push(`${where}: expected a button`);
          textObject(e.text, `${where}.text`, 75, ["plain_text"], problems);
          if (e.url !== undefined) httpUrl(e.url, `${where}.url`, 3000, problems);
          if (e.style !== undefined && !["primary", "danger"].includes(String(e.style))) problems.push(`${where}.style: primary or danger`);
          if (isString(e.action_id)) {
            if (e.action_id.length > 255) problems.push(`${where}.action_id: at most 255`);
            if (actionIds.has(e.action_id)) problems.push(`${where}.action_id: duplicate ${e.action_id}`);
            actionIds.add(e.action_id);
          }
        });
        break;
      case "context":
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10) problems.push(`${at}.elements: 1 to 10 items`);
        else block.elements.forEach((e: unknown, j: number) => textObject(e, `${at}.elements[${j}]`, 3000, ["plain_text", "mrkdwn"], problems));
        break;
      case "divider":
        break;
      default:
        problems.push(`${at}.type: ${String(block.type)} is not a block the kit should send`);
    }
  });
  return problems;
}

/** Discord execute webhook (discord.com/developers/docs/resources/webhook#execute-webhook, embed limits). */
export function discordProblems(body: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(body)) return ["body: expected a JSON object"];
  const known = ["content", "username", "avatar_url", "tts", "embeds", "allowed_mentions", "components", "flags", "thread_name", "applied_tags", "poll", "attachments"];
  for (const key of Object.keys(body)) if (!known.includes(key)) problems.push(`${key}: not a field of execute webhook`);
  const embeds = body.embeds;
  if (!isString(body.content) && !Array.isArray(embeds)) problems.push("content or embeds: one is required");
  if (isString(body.content) && body.content.length > 2000) problems.push("content: at most 2000 characters");
  if (isString(body.username) && (body.username.length > 80 || /discord|clyde/i.test(body.username))) problems.push("username: invalid");
  if (body.allowed_mentions !== undefined) {
    const parse = isObject(body.allowed_mentions) ? body.allowed_mentions.parse : undefined;
    if (!Array.isArray(parse) || parse.some((p) => !["roles", "users", "everyone"].includes(String(p)))) problems.push("allowed_mentions.parse: roles, users, everyone");
  }
  if (!Array.isArray(embeds)) return problems;
  if (embeds.length > 10) problems.push("embeds: at most 10");
  let total = 0;
  embeds.forEach((embed: unknown, i: number) => {
    const at = `embeds[${i}]`;
    if (!isObject(embed)) return void problems.push(`${at}: expected an object`);
    const limit = (value: unknown, where: string, max: number, required = false) => {
      if (value === undefined) {
        if (required) problems.push(`${where}: required`);
        return;
      }
      if (!isString(value)) return void problems.push(`${where}: expected a string`);
      if (required && value.trim() === "") problems.push(`${where}: must not be empty`);
      if (value.length > max) problems.push(`${where}: ${value.length} characters, at most ${max}`);
      total += value.length;
    };
    limit(embed.title, `${at}.title`, 256);
    limit(embed.description, `${at}.description`, 4096);
    if (embed.url !== undefined) httpUrl(embed.url, `${at}.url`, 2048, problems);
    if (embed.color !== undefined && !(Number.isInteger(embed.color) && (embed.color as number) >= 0 && (embed.color as number) <= 0xffffff)) {
      problems.push(`${at}.color: an integer 0..16777215`);
    }
    if (embed.timestamp !== undefined && (!isString(embed.timestamp) || Number.isNaN(Date.parse(embed.timestamp)))) problems.push(`${at}.timestamp: ISO8601`);
    if (embed.footer !== undefined) limit(isObject(embed.footer) ? embed.footer.text : undefined, `${at}.footer.text`, 2048, true);
    if (embed.fields !== undefined) {
      if (!Array.isArray(embed.fields) || embed.fields.length > 25) problems.push(`${at}.fields: at most 25`);
      else
        embed.fields.forEach((f: unknown, j: number) => {
          if (!isObject(f)) return void problems.push(`${at}.fields[${j}]: expected an object`);
          limit(f.name, `${at}.fields[${j}].name`, 256, true);
          limit(f.value, `${at}.fields[${j}].value`, 1024, true);
          if (f.inline !== undefined && typeof f.inline !== "boolean") problems.push(`${at}.fields[${j}].inline: boolean`);
        });
    }
  });
  if (total > 6000) problems.push(`embeds: ${total} characters in all, at most 6000`);
  return problems;
}

/** Teams workflow webhook: a message with Adaptive Card attachments (adaptivecards.io schema, up to 1.5). */
export function teamsProblems(body: unknown, raw: string): string[] {
  const problems: string[] = [];
  if (Buffer.byteLength(raw) > 28 * 1024) problems.push("body: larger than 28 KB");
  if (!isObject(body)) return ["body: expected a JSON object"];
  if (body.type !== "message") problems.push('type: expected "message"');
  if (!Array.isArray(body.attachments) || body.attachments.length === 0) return [...problems, "attachments: at least one"];
  body.attachments.forEach((attachment: unknown, i: number) => {
    const at = `attachments[${i}]`;
    if (!isObject(attachment)) return void problems.push(`${at}: expected an object`);
    if (attachment.contentType !== "application/vnd.microsoft.card.adaptive") problems.push(`${at}.contentType: application/vnd.microsoft.card.adaptive`);
    const card = attachment.content;
    if (!isObject(card)) return void problems.push(`${at}.content: expected a card`);
    if (card.type !== "AdaptiveCard") problems.push(`${at}.content.type: AdaptiveCard`);
    if (!isString(card.version) || !/^1\.[0-5]$/.test(card.version)) problems.push(`${at}.content.version: 1.0 to 1.5`);
    if (!Array.isArray(card.body)) return void problems.push(`${at}.content.body: expected an array`);
    card.body.forEach((element: unknown, j: number) => {
      const where = `${at}.content.body[${j}]`;
      if (!isObject(element)) return void problems.push(`${where}: expected an element`);
      if (element.type === "TextBlock") {
        if (!isString(element.text) || element.text === "") problems.push(`${where}.text: required`);
        if (element.color !== undefined && !["Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention"].includes(String(element.color))) problems.push(`${where}.color: invalid`);
      } else if (element.type === "FactSet") {
        if (!Array.isArray(element.facts) || element.facts.some((f: unknown) => !isObject(f) || !isString(f.title) || !isString(f.value))) problems.push(`${where}.facts: [{title, value}]`);
      } else problems.push(`${where}.type: ${String(element.type)} is not an element the kit should send`);
    });
    if (card.actions !== undefined) {
      if (!Array.isArray(card.actions)) problems.push(`${at}.content.actions: expected an array`);
      else
        card.actions.forEach((action: unknown, j: number) => {
          const where = `${at}.content.actions[${j}]`;
          if (!isObject(action) || action.type !== "Action.OpenUrl") return void problems.push(`${where}: Action.OpenUrl`);
          if (!isString(action.title)) problems.push(`${where}.title: required`);
          httpUrl(action.url, `${where}.url`, 4096, problems);
        });
    }
  });
  return problems;
}

/** The generic webhook as docs/notify.md documents it. */
export function webhookProblems(body: unknown, headers: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (!isObject(body)) return ["body: expected a JSON object"];
  if (body.version !== 1) problems.push("version: expected 1");
  for (const key of ["delivery", "event", "severity", "title", "repository", "at"]) if (!isString(body[key])) problems.push(`${key}: expected a string`);
  if (!Array.isArray(body.facts)) problems.push("facts: expected an array");
  if (!Array.isArray(body.links)) problems.push("links: expected an array");
  if (headers["x-alchkit-delivery"] !== body.delivery) problems.push("X-Alchkit-Delivery: must equal the body's delivery");
  if (headers["idempotency-key"] !== body.delivery) problems.push("Idempotency-Key: must equal the body's delivery");
  if (headers["x-alchkit-event"] !== body.event) problems.push("X-Alchkit-Event: must equal the body's event");
  return problems;
}

/** Sentry release names (docs.sentry.io: release naming). */
export function sentryVersionProblem(version: unknown): string | undefined {
  if (!isString(version) || version.trim() === "") return "version: required";
  if (version.length > 200) return "version: at most 200 characters";
  if (/[\n\t\\/]/.test(version) || [".", "..", " ", "latest"].includes(version)) return "version: contains characters or is a name Sentry does not allow";
  return undefined;
}

/** Sentry environment names: no newlines, spaces or slashes, at most 64 characters. */
export function sentryEnvironmentProblem(environment: unknown): string | undefined {
  if (!isString(environment) || environment === "") return "environment: required";
  if (environment.length > 64 || /[\s/]/.test(environment) || environment === "none") return "environment: not a valid Sentry environment name";
  return undefined;
}
