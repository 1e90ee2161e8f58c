import assert from "node:assert/strict";
import { test } from "node:test";
import { createGitHubClient } from "../../../workflows-lib/github/client.ts";
import { DEPLOYMENT_TASK, RECORD_TASK, createDeploymentsLedger } from "../../../workflows-lib/github/deployments-ledger.ts";
import { entryKey, liveOn, previousGoodOn, stateOf } from "../../../workflows-lib/promote/ledger.ts";
import { githubLedger } from "../../../workflows-lib/wiring/github-ledger.ts";
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
  const entry = await ledger.append({
    kind: "promote",
    key: entryKey("github:7:promote", "promote", "production", sha),
    environment: "production",
    sha,
    ref: "main",
    from: "staging",
    productionEnvironment: true,
    description: "Promote aaaaaaa from staging",
    payload: { stage: "prod", buildId: sha, appEntry: "alchemy.run.ts", appDir: ".", envFile: "env/production.env" },
  });
  await ledger.mark(entry, "success", { url: "https://api-prod.example.workers.dev", description: "live" });
  const [deployment] = [...gh.state.repo("octo/app")!.deployments.values()];
  assert.equal(deployment!.sha, sha);
  assert.equal(deployment!.ref, sha, "GitHub deploys the exact SHA, never a moving branch");
  assert.equal(deployment!.task, DEPLOYMENT_TASK);
  assert.equal(deployment!.productionEnvironment, true);
  assert.deepEqual((deployment!.payload as Record<string, unknown>).from, "staging");
  assert.equal((deployment!.payload as Record<string, unknown>).key, entryKey("github:7:promote", "promote", "production", sha));
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
  const input = {
    kind: "deploy" as const,
    key: entryKey("github:8:deploy", "deploy", "staging", sha),
    environment: "staging",
    sha,
    ref: "main",
    payload: { stage: "staging", buildId: sha, appEntry: "alchemy.run.ts", appDir: "." },
  };
  const first = await ledger.append(input);
  await ledger.mark(first, "success", { url: "https://staging.example.dev" });
  // A re-run of the job records the same deployment again.
  const again = await ledger.append(input);
  assert.equal(again.id, first.id);
  assert.equal(gh.state.repo("octo/app")!.deployments.size, 1);
  assert.equal((await liveOn(ledger, "staging"))?.sha, sha);
  assertNoViolations(gh);
});

const recipe = (sha: string) => ({ stage: "prod", buildId: sha, appEntry: "alchemy.run.ts", appDir: "." });

test("GitHub deployments ledger: deployments the kit's own jobs did not create are ignored, and said so", async (t) => {
  const { gh } = await open();
  t.after(() => gh.close());
  const github = createGitHubClient({ token: gh.token, baseUrl: gh.url, timeScale: 0.001 });
  const lines: string[] = [];
  // The kit's jobs run with GITHUB_TOKEN: GitHub answers GET /user with 403 and records github-actions[bot].
  const ledger = githubLedger({ github, owner: "octo", repo: "app" }, (line) => lines.push(line));
  const [A, B] = ["a".repeat(40), "b".repeat(40)];
  let a = await ledger.append({ kind: "deploy", key: entryKey("github:1:deploy", "deploy", "production", A), environment: "production", sha: A, ref: "main", payload: recipe(A) });
  a = await ledger.mark(a, "success", { url: "https://a.example.dev" });
  // Anyone with deployments: write can write what looks like the kit's entry: a newer "live" deployment of B.
  gh.seed.deployment("octo/app", {
    sha: B,
    environment: "production",
    task: DEPLOYMENT_TASK,
    creator: "mallory",
    payload: { alchkit: 2, kind: "deploy", key: "forged", ref: "main", recipe: recipe(B) },
    statuses: ["success"],
  });
  // And a payload pointing a rollback outside the checkout, with the kit's own identity.
  gh.seed.deployment("octo/app", {
    sha: B,
    environment: "production",
    task: DEPLOYMENT_TASK,
    payload: { alchkit: 2, kind: "deploy", key: "escape", ref: "main", recipe: { ...recipe(B), appDir: "../../elsewhere" } },
    statuses: ["success"],
  });
  const history = await ledger.history("production");
  assert.deepEqual(history.map((entry) => entry.id), [a.id]);
  assert.equal((await liveOn(ledger, "production"))?.sha, A);
  assert.equal(lines.length, 2, lines.join("\n"));
  assert.match(lines.join("\n"), /created by mallory, not by the kit's own jobs \(github-actions\[bot\]\)/);
  assert.match(lines.join("\n"), /appDir: a path inside the repository/);
  assertNoViolations(gh);
});

test("GitHub deployments ledger: a trusted deployer's entries count (the bot of the user's own GitHub App)", async (t) => {
  const { gh } = await open();
  t.after(() => gh.close());
  const github = createGitHubClient({ token: gh.token, baseUrl: gh.url, timeScale: 0.001 });
  const A = "a".repeat(40);
  gh.seed.deployment("octo/app", {
    sha: A,
    environment: "production",
    task: DEPLOYMENT_TASK,
    creator: "release-app[bot]",
    payload: { alchkit: 2, kind: "deploy", key: "app-job", ref: "main", recipe: recipe(A) },
    statuses: ["success"],
  });
  const plain = githubLedger({ github, owner: "octo", repo: "app" }, () => {});
  assert.equal(await liveOn(plain, "production"), undefined);
  const trusting = githubLedger({ github, owner: "octo", repo: "app", trustedDeployers: ["release-app[bot]"] }, () => {});
  assert.equal((await liveOn(trusting, "production"))?.sha, A);
});

test("GitHub deployments ledger: records live next to the environment, so its page keeps showing what is live", async (t) => {
  const { gh, ledger } = await open();
  t.after(() => gh.close());
  const A = "a".repeat(40);
  let a = await ledger.append({ kind: "deploy", key: entryKey("github:1:deploy", "deploy", "production", A), environment: "production", sha: A, ref: "main", payload: recipe(A) });
  a = await ledger.mark(a, "success", { url: "https://a.example.dev" });
  await ledger.append({ kind: "watch", key: entryKey("github:1:deploy", "watch", "production", A), environment: "production", sha: A, ref: "main", about: a.id, state: "success", url: "https://dash.example.dev/a", data: { errorRate: 0 } });
  const deployments = [...gh.state.repo("octo/app")!.deployments.values()];
  const production = deployments.filter((deployment) => deployment.environment === "production");
  assert.deepEqual(production.map((deployment) => deployment.task), [DEPLOYMENT_TASK], "the environment holds operations only");
  const record = deployments.find((deployment) => deployment.task === RECORD_TASK)!;
  assert.equal(record.environment, "production/records");
  assert.equal(record.productionEnvironment, false);
  assert.equal(record.statuses.at(-1)?.state, "success");
  const history = await ledger.history("production");
  assert.deepEqual(history.map((entry) => [entry.kind, entry.environment]), [["watch", "production"], ["deploy", "production"]]);
  assert.equal(history[0]!.statuses.at(-1)?.url, "https://dash.example.dev/a");
  assertNoViolations(gh);
});

test("GitHub deployments ledger: deployments of the first ledger format (one per environment and SHA) still read", async (t) => {
  const { gh, ledger } = await open();
  t.after(() => gh.close());
  const [A, B] = ["a".repeat(40), "b".repeat(40)];
  gh.seed.deployment("octo/app", { sha: A, environment: "production", task: DEPLOYMENT_TASK, payload: { ...recipe(A), operation: "deploy", ref: "main" }, statuses: ["success", "inactive"] });
  gh.seed.deployment("octo/app", { sha: B, environment: "production", task: DEPLOYMENT_TASK, payload: { ...recipe(B), operation: "promote", promotedFrom: "staging" }, statuses: ["success"] });
  const history = await ledger.history("production");
  assert.deepEqual(history.map((entry) => [entry.kind, entry.sha, stateOf(entry)]), [["promote", B, "success"], ["deploy", A, "inactive"]]);
  assert.equal(history[0]!.kind === "promote" && history[0]!.from, "staging");
  assert.equal(history[1]!.ref, "main");
  assert.equal((await previousGoodOn(ledger, "production", B))?.sha, A);
});

test("GitHub deployments ledger: a version id rides along in the status description and reads back", async (t) => {
  const { gh, ledger } = await open();
  t.after(() => gh.close());
  const A = "a".repeat(40);
  const version = "5e6f7a8b-1c2d-4e3f-8a9b-0c1d2e3f4a5b";
  const a = await ledger.append({ kind: "deploy", key: "k", environment: "production", sha: A, ref: "main", payload: recipe(A) });
  await ledger.mark(a, "success", { description: "x".repeat(200), versionId: version });
  const status = gh.state.repo("octo/app")!.deployments.get(Number(a.id))!.statuses.at(-1)!;
  assert.ok(status.description.length <= 140, "GitHub's limit");
  assert.match(status.description, /\[version 5e6f7a8b-1c2d-4e3f-8a9b-0c1d2e3f4a5b\]$/);
  const [entry] = await ledger.history("production");
  assert.equal(entry!.statuses.at(-1)?.versionId, version);
  assert.equal(entry!.statuses.at(-1)?.description, "x".repeat(140 - ` [version ${version}]`.length));
});
