import { InputError } from "../errors.ts";
import { runAlchemy } from "./alchemy-cli.ts";
import type { AlchemyLauncher } from "./alchemy-launcher.ts";
import { withVars } from "../child-env/allowed-env.ts";
import { destroyStage } from "./destroy-stage.ts";
import type { Deployment, DownOptions, Runtime, UpOptions } from "../platform/runtime.ts";
import { readStage } from "./state-reader.ts";

export interface CloudflareRuntimeOptions {
  /** App directory (alchemy.run.ts). */
  cwd: string;
  /** Environment for Alchemy (credentials, ALCHEMY_PASSWORD, ALCHEMY_STATE_TOKEN, CI …). */
  env: NodeJS.ProcessEnv;
  /** Values to redact from any output shown (tokens, passwords). */
  secrets?: string[];
  /** Streams Alchemy's output (redacted) as it comes, e.g. to the job log. */
  onOutput?: (chunk: string) => void;
  /** How Alchemy is started; default the app's package manager with the `alchemy` CLI (`pnpm exec alchemy`, …). */
  launcher?: AlchemyLauncher;
}

/** The Runtime adapter that deploys to Cloudflare with `alchemy deploy`. */
export function createCloudflareRuntime(options: CloudflareRuntimeOptions): Runtime {
  const cli = (vars: Record<string, string> = {}) => ({
    cwd: options.cwd,
    env: withVars(options.env, vars),
    secrets: options.secrets ?? [],
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    ...(options.launcher ? { launcher: options.launcher } : {}),
  });
  return {
    kind: "cloudflare",
    async up(up: UpOptions): Promise<Deployment> {
      assertAccountId(options.env.CLOUDFLARE_ACCOUNT_ID);
      const flags = {
        stage: up.stage,
        ...(up.profile ? { profile: up.profile } : {}),
        ...(up.envFile ? { envFile: up.envFile } : {}),
        ...(up.app ? { app: up.app } : {}),
        ...(up.adopt ? { adopt: true } : {}),
      };
      await runAlchemy("deploy", flags, cli(up.vars));
      return readStage(up.stage, pickRead(up), cli(up.vars));
    },
    down(down: DownOptions) {
      assertAccountId(options.env.CLOUDFLARE_ACCOUNT_ID);
      return destroyStage(down, cli());
    },
    read(read) {
      return readStage(read.stage, pickRead(read), cli());
    },
  };
}

function pickRead(o: { profile?: string; app?: string }): { profile?: string; app?: string } {
  return { ...(o.profile ? { profile: o.profile } : {}), ...(o.app ? { app: o.app } : {}) };
}

/**
 * Cloudflare answers an account id of the wrong shape with "Could not route to …" after Alchemy started
 * deploying; the secret is named before anything runs instead.
 */
export function assertAccountId(accountId: string | undefined): void {
  if (accountId === undefined || accountId === "") return;
  if (!/^[0-9a-f]{32}$/.test(accountId)) {
    throw new InputError("CLOUDFLARE_ACCOUNT_ID", "32 hexadecimal characters (the Account ID on the Cloudflare dashboard's Workers overview)");
  }
}
