// The promotion story end to end: GitHub (the stand-in: deployments, statuses, check runs, compare) as the
// ledger and gate, the example app on workerd as staging and production, a real git repository.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { GateFailure } from "../../../workflows-lib/errors.ts";
import { createGitHubClient } from "../../../workflows-lib/github/client.ts";
import { createWorktreeSource } from "../../../workflows-lib/local/worktree-source.ts";
import { localDeployer } from "../../../workflows-lib/alchemy/promotion-deployer.ts";
import { liveOn, stateOf } from "../../../workflows-lib/promote/ledger.ts";
import type { PromotionPorts } from "../../../workflows-lib/promote/ports.ts";
import { failureMessage, planPromotion, runPromotion } from "../../../workflows-lib/promote/run-promotion.ts";
import { renderPromotionSummary } from "../../../workflows-lib/promote/summary.ts";
import { githubPromotionPorts } from "../../../workflows-lib/wiring/promotion-ports.ts";
import { assertNoViolations, startGitHubStandIn, type GitHubStandIn } from "../../github/index.ts";
import { consumerRepoOptions, createConsumerRepo, versionAt, type ConsumerRepo } from "./consumer-repo.ts";

const options = consumerRepoOptions;

/** Puts the local repository's commits into the stand-in under their real SHAs (GitHub would have them after a push). */
function mirrorCommits(gh: GitHubStandIn, repo: ConsumerRepo): void {
  const record = gh.state.repo("octo/app")!;
  const lines = repo.git("log", "--reverse", "--format=%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%s", "main").split("\n");
  for (const line of lines) {
    const [sha, parents, name, email, date, message] = line.split("\x1f") as [string, string, string, string, string, string];
    const actor = { name, email, date: date.replace(/\+00:00$/, "Z") };
    record.commits.set(sha, {
      sha,
      parents: parents ? parents.split(" ") : [],
      message,
      author: actor,
      committer: { ...actor },
      authorLogin: null,
      tree: new Map(),
      treeSha: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
    });
  }
  record.refs.set("refs/heads/main", repo.git("rev-parse", "main"));
}

let repo: ConsumerRepo;
let gh: GitHubStandIn;
let ports: PromotionPorts;
const log: string[] = [];

before(async () => {
  repo = createConsumerRepo();
  gh = await startGitHubStandIn();
  mirrorCommits(gh, repo);
  for (const sha of [repo.A, repo.B, repo.B2]) {
    gh.seed.checkRun("octo/app", { headSha: sha, name: "test", conclusion: "success" });
    gh.seed.commitStatus("octo/app", { sha, state: "success", context: "ci/lint" });
  }
  const github = createGitHubClient({ token: gh.token, baseUrl: gh.url, timeScale: 0.001 });
  const settings = {
    root: repo.root,
    appDir: ".",
    healthPath: "/health",
    healthRetries: 2,
    healthDeadlineMs: 5_000,
    envFileOptional: false,
    env: repo.env,
    log: (line: string) => log.push(line),
  };
  ports = {
    // GitHub for the ledger, checks and compare …
    ...githubPromotionPorts(settings, { github, owner: "octo", repo: "app", logUrl: "https://github.com/octo/app/actions/runs/7" }),
    // … and workerd instead of Cloudflare, each SHA from its own worktree.
    source: createWorktreeSource({ root: repo.root }),
    runtime: localDeployer({ root: repo.root, env: repo.env }),
  };
});

after(async () => {
  await gh?.close();
  await repo?.close();
});

const deployments = (environment: string) =>
  [...gh.state.repo("octo/app")!.deployments.values()].filter((deployment) => deployment.environment === environment);

test("e2e: deploy A to staging, promote it to production", async () => {
  const staging = await runPromotion({ operation: "deploy", environment: "staging", ref: repo.A }, options, ports);
  assert.equal(staging.outcome, "deployed");
  assert.equal(await versionAt(staging.url!), repo.A);

  const production = await runPromotion({ operation: "promote", from: "staging", environment: "production" }, options, ports);
  assert.equal(production.outcome, "deployed", failureMessage(production));
  assert.equal(production.plan.sha, repo.A);
  assert.equal(production.plan.stage, "prod");
  assert.deepEqual(production.plan.checks?.passing.sort(), ["ci/lint", "test"]);
  assert.equal(await versionAt(production.url!), repo.A);

  const [deployment] = deployments("production");
  assert.equal(deployment!.sha, repo.A);
  assert.equal(deployment!.productionEnvironment, true);
  assert.equal((deployment!.payload as { recipe: { envFile: string } }).recipe.envFile, "env/production.env");
  assert.equal(deployment!.statuses.at(-1)!.state, "success");
  assert.equal(deployment!.statuses.at(-1)!.environmentUrl, production.url);
  assertNoViolations(gh);
});

test("e2e: B is healthy on staging, fails its health check on production, and production is restored to A", async () => {
  const staging = await runPromotion({ operation: "deploy", environment: "staging", ref: repo.B }, options, ports);
  assert.equal(staging.outcome, "deployed");
  assert.equal(await versionAt(staging.url!), repo.B);

  const result = await runPromotion({ operation: "promote", from: "staging", environment: "production" }, options, ports);
  assert.equal(result.outcome, "rolled-back");
  assert.equal(result.plan.sha, repo.B);
  assert.deepEqual(result.plan.changes?.commits.map((commit) => commit.message), ["Turn on live checkout in production"]);
  assert.match(result.error!, /503/);
  assert.equal(result.rollback?.sha, repo.A);
  assert.equal(await versionAt(result.rollback!.url!), repo.A, "production answers with A's build again");

  // GitHub's deployments say exactly that: B failed, A is live (again), nothing else on production.
  const ledger = ports.ledger;
  assert.equal((await liveOn(ledger, "production"))?.sha, repo.A);
  const history = await ledger.history("production");
  assert.deepEqual(
    history.map((entry) => [entry.kind, entry.sha, stateOf(entry)]),
    [["auto-rollback", repo.A, "success"], ["promote", repo.A, "inactive"], ["promote", repo.B, "failure"]],
  );
  assert.equal(deployments("production").length, 3, "the automatic rollback is a deployment of its own");
  assert.deepEqual(
    deployments("production").find((deployment) => deployment.id === Number(history[0]!.id))!.statuses.map((status) => status.state),
    ["in_progress", "success"],
  );
  assert.equal((await liveOn(ledger, "staging"))?.sha, repo.B, "staging keeps B");

  const message = failureMessage(result);
  assert.match(message, /rolled back to/);
  assert.match(message, /Timeline:/);
  const summary = renderPromotionSummary(result, { repoUrl: "https://github.com/octo/app" });
  assert.match(summary, /failed on production, rolled back to/);
  assert.match(summary, /Turn on live checkout in production/);
  assertNoViolations(gh);
});

test("e2e: a fixed B' is promoted, then a manual rollback takes production back to A", async () => {
  const fixed = await runPromotion({ operation: "promote", from: "staging", environment: "production", ref: repo.B2 }, options, ports);
  assert.equal(fixed.outcome, "deployed", failureMessage(fixed));
  assert.equal(await versionAt(fixed.url!), repo.B2);

  const back = await runPromotion({ operation: "rollback", environment: "production" }, options, ports);
  assert.equal(back.outcome, "deployed", failureMessage(back));
  assert.equal(back.plan.sha, repo.A);
  assert.equal(await versionAt(back.url!), repo.A);
  assert.deepEqual(
    (await ports.ledger.history("production")).map((entry) => [entry.kind, entry.sha, stateOf(entry)]),
    [
      ["rollback", repo.A, "success"],
      ["promote", repo.B2, "inactive"],
      ["auto-rollback", repo.A, "inactive"],
      ["promote", repo.A, "inactive"],
      ["promote", repo.B, "failure"],
    ],
  );
  assertNoViolations(gh);
});

test("e2e: a failing required check refuses the promotion and names the check", async () => {
  repo.git("commit", "--quiet", "--allow-empty", "-m", "Risky change");
  const risky = repo.git("rev-parse", "HEAD");
  mirrorCommits(gh, repo);
  gh.seed.checkRun("octo/app", { headSha: risky, name: "test", conclusion: "success" });
  gh.seed.checkRun("octo/app", { headSha: risky, name: "e2e", conclusion: "failure" });
  const before = gh.calls.count("repos/create-deployment");
  await assert.rejects(
    runPromotion({ operation: "promote", from: "staging", environment: "production", ref: risky }, options, ports),
    (error: unknown) => error instanceof GateFailure && /required checks are not green: e2e \(failure\)/.test(error.message),
  );
  assert.equal(gh.calls.count("repos/create-deployment"), before, "nothing was deployed or recorded");
  assertNoViolations(gh);
});

test("e2e: a deployment written by another token is not the kit's: it is neither live nor a rollback target", async () => {
  // Any token with deployments: write (a collaborator's, another workflow's) can write a deployment shaped like
  // the kit's, e.g. "B is live on production" so that the next rollback or promotion trusts it.
  gh.seed.deployment("octo/app", {
    sha: repo.B,
    environment: "production",
    task: "deploy:alchkit",
    creator: "mallory",
    payload: { stage: "prod", buildId: repo.B, appEntry: "alchemy.run.ts", appDir: ".", envFile: "env/production.env", operation: "deploy" },
    statuses: ["success"],
  });
  const plan = await planPromotion({ operation: "rollback", environment: "production" }, options, ports);
  assert.equal(plan.live?.sha, repo.A, "production runs A: the forged entry is not what is live");
  assert.equal(plan.sha, repo.B2, "the rollback goes to the SHA live before A, not to the forged one");
  assert.ok(log.some((line) => /ignoring deployment \d+ \(production, .{7}\): created by mallory, not by the kit's own jobs/.test(line)));
  assertNoViolations(gh);
});
