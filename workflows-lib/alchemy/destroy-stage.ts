import { runAlchemy, type AlchemyCliOptions } from "./alchemy-cli.ts";
import { AlchemyError } from "./alchemy-errors.ts";
import type { DestroyReport, DownOptions } from "../platform/runtime.ts";
import { assertDestroyable, DEFAULT_PROTECTED_STAGES } from "../platform/stage-name.ts";
import { listStage } from "./state-reader.ts";

/**
 * `alchemy destroy` with a guard and a check: protected stages are refused before anything runs, and
 * afterwards the stage's state must be empty; leftovers are named in the error.
 */
export async function destroyStage(
  options: DownOptions,
  cli: AlchemyCliOptions,
  /** Lists what is left; default `alchemy state list`. The local runtime reads its file state store instead. */
  listLeft?: () => Promise<string[]>,
): Promise<DestroyReport> {
  assertDestroyable(options.stage, options.protectedStages ?? DEFAULT_PROTECTED_STAGES);
  const flags = {
    stage: options.stage,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.envFile ? { envFile: options.envFile } : {}),
    ...(options.app ? { app: options.app } : {}),
  };
  await runAlchemy("destroy", flags, cli);
  const leftovers = listLeft ? await listLeft() : await listStage(options.stage, flags, cli);
  if (leftovers.length > 0) {
    throw new AlchemyError(
      `alchemy destroy left ${leftovers.length} resource(s) in stage ${options.stage}: ${leftovers.join(", ")}. ` +
        "Run the destroy again; if they stay, delete them in the Cloudflare dashboard and remove them from state.",
    );
  }
  return { stage: options.stage, leftovers };
}
