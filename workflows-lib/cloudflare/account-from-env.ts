import { readFileSync } from "node:fs";
import path from "node:path";
import { CONFIG_FILE, credentialsFile } from "../profile/profile-files.ts";
import { createAccountInventory, type AccountClient } from "./account-inventory.ts";

/**
 * The account-inventory client for the credentials Alchemy will deploy with: CLOUDFLARE_API_TOKEN and
 * CLOUDFLARE_ACCOUNT_ID from the environment, or else the Alchemy profile (`~/.alchemy/…`) the setup action
 * wrote. CLOUDFLARE_BASE_URL is honoured as Alchemy honours it. Undefined when neither is there (the account
 * cannot be listed; the teardown check then relies on Alchemy's state alone).
 */
export async function accountInventoryFor(env: NodeJS.ProcessEnv, profile: string | undefined): Promise<AccountClient | undefined> {
  const credentials = cloudflareCredentials(env, profile);
  return credentials ? createAccountInventory({ ...credentials, ...(env.CLOUDFLARE_BASE_URL ? { baseUrl: env.CLOUDFLARE_BASE_URL } : {}) }) : undefined;
}

/**
 * The Cloudflare credentials Alchemy deploys with: CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID from the
 * environment (Alchemy prefers them), or else the API token and account of the Alchemy profile `profile` (or
 * ALCHEMY_PROFILE / CLOUDFLARE_PROFILE) that the setup action wrote under HOME. Undefined when neither is there.
 */
export function cloudflareCredentials(env: NodeJS.ProcessEnv, profile: string | undefined): { apiToken: string; accountId: string } | undefined {
  if (env.CLOUDFLARE_API_TOKEN && env.CLOUDFLARE_ACCOUNT_ID) return { apiToken: env.CLOUDFLARE_API_TOKEN, accountId: env.CLOUDFLARE_ACCOUNT_ID };
  const name = profile ?? env.ALCHEMY_PROFILE ?? env.CLOUDFLARE_PROFILE;
  if (!name || !env.HOME) return undefined;
  return readProfile(env.HOME, name);
}

function readProfile(home: string, profile: string): { apiToken: string; accountId: string } | undefined {
  try {
    const credentials = JSON.parse(readFileSync(path.join(home, credentialsFile(profile)), "utf8")) as { type?: string; apiToken?: string };
    const config = JSON.parse(readFileSync(path.join(home, CONFIG_FILE), "utf8")) as {
      profiles?: Record<string, { cloudflare?: { metadata?: { id?: string } } }>;
    };
    const accountId = config.profiles?.[profile]?.cloudflare?.metadata?.id;
    if (credentials.type !== "api-token" || !credentials.apiToken || !accountId) return undefined;
    return { apiToken: credentials.apiToken, accountId };
  } catch {
    return undefined;
  }
}
