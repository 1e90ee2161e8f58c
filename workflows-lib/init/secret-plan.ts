import { InputError } from "../errors.ts";
import type { EnvironmentNames } from "./environment-names.ts";
import { ENVIRONMENT_SECRETS, PREVIEW_SECRETS } from "./templates.ts";

/**
 * Which secrets `alchkit init --protect --secrets-from-env` writes where, and from which variable of init's own
 * environment (never argv). Pure. Staging and production credentials become secrets of those GitHub
 * environments (deployment-branch rule, reviewers); preview credentials become repository secrets, which any
 * same-repository pull request can read, so a production credential is never planned there.
 */
export type SecretScope = { kind: "repository" } | { kind: "environment"; name: string };

export interface PlannedSecret {
  scope: SecretScope;
  name: string;
  /** The variable of init's environment the value comes from. */
  source: string;
  /** Undefined when the variable is unset or empty: reported, not an error. */
  value: string | undefined;
}

/** Names that must stay out of repository secrets: every environment credential a preview does not share. */
export const ENVIRONMENT_ONLY_SECRETS: ReadonlySet<string> = new Set(
  ENVIRONMENT_SECRETS.map(([, name]) => name).filter((name) => !PREVIEW_SECRETS.some(([, preview]) => preview === name)),
);

export function scopeLabel(scope: SecretScope): string {
  return scope.kind === "repository" ? "repository" : `environment ${scope.name}`;
}

/**
 * The production environment reads CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID, ALCHEMY_PASSWORD,
 * ALCHEMY_STATE_TOKEN; the staging environment reads <ITS NAME>_<name> (STAGING_ALCHEMY_PASSWORD for `staging`)
 * and falls back to the production variable; the repository (previews) reads PREVIEW_CLOUDFLARE_API_TOKEN,
 * CLOUDFLARE_ACCOUNT_ID, PREVIEW_ALCHEMY_PASSWORD, PREVIEW_ALCHEMY_STATE_TOKEN. A preview value equal to a staging
 * or production credential is refused: previews would hold production's key.
 */
export function planSecrets(env: NodeJS.ProcessEnv, environments: EnvironmentNames): PlannedSecret[] {
  const read = (name: string): string | undefined => (env[name] ? env[name] : undefined);
  const planned: PlannedSecret[] = [];
  const roles = environments.staging === environments.production ? [environments.production] : [environments.staging, environments.production];
  for (const environment of roles) {
    for (const [, name] of ENVIRONMENT_SECRETS) {
      const production = environment === environments.production;
      const own = production ? name : `${environment.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_${name}`;
      const source = read(own) !== undefined || production ? own : name;
      planned.push({ scope: { kind: "environment", name: environment }, name, source, value: read(source) });
    }
  }
  for (const name of new Set(PREVIEW_SECRETS.map(([, source]) => source))) {
    planned.push({ scope: { kind: "repository" }, name, source: name, value: read(name) });
  }
  assertNoProductionCredentialInRepository(planned);
  return planned;
}

/** Refuses a plan that would put an environment-only credential, by name or by value, into repository secrets. */
export function assertNoProductionCredentialInRepository(planned: readonly PlannedSecret[]): void {
  const guarded = planned.filter((s) => s.scope.kind === "environment" && ENVIRONMENT_ONLY_SECRETS.has(s.name) && s.value !== undefined);
  for (const secret of planned) {
    if (secret.scope.kind !== "repository") continue;
    if (ENVIRONMENT_ONLY_SECRETS.has(secret.name)) {
      throw new InputError(secret.name, "an environment secret (staging/production), never a repository secret a pull request can read");
    }
    const same = guarded.find((g) => secret.value !== undefined && g.value === secret.value);
    if (same) {
      throw new InputError(secret.source, `a preview-only credential, not the value of ${same.source}`, `repository secrets are readable by every same-repository pull request; nothing was written`);
    }
  }
}
