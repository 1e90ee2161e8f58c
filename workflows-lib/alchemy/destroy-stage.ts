import { runAlchemy, type AlchemyCliOptions } from "./alchemy-cli.ts";
import { AlchemyError, explainFailure } from "./alchemy-errors.ts";
import { leftoverMessage, type Leftover } from "./leftovers.ts";
import type { DestroyReport, DownOptions } from "../platform/runtime.ts";
import { assertDestroyable, DEFAULT_PROTECTED_STAGES } from "../platform/stage-name.ts";
import { listStage } from "./state-reader.ts";

export interface LeftoverCheck {
  /** What the stage still has after the destroy, and where; default `alchemy state list` (place unknown). */
  list?: () => Promise<Leftover[]>;
  /**
   * Local runs: forgets leftovers that only ever existed on this machine (dev-only resources Alchemy's destroy
   * could not delete because it asked Cloudflare for them). Given, a failed destroy is judged by what is left.
   */
  forgetLocal?: (leftovers: Leftover[]) => Promise<void>;
}

/**
 * `alchemy destroy` with a guard and a check: protected stages are refused before anything runs, and
 * afterwards the stage's state must be empty; leftovers are named with where they are in the error.
 */
export async function destroyStage(
  options: DownOptions & { rootDir?: string },
  cli: AlchemyCliOptions,
  check: LeftoverCheck = {},
): Promise<DestroyReport> {
  assertDestroyable(options.stage, options.protectedStages ?? DEFAULT_PROTECTED_STAGES);
  const flags = {
    stage: options.stage,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.envFile ? { envFile: options.envFile } : {}),
    ...(options.app ? { app: options.app } : {}),
    ...(options.rootDir ? { rootDir: options.rootDir } : {}),
  };
  const result = await runAlchemy("destroy", flags, { ...cli, allowFailure: true });
  const failure = result.exitCode === 0 ? undefined : explainFailure(result.output, result.exitCode, { command: "destroy", stage: options.stage, ...(options.profile ? { profile: options.profile } : {}) });
  if (failure && !check.forgetLocal) throw new AlchemyError(failure, result.output);
  const list = check.list ?? (async () => (await listStage(options.stage, flags, cli)).map((fqn): Leftover => ({ fqn, place: "unknown" })));
  let leftovers = await list();
  const localOnly = leftovers.filter((l) => l.place === "local");
  if (check.forgetLocal && localOnly.length > 0) {
    await check.forgetLocal(localOnly);
    leftovers = await list();
  }
  if (leftovers.length > 0) throw new AlchemyError(leftoverMessage(options.stage, leftovers, failure), result.output);
  return { stage: options.stage, leftovers: [] };
}
