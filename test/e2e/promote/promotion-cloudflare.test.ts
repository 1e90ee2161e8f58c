// The production path of a promotion, end to end: actions/promote's built bundle with `runtime: cloudflare`
// deploys the consumer repository's commits with the real Alchemy CLI to the Cloudflare stand-in (state in
// CloudflareStateStore, CI=true), against the GitHub stand-in. A healthy SHA goes live at its workers.dev URL;
// a SHA whose health check fails there is rolled back automatically by re-pointing traffic to the Workers version
// the ledger recorded for the previous SHA (no rebuild), and /version proves the previous SHA serves again. A
// canary deploy then goes 10 % → 100 % with a rollout-step entry per step, and the rollback operation re-points
// in one Cloudflare call. A manual blue-green then stops with the candidate verified idle (no traffic moved), the
// approved switch job switches exactly that version (a forged version or another run's switch moves nothing), and
// a rollback switches back. Through the CLI, `alchkit rollback` re-points in one call and `alchkit rollout` rolls a
// version out 10 % → 100 %. The stage is destroyed at the end and nothing of it is left in the account.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { createCloudflareRuntime } from "../../../workflows-lib/alchemy/cloudflare-runtime.ts";
import { resourcesOfStage } from "../../../workflows-lib/teardown/stage-resources.ts";
import { runActionDist } from "../../harness/run-action.ts";
import { alchkit } from "../../support/alchkit-process.ts";
import { startReceiversStandIn } from "../../receivers/server.ts";
import { assertNoViolations as assertNoCloudflareViolations, startCloudflareStandIn, type CloudflareStandIn } from "../../cloudflare/index.ts";
import { assertNoViolations, startGitHubStandIn, type GitHubStandIn } from "../../github/index.ts";
import { createConsumerRepo, type ConsumerRepo } from "./consumer-repo.ts";

let repo: ConsumerRepo;
let gh: GitHubStandIn;
let cf: CloudflareStandIn;
let home: string;
let env: Record<string, string>;

before(async () => {
  repo = createConsumerRepo();
  gh = await startGitHubStandIn();
  cf = await startCloudflareStandIn();
  home = mkdtempSync(path.join(tmpdir(), "alchkit-promote-cf-"));
  env = { HOME: home, ...cf.env, CI: "true", ALCHEMY_STATE_TOKEN: "state-token-for-tests", ALCHEMY_PASSWORD: "password-for-tests", ALCHKIT_GITHUB_TIME_SCALE: "0.001", DO_NOT_TRACK: "1", ALCHEMY_TELEMETRY_DISABLED: "1" };
  // The deployed commits are on the default branch, as production requires.
  const record = gh.state.repo("octo/app")!;
  const base = record.commits.get(gh.defaults!.baseSha)!;
  let parent = gh.defaults!.baseSha;
  for (const sha of [repo.A, repo.B, repo.B2]) {
    record.commits.set(sha, { ...base, sha, parents: [parent] });
    parent = sha;
  }
  record.refs.set("refs/heads/main", repo.B2);
});
after(async () => {
  try {
    // prod is protected from the kit's destroys; the test removes its own stage on purpose.
    await createCloudflareRuntime({ cwd: repo.root, env: { PATH: process.env.PATH ?? "", ...env } }).down({ stage: "prod", protectedStages: [] });
  } finally {
    await cf?.close();
    await gh?.close();
    await repo?.close();
    rmSync(home, { recursive: true, force: true });
  }
});

const deploy = (sha: string, extra: Record<string, string> = {}, runId = 5151, extraEnv: Record<string, string> = {}) =>
  runActionDist({
    action: "promote",
    inputs: { operation: "deploy", environment: "production", sha, runtime: "cloudflare", "env-files": "env/{environment}.env", ...extra },
    github: { url: gh.url, token: gh.token },
    repository: "octo/app",
    sha,
    workspace: repo.root,
    runId,
    env: { ...env, ...extraEnv },
    timeoutMs: 420_000,
  });

/** The approved second job of a manual blue-green: no checkout is needed, only the ledger and Cloudflare's API. */
const switchJob = (inputs: Record<string, string>, runId: number) =>
  runActionDist({
    action: "promote",
    inputs: { operation: "switch", environment: "production", ...inputs },
    github: { url: gh.url, token: gh.token },
    repository: "octo/app",
    sha: inputs.sha!,
    workspace: repo.root,
    runId,
    env: { ...env, GITHUB_JOB: "switch" },
    timeoutMs: 120_000,
  });

/** The rollback operation on production, from B2 (the rollback.yml job). */
const rollbackProduction = (runId: number) =>
  runActionDist({
    action: "promote",
    inputs: { operation: "rollback", environment: "production", runtime: "cloudflare", "env-files": "env/{environment}.env" },
    github: { url: gh.url, token: gh.token },
    repository: "octo/app",
    sha: repo.B2,
    workspace: repo.root,
    runId,
    env,
    timeoutMs: 420_000,
  });

const versionOf = async (url: string) => (JSON.parse((await cf.request(new URL("version", url).href)).text) as { build: string }).build;

test("promote action on Cloudflare: a SHA goes live at its workers.dev URL; a SHA unhealthy there is rolled back and /version proves it", async () => {
  const first = await deploy(repo.A);
  assert.equal(first.exitCode, 0, first.log);
  assert.equal(first.outputs.outcome, "deployed");
  assert.equal(first.outputs.url!.replace(/\/$/, ""), cf.workerUrl("consumer-app-api-prod"), "the workers.dev URL Alchemy reports");
  assert.equal(await versionOf(first.outputs.url!), repo.A);

  const script = cf.account.scripts.get("consumer-app-api-prod")!;
  const versionA = script.deployments.at(-1)!.versions[0]!.versionId;
  const statusOfA = [...gh.state.repo("octo/app")!.deployments.values()].find((d) => d.sha === repo.A)!.statuses.at(-1)!;
  assert.match(statusOfA.description ?? "", new RegExp(`\\[version ${versionA} of consumer-app-api-prod\\]$`), "the ledger keeps the version id next to the SHA");

  const bad = await deploy(repo.B);
  assert.equal(bad.exitCode, 1, "the failed deploy fails the step");
  assert.equal(bad.outputs.outcome, "rolled-back", bad.log);
  assert.equal(await versionOf(first.outputs.url!), repo.A, "the previous SHA serves production again");
  assert.deepEqual(script.deployments.at(-1)!.versions, [{ versionId: versionA, percentage: 100 }], "re-pointed to A's version, not rebuilt");
  assert.match(bad.log, /re-pointed production to version/);
  const deployments = [...gh.state.repo("octo/app")!.deployments.values()].filter((d) => d.environment === "production");
  const states = (sha: string) => deployments.filter((d) => d.sha === sha).map((d) => d.statuses.at(-1)!.state);
  assert.deepEqual(states(repo.B), ["failure"]);
  assert.equal(states(repo.A).at(-1), "success", "the rollback's deployment of A is the live one");
  assert.match(bad.summary, /failed on production, rolled back to/);
  assert.match(bad.summary, /re-pointing traffic to the recorded Workers version/);
  assert.ok(!bad.log.includes(cf.apiToken), "the Cloudflare token is never printed");
  assertNoViolations(gh);
  assertNoCloudflareViolations(cf);
});

test("a canary deploy goes 10 % → 100 % with a rollout-step entry per step; the rollback operation re-points in one call", async () => {
  const before = script().deployments.length;
  const strategy = JSON.stringify({ strategy: "canary", traffic: 10, duration: "2s", interval: "1s", settle: "0s", requests: 20, path: "/health", metrics: ["error_rate"] });
  // Each passed step is told as it passes (here to Slack); the 100 % step is the outcome, the notify step's to tell.
  const receivers = await startReceiversStandIn();
  const canary = await deploy(repo.B2, { strategy, notify: "slack", "env-files": "env/{environment}.env" }, 5151, { SLACK_WEBHOOK_URL: receivers.urls.slack }).finally(() => receivers.close());
  assert.equal(canary.exitCode, 0, canary.log);
  assert.deepEqual(receivers.slack.map((m) => JSON.stringify(m).match(/serves (\d+) % of production/)?.[1]), ["10"], JSON.stringify(receivers.slack));
  assert.deepEqual(receivers.violations, []);
  assert.equal(canary.outputs.outcome, "deployed");
  assert.deepEqual(script().deployments.slice(before).map((d) => d.versions.map((v) => v.percentage).join("/")), ["90/10", "100"], "Alchemy uploaded a version without traffic; the rollout made the two steps");
  assert.equal(await versionOf(canary.outputs.url!), repo.B2);
  const steps = [...gh.state.repo("octo/app")!.deployments.values()].filter((d) => d.sha === repo.B2 && (d.payload as { kind?: string }).kind === "rollout-step");
  assert.deepEqual(steps.map((d) => (d.payload as { recipe?: { traffic?: number } }).recipe?.traffic).sort((a, b) => a! - b!), [10, 100]);
  assert.match(canary.summary, /### Rollout: canary: 10 % for 2s → 100 %/);
  assert.match(canary.summary, /xychart-beta/);

  const calls = cf.calls.count("workers.scripts.deployments.create");
  const back = await rollbackProduction(5152);
  assert.equal(back.exitCode, 0, back.log);
  assert.equal(back.outputs.sha, repo.A);
  assert.equal(cf.calls.count("workers.scripts.deployments.create") - calls, 1, "one deployment re-points the traffic");
  const answers = await Promise.all(Array.from({ length: 5 }, () => versionOf(canary.outputs.url!)));
  assert.deepEqual(answers, Array(5).fill(repo.A), "/version proves the rollback");
  assertNoViolations(gh);
  assertNoCloudflareViolations(cf);
});

const script = () => cf.account.scripts.get("consumer-app-api-prod")!;
const shares = (from: number) => script().deployments.slice(from).map((d) => d.versions.map((v) => v.percentage).join("/"));
const ledgerOf = (sha: string) => [...gh.state.repo("octo/app")!.deployments.values()].filter((d) => d.environment === "production" && d.sha === sha);
const kindOf = (d: { payload: unknown }) => (d.payload as { kind?: string }).kind;

test("a manual blue-green: the deploy job verifies B2 idle, the approved switch job switches exactly that version, a rollback switches back", async () => {
  const url = cf.workerUrl("consumer-app-api-prod");
  const before = script().deployments.length;
  const strategy = JSON.stringify({ strategy: "blue-green", switchover: "manual", settle: "0s", requests: 20, path: "/health", metrics: ["error_rate"] });
  const staged = await deploy(repo.B2, { strategy }, 5153);
  assert.equal(staged.exitCode, 0, staged.log);
  assert.equal(staged.outputs.outcome, "verified");
  const version = staged.outputs["version-id"]!;
  assert.deepEqual(shares(before), ["100/0"], "the idle version joined the deployment at 0 %: no traffic moved");
  assert.equal(await versionOf(url), repo.A, "A still serves everyone");
  const idle = await cf.request(`${url}/version`, { headers: { "Cloudflare-Workers-Version-Overrides": `consumer-app-api-prod="${version}"` } });
  assert.equal(JSON.parse(idle.text).build, repo.B2, "the override header reaches the idle version");
  const waiting = ledgerOf(repo.B2).find((d) => kindOf(d) === "deploy" && d.statuses.at(-1)!.state === "queued");
  assert.ok(waiting, "the deploy waits for the switch in the ledger");
  assert.ok(ledgerOf(repo.B2).some((d) => kindOf(d) === "rollout-step" && (d.payload as { data?: { verdict?: string; traffic?: number } }).data?.traffic === 0), "the verified idle step is recorded");
  assert.match(staged.summary, /waits for approval: version/);

  // The switch takes only what this run verified: another version, or another run's verification, moves nothing.
  const creates = () => cf.calls.count("workers.scripts.deployments.create");
  const callsBefore = creates();
  const otherVersion = script().deployments[0]!.versions[0]!.versionId;
  const forged = await switchJob({ sha: repo.B2, version: otherVersion }, 5153);
  assert.equal(forged.exitCode, 1, forged.log);
  assert.match(forged.log, /only that version is switched/);
  const otherRun = await switchJob({ sha: repo.B2, version }, 5199);
  assert.equal(otherRun.exitCode, 1, otherRun.log);
  assert.match(otherRun.log, /no idle version of \w+ was verified by this run/);
  assert.equal(creates(), callsBefore, "a refused switch makes no deployment");

  const switched = await switchJob({ sha: repo.B2, version }, 5153);
  assert.equal(switched.exitCode, 0, switched.log);
  assert.equal(switched.outputs.outcome, "deployed");
  assert.equal(creates() - callsBefore, 1, "the switch is one deployment");
  assert.deepEqual(await Promise.all(Array.from({ length: 5 }, () => versionOf(url))), Array(5).fill(repo.B2), "/version proves the switch");
  assert.equal(ledgerOf(repo.B2).find((d) => d.id === waiting!.id)!.statuses.at(-1)!.state, "success", "the waiting deploy is live");
  assert.match(switched.summary, /blue-green: version `[\w-]+` replaced `[\w-]+` in one deployment/);

  const back = await rollbackProduction(5154);
  assert.equal(back.exitCode, 0, back.log);
  assert.equal(back.outputs.sha, repo.A);
  assert.equal(creates() - callsBefore, 2, "switching back is one more deployment");
  assert.deepEqual(await Promise.all(Array.from({ length: 5 }, () => versionOf(url))), Array(5).fill(repo.A), "/version proves the switch back");
  assertNoViolations(gh);
  assertNoCloudflareViolations(cf);
});

test("the CLI on Cloudflare: alchkit rollback re-points in one call; alchkit rollout uploads a version, 10 % then 100 %, telling Slack of the 10 % step", async () => {
  const url = cf.workerUrl("consumer-app-api-prod");
  const cli = (...args: string[]) =>
    alchkit([...args, "--cwd", repo.root], { ...env, PATH: process.env.PATH ?? "", GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url });
  const creates = cf.calls.count("workers.scripts.deployments.create");
  const back = await cli("rollback", "--env", "production", "--yes", "--repo", "octo/app", "--stages", "production=prod", "--env-files", "env/{environment}.env");
  assert.equal(back.code, 0, `${back.stdout}\n${back.stderr}`);
  const result = JSON.parse(back.stdout) as { sha: string; outcome: string };
  assert.equal(result.sha, repo.B2, "the previous good SHA, from the GitHub ledger");
  assert.equal(cf.calls.count("workers.scripts.deployments.create") - creates, 1, "one deployment re-points the traffic, no Alchemy run");
  assert.match(back.stderr, /re-pointed production to version/);
  assert.deepEqual(await Promise.all(Array.from({ length: 5 }, () => versionOf(url))), Array(5).fill(repo.B2));

  // `alchkit rollout` (the delivery the promote action runs): the working tree as a version tagged for --sha.
  const sha = "5eed16".padEnd(40, "a");
  const before = script().deployments.length;
  const strategy = JSON.stringify({ strategy: "canary", traffic: 10, duration: "2s", interval: "1s", settle: "0s", requests: 20, path: "/health", metrics: ["error_rate"] });
  const receivers = await startReceiversStandIn();
  const run = await alchkit(["rollout", "--env", "production", "--stages", "production=prod", "--sha", sha, "--env-files", "env/{environment}.env", "--strategy", strategy, "--notify", "slack", "--cwd", repo.root], {
    ...env,
    PATH: process.env.PATH ?? "",
    SLACK_WEBHOOK_URL: receivers.urls.slack,
  }).finally(() => receivers.close());
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  assert.deepEqual(receivers.slack.map((m) => JSON.stringify(m).match(/serves (\d+) % of production/)?.[1]), ["10"], "--notify told the 10 % step as it passed");
  assert.deepEqual(receivers.violations, []);
  assert.match(run.stdout, /### Rollout: canary: 10 % for 2s → 100 %/);
  assert.match(run.stdout, /0\.00 % · 0\.00 %/, "the candidate's and the stable version's error rates side by side");
  assert.match(run.stdout, /xychart-beta/);
  assert.deepEqual(shares(before), ["90/10", "100"], "Alchemy's upload moved no traffic; the rollout made exactly two deployments");
  const candidate = script().deployments.at(-1)!.versions[0]!.versionId;
  assert.equal(script().versions.find((v) => v.id === candidate)?.upload.annotations["workers/tag"], `alchkit-${sha.slice(0, 12)}`);
  assert.deepEqual(await Promise.all(Array.from({ length: 10 }, () => versionOf(url))), Array(10).fill(sha), "/version proves the rollout");
  assert.match(readFileSync(path.join(repo.root, ".alchkit", "out", "rollout-production.md"), "utf8"), /Candidate version `/);
  assertNoViolations(gh);
  assertNoCloudflareViolations(cf);
});

// After the canary, Alchemy's state holds the Worker with its `version` property, and `alchemy destroy` (0.94) then
// uploads an empty version instead of deleting the script: the kit's teardown deletes that script itself.
test("after the stage is destroyed nothing of it is left in the Cloudflare account", async () => {
  assert.ok(cf.account.scripts.has("consumer-app-api-prod"), "the canary's script is in the account before the destroy");
  const deletes = cf.calls.count("workers.scripts.delete");
  await createCloudflareRuntime({ cwd: repo.root, env: { PATH: process.env.PATH ?? "", ...env } }).down({ stage: "prod", protectedStages: [] });
  const left = resourcesOfStage(cf.inventory(), "prod");
  assert.deepEqual(left, []);
  assert.equal(cf.calls.count("workers.scripts.delete") - deletes, 1, "the kit deleted the versioned script once, through Cloudflare's API");
  assertNoCloudflareViolations(cf);
});
