import path from "node:path";
import { z } from "zod";
import { createProfileStore } from "../../workflows-lib/alchemy/profile-store.ts";
import { InputError } from "../../workflows-lib/errors.ts";
import { booleanInput, runAction } from "../../workflows-lib/github/action-shell.ts";
import { accountId, apiToken, profileName } from "../../workflows-lib/profile/profile-input.ts";
import { setProfile } from "../../workflows-lib/profile/set-profile.ts";
import { parseInput } from "../../workflows-lib/validate.ts";

// Read loosely, then validated one by one after the token is masked, so no failure can come before the mask.
const inputs = z.object({
  profile: z.string().optional(),
  apiToken: z.string().optional(),
  accountId: z.string().optional(),
  accountName: z.string().trim().min(1).optional(),
  strict: booleanInput.default(false),
  home: z.string().min(1).optional(),
});

/** Set by the main step for the post step (`runs.post`), which removes the profile when the job ends. */
const WRITTEN = "alchkit_profile_written";

export async function run(): Promise<void> {
  await runAction(async (io) => {
    const written = io.getState(WRITTEN);
    if (written) {
      // Post step: the credentials file does not outlive the job (a reused runner's next job never sees it).
      const { home, profile } = JSON.parse(written) as { home: string; profile: string };
      await createProfileStore(home).remove(profile);
      io.info(`Alchemy profile "${profile}" removed from ${home}/.alchemy.`);
      return;
    }
    const raw = io.inputs(inputs.pick({ apiToken: true, accountId: true, profile: true, accountName: true, home: true }));
    io.secret(raw.apiToken);
    const { strict } = io.inputs(inputs.pick({ strict: true }));
    const profile = parseInput(profileName, raw.profile ?? "default", "profile");
    const token = parseInput(apiToken, raw.apiToken ?? "", "api-token");
    const account = parseInput(accountId, raw.accountId ?? "", "account-id");
    const home = raw.home ? path.resolve(io.context.workspace, raw.home) : io.env.HOME;
    if (!home) throw new InputError("home", "a home folder (HOME is not set on this runner)");
    const result = await setProfile(
      {
        profile,
        apiToken: token,
        accountId: account,
        strict,
        ...(raw.accountName ? { accountName: raw.accountName } : {}),
      },
      {
        store: createProfileStore(home),
        maskSecret: (value) => io.secret(value),
        warn: (message) => io.warning(message, "Cloudflare variables override the Alchemy profile"),
        env: io.env,
      },
    );
    io.saveState(WRITTEN, JSON.stringify({ home, profile: result.profile }));
    io.setOutput("profile", result.profile);
    io.setOutput("config-file", result.configFile);
    io.info(`Alchemy profile "${result.profile}" written for account ${result.accountId} (${result.configFile}).`);
  });
}

await run();
