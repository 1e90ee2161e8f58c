/** JSON Pointers (RFC 6901), the address every OpenAPI error and change in alchkit carries. */

export function escapeSegment(segment: string | number): string {
  return String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${escapeSegment(s)}`).join("");
}

/** Splits a pointer ("/paths/~1orders/get") or a fragment pointer ("#/paths/...", URI-encoded) into segments. */
export function parsePointer(pointer: string): string[] {
  let text = pointer;
  if (text.startsWith("#")) {
    text = text.slice(1);
    try {
      text = decodeURIComponent(text);
    } catch {
      // A fragment that is not valid percent-encoding is read as written.
    }
  }
  if (text === "") return [];
  if (!text.startsWith("/")) throw new Error(`not a JSON pointer: ${pointer}`);
  return text
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export type PointerLookup = { found: true; value: unknown } | { found: false; missing: string; parent: string };

/** Looks a pointer up in a parsed document, saying which segment is missing when it does not resolve. */
export function lookupPointer(root: unknown, segments: readonly string[]): PointerLookup {
  let node: unknown = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(segment) && Number(segment) < node.length) {
      node = node[Number(segment)];
    } else if (node !== null && typeof node === "object" && !Array.isArray(node) && Object.hasOwn(node, segment)) {
      node = (node as Record<string, unknown>)[segment];
    } else {
      return { found: false, missing: segment, parent: toPointer(segments.slice(0, i)) || "/" };
    }
  }
  return { found: true, value: node };
}
