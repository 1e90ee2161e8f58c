import assert from "node:assert/strict";
import { test } from "node:test";
import { createGitHubClient } from "../../../workflows-lib/github/client.ts";
import { DEPLOYMENT_TASK, createDeploymentsLedger } from "../../../workflows-lib/github/deployments-ledger.ts";
import { liveOn, stateOf } from "../../../workflows-lib/promote/ledger.ts";
import { assertNoViolations, startGitHubStandIn, type GitHubStandIn } from "../../github/index.ts";
import { ledgerContract } from "./ledger-contract.ts";

/** The contract's SHAs (a…, b…, c…) as commits of octo/app, so GitHub accepts deployments of them. */
function seedContractCommits(gh: GitHubStandIn): void {
  const repo = gh.state.repo("octo/app")!;
  const baseSha = gh.defaults!.baseSha;
  const base = repo.commits.get(baseSha)!;
  for (const letter of ["a", "b", "c"]) {
    const sha = letter.repeat(40);
    repo.commits.set(sha, { ...base, sha, parents: [baseSha], message: `commit ${letter}` });
  }
}

async function open() {
  const gh = await startGitHubStandIn();
  seedContractCommits(gh);
  const github = createGitHubClient({ token: gh.token, baseUrl: gh.url, timeScale: 0.001 });
  return { gh, ledger: createDeploymentsLedger(github, { owner: "octo", repo: "app", logUrl: "https://github.com/octo/app/actions/runs/1" }) };
}

ledgerContract("GitHub deployments ledger", async () => {
  const { gh, ledger } = await open();
  return { ledger, verify: () => assertNoViolations(gh), close: () => gh.close() };
});

test("GitHub deployments ledger: what GitHub shows — exact SHA, payload, production flag, environment URL, run link", async (t) => {
  const { gh, ledger } = await open();
  t.after(() => gh.close());
  const sha = "a".repeat(40);
  const entry = await ledger.recordDeploy({
    environment: "production",
    sha,
    ref: "main",
    productionEnvironment: true,
    description: "Promote aaaaaaa from staging",
    payload: { stage: "prod", buildId: sha, appEntry: "alchemy.run.ts", appDir: ".", envFile: "env/production.env", operation: "promote", promotedFrom: "staging" },
  });
  await ledger.mark(entry, "success", { url: "https://api-prod.example.workers.dev", description: "live" });
  const [deployment] = [...gh.state.repo("octo/app")!.deployments.values()];
  assert.equal(deployment!.sha, sha);
  assert.equal(deployment!.ref, sha, "GitHub deploys the exact SHA, never a moving branch");
  assert.equal(deployment!.task, DEPLOYMENT_TASK);
  assert.equal(deployment!.productionEnvironment, true);
  assert.deepEqual((deployment!.payload as Record<string, unknown>).promotedFrom, "staging");
  const status = deployment!.statuses.at(-1)!;
  assert.equal(status.environmentUrl, "https://api-prod.example.workers.dev");
  assert.equal(status.logUrl, "https://github.com/octo/app/actions/runs/1");
  // Deployments of other tools in the same repository are not ours to roll back to.
  gh.seed.deployment("octo/app", { sha: "b".repeat(40), environment: "production", statuses: ["success"] });
  assert.equal((await liveOn(ledger, "production"))?.sha, sha);
  assert.equal(stateOf((await ledger.history("production"))[0]!), "success");
  assertNoViolations(gh);
});

test("GitHub deployments ledger: a network fault while recording is retried without a duplicate deployment", async (t) => {
  const { gh, ledger } = await open();
  t.after(() => gh.close());
  gh.faults.add({ route: "repos/list-deployments", kind: 502, times: 1 });
  gh.faults.add({ route: "repos/create-deployment-status", kind: "secondary-rate-limit", times: 1, retryAfter: 1 });
  const sha = "c".repeat(40);
  const payload = { stage: "staging", buildId: sha, appEntry: "alchemy.run.ts", appDir: ".", operation: "deploy" as const };
  const first = await ledger.recordDeploy({ environment: "staging", sha, ref: "main", payload });
  await ledger.mark(first, "success", { url: "https://staging.example.dev" });
  // A re-run of the job records the same deployment again.
  const again = await ledger.recordDeploy({ environment: "staging", sha, ref: "main", payload });
  assert.equal(again.id, first.id);
  assert.equal(gh.state.repo("octo/app")!.deployments.size, 1);
  assert.equal((await liveOn(ledger, "staging"))?.sha, sha);
  assertNoViolations(gh);
});
