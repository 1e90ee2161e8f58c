import path from "node:path";
import type { StepNotifyRun } from "../wiring/step-notify.ts";

/**
 * What a CLI run knows about itself for the events it sends: the repository (--repo, else GITHUB_REPOSITORY, else
 * the folder's name) with its link when it is OWNER/NAME, and in GitHub Actions the run's link and id.
 */
export function cliRunInfo(env: NodeJS.ProcessEnv, root: string, repo?: string): StepNotifyRun {
  const repository = repo ?? env.GITHUB_REPOSITORY ?? path.basename(root);
  const serverUrl = (env.GITHUB_SERVER_URL ?? "https://github.com").replace(/\/$/, "");
  return {
    repository,
    ...(repository.includes("/") ? { repositoryUrl: `${serverUrl}/${repository}` } : {}),
    ...(env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY ? { runUrl: `${serverUrl}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` } : {}),
    ...(env.GITHUB_RUN_ID ? { runId: env.GITHUB_RUN_ID } : {}),
  };
}

/** The credentials a CLI command may hold: never part of a message it sends. */
export function credentialValues(env: NodeJS.ProcessEnv): string[] {
  return ["CLOUDFLARE_API_TOKEN", "ALCHEMY_PASSWORD", "ALCHEMY_STATE_TOKEN", "GITHUB_TOKEN", "GH_TOKEN"].map((name) => env[name]).filter((v): v is string => !!v);
}
