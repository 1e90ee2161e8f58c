// Media type names: parsing (type, subtype, +suffix, parameters), and when one name covers another —
// `application/json` and `application/problem+json`, or the same name with other parameters — so that a
// renamed media type is compared with its old self instead of reported as removed and added.

export interface MediaTypeName {
  type: string;
  subtype: string;
  suffix: string;
  params: Map<string, string>;
}

export function parseMediaType(name: string): MediaTypeName | undefined {
  const [head, ...rest] = name.split(";");
  const parts = head!.trim().toLowerCase().split("/");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  const subParts = parts[1].split("+");
  if (subParts.length > 2 || (subParts.length === 2 && subParts[1]!.trim() === "")) return undefined;
  const params = new Map<string, string>();
  for (const param of rest) {
    const eq = param.indexOf("=");
    if (eq < 0) {
      if (param.trim() === "") continue;
      return undefined;
    }
    const key = param.slice(0, eq).trim().toLowerCase();
    let value = param.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!key) return undefined;
    params.set(key, value);
  }
  return { type: parts[0].trim(), subtype: subParts[0]!.trim(), suffix: subParts[1]?.trim() ?? "", params };
}

export const bareName = (m: MediaTypeName) => `${m.type}/${m.subtype}${m.suffix ? `+${m.suffix}` : ""}`;

/** `outer` covers `inner`: the same type and subtype (other parameters), or `x/y` and `x/z+y`. */
export function mediaTypeContained(outer: string, inner: string): boolean {
  const a = parseMediaType(outer);
  const b = parseMediaType(inner);
  if (!a || !b || a.type !== b.type) return false;
  if (a.suffix === "" && b.suffix !== "" && b.suffix === a.subtype) return true;
  return a.subtype === b.subtype && a.suffix === b.suffix;
}

export const mediaTypesEquivalent = (a: string, b: string) => mediaTypeContained(a, b) || mediaTypeContained(b, a);

export interface ContentPairs {
  added: string[];
  deleted: string[];
  /** Media types on both sides (by name, or an equivalent renamed one): base name, revision name. */
  common: Array<[base: string, revision: string]>;
}

/** Pairs the media types of two `content` maps: same names, then renamed equivalents. */
export function pairContent(base: readonly string[], revision: readonly string[]): ContentPairs {
  const inR = new Set(revision);
  const inB = new Set(base);
  const common: Array<[string, string]> = [...base].sort().filter((n) => inR.has(n)).map((n) => [n, n]);
  const deleted = [...base].sort().filter((n) => !inR.has(n));
  const added: string[] = [];
  const paired = new Set<string>();
  for (const name of [...revision].sort().filter((n) => !inB.has(n))) {
    const match = deleted.find((old) => !paired.has(old) && mediaTypesEquivalent(name, old));
    if (match) {
      paired.add(match);
      common.push([match, name]);
    } else added.push(name);
  }
  return { added, deleted: deleted.filter((n) => !paired.has(n)), common };
}

export const isJsonMediaType = (name: string) => name === "application/json" || name.endsWith("+json");
