import { mkdirSync } from "node:fs";
import path from "node:path";

/**
 * Where tests keep files worth looking at after a run (screenshots): `ALCHKIT_TEST_ARTIFACTS`, else
 * `test-results/` in the clone (ignored by git; the kit's CI uploads it).
 */
export function artifactPath(name: string): string {
  const dir = process.env.ALCHKIT_TEST_ARTIFACTS ?? path.resolve(import.meta.dirname, "../../test-results");
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
