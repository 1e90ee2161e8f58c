// `alchkit dashboard`: from the local file ledger of a real git repository (lead times from its commits) and from
// GitHub Deployments on the stand-in (open previews included); bad input exits 2 and writes nothing.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Octokit } from "@octokit/rest";
import { commands } from "../../../workflows-lib/cli/commands/index.ts";
import { runCli } from "../../../workflows-lib/cli/run-cli.ts";
import { DEPLOYMENT_TASK } from "../../../workflows-lib/github/deployments-ledger.ts";
import { gitOk } from "../../../workflows-lib/local/git.ts";
import { createFileLedger, ledgerPath } from "../../../workflows-lib/local/ledger-file.ts";
import { entryKey } from "../../../workflows-lib/promote/ledger.ts";
import { assertNoViolations, startGitHubStandIn } from "../../github/index.ts";

const HOUR = 3_600_000;

async function cli(cwd: string, env: NodeJS.ProcessEnv, ...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(commands, ["dashboard", ...argv], { cwd, env, isTTY: false, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, "test");
  return { code, stdout, stderr };
}

async function commit(root: string, file: string, at: number): Promise<string> {
  await writeFile(join(root, file), file);
  const date = new Date(at).toISOString();
  await gitOk(root, ["add", file]);
  await gitOk(root, ["commit", "-q", "-m", `add ${file}`], { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" });
  return (await gitOk(root, ["rev-parse", "HEAD"])).trim();
}

test("dashboard --local: live SHA, lead times from the repository's commits, a rollback counted as a failed change", async (t) => {
  const root = await mkdtemp(join(tmpdir(), "alchkit-dashboard-cli-"));
  t.after(() => rm(root, { recursive: true, force: true }));
  await gitOk(root, ["init", "-q", "-b", "main"]);
  const start = Math.floor((Date.now() - 24 * HOUR) / 1000) * 1000; // git keeps seconds
  const c1 = await commit(root, "a.txt", start);
  const c2 = await commit(root, "b.txt", start + 2 * HOUR);
  const c3 = await commit(root, "c.txt", start + 3 * HOUR);
  await gitOk(root, ["tag", "v1.1.0", c3]);
  let clock = start;
  const ledger = createFileLedger(ledgerPath(root), { now: () => new Date(clock).toISOString() });
  const payload = { stage: "prod", buildId: "x", appEntry: "alchemy.run.ts", appDir: "." };
  const deploy = async (sha: string, at: number, state: "success" | "failure", operation: "deploy" | "rollback" = "deploy") => {
    clock = at;
    const entry = await ledger.append({ kind: operation, key: entryKey(`run-${at}`, operation, "production", sha), environment: "production", sha, ref: sha, payload });
    await ledger.mark(entry, "in_progress");
    clock = at + 60_000;
    await ledger.mark(entry, state, { url: "http://127.0.0.1:9/", description: state === "success" ? "live" : "health check failed" });
  };
  await deploy(c1, start + 1 * HOUR, "success"); // lead time 1 h (its own commit)
  await deploy(c3, start + 5 * HOUR, "success"); // brings c2 and c3: lead time from c2, 3 h + 1 min
  await deploy(c1, start + 6 * HOUR, "success", "rollback"); // c3 rolled back by hand
  const run = await cli(root, {}, "--local", "--out", "site");
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.equal(out.html, join("site", "index.html"));
  assert.deepEqual(out.environments, [{ environment: "production", sha: c1, health: "healthy" }]);
  const week = out.dora.find((w: { days: number }) => w.days === 7);
  assert.equal(week.deployments, 2);
  assert.equal(week.leadTimeMs, ((1 * HOUR + 60_000) + (3 * HOUR + 60_000)) / 2);
  assert.equal(week.changes, 2);
  assert.equal(week.failedChanges, 1, "the rolled back change failed");
  assert.equal(week.timeToRestoreMs, 1 * HOUR, "from going live to the rollback being live");
  const model = JSON.parse(await readFile(join(root, "site", "dashboard.json"), "utf8"));
  assert.equal(model.source, "local");
  assert.ok(model.history.some((row: { kind: string; restore: boolean }) => row.kind === "rollback" && row.restore));
  const html = await readFile(join(root, "site", "index.html"), "utf8");
  assert.match(html, /<script>[\s\S]*uPlot/, "the chart library is inlined");
  assert.match(run.stderr, /Dashboard: .*index\.html/);
  void c2;
});

test("dashboard from GitHub Deployments: environments, open previews, commit links; bad input exits 2 before writing", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const root = await mkdtemp(join(tmpdir(), "alchkit-dashboard-gh-"));
  t.after(() => rm(root, { recursive: true, force: true }));
  const octokit = new Octokit({ baseUrl: gh.url, auth: gh.token });
  const repo = { owner: "octo", repo: "app" };
  const sha = gh.defaults!.baseSha;
  const { data: prod } = await octokit.rest.repos.createDeployment({ ...repo, ref: sha, task: DEPLOYMENT_TASK, environment: "production", required_contexts: [], auto_merge: false, payload: { stage: "prod", buildId: sha, appEntry: "alchemy.run.ts", appDir: ".", operation: "promote" } });
  await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: (prod as { id: number }).id, state: "in_progress" });
  await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: (prod as { id: number }).id, state: "success", environment_url: "https://app.example.workers.dev" });
  for (const [number, state] of [[3, "success"], [4, "inactive"]] as const) {
    const { data } = await octokit.rest.repos.createDeployment({ ...repo, ref: sha, environment: `preview/pr-${number}`, required_contexts: [], auto_merge: false, transient_environment: true });
    await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: (data as { id: number }).id, state, environment_url: `https://pr-${number}.example.workers.dev` });
  }
  const env = { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: "octo/app" };
  const run = await cli(root, env, "--out", "site");
  assert.equal(run.code, 0, run.stderr);
  const model = JSON.parse(await readFile(join(root, "site", "dashboard.json"), "utf8"));
  assert.equal(model.source, "github");
  assert.equal(model.environments[0].sha, sha);
  assert.equal(model.environments[0].url, "https://app.example.workers.dev");
  assert.deepEqual(model.previews.map((p: { environment: string; pullRequest: number }) => [p.environment, p.pullRequest]), [["preview/pr-3", 3]], "the torn-down preview is not open");
  const html = await readFile(join(root, "site", "index.html"), "utf8");
  assert.ok(html.includes(`https://github.com/octo/app/commit/${sha}`));
  assertNoViolations(gh);

  await writeFile(join(root, "taken"), "a file");
  const bad = await cli(root, env, "--out", "taken");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--out: expected a folder/);
  const noToken = await cli(root, {}, "--out", "elsewhere");
  assert.equal(noToken.code, 2);
  assert.match(noToken.stderr, /--repo: expected OWNER\/NAME|GITHUB_TOKEN/);
  assert.ok(!existsSync(join(root, "elsewhere")));
});

const DAY = 24 * HOUR;
const recipe = (sha: string) => ({ stage: "prod", buildId: sha, appEntry: "alchemy.run.ts", appDir: "." });
const stored = (sha: string, key: string) => ({ alchkit: 2, kind: "deploy", key, ref: "main", recipe: recipe(sha) });

test("dashboard from GitHub Deployments: a deployment another identity created is not shown as live, and is said to be ignored", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const root = await mkdtemp(join(tmpdir(), "alchkit-dashboard-trust-"));
  t.after(() => rm(root, { recursive: true, force: true }));
  const ours = gh.defaults!.baseSha;
  const forged = gh.seed.commit("octo/app", { message: "Not deployed by the kit", files: { "x.txt": "x" } }).sha;
  // The kit's own job (the token's identity, github-actions[bot]) deployed `ours`…
  gh.seed.deployment("octo/app", { sha: ours, environment: "production", task: DEPLOYMENT_TASK, payload: stored(ours, "ours"), statuses: ["in_progress", "success"], environmentUrl: "https://app.example.workers.dev" });
  // …then anyone with deployments: write wrote what looks like a newer live deployment, and one by a trusted bot.
  gh.seed.deployment("octo/app", { sha: forged, environment: "production", task: DEPLOYMENT_TASK, creator: "mallory", payload: stored(forged, "forged"), statuses: ["success"], environmentUrl: "https://evil.example.dev" });
  const env = { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: "octo/app" };

  const run = await cli(root, env, "--out", "site");
  assert.equal(run.code, 0, run.stderr);
  const model = JSON.parse(await readFile(join(root, "site", "dashboard.json"), "utf8"));
  assert.equal(model.environments[0].sha, ours, "production runs what the kit deployed, not the forged entry");
  assert.equal(model.environments[0].url, "https://app.example.workers.dev");
  assert.equal(model.counts.entries, 1);
  assert.ok(!(await readFile(join(root, "site", "index.html"), "utf8")).includes("evil.example.dev"), "nothing of the forged entry is on the page");
  assert.match(run.stderr, /ledger: ignoring deployment \d+ \(production, .{7}\): created by mallory, not by the kit's own jobs \(github-actions\[bot\]\)/);

  // A login named as a trusted deployer (the bot of the user's own GitHub App) counts.
  const trusting = await cli(root, env, "--out", "site", "--trusted-deployers", "mallory");
  assert.equal(trusting.code, 0, trusting.stderr);
  assert.equal(JSON.parse(await readFile(join(root, "site", "dashboard.json"), "utf8")).environments[0].sha, forged);
  const local = await cli(root, env, "--out", "site", "--local", "--trusted-deployers", "mallory");
  assert.equal(local.code, 2);
  assert.match(local.stderr, /--trusted-deployers: expected no --trusted-deployers with --local/);
  assertNoViolations(gh);
});

test("dashboard from GitHub Deployments: pages past GitHub's 100 a page, back to the 90-day horizon and at least the 100 newest", async (t) => {
  let clock = Date.now() - 400 * DAY;
  const gh = await startGitHubStandIn({ now: () => new Date(clock) });
  t.after(() => gh.close());
  const root = await mkdtemp(join(tmpdir(), "alchkit-dashboard-pages-"));
  t.after(() => rm(root, { recursive: true, force: true }));
  const sha = gh.defaults!.baseSha;
  const deploy = (at: number, n: number) => {
    clock = at;
    gh.seed.deployment("octo/app", { sha, environment: "production", task: DEPLOYMENT_TASK, payload: stored(sha, `run-${n}`), statuses: ["success"], environmentUrl: "https://app.example.workers.dev" });
  };
  // 20 deployments a year ago (beyond every window), then 130 in the last 60 days.
  for (let n = 0; n < 20; n++) deploy(Date.now() - 400 * DAY + n * HOUR, n);
  for (let n = 0; n < 130; n++) deploy(Date.now() - 60 * DAY + n * 10 * HOUR, 20 + n);
  clock = Date.now();
  const env = { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: "octo/app" };

  const run = await cli(root, env, "--out", "site");
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  const quarter = out.dora.find((w: { days: number }) => w.days === 90);
  assert.equal(quarter.deployments, 130, "every deployment of the 90 days counts, not only GitHub's first page");
  const model = JSON.parse(await readFile(join(root, "site", "dashboard.json"), "utf8"));
  assert.equal(model.counts.entries, 130, "the year-old ones are past the horizon and past the 100 newest");
  const listed = gh.calls.filter((call) => call.operationId === "repos/list-deployments" && /task=deploy%3Aalchkit|task=deploy:alchkit/.test(call.path));
  assert.ok(listed.length >= 2, `the listing was paged (${listed.length} request(s))`);

  // A quiet repository: the 100 newest count however old, so a production deployed long ago still shows.
  const quiet = await startGitHubStandIn({ now: () => new Date(clock) });
  t.after(() => quiet.close());
  clock = Date.now() - 200 * DAY;
  const quietSha = quiet.defaults!.baseSha;
  quiet.seed.deployment("octo/app", { sha: quietSha, environment: "production", task: DEPLOYMENT_TASK, payload: stored(quietSha, "old"), statuses: ["success"], environmentUrl: "https://app.example.workers.dev" });
  clock = Date.now();
  const old = await cli(root, { ...env, GITHUB_TOKEN: quiet.token, GITHUB_API_URL: quiet.url }, "--out", "quiet");
  assert.equal(old.code, 0, old.stderr);
  assert.equal(JSON.parse(await readFile(join(root, "quiet", "dashboard.json"), "utf8")).environments[0].sha, quietSha);
  assertNoViolations(gh);
});
