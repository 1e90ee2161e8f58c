/**
 * The Node.js versions alchkit supports, which are Alchemy's: its CLI runs alchemy.run.ts with type stripping,
 * which Node has from 22.6. package.json's `engines.node` says `>=` this version (the CLI's executable, which
 * must start on any Node to say so, reads it there; a test keeps the two and the docs in step). 24 is what the
 * kit's actions run on.
 */
export const MIN_NODE_VERSION = "22.6.0";
export const RECOMMENDED_NODE_MAJOR = 24;

const parts = (version: string) => version.replace(/^v/, "").split(".").map((part) => Number.parseInt(part, 10) || 0);

export function nodeSupported(version: string): boolean {
  const have = parts(version);
  const need = parts(MIN_NODE_VERSION);
  for (let i = 0; i < need.length; i++) if ((have[i] ?? 0) !== need[i]) return (have[i] ?? 0) > need[i]!;
  return true;
}

/** `22.6` of `22.6.0`: how the docs and messages write the minimum. */
export const MIN_NODE_SHORT = MIN_NODE_VERSION.replace(/\.0$/, "");
