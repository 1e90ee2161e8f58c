import type { NotifyEvent } from "./event.ts";

/**
 * Keeps secrets out of messages. A message is built from commit messages, error text and URLs, any of which
 * may carry a token by accident (an error that echoes a request, a URL with credentials). Every string of the
 * event loses the known secret values, credentials in URLs and tokens of well-known shapes.
 */
const TOKEN_SHAPES: RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, // Slack tokens
  /\bsntry[su]_[A-Za-z0-9+/=_-]{20,}/g, // Sentry auth tokens
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key ids
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/g,
];

export const REDACTED = "***";

export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first: a secret that contains another is removed whole.
  for (const secret of [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(REDACTED);
  }
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, REDACTED);
  // user:password@ in URLs.
  out = out.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi, `$1${REDACTED}@`);
  return out;
}

function redactValue<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === "string") return redactText(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, secrets)])) as T;
  }
  return value;
}

/** The event with every string field redacted (ids and SHAs are hex and stay as they are). */
export function redactEvent(event: NotifyEvent, secrets: readonly string[]): NotifyEvent {
  return redactValue(event, secrets);
}
