import { mkdir, readFile, rename, rm, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.ts";
import { credentialsFile, parseAlchemyConfig, serialize, withoutProfile, type AlchemyConfig, type ProfileFiles } from "../profile/profile-files.ts";
import type { ProfileStore } from "../profile/set-profile.ts";

/** Alchemy's profile files under `home` (the HOME Alchemy will run with). */
export function createProfileStore(home: string): ProfileStore {
  const resolve = (relative: string) => path.join(home, relative);
  const writeAtomic = async (relative: string, data: unknown) => {
    const file = resolve(relative);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, serialize(data), { mode: 0o600 });
    await rename(temp, file);
  };
  return {
    resolve,
    async readConfig(): Promise<AlchemyConfig | undefined> {
      const file = resolve(".alchemy/config.json");
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
      const parsed = parseAlchemyConfig(text);
      if (typeof parsed === "string") {
        throw new InputError("home", `a HOME whose .alchemy/config.json Alchemy can read`, `${file} ${parsed}; fix or remove it`);
      }
      return parsed;
    },
    async write(files: ProfileFiles) {
      await writeAtomic(files.credentialsFile, files.credentials);
      await writeAtomic(files.configFile, files.config);
    },
    async remove(profile: string) {
      const credentials = resolve(credentialsFile(profile));
      await rm(credentials, { force: true });
      await rmdir(path.dirname(credentials)).catch(() => undefined); // kept when other providers' files are there
      const config = await this.readConfig().catch(() => undefined);
      if (!config) return;
      const next = withoutProfile(config, profile);
      if (next) await writeAtomic(".alchemy/config.json", next);
      else await rm(resolve(".alchemy/config.json"), { force: true });
    },
  };
}
