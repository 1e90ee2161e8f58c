import type { AccountClient } from "../cloudflare/account-inventory.ts";
import type { GitHubClient } from "../github/client.ts";
import type { Runtime } from "../platform/runtime.ts";
import type { PullRequestState } from "../sweep/plan-sweep.ts";
import type { SweepPorts } from "../sweep/run-sweep.ts";

/**
 * The sweep's ports for a real account and repository (the CLI and the action): the account client lists and
 * deletes, GitHub says whether each pull request is open, closed or missing, Alchemy's own state (through the
 * app's state store) says which stages it still knows and destroys them.
 */
const STATE_READERS = 4;

export function sweepPorts(options: {
  account: AccountClient;
  octokit: GitHubClient;
  owner: string;
  repo: string;
  runtime: Pick<Runtime, "read" | "down">;
  profile?: string;
  protectedStages: readonly string[];
}): SweepPorts {
  const { account, octokit, owner, repo, runtime } = options;
  const profile = options.profile ? { profile: options.profile } : {};
  return {
    account,
    remove: (resource) => account.remove(resource),
    async pulls(numbers) {
      const states = new Map<number, PullRequestState>();
      for (const pull_number of numbers) {
        try {
          const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number });
          states.set(pull_number, data.state === "open" ? "open" : "closed");
        } catch (error) {
          if ((error as { status?: number }).status !== 404) throw error;
          states.set(pull_number, "missing");
        }
      }
      return states;
    },
    async stagesWithState(stages) {
      // Reads only, one Alchemy process per stage: a few at a time rather than one after the other.
      const found = new Set<string>();
      const queue = [...stages];
      const reader = async () => {
        for (let stage = queue.shift(); stage !== undefined; stage = queue.shift()) {
          if ((await runtime.read({ stage, ...profile })).resources.length > 0) found.add(stage);
        }
      };
      await Promise.all(Array.from({ length: Math.min(STATE_READERS, queue.length) }, reader));
      return found;
    },
    async destroy(stage) {
      await runtime.down({ stage, ...profile, protectedStages: [...options.protectedStages] });
    },
  };
}
