/**
 * Alchemy uses CLOUDFLARE_API_TOKEN / CLOUDFLARE_API_KEY from the environment before any profile, and
 * CLOUDFLARE_ACCOUNT_ID / CF_ACCOUNT_ID before the profile's account (alchemy issue #1285): a job that sets
 * both silently deploys with the variables. CLOUDFLARE_PROFILE / ALCHEMY_PROFILE pick another profile when
 * no --profile is passed.
 */
export const OVERRIDING_VARIABLES = [
  { name: "CLOUDFLARE_API_TOKEN", effect: "replaces the profile's API token" },
  { name: "CLOUDFLARE_API_KEY", effect: "replaces the profile's credentials with a global API key" },
  { name: "CLOUDFLARE_ACCOUNT_ID", effect: "replaces the profile's account id" },
  { name: "CF_ACCOUNT_ID", effect: "replaces the profile's account id" },
  { name: "CLOUDFLARE_PROFILE", effect: "selects another profile when --profile is not passed" },
  { name: "ALCHEMY_PROFILE", effect: "selects another profile when --profile is not passed" },
] as const;

export interface EnvOverride {
  name: string;
  effect: string;
}

/** The variables set (non-empty) in `env` that would take precedence over profile `profile`. */
export function findEnvOverrides(env: Record<string, string | undefined>, profile: string): EnvOverride[] {
  return OVERRIDING_VARIABLES.filter(({ name }) => {
    const value = env[name];
    if (!value) return false;
    // selecting the very profile we write is harmless
    if ((name === "CLOUDFLARE_PROFILE" || name === "ALCHEMY_PROFILE") && value === profile) return false;
    return true;
  }).map(({ name, effect }) => ({ name, effect }));
}

export function describeOverrides(overrides: EnvOverride[], profile: string): string {
  return (
    `${overrides.map((o) => `${o.name} ${o.effect}`).join("; ")}. Alchemy prefers these environment variables ` +
    `over profile "${profile}" (alchemy issue #1285): remove them from the job's env so the profile is used.`
  );
}
