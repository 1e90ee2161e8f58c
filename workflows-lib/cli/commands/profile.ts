import path from "node:path";
import { z } from "zod";
import { createProfileStore } from "../../alchemy/profile-store.ts";
import { EXIT, InputError } from "../../errors.ts";
import { accountId, apiToken, profileName } from "../../profile/profile-input.ts";
import { setProfile } from "../../profile/set-profile.ts";
import { defineCommand } from "../command.ts";

const flags = z.object({
  profile: profileName.default("default").describe("Profile name (letters, digits, '-', '_'), e.g. default, prod, ci"),
  apiToken: apiToken.describe("Cloudflare API token (Workers Scripts:Edit and the permissions your resources need)"),
  accountId: accountId.describe("Cloudflare account id (32 hexadecimal characters)"),
  accountName: z.string().trim().min(1).optional().describe("Account name Alchemy shows (default: the account id)"),
  home: z.string().min(1).optional().describe("Home folder to write .alchemy/ into (default: $HOME)"),
  strict: z.boolean().default(false).describe("Fail instead of warn when CLOUDFLARE_* variables would override the profile"),
});

export const profileSetCommand = defineCommand({
  path: ["profile", "set"],
  summary: "Write an Alchemy profile (config.json + credentials) for an API token",
  description:
    "Writes ~/.alchemy/config.json and ~/.alchemy/credentials/<profile>/cloudflare.json exactly as `alchemy configure` " +
    "does for the API-token method, so `alchemy deploy --profile <profile>` needs no CLOUDFLARE_* variables. Other " +
    "profiles are kept. Warns (or with --strict fails) when CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID and friends " +
    "are set: Alchemy would use them instead of the profile. The token is never printed.",
  flags,
  examples: [
    "alchkit profile set --profile prod --api-token \"$CLOUDFLARE_API_TOKEN\" --account-id 0123456789abcdef0123456789abcdef",
    "alchkit profile set --profile ci --api-token \"$TOKEN\" --account-id \"$ACCOUNT\" --strict",
  ],
  async run({ flags }, ctx) {
    const home = flags.home ? path.resolve(ctx.cwd, flags.home) : ctx.env.HOME;
    if (!home) throw new InputError("--home", "a home folder (HOME is not set)");
    const result = await setProfile(
      {
        profile: flags.profile,
        apiToken: flags.apiToken,
        accountId: flags.accountId,
        strict: flags.strict,
        ...(flags.accountName ? { accountName: flags.accountName } : {}),
      },
      {
        store: createProfileStore(home),
        maskSecret: () => undefined,
        warn: (message) => ctx.stderr(`warning: ${message}\n`),
        env: ctx.env,
      },
    );
    ctx.stdout(
      `${JSON.stringify(
        {
          profile: result.profile,
          accountId: result.accountId,
          configFile: result.configFile,
          credentialsFile: result.credentialsFile,
          overriddenBy: result.overrides.map((o) => o.name),
        },
        null,
        2,
      )}\n`,
    );
    return EXIT.ok;
  },
});

export const profileCommands = [profileSetCommand];
