import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { runGit } from "./git.ts";

/** One env file a local deploy loaded, and where from. */
export interface LoadedEnvFile {
  /** Relative to the app directory, e.g. `.env.staging`. */
  name: string;
  /**
   * `commit`: the file is in git at the deployed SHA, read from that SHA's checkout (settings travel with the
   * code, and a rollback gets the old ones back). `working copy`: not in git (a gitignored `.env` with
   * secrets, an env file not committed yet), read from the repository the command runs in.
   */
  from: "commit" | "working copy";
}

export interface EnvFilesRequest {
  /** The checkout of the deployed SHA (a git work tree). */
  checkout: string;
  /** The repository the user runs the command in. */
  repository: string;
  /** App directory relative to both roots. */
  appDir: string;
  /** The environment's own env file (from the env-files pattern), loaded after `.env` so its values win. */
  environmentFile?: string;
  /** true: a missing environment file is fine (the default pattern is a convention); false: the user named it. */
  environmentFileOptional: boolean;
}

export interface EnvFiles {
  /** Variables of every file, later files winning. */
  vars: Record<string, string>;
  loaded: LoadedEnvFile[];
}

async function tracked(checkout: string, file: string): Promise<boolean> {
  const result = await runGit(checkout, ["ls-files", "--error-unmatch", "--", file]);
  return result.code === 0;
}

/**
 * The env files a local deploy loads, as `alchemy dev` in the repository would: `.env`, then the environment's
 * file (default `.env.<environment>`). Each SHA runs from its own checkout, where a gitignored file does not
 * exist, so a file git does not track at that SHA is read from the repository itself.
 */
export async function loadEnvFiles(request: EnvFilesRequest): Promise<EnvFiles> {
  const names = [".env", ...(request.environmentFile && request.environmentFile !== ".env" ? [request.environmentFile] : [])];
  const vars: Record<string, string> = {};
  const loaded: LoadedEnvFile[] = [];
  for (const name of names) {
    const relative = path.join(request.appDir, name);
    const inCommit = await tracked(request.checkout, relative);
    const file = path.join(inCommit ? request.checkout : request.repository, relative);
    if (!existsSync(file)) {
      if (name === request.environmentFile && !request.environmentFileOptional) {
        throw new Error(`the env file ${name} is neither in the deployed commit nor in ${path.join(request.repository, request.appDir)}`);
      }
      continue;
    }
    Object.assign(vars, parseEnv(readFileSync(file, "utf8")));
    loaded.push({ name, from: inCommit ? "commit" : "working copy" });
  }
  return { vars, loaded };
}

/** `.env (working copy)` — how a deploy says what it loaded. */
export const describeEnvFile = (file: LoadedEnvFile): string => `${file.name} (${file.from})`;
