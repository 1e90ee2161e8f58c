import { runAlchemy, type AlchemyCliOptions } from "./alchemy-cli.ts";
import { AlchemyError } from "./alchemy-errors.ts";
import { parseStateGet, parseStateList, toDeployment } from "./state-output.ts";
import type { Deployment } from "../platform/runtime.ts";

/** Lists the fully-qualified names of a stage's resources. */
export async function listStage(stage: string, flags: { profile?: string; app?: string }, options: AlchemyCliOptions): Promise<string[]> {
  const { output } = await runAlchemy("state list", { stage, ...flags }, options);
  return parseStateList(output).filter((fqn) => fqn.split("/")[1] === stage);
}

/** Reads every resource of a stage (kind, name, url) through `alchemy state list` and `state get`. */
export async function readStage(stage: string, flags: { profile?: string; app?: string }, options: AlchemyCliOptions): Promise<Deployment> {
  const fqns = await listStage(stage, flags, options);
  const resources = await Promise.all(
    fqns.map(async (fqn) => {
      const { output, exitCode } = await runAlchemy("state get", { stage, ...flags }, { ...options, fqn, allowFailure: true });
      if (exitCode !== 0) throw new AlchemyError(`alchemy state get ${fqn} failed: resource vanished while reading`, output);
      return parseStateGet(output, fqn);
    }),
  );
  return toDeployment(stage, resources);
}
