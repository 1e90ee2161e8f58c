import { createHash } from "node:crypto";
import { InputError } from "../errors.ts";

/** Cloudflare limits a Worker name to 63 characters; Alchemy names Workers `<app>-<resource>-<stage>`. */
export const WORKER_NAME_MAX = 63;

/** Stages `destroy` refuses unless the caller removes them from the list on purpose. */
export const DEFAULT_PROTECTED_STAGES = ["prod", "production", "staging"] as const;

export interface StageNameOptions {
  /**
   * Everything Alchemy puts before the stage in the longest Worker name, e.g. `consumer-app-api`.
   * The stage is shortened so `<prefix>-<stage>` fits in 63 characters. Default: no prefix.
   */
  prefix?: string;
  /** Upper bound for the stage alone, whatever the prefix. Default 63. */
  maxLength?: number;
}

/**
 * Turns a branch name or free text into a stage name Alchemy and Cloudflare accept: lower case, `a-z0-9-`,
 * no leading/trailing or repeated dashes. A name that is too long keeps its start and gets a 6-character hash
 * of the original, so two long branches with the same start still get different stages.
 */
export function normalizeStage(raw: string, options: StageNameOptions = {}): string {
  const cleaned = raw
    .trim()
    .replace(/^refs\/heads\//, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (cleaned === "") {
    throw new InputError("stage", "a name with at least one letter or digit", `got ${JSON.stringify(raw)}`);
  }
  const prefix = options.prefix ?? "";
  const budget = Math.min(options.maxLength ?? WORKER_NAME_MAX, WORKER_NAME_MAX - (prefix ? prefix.length + 1 : 0));
  if (budget < 8) {
    throw new InputError(
      "stage",
      `an app and resource name short enough to leave room for a stage within ${WORKER_NAME_MAX} characters`,
      `"${prefix}" leaves ${Math.max(budget, 0)}`,
    );
  }
  if (cleaned.length <= budget) return cleaned;
  const hash = createHash("sha256").update(raw).digest("hex").slice(0, 6);
  const head = cleaned.slice(0, budget - hash.length - 1).replace(/-+$/, "");
  return `${head}-${hash}`;
}

/** Stage names as the user must pass them when they are not normalized for them (e.g. `--stage`). */
export function isValidStage(stage: string): boolean {
  return /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(stage) && !stage.includes("--") && stage.length <= WORKER_NAME_MAX;
}

/**
 * Throws when `stage` is protected. Compared case-insensitively: `Prod` is as protected as `prod`.
 */
export function assertDestroyable(stage: string, protectedStages: readonly string[] = DEFAULT_PROTECTED_STAGES): void {
  const hit = protectedStages.find((p) => p.toLowerCase() === stage.toLowerCase());
  if (hit !== undefined) {
    throw new InputError(
      "stage",
      `a stage that is not protected (protected: ${protectedStages.join(", ")})`,
      `refusing to destroy "${stage}" (to stop a local environment and keep its data: alchkit env down --env <environment> --local; ` +
        "destroy protected stages with Alchemy directly if you really mean it)",
    );
  }
}
