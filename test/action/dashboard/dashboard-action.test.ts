// actions/dashboard's built bundle, run as the runner runs it, against the GitHub stand-in: the page is built from
// the Deployments ledger and committed to the Pages branch; the chart library travels inside dist/.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DEPLOYMENT_TASK } from "../../../workflows-lib/github/deployments-ledger.ts";
import { runActionDist } from "../../harness/run-action.ts";
import { assertNoViolations, startGitHubStandIn } from "../../github/index.ts";

const REPO = "octo/app";

test("actions/dashboard writes the page, commits it to gh-pages/dashboard and says where it is", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const workspace = await mkdtemp(join(tmpdir(), "alchkit-dashboard-action-"));
  t.after(() => rm(workspace, { recursive: true, force: true }));
  gh.seed.commit(REPO, { parents: [], branch: "gh-pages", message: "Pages", files: { "index.html": "site" } });
  const sha = gh.defaults!.baseSha;
  gh.seed.deployment(REPO, { sha, environment: "production", task: DEPLOYMENT_TASK, payload: { stage: "prod", buildId: sha, appEntry: "alchemy.run.ts", appDir: ".", operation: "deploy" }, statuses: ["in_progress", "success"], environmentUrl: "https://app.example.workers.dev" });
  gh.seed.deployment(REPO, { sha, environment: "preview/pr-1", statuses: ["success"], environmentUrl: "https://pr-1.example.workers.dev", transient: true });
  // Written by another identity: not the kit's, so not on the page.
  const forged = gh.seed.commit(REPO, { message: "Forged", files: { "x.txt": "x" } }).sha;
  gh.seed.deployment(REPO, { sha: forged, environment: "production", task: DEPLOYMENT_TASK, creator: "mallory", payload: { alchkit: 2, kind: "deploy", key: "forged", ref: "main", recipe: { stage: "prod", buildId: forged, appEntry: "alchemy.run.ts", appDir: "." } }, statuses: ["success"], environmentUrl: "https://evil.example.dev" });

  const run = await runActionDist({ action: "dashboard", github: { url: gh.url, token: gh.token }, repository: REPO, sha, workspace });
  assert.equal(run.exitCode, 0, run.log);
  assert.equal(run.outputs.url, "https://octo.github.io/app/dashboard/");
  const repo = gh.state.requireRepo(REPO);
  const tree = repo.commits.get(repo.refs.get("refs/heads/gh-pages")!)!.tree;
  const page = tree.get("dashboard/index.html")?.content.toString("utf8") ?? "";
  assert.match(page, /uPlot/, "the chart library is inlined from the action's own dist/");
  assert.match(page, /data-preview="preview\/pr-1"/);
  const model = JSON.parse(tree.get("dashboard/dashboard.json")!.content.toString("utf8"));
  assert.equal(model.environments[0].sha, sha, "the forged deployment is not what is live");
  assert.ok(!page.includes("evil.example.dev"));
  assert.match(run.log, /ledger: ignoring deployment \d+ \(production, .{7}\): created by mallory/);
  assert.equal(await readFile(run.outputs.path!, "utf8"), page, "the same page in the workspace, for an artifact");
  assert.match(run.summary, /DORA metrics \(production\)/);

  const again = await runActionDist({ action: "dashboard", github: { url: gh.url, token: gh.token }, repository: REPO, sha, workspace, inputs: { branch: "none" } });
  assert.equal(again.exitCode, 0, again.log);
  assert.ok(!again.outputs.url, "nothing published");
  assertNoViolations(gh);
});
