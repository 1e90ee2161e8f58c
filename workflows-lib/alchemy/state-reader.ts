import { runAlchemy, type AlchemyCliOptions } from "./alchemy-cli.ts";
import { AlchemyError } from "./alchemy-errors.ts";
import { parseStateGet, parseStateList, stateDocument, toDeployment } from "./state-output.ts";
import type { Deployment } from "../platform/runtime.ts";

/** Lists the fully-qualified names of a stage's resources. */
export async function listStage(stage: string, flags: { profile?: string; app?: string; rootDir?: string }, options: AlchemyCliOptions): Promise<string[]> {
  const { output } = await runAlchemy("state list", { stage, ...flags }, options);
  return parseStateList(output).filter((fqn) => fqn.split("/")[1] === stage);
}

/** The printed state of every resource of a stage, through `alchemy state list` and `state get`. */
async function stageOutputs(stage: string, flags: { profile?: string; app?: string; rootDir?: string }, options: AlchemyCliOptions): Promise<{ fqn: string; output: string }[]> {
  const fqns = await listStage(stage, flags, options);
  return Promise.all(
    fqns.map(async (fqn) => {
      const { output, exitCode } = await runAlchemy("state get", { stage, ...flags }, { ...options, fqn, allowFailure: true });
      if (exitCode !== 0) throw new AlchemyError(`alchemy state get ${fqn} failed: resource vanished while reading`, output);
      return { fqn, output };
    }),
  );
}

/** Reads every resource of a stage (kind, name, url) through `alchemy state list` and `state get`. */
export async function readStage(stage: string, flags: { profile?: string; app?: string; rootDir?: string }, options: AlchemyCliOptions): Promise<Deployment> {
  const outputs = await stageOutputs(stage, flags, options);
  return toDeployment(stage, outputs.map(({ fqn, output }) => parseStateGet(output, fqn)));
}

/** Every resource's whole state document (what policies read), from the app's configured state store. */
export async function readStageDocuments(stage: string, flags: { profile?: string; app?: string; rootDir?: string }, options: AlchemyCliOptions): Promise<{ fqn: string; state: unknown }[]> {
  const outputs = await stageOutputs(stage, flags, options);
  return outputs.map(({ fqn, output }) => ({ fqn, state: stateDocument(output, fqn) }));
}
