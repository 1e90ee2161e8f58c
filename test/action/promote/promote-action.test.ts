// actions/promote as the runner runs it: the built dist, inputs as INPUT_*, the GitHub stand-in as the API,
// the example app on workerd (`runtime: local`) in a real git checkout.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { runActionDist } from "../../harness/run-action.ts";
import { assertNoViolations, startGitHubStandIn, type GitHubStandIn } from "../../github/index.ts";
import { createConsumerRepo, versionAt, type ConsumerRepo } from "../../e2e/promote/consumer-repo.ts";

let repo: ConsumerRepo;
let gh: GitHubStandIn;

before(async () => {
  repo = createConsumerRepo();
  gh = await startGitHubStandIn();
  const record = gh.state.repo("octo/app")!;
  const base = record.commits.get(gh.defaults!.baseSha)!;
  // The repository's history on GitHub: A, B, B2 on main.
  let parent = gh.defaults!.baseSha;
  for (const sha of [repo.A, repo.B, repo.B2]) {
    record.commits.set(sha, { ...base, sha, parents: [parent] });
    parent = sha;
  }
  record.refs.set("refs/heads/main", repo.B2);
});
after(async () => {
  await gh?.close();
  await repo?.close();
});

/** The policy action's `audit` output as the deploy job receives it. */
const auditOutput = (passed: boolean, sha: string): string =>
  JSON.stringify({
    kind: "policy-evaluation",
    at: "2026-01-01T00:00:00.000Z",
    stage: "staging",
    target: { environment: "staging", stage: "staging", sha },
    inputDigest: "1".repeat(64),
    policyDigest: "2".repeat(64),
    opaVersion: "1.22.0",
    passed,
    counts: { deny: passed ? 0 : 1, warn: 0, excepted: 0 },
    findings: passed ? [] : [{ policy: "policies/isolation.rego", rule: "deny", level: "deny", message: "binds prod-db" }],
    policies: ["policies/isolation.rego"],
  });

const policyRecords = () =>
  [...gh.state.repo("octo/app")!.deployments.values()].filter((d) => (d.payload as { kind?: string } | undefined)?.kind === "policy-audit");

const run = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runActionDist({
    action: "promote",
    inputs,
    github: { url: gh.url, token: gh.token },
    repository: "octo/app",
    sha: repo.B2,
    workspace: repo.root,
    runId: 4242,
    env: { DO_NOT_TRACK: "1", ALCHEMY_TELEMETRY_DISABLED: "1", ALCHKIT_GITHUB_TIME_SCALE: "0.001", ...env },
    timeoutMs: 120_000,
  });

test("promote action: a bad input is one error naming it, and nothing is recorded", async () => {
  const result = await run({ operation: "ship", environment: "staging" });
  assert.equal(result.exitCode, 1);
  const errors = result.annotations.filter((a) => a.level === "error");
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /operation: expected deploy, promote, rollback or switch/);
  const noVersion = await run({ operation: "switch", environment: "production", sha: repo.A });
  assert.equal(noVersion.exitCode, 1);
  assert.match(noVersion.annotations.find((a) => a.level === "error")!.message, /version: expected the Workers version the deploy job verified idle/);
  assert.equal(gh.state.repo("octo/app")!.deployments.size, 0);
});

test("promote action: a bad strategy is one error naming it before anything is deployed", async () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ strategy: JSON.stringify({ strategy: "progressive", stages: [{ traffic: 50 }, { traffic: 20 }] }) }, /strategy\.stages\.1\.traffic: .*stages go up/],
    [{ strategy: JSON.stringify({ strategy: "canary", traffic: 10, thresholds: { http_req_failed: ["rate<<0.01"] } }) }, /strategy\.thresholds/],
    [{ strategy: "canary", runtime: "local" }, /strategy: expected all-at-once with runtime: local/],
    // No Cloudflare credentials for the versions API (the harness gives none): refused before anything is recorded.
    [{ strategy: JSON.stringify({ strategy: "blue-green", switchover: "manual" }) }, /CLOUDFLARE_API_TOKEN: expected CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID, or the Alchemy profile `profile`, for a blue-green rollout/],
  ];
  for (const [inputs, message] of cases) {
    const result = await run({ operation: "deploy", environment: "production", sha: repo.A, ...inputs });
    assert.equal(result.exitCode, 1, result.log);
    const errors = result.annotations.filter((a) => a.level === "error");
    assert.equal(errors.length, 1, result.log);
    assert.match(errors[0]!.message, message);
  }
  assert.equal(gh.state.repo("octo/app")!.deployments.size, 0, "nothing was recorded or deployed");
});

test("promote action: deploys a SHA with runtime local, records the deployment with its URL and writes the summary", async () => {
  const audit = auditOutput(true, repo.A);
  const result = await run({ operation: "deploy", environment: "staging", sha: repo.A, runtime: "local", "env-files": "env/{environment}.env", "policy-audit": audit });
  assert.equal(result.exitCode, 0, result.log);
  // The gate's evaluation is on record, about the deployment this run created, with the action's digests.
  const [record, ...others] = policyRecords();
  assert.equal(others.length, 0);
  const stored = record!.payload as { about?: string; data?: Record<string, unknown> };
  assert.equal(stored.about, result.outputs["deployment-id"]);
  assert.equal(record!.environment, "staging/records");
  assert.equal(record!.statuses.at(-1)!.state, "success");
  assert.deepEqual(stored.data, JSON.parse(audit));
  assert.equal(result.outputs.outcome, "deployed");
  assert.equal(result.outputs.sha, repo.A);
  assert.equal(result.outputs.stage, "staging");
  assert.equal(await versionAt(result.outputs.url!), repo.A);
  const deployment = gh.state.repo("octo/app")!.deployments.get(Number(result.outputs["deployment-id"]))!;
  assert.equal(deployment.environment, "staging");
  assert.equal(deployment.statuses.at(-1)!.state, "success");
  assert.equal(deployment.statuses.at(-1)!.environmentUrl, result.outputs.url);
  assert.match(deployment.statuses.at(-1)!.logUrl ?? "", /\/actions\/runs\/4242/);
  assert.match(result.summary, /is live on staging/);
  assert.equal(result.state["in-flight-deployment"], "", "nothing left for the post step to finish");
  assertNoViolations(gh);
});

test("promote action: a denied policy evaluation is recorded as a refusal about no deployment, and nothing is deployed", async () => {
  const operations = () => [...gh.state.repo("octo/app")!.deployments.values()].filter((d) => d.task === "deploy:alchkit").length;
  const before = { operations: operations(), records: policyRecords().length };
  const audit = auditOutput(false, repo.B);
  const result = await run({ operation: "promote", from: "staging", environment: "production", runtime: "local", "policy-audit": audit });
  assert.equal(result.exitCode, 1);
  assert.equal(result.outputs.outcome, "refused");
  assert.match(result.annotations.find((a) => a.level === "error")!.message, /policy gate denied .* nothing is deployed/);
  assert.equal(operations(), before.operations, "nothing deployed");
  const refusal = policyRecords().at(-1)!;
  assert.equal(policyRecords().length, before.records + 1);
  assert.equal(refusal.environment, "production/records");
  assert.equal(refusal.sha, repo.B);
  assert.equal(refusal.statuses.at(-1)!.state, "failure");
  assert.equal((refusal.payload as { about?: string }).about, undefined);
  assert.deepEqual((refusal.payload as { data?: unknown }).data, JSON.parse(audit));
  // A mangled audit record is one error naming the input, and nothing is written.
  const bad = await run({ operation: "deploy", environment: "staging", "policy-audit": "{\"kind\":\"other\"}" });
  assert.equal(bad.exitCode, 1);
  assert.match(bad.annotations.find((a) => a.level === "error")!.message, /policy-audit: expected the policy gate's audit record/);
  assert.equal(policyRecords().length, before.records + 1);
  assertNoViolations(gh);
});

test("promote action: the post step gives a deployment left in progress by a cancelled job its final state", async () => {
  const stuck = gh.seed.deployment("octo/app", {
    sha: repo.B,
    environment: "production",
    task: "deploy:alchkit",
    payload: { alchkit: 2, kind: "deploy", key: "github:4241:deploy:deploy:production", ref: repo.B, recipe: { stage: "prod", buildId: repo.B, appEntry: "alchemy.run.ts", appDir: "." } },
    statuses: ["in_progress"],
  });
  const post = await run(
    { operation: "deploy", environment: "production" },
    { STATE_phase: "main", "STATE_in-flight-deployment": JSON.stringify({ id: String(stuck.id), environment: "production", sha: repo.B }) },
  );
  assert.equal(post.exitCode, 0, post.log);
  assert.equal(stuck.statuses.at(-1)!.state, "error");
  assert.match(stuck.statuses.at(-1)!.description ?? "", /cancelled or timed out/);
  // A post step after a job that finished normally does nothing.
  const calls = gh.calls.length;
  const idle = await run({ operation: "deploy", environment: "production" }, { STATE_phase: "main" });
  assert.equal(idle.exitCode, 0);
  assert.equal(gh.calls.length, calls);
  assertNoViolations(gh);
});

test("promote action: plan-only names the red check and fails; this run's own check runs do not count", async () => {
  gh.seed.checkRun("octo/app", { headSha: repo.A, name: "test", conclusion: "success" });
  const own = gh.seed.checkRun("octo/app", { headSha: repo.A, name: "promote / plan", status: "in_progress" });
  own.detailsUrl = "https://github.com/octo/app/actions/runs/4242/job/1";
  const green = await run({ operation: "promote", from: "staging", environment: "production", "plan-only": "true" });
  assert.equal(green.exitCode, 0, green.log);
  assert.equal(green.outputs.outcome, "planned");
  assert.equal(green.outputs.sha, repo.A);
  assert.match(green.summary, /Promote .* from staging to production/);

  gh.seed.checkRun("octo/app", { headSha: repo.A, name: "security-scan", conclusion: "failure" });
  const deploymentsBefore = gh.state.repo("octo/app")!.deployments.size;
  const red = await run({ operation: "promote", from: "staging", environment: "production", "plan-only": "true" });
  assert.equal(red.exitCode, 1);
  assert.match(red.annotations.find((a) => a.level === "error")!.message, /required checks are not green: security-scan \(failure\)/);
  assert.equal(gh.state.repo("octo/app")!.deployments.size, deploymentsBefore, "nothing deployed or recorded");
  assertNoViolations(gh);
});
