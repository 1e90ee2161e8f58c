import { InputError } from "../errors.ts";

/**
 * Environment → Alchemy stage. GitHub environments have human names (`production`), Alchemy stages are short
 * resource-name prefixes (`prod`). Default: `production` → `prod`, any other environment → its own name.
 */
export const DEFAULT_STAGES: Readonly<Record<string, string>> = { production: "prod" };

const STAGE = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ENVIRONMENT = /^[A-Za-z0-9._-]{1,255}$/;

/** Parses `production=prod,staging=stg` (commas or new lines) into a mapping; blank = defaults only. */
export function parseStageMap(text: string, inputName: string): Record<string, string> {
  const map: Record<string, string> = { ...DEFAULT_STAGES };
  for (const item of text.split(/[,\n]/).map((part) => part.trim()).filter(Boolean)) {
    const match = /^([^=\s]+)\s*=\s*(\S+)$/.exec(item);
    if (!match) throw new InputError(inputName, "environment=stage pairs separated by commas", `got "${item}"`);
    const [, environment, stage] = match as unknown as [string, string, string];
    assertEnvironment(environment, inputName);
    if (!STAGE.test(stage)) {
      throw new InputError(inputName, "stages of lowercase letters, digits and dashes", `got "${stage}"`);
    }
    map[environment] = stage;
  }
  return map;
}

export function assertEnvironment(environment: string, inputName: string): string {
  if (!ENVIRONMENT.test(environment)) {
    throw new InputError(inputName, "an environment name of letters, digits, '.', '_' or '-'", `got "${environment}"`);
  }
  return environment;
}

export function stageFor(environment: string, map: Record<string, string>): string {
  const stage = map[environment] ?? environment.toLowerCase().replace(/[^a-z0-9-]+/g, "-");
  if (!STAGE.test(stage)) {
    throw new InputError("stages", `a stage for environment "${environment}"`, `"${stage}" is not a valid stage`);
  }
  return stage;
}

/** Env file name for an environment from a pattern like `.env.{environment}`; blank pattern = none. */
export function envFileFor(environment: string, pattern: string): string | undefined {
  const name = pattern.trim();
  return name === "" ? undefined : name.replaceAll("{environment}", environment);
}

/** Environments whose deployments GitHub should treat as production (`production_environment`). */
export function isProductionLike(environment: string): boolean {
  return /^(prod|production|live)$/i.test(environment);
}
