import type { AlchkitConfig } from "../config/config-schema.ts";

/** The two environments the promotion workflows move a commit through, by their role. */
export interface EnvironmentNames {
  /** Where pushes to main deploy (the first environment named like "staging", else the first). */
  staging: string;
  /** Where a promotion goes, behind required reviewers (named like "production", else the second). */
  production: string;
}

/**
 * The environment names of the kit's configuration, by role: the workflows init writes and the GitHub
 * environments `init --protect` creates use the same names. Pure.
 */
export function environmentNames(config: Pick<AlchkitConfig, "environments">): EnvironmentNames {
  const names = Object.keys(config.environments);
  return {
    staging: names.find((n) => /stag/i.test(n)) ?? names[0] ?? "staging",
    production: names.find((n) => /prod/i.test(n)) ?? names[1] ?? "production",
  };
}
