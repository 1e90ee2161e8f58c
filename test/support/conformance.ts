import { existsSync } from "node:fs";
import path from "node:path";

/** The conformance corpora live beside the clone (`../shared/conformance`), as CI lays them out. */
export const conformanceRoot = path.resolve(import.meta.dirname, "../../../shared/conformance");

/**
 * `false` where the corpus is present; otherwise the reason tests reading it are skipped (a clone without
 * shared/ beside it, e.g. the kit's own GitHub workflow).
 */
export function corpusSkip(sub: string): false | string {
  return existsSync(path.join(conformanceRoot, sub)) ? false : `conformance corpus ${sub} is not beside the repository`;
}
