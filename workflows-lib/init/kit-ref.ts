import { kitRefs } from "../release/kit-pins.ts";

/**
 * The release of the kit that `alchkit init`'s workflows call by default: the one the kit's own README tells
 * users to pin. A release pins every kit reference of README and docs to itself (`@v1.4.0`), so a released kit
 * writes its exact version; between releases the docs' floating `@v1`. One truth, whatever package.json's
 * version says meanwhile. Undefined when the text names no release.
 */
export function documentedKitRef(readme: string): string | undefined {
  const counts = new Map<string, number>();
  for (const { ref } of kitRefs(readme)) if (/^v\d/.test(ref)) counts.set(ref, (counts.get(ref) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}
