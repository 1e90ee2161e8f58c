import type { GitHubClient } from "../github/client.ts";
import { createDeploymentsLedger } from "../github/deployments-ledger.ts";
import { tokenIdentity } from "../github/token-identity.ts";
import type { Ledger } from "../promote/ledger.ts";

/** Where the ledger lives on GitHub, and whose deployments in it are the kit's. */
export interface GitHubLedgerSettings {
  github: GitHubClient;
  owner: string;
  repo: string;
  /** Link to the run for deployment statuses. */
  logUrl?: string;
  /** Logins besides the token's own whose deployments are the kit's (e.g. the bot of your own GitHub App). */
  trustedDeployers?: string[];
}

/** How far back history reads: the `depth` most recent deployments, and every one created since `since`. */
export interface LedgerReach {
  depth?: number;
  since?: string;
}

/**
 * The Deployments ledger as the kit reads it everywhere (promotion, rollback, the dashboard, the policy gate's
 * audit): only deployments created by this token's identity (or a trusted deployer) count; each one ignored is
 * said once.
 */
export function githubLedger(gh: GitHubLedgerSettings, log: (line: string) => void, reach: LedgerReach = {}): Ledger {
  const said = new Set<string>();
  return createDeploymentsLedger(gh.github, {
    owner: gh.owner,
    repo: gh.repo,
    ...(gh.logUrl ? { logUrl: gh.logUrl } : {}),
    ...(reach.depth !== undefined ? { depth: reach.depth } : {}),
    ...(reach.since !== undefined ? { since: reach.since } : {}),
    trustedCreators: async () => [(await tokenIdentity(gh.github)).login, ...(gh.trustedDeployers ?? [])],
    onIgnored: (ignored) => {
      if (said.has(ignored.id)) return;
      said.add(ignored.id);
      log(`ledger: ignoring deployment ${ignored.id} (${ignored.environment}, ${ignored.sha.slice(0, 7)}): ${ignored.reason}`);
    },
  });
}
