import { readFile } from "node:fs/promises";
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
  const baseUrl = env.CLOUDFLARE_BASE_URL ? { baseUrl: env.CLOUDFLARE_BASE_URL } : {};
  if (env.CLOUDFLARE_API_TOKEN && env.CLOUDFLARE_ACCOUNT_ID) {
    return createAccountInventory({ apiToken: env.CLOUDFLARE_API_TOKEN, accountId: env.CLOUDFLARE_ACCOUNT_ID, ...baseUrl });
  }
  const name = profile ?? env.ALCHEMY_PROFILE ?? env.CLOUDFLARE_PROFILE;
  if (!name || !env.HOME) return undefined;
  const fromProfile = await readProfile(env.HOME, name);
  return fromProfile ? createAccountInventory({ ...fromProfile, ...baseUrl }) : undefined;
}

async function readProfile(home: string, profile: string): Promise<{ apiToken: string; accountId: string } | undefined> {
  try {
    const credentials = JSON.parse(await readFile(path.join(home, credentialsFile(profile)), "utf8")) as { type?: string; apiToken?: string };
    const config = JSON.parse(await readFile(path.join(home, CONFIG_FILE), "utf8")) as {
      profiles?: Record<string, { cloudflare?: { metadata?: { id?: string } } }>;
    };
    const accountId = config.profiles?.[profile]?.cloudflare?.metadata?.id;
    if (credentials.type !== "api-token" || !credentials.apiToken || !accountId) return undefined;
    return { apiToken: credentials.apiToken, accountId };
  } catch {
    return undefined;
  }
}
