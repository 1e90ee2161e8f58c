/**
 * XML text helpers. Everything that goes into a feed passes `xmlText` or `xmlAttr`: the five special characters
 * are escaped and characters XML 1.0 forbids (C0 controls except tab/newline/return, lone surrogates,
 * U+FFFE/U+FFFF) are removed, because a single one makes the whole document unreadable to a feed reader.
 */

// Characters outside XML 1.0's Char production. A lone surrogate half is not a Char either.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Cheap pre-check: most text has none of these, and then the exact (slower) pattern never runs.
const MAYBE_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function stripForbiddenChars(text: string): string {
  return MAYBE_FORBIDDEN.test(text) ? text.replace(FORBIDDEN, "") : text;
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

export function xmlText(text: string): string {
  return stripForbiddenChars(text).replace(/[&<>]/g, (c) => ENTITIES[c]!);
}

export function xmlAttr(text: string): string {
  return stripForbiddenChars(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** `<name attr="…">text</name>`; attributes with undefined values are left out. */
export function element(name: string, text: string, attrs: Record<string, string | undefined> = {}): string {
  return `<${name}${attributes(attrs)}>${xmlText(text)}</${name}>`;
}

export function emptyElement(name: string, attrs: Record<string, string | undefined>): string {
  return `<${name}${attributes(attrs)}/>`;
}

function attributes(attrs: Record<string, string | undefined>): string {
  return Object.entries(attrs)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${xmlAttr(value)}"`)
    .join("");
}
