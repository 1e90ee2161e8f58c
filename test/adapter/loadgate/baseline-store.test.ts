// Baselines on the data branch, through the real GitHub adapter against the GitHub stand-in.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createGitHubClient } from "../../../workflows-lib/github/client.ts";
import { githubBaselineStore } from "../../../workflows-lib/github/baseline-store.ts";
import { baselinePath, type BaselineRecord } from "../../../workflows-lib/loadgate/baseline-store.ts";
import { buildHttpSummary } from "../../../workflows-lib/loadgate/http-summary.ts";
import { assertNoViolations, startGitHubStandIn } from "../../github/index.ts";

const record = (sha: string, p95ms: number): BaselineRecord => ({
  summary: buildHttpSummary({ durationsByStatus: new Map([[200, [1, 2, p95ms]]]), errors: 0, bytesSent: 10, bytesReceived: 20, connections: [2], durationMs: 1000 }),
  sha,
  ref: "refs/heads/main",
  engine: "autocannon",
  scenario: "orders",
  runUrl: "https://github.com/octo/app/actions/runs/1",
  recordedAt: "2026-11-22T10:00:00.000Z",
});

test("first write creates the data branch; later writes update the same file; reads round-trip the summary", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = createGitHubClient({ token: gh.token, baseUrl: gh.url, timeScale: 0.01 });
  const store = githubBaselineStore(octokit, { owner: "octo", repo: "app", branch: "alchkit-data", name: "api" });
  const repo = gh.state.repo("octo/app")!;

  assert.equal(await store.read(), undefined, "no branch yet: no baseline");
  const first = await store.write(record("a".repeat(40), 30));
  assert.equal(first.path, baselinePath("api"));
  assert.equal(repo.refs.get("refs/heads/alchkit-data"), first.commitSha);
  const main = repo.refs.get("refs/heads/main");

  await store.write(record("b".repeat(40), 50));
  const read = await store.read();
  assert.equal(read!.sha, "b".repeat(40));
  assert.equal(read!.engine, "autocannon");
  assert.equal(read!.summary.metrics.http_req_duration!.values.max, 50);
  assert.equal(read!.summary.metrics.http_reqs!.values.count, 3);
  assert.equal(repo.refs.get("refs/heads/main"), main, "the default branch is never written");
  assert.equal(gh.calls.count("git/create-ref"), 1);

  // Another gate in the same repository keeps its own file.
  const other = githubBaselineStore(octokit, { owner: "octo", repo: "app", branch: "alchkit-data", name: "web" });
  assert.equal(await other.read(), undefined);
  assertNoViolations(gh);
});

test("two default-branch runs racing: both writes land (the later one wins), nothing is lost or duplicated", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = createGitHubClient({ token: gh.token, baseUrl: gh.url, timeScale: 0.01 });
  const open = () => githubBaselineStore(octokit, { owner: "octo", repo: "app", branch: "alchkit-data", name: "api" });
  const results = await Promise.all([open().write(record("c".repeat(40), 10)), open().write(record("d".repeat(40), 20))]);
  assert.equal(results.length, 2);
  const repo = gh.state.repo("octo/app")!;
  const head = repo.refs.get("refs/heads/alchkit-data")!;
  assert.ok(results.some((r) => r.commitSha === head));
  const read = await open().read();
  assert.ok(["c".repeat(40), "d".repeat(40)].includes(read!.sha));
  assert.equal(gh.calls.count("repos/create-or-update-file-contents") >= 2, true);
});
