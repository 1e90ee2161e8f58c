import { z } from "zod";

/**
 * What a profile needs. Names become a folder under ~/.alchemy/credentials, so they are limited to letters,
 * digits, `-` and `_`; the account id is Cloudflare's 32-hex-character id.
 */
export const profileName = z
  .string({ error: "a profile name" })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, {
    error: "a profile name of letters, digits, '-' and '_' (at most 64, starting with a letter or digit), e.g. default, prod, ci",
  });

export const apiToken = z
  .string({ error: "a Cloudflare API token" })
  .trim()
  .min(1, { error: "a non-empty Cloudflare API token" })
  .regex(/^\S+$/, { error: "a Cloudflare API token without spaces or line breaks" });

export const accountId = z
  .string({ error: "a Cloudflare account id" })
  .trim()
  .regex(/^[0-9a-fA-F]{32}$/, { error: "a Cloudflare account id of 32 hexadecimal characters" })
  .transform((id) => id.toLowerCase());

export const profileInputSchema = z.object({
  profile: profileName.default("default"),
  apiToken,
  accountId,
  /** Shown by `alchemy configure`; defaults to the account id. */
  accountName: z.string().trim().min(1).optional(),
  /** Fail instead of warn when CLOUDFLARE_* variables would override the profile. */
  strict: z.boolean().default(false),
});

export type ProfileInput = z.output<typeof profileInputSchema>;
