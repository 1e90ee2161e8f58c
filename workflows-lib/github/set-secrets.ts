import type { Octokit } from "@octokit/rest";
import { scopeLabel, assertNoProductionCredentialInRepository, type PlannedSecret } from "../init/secret-plan.ts";
import { sealSecret } from "./seal-secret.ts";

export interface SetSecretsOptions {
  dryRun: boolean;
  /** Replace secrets that exist (GitHub never shows a secret's value, so init cannot tell whether it differs). */
  overwrite: boolean;
}

/**
 * Writes planned secrets as GitHub Actions secrets, each sealed with its scope's public key. A secret that exists
 * is kept unless `overwrite`; one without a value is reported with how to set it. Returns one line per secret;
 * no line and no error carries a value.
 */
export async function setSecrets(octokit: Octokit, owner: string, repo: string, planned: readonly PlannedSecret[], options: SetSecretsOptions): Promise<string[]> {
  assertNoProductionCredentialInRepository(planned);
  const keys = new Map<string, { key_id: string; key: string }>();
  const lines: string[] = [];
  for (const secret of planned) {
    const where = scopeLabel(secret.scope);
    const label = `secret ${secret.name} (${where})`;
    const context = (step: string) => (error: { status?: number; message?: string }) => {
      throw new Error(`${label}: ${step} failed: GitHub answered ${error.status ?? "no status"}${error.status ? "" : ` (${error.message ?? "no message"})`}`);
    };
    const exists = await (secret.scope.kind === "repository"
      ? octokit.rest.actions.getRepoSecret({ owner, repo, secret_name: secret.name })
      : octokit.rest.actions.getEnvironmentSecret({ owner, repo, environment_name: secret.scope.name, secret_name: secret.name })
    ).then(
      () => true,
      (error: { status?: number; message?: string }) => (error.status === 404 ? false : context("reading whether it exists")(error)),
    );
    if (secret.value === undefined) {
      const how = secret.scope.kind === "repository" ? `gh secret set ${secret.name}` : `gh secret set ${secret.name} --env ${secret.scope.name}`;
      lines.push(`${label}: ${exists ? "exists, kept" : `not set — set it with ${secret.source}=… in init's environment and --secrets-from-env, or \`${how}\``}`);
      continue;
    }
    if (exists && !options.overwrite) {
      lines.push(`${label}: exists, kept (--overwrite-secrets replaces it)`);
      continue;
    }
    if (options.dryRun) {
      lines.push(`${label}: ${exists ? "replaced" : "set"} from ${secret.source}`);
      continue;
    }
    const cacheKey = where;
    let key = keys.get(cacheKey);
    if (!key) {
      key = await (secret.scope.kind === "repository"
        ? octokit.rest.actions.getRepoPublicKey({ owner, repo })
        : octokit.rest.actions.getEnvironmentPublicKey({ owner, repo, environment_name: secret.scope.name })
      ).then((r) => ({ key_id: r.data.key_id, key: r.data.key }), context("reading the public key"));
      keys.set(cacheKey, key);
    }
    const body = { encrypted_value: sealSecret(secret.value, key.key), key_id: key.key_id };
    await (secret.scope.kind === "repository"
      ? octokit.rest.actions.createOrUpdateRepoSecret({ owner, repo, secret_name: secret.name, ...body })
      : octokit.rest.actions.createOrUpdateEnvironmentSecret({ owner, repo, environment_name: secret.scope.name, secret_name: secret.name, ...body })
    ).catch(context("writing it"));
    lines.push(`${label}: ${exists ? "replaced" : "set"} from ${secret.source}`);
  }
  return lines;
}
