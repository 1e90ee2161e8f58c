import { InputError } from "../errors.ts";
import { describeOverrides, findEnvOverrides, type EnvOverride } from "./env-override.ts";
import { planProfileFiles, type AlchemyConfig, type ProfileFiles } from "./profile-files.ts";
import type { ProfileInput } from "./profile-input.ts";

/** Where profile files live; the adapter is workflows-lib/alchemy/profile-store.ts. */
export interface ProfileStore {
  /** Absolute path of a file relative to HOME. */
  resolve(relative: string): string;
  readConfig(): Promise<AlchemyConfig | undefined>;
  /** Writes credentials, then config (Alchemy's order), each atomically with mode 0600. */
  write(files: ProfileFiles): Promise<void>;
  /** Removes a profile's credentials file, and its entry from config.json (the file when nothing is left). */
  remove(profile: string): Promise<void>;
}

export interface SetProfilePorts {
  store: ProfileStore;
  /** Called with every secret before anything else happens (core.setSecret in an action). */
  maskSecret(value: string): void;
  warn(message: string): void;
  /** The environment later Alchemy runs will see, checked for overriding variables. */
  env: Record<string, string | undefined>;
}

export interface SetProfileResult {
  profile: string;
  accountId: string;
  configFile: string;
  credentialsFile: string;
  overrides: EnvOverride[];
}

export async function setProfile(input: ProfileInput, ports: SetProfilePorts): Promise<SetProfileResult> {
  ports.maskSecret(input.apiToken);
  const overrides = findEnvOverrides(ports.env, input.profile);
  if (overrides.length > 0) {
    const message = describeOverrides(overrides, input.profile);
    if (input.strict) {
      throw new InputError("environment", `no CLOUDFLARE_* variables overriding the profile (strict mode)`, message);
    }
    ports.warn(message);
  }
  const files = planProfileFiles(await ports.store.readConfig(), input);
  await ports.store.write(files);
  return {
    profile: input.profile,
    accountId: input.accountId,
    configFile: ports.store.resolve(files.configFile),
    credentialsFile: ports.store.resolve(files.credentialsFile),
    overrides,
  };
}
