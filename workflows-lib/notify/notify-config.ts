import { z } from "zod";
import { InputError } from "../errors.ts";
import { EVENT_TYPES, type EventType } from "./event.ts";
import { discordReceiver } from "./receivers/discord.ts";
import { RECEIVER_TYPES, type Receiver, type ReceiverType } from "./receivers/receiver.ts";
import { sentryReceiver } from "./receivers/sentry.ts";
import { slackReceiver } from "./receivers/slack.ts";
import { teamsReceiver } from "./receivers/teams.ts";
import { webhookReceiver } from "./receivers/webhook.ts";

/**
 * Where receivers come from. Secrets (webhook URLs carry their token; signing secrets, Sentry tokens) are
 * never written in the configuration: it names the environment variable that holds each one.
 */
const envRef = z
  .object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "an environment variable name" }) })
  .strict()
  .describe("The environment variable holding the value, e.g. {\"env\": \"SLACK_WEBHOOK_URL\"}");
const events = z.array(z.enum(EVENT_TYPES)).min(1).optional().describe("Events this receiver gets (default: all)");
const name = z.string().regex(/^[\w.-]{1,40}$/, { error: "a short name (letters, digits, '.', '_', '-')" }).optional().describe("Name in logs and reports");

const receiverSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("slack"), name, url: envRef.default({ env: "SLACK_WEBHOOK_URL" }), events }).strict(),
  z.object({ type: z.literal("discord"), name, url: envRef.default({ env: "DISCORD_WEBHOOK_URL" }), events }).strict(),
  z.object({ type: z.literal("teams"), name, url: envRef.default({ env: "TEAMS_WEBHOOK_URL" }), events }).strict(),
  z
    .object({
      type: z.literal("webhook"),
      name,
      url: z.union([z.url({ protocol: /^https?$/, error: "an http(s) URL" }), envRef]).default({ env: "ALCHKIT_WEBHOOK_URL" }),
      secret: envRef.default({ env: "ALCHKIT_WEBHOOK_SECRET" }).describe("Signing secret (HMAC-SHA256 of the body in X-Alchkit-Signature)"),
      events,
    })
    .strict(),
  z
    .object({
      type: z.literal("sentry"),
      name,
      url: z.url({ protocol: /^https?$/, error: "an http(s) URL" }).optional().describe("Sentry's address (default https://sentry.io)"),
      organization: z.string().min(1).describe("Organization slug"),
      projects: z.array(z.string().min(1)).min(1).describe("Project slugs the release belongs to"),
      release: z.string().includes("{", { error: "a template with {sha} or {short}" }).default("{sha}").describe("Release name; {sha} and {short} are replaced"),
      token: envRef.default({ env: "SENTRY_AUTH_TOKEN" }),
      events,
    })
    .strict(),
]);

export const notifyConfigSchema = z
  .object({
    receivers: z.array(receiverSchema).default([]).describe("Where to send events; empty: every receiver whose environment variables are set"),
    failOnError: z.boolean().default(false).describe("Fail the step when a receiver cannot be reached (default: report it and go on)"),
  })
  .strict()
  .describe("Notifications: Slack, Discord, Microsoft Teams, a signed generic webhook, Sentry releases and deploys");
export type NotifyConfig = z.output<typeof notifyConfigSchema>;
type ReceiverConfig = z.output<typeof receiverSchema>;

/** `auto`: every receiver that is configured or whose variables are set; `off`: none; or a list of types. */
export type ReceiverSelection = "auto" | "off" | ReceiverType[];

export function parseSelection(value: string, inputName: string): ReceiverSelection {
  const text = value.trim();
  if (text === "" || text === "auto") return "auto";
  if (text === "off" || text === "none" || text === "false") return "off";
  const items = text.split(/[\s,]+/).filter(Boolean);
  for (const item of items) {
    if (!(RECEIVER_TYPES as readonly string[]).includes(item)) {
      throw new InputError(inputName, `auto, off, or a list of ${RECEIVER_TYPES.join(", ")}`, `"${item}" is none of them`);
    }
  }
  return [...new Set(items)] as ReceiverType[];
}

/** Variables each receiver reads when the configuration has no receivers (sentry-cli's names for Sentry). */
export const DEFAULT_VARIABLES = {
  slack: ["SLACK_WEBHOOK_URL"],
  discord: ["DISCORD_WEBHOOK_URL"],
  teams: ["TEAMS_WEBHOOK_URL"],
  webhook: ["ALCHKIT_WEBHOOK_URL", "ALCHKIT_WEBHOOK_SECRET"],
  sentry: ["SENTRY_AUTH_TOKEN", "SENTRY_ORG", "SENTRY_PROJECT", "SENTRY_URL"],
} as const satisfies Record<ReceiverType, readonly string[]>;

export interface ResolvedReceivers {
  receivers: Receiver[];
  /** Every secret value the receivers hold: masked in logs, removed from messages. */
  secrets: string[];
}

const present = (env: Record<string, string | undefined>, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value ? value : undefined;
};

function fromConfig(config: ReceiverConfig, env: Record<string, string | undefined>, where: string, secrets: string[]): Receiver {
  const read = (ref: { env: string }, key: string, secret: boolean): string => {
    const value = present(env, ref.env);
    if (!value) throw new InputError(`${where}.${key}`, `the environment variable ${ref.env} to be set`, `it is empty here`);
    if (secret) secrets.push(value);
    return value;
  };
  const named = config.name ? { name: config.name } : {};
  const filter = config.events ? { events: config.events as EventType[] } : {};
  switch (config.type) {
    case "slack":
      return slackReceiver({ ...named, ...filter, url: checkedUrl(read(config.url, "url", true), `${where}.url`) });
    case "discord":
      return discordReceiver({ ...named, ...filter, url: checkedUrl(read(config.url, "url", true), `${where}.url`) });
    case "teams":
      return teamsReceiver({ ...named, ...filter, url: checkedUrl(read(config.url, "url", true), `${where}.url`) });
    case "webhook": {
      const url = typeof config.url === "string" ? config.url : checkedUrl(read(config.url, "url", true), `${where}.url`);
      return webhookReceiver({ ...named, ...filter, url, secret: read(config.secret, "secret", true) });
    }
    case "sentry":
      return sentryReceiver({
        ...named,
        ...filter,
        ...(config.url ? { url: config.url } : {}),
        token: read(config.token, "token", true),
        organization: config.organization,
        projects: config.projects,
        release: config.release,
      });
  }
}

function checkedUrl(value: string, where: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "https:" || url.protocol === "http:") return value;
  } catch {
    // reported below
  }
  // Never echo the value: a webhook URL is a credential.
  throw new InputError(where, "an http(s) URL", "the value set is not one");
}

/** Receivers from the environment alone (no configured receivers): each one whose variables are set. */
function fromEnvironment(env: Record<string, string | undefined>, wanted: ReceiverType[] | undefined): ReceiverConfig[] {
  const configs: ReceiverConfig[] = [];
  const want = (type: ReceiverType) => wanted === undefined || wanted.includes(type);
  const missing = (type: ReceiverType, variable: string) => {
    throw new InputError(variable, `a value: the ${type} receiver needs ${DEFAULT_VARIABLES[type].filter((v) => v !== "SENTRY_URL").join(", ")}`);
  };
  for (const type of ["slack", "discord", "teams"] as const) {
    const variable = DEFAULT_VARIABLES[type][0];
    if (present(env, variable) && want(type)) configs.push({ type, url: { env: variable } });
    else if (wanted?.includes(type)) missing(type, variable);
  }
  if (want("webhook") && (present(env, "ALCHKIT_WEBHOOK_URL") || wanted?.includes("webhook"))) {
    if (!present(env, "ALCHKIT_WEBHOOK_URL")) missing("webhook", "ALCHKIT_WEBHOOK_URL");
    if (!present(env, "ALCHKIT_WEBHOOK_SECRET")) missing("webhook", "ALCHKIT_WEBHOOK_SECRET");
    configs.push({ type: "webhook", url: { env: "ALCHKIT_WEBHOOK_URL" }, secret: { env: "ALCHKIT_WEBHOOK_SECRET" } });
  }
  if (want("sentry") && (present(env, "SENTRY_AUTH_TOKEN") || wanted?.includes("sentry"))) {
    for (const variable of ["SENTRY_AUTH_TOKEN", "SENTRY_ORG", "SENTRY_PROJECT"]) if (!present(env, variable)) missing("sentry", variable);
    const url = present(env, "SENTRY_URL");
    configs.push({
      type: "sentry",
      token: { env: "SENTRY_AUTH_TOKEN" },
      organization: present(env, "SENTRY_ORG")!,
      projects: present(env, "SENTRY_PROJECT")!.split(/[\s,]+/).filter(Boolean),
      release: "{sha}",
      ...(url ? { url: checkedUrl(url, "SENTRY_URL") } : {}),
    });
  }
  return configs;
}

/**
 * The receivers to use: the configuration's list when it has one (narrowed by a selection list), else every
 * receiver whose variables are set. A receiver named explicitly (in the configuration or the selection) whose
 * variables are missing is an InputError naming the variable — never a silent skip.
 */
export function resolveReceivers(
  config: NotifyConfig | undefined,
  env: Record<string, string | undefined>,
  selection: ReceiverSelection,
  where = "notify",
): ResolvedReceivers {
  const secrets: string[] = [];
  if (selection === "off") return { receivers: [], secrets };
  const wanted = selection === "auto" ? undefined : selection;
  const configured = config?.receivers ?? [];
  if (configured.length > 0) {
    const receivers = configured
      .map((receiver, i) => ({ receiver, i }))
      .filter(({ receiver }) => wanted === undefined || wanted.includes(receiver.type))
      .map(({ receiver, i }) => fromConfig(receiver, env, `${where}.receivers[${i}]`, secrets));
    for (const type of wanted ?? []) {
      if (!configured.some((receiver) => receiver.type === type)) {
        throw new InputError("notify", `receivers configured in ${where}.receivers`, `${type} is not among them`);
      }
    }
    return { receivers, secrets };
  }
  const receivers = fromEnvironment(env, wanted).map((receiver, i) => fromConfig(receiver, env, `${where}[${i}]`, secrets));
  return { receivers, secrets };
}
