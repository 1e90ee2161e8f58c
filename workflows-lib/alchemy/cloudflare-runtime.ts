import { InputError } from "../errors.ts";
import { AlchemyError } from "./alchemy-errors.ts";
import { runAlchemy } from "./alchemy-cli.ts";
import type { AlchemyLauncher } from "./alchemy-launcher.ts";
import { withVars } from "../child-env/allowed-env.ts";
import { destroyStage } from "./destroy-stage.ts";
import type { Deployment, DownOptions, Runtime, UpOptions } from "../platform/runtime.ts";
import { readStage, readStageDocuments } from "./state-reader.ts";
import { workerScriptsOf } from "./state-scripts.ts";
import { accountInventoryFor } from "../cloudflare/account-from-env.ts";
import type { AccountClient } from "../cloudflare/account-inventory.ts";
import { assertDestroyable, DEFAULT_PROTECTED_STAGES } from "../platform/stage-name.ts";
import { scriptsLeftByDestroy } from "../teardown/versioned-scripts.ts";

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
  /**
   * The account client `down` deletes left-behind scripts with; default the credentials Alchemy deploys with
   * (`accountInventoryFor`). Undefined: the destroy relies on Alchemy alone.
   */
  account?: (profile: string | undefined) => Promise<AccountClient | undefined>;
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
    async down(down: DownOptions) {
      assertAccountId(options.env.CLOUDFLARE_ACCOUNT_ID);
      assertDestroyable(down.stage, down.protectedStages ?? DEFAULT_PROTECTED_STAGES);
      const account = await (options.account ?? ((profile) => accountInventoryFor(options.env, profile)))(down.profile);
      // Read before the destroy: afterwards the state no longer says which scripts were the stage's.
      const scripts = account ? workerScriptsOf(await readStageDocuments(down.stage, pickRead(down), cli())) : [];
      const report = await destroyStage(down, cli());
      if (account && scripts.some((s) => s.versioned)) await deleteLeftScripts(down.stage, scripts, account);
      return report;
    },
    read(read) {
      return readStage(read.stage, pickRead(read), cli());
    },
  };
}

/**
 * Alchemy 0.94 destroys a Worker uploaded as a version by uploading an empty version: the script stays. The
 * kit deletes, through Cloudflare's API (retried with backoff, 404 = already gone), each such script of the
 * stage's state that the account still has.
 */
async function deleteLeftScripts(stage: string, scripts: Parameters<typeof scriptsLeftByDestroy>[0], account: AccountClient): Promise<void> {
  const left = scriptsLeftByDestroy(scripts, (await account.list()).workers);
  const failed: string[] = [];
  for (const name of left) {
    await account.remove({ kind: "workers", name }).catch((e: unknown) => failed.push(`${name} (${(e as Error).message})`));
  }
  if (failed.length > 0) {
    throw new AlchemyError(
      `alchemy destroy of stage ${stage} left Worker script(s) uploaded as versions in the Cloudflare account, and deleting them failed: ${failed.join("; ")}. ` +
        "Delete them in the Cloudflare dashboard (Workers & Pages) or run the destroy again.",
    );
  }
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
