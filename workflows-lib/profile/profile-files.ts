/**
 * Alchemy's own profile files (node_modules/alchemy/src/auth.ts):
 *   ~/.alchemy/config.json                          { version: 1, profiles: { <name>: { cloudflare: Provider } } }
 *   ~/.alchemy/credentials/<name>/cloudflare.json   { type: "api-token", apiToken }
 * both written as `JSON.stringify(data, null, 2)` with mode 0600. This module computes the contents; the
 * adapter in workflows-lib/alchemy/profile-store.ts writes them.
 */

export interface AlchemyProvider {
  metadata: Record<string, string>;
  method: "api-key" | "api-token" | "oauth";
  scopes?: string[];
}

export interface AlchemyConfig {
  version: 1;
  profiles: Record<string, Record<string, AlchemyProvider>>;
}

export interface ApiTokenCredentials {
  type: "api-token";
  apiToken: string;
}

export const CONFIG_FILE = ".alchemy/config.json";
export const credentialsFile = (profile: string): string => `.alchemy/credentials/${profile}/cloudflare.json`;

/** Alchemy's serialization, byte for byte. */
export const serialize = (data: unknown): string => JSON.stringify(data, null, 2);

export interface ProfileFiles {
  /** Paths relative to HOME. */
  configFile: string;
  config: AlchemyConfig;
  credentialsFile: string;
  credentials: ApiTokenCredentials;
}

/**
 * The files after setting `profile`'s Cloudflare provider to an API token for `accountId`. Other profiles and
 * other providers of the same profile stay as they were.
 */
export function planProfileFiles(
  existing: AlchemyConfig | undefined,
  input: { profile: string; apiToken: string; accountId: string; accountName?: string },
): ProfileFiles {
  const config: AlchemyConfig = structuredClone(existing) ?? { version: 1, profiles: {} };
  config.profiles ??= {};
  config.profiles[input.profile] ??= {};
  config.profiles[input.profile]!.cloudflare = {
    method: "api-token",
    metadata: { id: input.accountId, name: input.accountName ?? input.accountId },
  };
  return {
    configFile: CONFIG_FILE,
    config,
    credentialsFile: credentialsFile(input.profile),
    credentials: { type: "api-token", apiToken: input.apiToken },
  };
}

/**
 * The config after the job: `profile`'s Cloudflare provider removed (the profile too when nothing else is left
 * in it); undefined when no profile is left at all, i.e. the file can go.
 */
export function withoutProfile(config: AlchemyConfig, profile: string): AlchemyConfig | undefined {
  const next: AlchemyConfig = structuredClone(config);
  const providers = next.profiles?.[profile];
  if (providers) {
    delete providers.cloudflare;
    if (Object.keys(providers).length === 0) delete next.profiles[profile];
  }
  return Object.keys(next.profiles ?? {}).length === 0 ? undefined : next;
}

/** Reads config.json text; undefined for "no file yet", an error message for a file Alchemy could not use. */
export function parseAlchemyConfig(text: string): AlchemyConfig | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return "is not valid JSON";
  }
  if (typeof data !== "object" || data === null || (data as { version?: unknown }).version !== 1) {
    return "is not an Alchemy config (version 1)";
  }
  const profiles = (data as { profiles?: unknown }).profiles;
  if (profiles !== undefined && (typeof profiles !== "object" || profiles === null)) return "has no valid profiles object";
  return data as AlchemyConfig;
}
