// The promotion story as workflows: init's deploy.yml on a push to main (staging), init's promote.yml by
// workflow_dispatch (plan → deploy to production), then a change freeze the policy gate denies on push and on
// promotion (the refusal on record on the target, nothing deployed), init's rollback.yml by workflow_dispatch
// (staging back to the SHA live before), and the dashboard guide's workflow on its schedule (the page of that
// ledger on gh-pages). GitHub's Deployments on the stand-in are the ledger; the app runs on workerd per job.
//
// Approval: act has no environment protection rules — a job with `environment: production` starts as soon as
// its needs are done, as if the reviewers approved at once. The wait is stood in for by what can happen during
// it: when the deploy job makes its first write, staging has moved on to a newer SHA (as if a push landed while
// the reviewers read the plan); the job must still deploy the SHA the plan showed them.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { parse } from "yaml";
import { repoRoot } from "../../harness/run-action.ts";
import { tool } from "../../support/tools.ts";
import { documentedWorkflow } from "../../support/markdown-blocks.ts";
import { parseWorkflowFile } from "../../support/workflow-parser.ts";
import { CONSUMER } from "../../act/consumer-repo.ts";
import { pushEvent, scheduleEvent, workflowDispatchEvent } from "../../act/events.ts";
import { defectiveWorkflow, plantDefect, type PlantedDefect } from "../../act/planted-defects.ts";
import { resultsOf, type ActRun } from "../../act/run-act.ts";
import { assertNoViolations, assertPassed, startActStory, type ActStory } from "../../act/story.ts";
import { createGitHubClient } from "../../../workflows-lib/github/client.ts";
import { createDeploymentsLedger } from "../../../workflows-lib/github/deployments-ledger.ts";
import { entryKey } from "../../../workflows-lib/promote/ledger.ts";
import { actionlint } from "../../../workflows-lib/workflow-lint/actionlint.ts";

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
  // The dashboard guide's one-time setup: the GitHub Pages branch.
  story.repo.orphanBranch("gh-pages");
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

// A change freeze in the repository's policies: the gate denies every deployment, wherever it goes.
const FREEZE = `package freeze

deny_freeze contains "deployments are frozen until the quarter's books are closed" if {
\tinput.target.environment
}
`;

let frozen: string;

const refusals = (environment: string) =>
  [...story.gh.state.repo(CONSUMER)!.deployments.values()].filter((d) => d.environment === `${environment}/records` && d.task === "record:alchkit" && d.sha === frozen);

/**
 * What a denied deploy or promotion must leave: the refusal job ran and wrote one record more on the target's
 * ledger, the deploy job never ran. The refusal job fails after writing it, with the gate's denial.
 */
function assertRefused(run: ActRun, caller: "deploy" | "promote", environment: string, refusalsBefore: number): void {
  assert.notEqual(run.exitCode, 0, "a denied run fails");
  if (caller === "promote") assert.deepEqual(resultsOf(run, "promote/plan"), ["success"]);
  assert.deepEqual(resultsOf(run, `${caller}/policy`), ["failure"], "the gate denied the candidate");
  assert.deepEqual(resultsOf(run, `${caller}/policy refusal`), ["failure"], "the refusal job ran");
  assert.deepEqual(resultsOf(run, `${caller}/deploy`), ["skipped"], "and the deploy job did not");
  assert.equal(refusals(environment).length, refusalsBefore + 1, `one refusal more on ${environment}'s ledger`);
  assert.match(run.log, new RegExp(`\\[policy-refusal\\].*The policy gate denied ${frozen.slice(0, 7)} for ${environment}: nothing is deployed; the refusal is recorded`));
}

/** The refusal record: state failure, the audit about the candidate, the freeze its one denial. */
function assertRefusalRecord(environment: string): void {
  const [refusal] = refusals(environment);
  assert.deepEqual(refusal!.statuses.map((s) => s.state), ["failure"], "the record says the gate refused");
  assert.match(refusal!.statuses[0]!.description, /^Policy gate refused: policies\/freeze\.rego deny_freeze/);
  const audit = (refusal!.payload as { data?: { passed?: boolean; findings?: Array<{ level: string; message: string }>; target?: { sha?: string } } }).data;
  assert.equal(audit?.passed, false);
  assert.equal(audit?.target?.sha, frozen, "the audit is about the candidate");
  assert.deepEqual(audit?.findings?.filter((f) => f.level === "deny").map((f) => f.message), ["deployments are frozen until the quarter's books are closed"], "the freeze is the one denial");
  assert.deepEqual(ledger(environment).filter((d) => d.sha === frozen), [], "no deployment of the denied SHA");
}

/** The job that writes a refusal holds deployments: write and nothing else, and only runs the promote action (no checkout, no build). */
function assertRefusalJobPrivileges(workflow: string): void {
  const jobs = (parse(readFileSync(path.join(repoRoot, ".github/workflows", workflow), "utf8")) as { jobs: Record<string, { permissions?: unknown; steps: Array<{ uses?: string }> }> }).jobs;
  assert.deepEqual(jobs["policy-refusal"]?.permissions, { deployments: "write" }, workflow);
  assert.deepEqual(jobs["policy-refusal"]?.steps.map((step) => step.uses?.split("@")[0]), ["alchkit/alchkit/actions/promote"], workflow);
}

/** Promotes `frozen` (dispatched with its SHA): the policy gate reads the freeze from that commit's policies/. */
const promoteFrozen = async (rewriteUses?: (uses: string) => string): Promise<ActRun> =>
  story.run("promote.yml", await workflowDispatchEvent(story.gh, CONSUMER, ".github/workflows/promote.yml", { sha: frozen }), frozen, rewriteUses ? { rewriteUses } : {});

test("deploy: a push the policy gate denies is refused on record on staging, and nothing is deployed", { skip }, async () => {
  const { repo, gh } = story;
  const before = repo.work.git("rev-parse", "main");
  frozen = repo.commit("main", "Freeze deployments for the quarter's close", { "policies/freeze.rego": FREEZE });
  gh.seed.checkRun(CONSUMER, { headSha: frozen, name: "ci / summary", conclusion: "success" });
  const live = liveOn("staging");
  const run = await story.run("deploy.yml", await pushEvent(gh, CONSUMER, "refs/heads/main", before, frozen), frozen);
  assertRefused(run, "deploy", "staging", 0);
  assertRefusalRecord("staging");
  assert.deepEqual(liveOn("staging"), live, "staging still runs what it ran");
  assertRefusalJobPrivileges("deploy.yml");
  assertNoViolations(gh);
});

test("promote: a candidate the policy gate denies is refused on record on production, and nothing is deployed", { skip }, async () => {
  const live = liveOn("production");
  assertRefused(await promoteFrozen(), "promote", "production", 0);
  assertRefusalRecord("production");
  assert.deepEqual(liveOn("production"), live, "production still runs what it ran");
  assertRefusalJobPrivileges("promote.yml");
  assertNoViolations(story.gh);
});

const wrongNeeds: PlantedDefect = {
  workflow: "promote.yml",
  what: "a refusal job that watches the wrong job it needs (plan instead of policy)",
  replace: ["if: ${{ always() && needs.policy.result == 'failure' && needs.policy.outputs.audit != '' }}", "if: ${{ always() && needs.plan.result == 'failure' && needs.policy.outputs.audit != '' }}"],
};

test(`planted defect, ${wrongNeeds.what}: lint and GitHub's parser accept it, the denied promotion fails its check`, { skip }, async () => {
  const text = defectiveWorkflow(wrongNeeds);
  assert.deepEqual(await actionlint(wrongNeeds.workflow, text), [], "actionlint sees nothing wrong");
  assert.deepEqual((await parseWorkflowFile(wrongNeeds.workflow, text)).errors, [], "nor does GitHub's workflow parser");
  const before = refusals("production").length;
  const run = await promoteFrozen(plantDefect(story.repo.work.dir, wrongNeeds));
  assert.throws(() => assertRefused(run, "promote", "production", before), /the refusal job ran/);
  assert.equal(refusals("production").length, before, "the denial went unrecorded");
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

test("the dashboard on its schedule: the page of this ledger on gh-pages, its URL out of workflow_call", { skip }, async () => {
  const { repo, gh } = story;
  const sha = repo.commit("main", "Publish the delivery dashboard every hour", { ".github/workflows/dashboard.yml": documentedWorkflow("docs/dashboard.md", "dashboard.yml") });
  const cron = (parse(readFileSync(path.join(repo.work.dir, ".github/workflows/dashboard.yml"), "utf8")) as { on: { schedule: Array<{ cron: string }> } }).on.schedule[0]!.cron;
  const pagesBefore = gh.state.repo(CONSUMER)!.refs.get("refs/heads/gh-pages");
  const run = await story.run("dashboard.yml", await scheduleEvent(gh, CONSUMER, ".github/workflows/dashboard.yml", cron), sha);
  assertPassed(run, "dashboard");
  assert.deepEqual(resultsOf(run, "dashboard/dashboard"), ["success"]);
  assert.equal(run.needs.dashboard?.outputs?.url, "https://octo.github.io/app/dashboard/", "the page's URL flows out of workflow_call");
  const record = gh.state.repo(CONSUMER)!;
  const pages = record.commits.get(record.refs.get("refs/heads/gh-pages")!)!;
  assert.notEqual(pages.sha, pagesBefore, "the page was committed to gh-pages");
  assert.match(pages.tree.get("dashboard/index.html")?.content.toString("utf8") ?? "", /<html/i);
  const model = JSON.parse(pages.tree.get("dashboard/dashboard.json")!.content.toString("utf8")) as {
    environments: Array<{ environment: string; sha?: string; production: boolean }>;
    history: Array<{ environment: string; kind: string; sha: string; restore: boolean }>;
    dora: { environments: string[] };
  };
  const liveSha = Object.fromEntries(model.environments.map((e) => [e.environment, e.sha]));
  assert.deepEqual(liveSha, { production: B, staging: A }, "what runs where: the promotion's SHA on production, the rollback's on staging");
  assert.deepEqual(model.dora.environments, ["production"]);
  assert.ok(model.history.some((h) => h.environment === "staging" && h.kind === "rollback" && h.sha === A && h.restore), "the rollback is in the history, marked as a restore");
  assert.ok(!model.history.some((h) => h.sha === frozen), "the refused candidate never ran anywhere");
  assertNoViolations(gh);
});
