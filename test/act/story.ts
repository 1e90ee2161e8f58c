// One story of workflow runs for a test file: an act environment, the GitHub stand-in, the consumer repository
// (init's workflows), placeholder Cloudflare secrets and the local runtime (the repository variable
// ALCHKIT_RUNTIME=local, see docs/local.md) with its state in ALCHKIT_STATE_DIR, a folder of the act environment. Everything is stopped and removed by `close()`.
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { assertNoViolations, startGitHubStandIn, type GitHubStandIn } from "../github/index.ts";
import { findTool } from "../support/tools.ts";
import { createConsumerRepo, type ActConsumerRepo } from "./consumer-repo.ts";
import type { WorkflowEvent } from "./events.ts";
import { createActEnvironment, runAct, type ActEnvironment, type ActRun, type ActRunOptions } from "./run-act.ts";

export interface ActStory {
  env: ActEnvironment;
  gh: GitHubStandIn;
  repo: ActConsumerRepo;
  /** The secrets a consumer sets (placeholders of the right shape; long enough never to be masked by accident). */
  secrets: Record<string, string>;
  /** Runs `workflow` (under .github/workflows/) for `event` with the working copy at `sha` (github.sha). */
  run(workflow: string, event: WorkflowEvent, sha: string, options?: Partial<ActRunOptions>): Promise<ActRun>;
  close(): Promise<void>;
}

export async function startActStory(act: string): Promise<ActStory> {
  const gh = await startGitHubStandIn({ defaults: false });
  let env: ActEnvironment | undefined;
  try {
    env = createActEnvironment(act);
    const repo = createConsumerRepo(env, gh);
    const secrets = placeholderSecrets(repo.work.dir);
    const story: ActStory = {
      env,
      gh,
      repo,
      secrets,
      async run(workflow, event, sha, options = {}) {
        repo.at(sha);
        return runAct(env!, {
          workdir: repo.work.dir,
          workflow: `.github/workflows/${workflow}`,
          event,
          github: gh,
          secrets,
          ...options,
          // The stages' local state outside the job folders act removes: a later run's policy job reads it.
          vars: { ALCHKIT_RUNTIME: "local", ALCHKIT_STATE_DIR: path.join(env!.root, "alchkit-state"), ...runnerTools(), ...options.vars },
        });
      },
      async close() {
        try {
          await env!.close();
        } finally {
          await gh.close();
        }
      },
    };
    return story;
  } catch (error) {
    await env?.close();
    await gh.close();
    throw error;
  }
}

/**
 * The runner's preinstalled tools, as repository variables name them. The policy gate otherwise installs OPA's
 * pinned release binary from GitHub, out of reach offline; this runner has OPA (the pinned build of
 * .ci/install-tools), named by ALCHKIT_OPA_PATH as on a self-hosted or air-gapped runner.
 */
function runnerTools(): Record<string, string> {
  const opa = findTool("opa");
  return opa ? { ALCHKIT_OPA_PATH: opa } : {};
}

/**
 * A value for every secret the consumer's workflows pass on (`secrets.NAME`), as a repository owner would set
 * them: an account id of Cloudflare's shape, random tokens otherwise — long, so act masks nothing else by accident.
 */
function placeholderSecrets(workdir: string): Record<string, string> {
  const dir = path.join(workdir, ".github/workflows");
  const names = new Set<string>();
  for (const file of readdirSync(dir)) {
    for (const match of readFileSync(path.join(dir, file), "utf8").matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(match[1]!);
  }
  names.delete("GITHUB_TOKEN");
  return Object.fromEntries([...names].sort().map((name) => [name, /ACCOUNT_ID$/.test(name) ? randomBytes(16).toString("hex") : `${name.toLowerCase()}-${randomBytes(20).toString("hex")}`]));
}

/** A run that must have passed: exit code 0 and no error annotation on the way, with the log when not. */
export function assertPassed(run: ActRun, what: string): void {
  if (run.exitCode !== 0) throw new Error(`${what}: act exited ${run.exitCode}\n${run.log.slice(-15_000)}`);
  const errors = run.log.split("\n").filter((line) => line.includes("::error::"));
  if (errors.length > 0) throw new Error(`${what} passed with error annotations:\n${errors.join("\n")}`);
}

export { assertNoViolations };
