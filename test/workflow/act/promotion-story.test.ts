// The promotion story as workflows: init's deploy.yml on a push to main (staging), init's promote.yml by
// workflow_dispatch (plan → deploy to production), init's rollback.yml by workflow_dispatch (production back to
// the SHA live before). GitHub's Deployments on the stand-in are the ledger; the app runs on workerd per job.
//
// Approval: act has no environment protection rules — a job with `environment: production` starts as soon as
// its needs are done, as if the reviewers approved at once. The wait is stood in for by what can happen during
// it: when the deploy job makes its first write, staging has moved on to a newer SHA (as if a push landed while
// the reviewers read the plan); the job must still deploy the SHA the plan showed them.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { tool } from "../../support/tools.ts";
import { CONSUMER } from "../../act/consumer-repo.ts";
import { pushEvent, workflowDispatchEvent } from "../../act/events.ts";
import { resultsOf } from "../../act/run-act.ts";
import { assertNoViolations, assertPassed, startActStory, type ActStory } from "../../act/story.ts";
import { createGitHubClient } from "../../../workflows-lib/github/client.ts";
import { createDeploymentsLedger } from "../../../workflows-lib/github/deployments-ledger.ts";
import { entryKey } from "../../../workflows-lib/promote/ledger.ts";

const act = tool("act", "running the kit's workflows");
// deploy.yml and promote.yml run the policy gate first (test/act/story.ts hands it this OPA).
const opa = tool("opa", "the policy gate of deploy.yml and promote.yml under act");
const skip = act.skip || opa.skip;

let story: ActStory;
let A: string;
let B: string;
before(async () => {
  if (skip) return;
  opa.require();
  story = await startActStory(act.require());
  A = story.repo.work.git("rev-parse", "main");
  // Production has run A: a deployment the kit recorded before this story (its own ledger adapter writes it).
  const ledger = createDeploymentsLedger(createGitHubClient({ token: story.gh.token, baseUrl: story.gh.url, timeScale: 0.001 }), { owner: "octo", repo: "app" });
  for (const [environment, stage] of [["production", "prod"], ["staging", "staging"]] as const) {
    const entry = await ledger.append({
      kind: "deploy",
      key: entryKey("story:before", "deploy", environment, A),
      environment,
      sha: A,
      ref: A,
      productionEnvironment: environment === "production",
      payload: { stage, buildId: A, appEntry: "alchemy.run.ts", appDir: "." },
    });
    await ledger.mark(entry, "success", { url: "http://localhost:9/", description: `${A.slice(0, 7)} is live and healthy` });
  }
});
after(() => story?.close());

const ledger = (environment: string) =>
  [...story.gh.state.repo(CONSUMER)!.deployments.values()]
    // The kit's own operations (the promote test seeds a foreign "deploy" of C on staging, which the ledger ignores).
    .filter((d) => d.environment === environment && d.task === "deploy:alchkit")
    .map((d) => ({ sha: d.sha, states: d.statuses.map((s) => s.state) }));
const liveOn = (environment: string) => ledger(environment).filter((d) => d.states.at(-1) === "success").map((d) => d.sha);

test("a push to main deploys it to staging: a deployment with its URL, the SHA and outcome out of workflow_call", { skip }, async () => {
  const { repo, gh } = story;
  B = repo.commit("main", "Orders: notes", { "NOTES.md": "Orders may carry a note.\n" });
  gh.seed.checkRun(CONSUMER, { headSha: B, name: "ci / summary", conclusion: "success" });
  const run = await story.run("deploy.yml", await pushEvent(gh, CONSUMER, "refs/heads/main", A, B), B);
  assertPassed(run, "deploy on push");
  assert.deepEqual(resultsOf(run, "deploy/policy"), ["success"], "the policy gate ran before the deploy");
  assert.deepEqual(resultsOf(run, "deploy/deploy"), ["success"]);
  assert.equal(run.needs.deploy?.outputs?.sha, B);
  assert.equal(run.needs.deploy?.outputs?.outcome, "deployed");
  assert.match(run.needs.deploy?.outputs?.url ?? "", /^http:\/\/(localhost|127\.0\.0\.1):\d+\/$/);
  assert.deepEqual(liveOn("staging"), [B], "B replaced A on staging");
  const deployment = [...gh.state.repo(CONSUMER)!.deployments.values()].find((d) => d.environment === "staging" && d.sha === B)!;
  assert.deepEqual(deployment.statuses.map((s) => s.state), ["in_progress", "success"]);
  assert.equal(deployment.statuses.at(-1)!.environmentUrl, run.needs.deploy?.outputs?.url);
  assertNoViolations(gh);
});

test("promote: the plan picks staging's SHA and the deploy job deploys exactly that SHA to production", { skip }, async () => {
  const { repo, gh } = story;
  assert.ok(B, "the deploy test ran first");
  // Prepared before the run: a newer commit that lands on staging during the (simulated) approval.
  const C = repo.commit("main", "Orders: totals in cents", { "NOTES.md": "Totals are in cents.\n" });
  let approvedWhileStagingMoved = false;
  gh.responseMutations.add(
    "repos/create-deployment",
    (body) => {
      gh.seed.deployment(CONSUMER, { sha: C, environment: "staging", statuses: ["success"] });
      approvedWhileStagingMoved = true;
      return body;
    },
    1,
  );
  const run = await story.run("promote.yml", await workflowDispatchEvent(gh, CONSUMER, ".github/workflows/promote.yml", { sha: "" }), C);
  assertPassed(run, "promote");
  assert.deepEqual(resultsOf(run, "promote/plan"), ["success"]);
  assert.deepEqual(resultsOf(run, "promote/deploy"), ["success"]);
  assert.ok(approvedWhileStagingMoved, "staging moved on while the deploy job waited");
  assert.equal(run.needs.promote?.outputs?.sha, B, "the plan's SHA flows out of workflow_call");
  assert.equal(run.needs.promote?.outputs?.outcome, "deployed");
  assert.deepEqual(liveOn("production"), [B], "production runs the planned SHA, not staging's newer one");
  assert.deepEqual(ledger("production").find((d) => d.sha === A)?.states.at(-1), "inactive", "A was replaced");
  assertNoViolations(gh);
});

test("rollback: staging goes back to the SHA that was live before", { skip }, async () => {
  const { repo, gh } = story;
  const run = await story.run("rollback.yml", await workflowDispatchEvent(gh, CONSUMER, ".github/workflows/rollback.yml", { environment: "staging", to: "" }), repo.work.git("rev-parse", "main"));
  assertPassed(run, "rollback");
  assert.deepEqual(resultsOf(run, "rollback/plan"), ["success"]);
  assert.deepEqual(resultsOf(run, "rollback/rollback"), ["success"]);
  assert.equal(run.needs.rollback?.outputs?.sha, A, "the previous SHA flows out of workflow_call");
  assert.match(run.needs.rollback?.outputs?.url ?? "", /^http:\/\/(localhost|127\.0\.0\.1):\d+\/$/);
  assert.deepEqual(liveOn("staging"), [A], "A is live again");
  const entries = ledger("staging");
  assert.equal(entries.find((d) => d.sha === B)?.states.at(-1), "inactive");
  assertNoViolations(gh);
});
