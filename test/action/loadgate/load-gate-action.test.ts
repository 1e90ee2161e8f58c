// actions/load-gate end to end: the built action, the example app on workerd (standard and slow variants),
// the built-in autocannon engine with the example app's own load files, and the GitHub stand-in for the
// baseline branch and the sticky comment.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runActionDist } from "../../harness/run-action.ts";
import { assertNoViolations, startGitHubStandIn, type GitHubStandIn } from "../../github/index.ts";
import { CONSUMER_APP_DIR, startLocalApp, type RunningLocalApp } from "../../support/local-app.ts";

describe("actions/load-gate", () => {
  let gh: GitHubStandIn;
  let standard: RunningLocalApp;
  let slow: RunningLocalApp;
  const scratch = mkdtempSync(path.join(tmpdir(), "alchkit-load-gate-action-"));

  before(async () => {
    gh = await startGitHubStandIn();
    const started = await Promise.allSettled([startLocalApp({ buildId: "main-build" }), startLocalApp({ buildId: "pr-build", variant: "slow" })]);
    const failed = started.find((r) => r.status === "rejected");
    if (failed) {
      // Stop whichever app did start before failing the suite.
      await Promise.all(started.map((r) => (r.status === "fulfilled" ? r.value.stop() : undefined)));
      throw failed.reason;
    }
    [standard, slow] = started.map((r) => (r as PromiseFulfilledResult<RunningLocalApp>).value) as [RunningLocalApp, RunningLocalApp];
  });
  after(async () => {
    await Promise.all([standard?.stop(), slow?.stop()]);
    await gh?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const common = () => ({
    action: "load-gate",
    workspace: CONSUMER_APP_DIR,
    github: { url: gh.url, token: gh.token },
    repository: "octo/app",
    env: { ALCHKIT_GITHUB_TIME_SCALE: "0.01" },
    timeoutMs: 60_000,
  });
  const inputs = (url: string, out: string, extra: Record<string, string> = {}) => ({
    url,
    thresholds: "load/thresholds.json",
    script: "load/scenario.json",
    "out-dir": path.join(scratch, out),
    ...extra,
  });
  const prEvent = () => ({
    pull_request: {
      number: 1,
      head: { sha: gh.defaults!.headSha, ref: "feature", repo: { full_name: "octo/app" } },
      base: { sha: gh.defaults!.baseSha, ref: "main", repo: { full_name: "octo/app" } },
    },
    repository: { default_branch: "main", full_name: "octo/app" },
  });
  const comments = () => [...gh.state.repo("octo/app")!.comments.values()].filter((c) => c.body.includes("Load gate"));

  // The passing runs are about the flow (baseline, comment, outputs), not this machine's speed: a loaded CI machine
  // answers the standard app's p(95) above the fixture's 250 ms. Same thresholds, limits no machine misses; the
  // slow variant below keeps the fixture's own, which its added latency breaks on any machine.
  const flowThresholds = () => {
    const file = path.join(scratch, "flow-thresholds.json");
    writeFileSync(
      file,
      JSON.stringify({
        http_req_duration: ["p(95)<10000", "avg<10000"],
        "http_req_duration{status:200}": [{ threshold: "p(90)<10000", abortOnFail: true, delayAbortEval: "1s" }],
        http_req_failed: ["rate<0.01"],
        http_reqs: ["count>0"],
      }),
    );
    return file;
  };

  it("a push to the default branch gates the run and records the baseline on the data branch", async () => {
    const run = await runActionDist({
      ...common(),
      inputs: inputs(standard.baseUrl, "main", { thresholds: flowThresholds() }),
      eventName: "push",
      event: { ref: "refs/heads/main", repository: { default_branch: "main", full_name: "octo/app" } },
      ref: "refs/heads/main",
      sha: gh.defaults!.baseSha,
    });
    assert.equal(run.exitCode, 0, run.log);
    assert.equal(run.outputs.passed, "true");
    assert.equal(run.outputs["baseline-saved"], "true");
    const result = JSON.parse(run.outputs.result!) as { engine: string; scenario: string; thresholds: Array<{ ok: boolean; actual: number }> };
    assert.equal(result.engine, "autocannon");
    assert.equal(result.scenario, "orders-ramp");
    assert.ok(result.thresholds.every((t) => t.ok));
    assert.match(run.summary, /Load gate passed/);
    assert.match(run.summary, /No baseline yet/);
    const repo = gh.state.repo("octo/app")!;
    assert.ok(repo.refs.has("refs/heads/alchkit-data"), "data branch created");
    assert.deepEqual(run.annotations.filter((a) => a.level === "error"), [], "the 404s it expects (no data branch, no baseline yet) mark nothing red");
    assert.equal(comments().length, 0, "no comment outside a pull request");
    assertNoViolations(gh);
  });

  it("a pull request on the standard app passes, compares with the baseline and comments once", async () => {
    // Two real runs on a shared machine differ by noise; this test is about the flow, so the budgets are wide
    // (the regression decision itself is tested on synthetic pairs, and by the slow variant below).
    const budgets = path.join(scratch, "wide-budgets.json");
    const wide = { relative: 3, absolute: 250 };
    writeFileSync(budgets, JSON.stringify({ http_req_duration: { med: wide, "p(95)": wide, "p(99)": wide }, http_req_failed: { rate: { absolute: 0.01 } } }));
    const run = await runActionDist({ ...common(), inputs: inputs(standard.baseUrl, "pr-ok", { budgets, thresholds: flowThresholds() }), eventName: "pull_request", event: prEvent(), sha: gh.defaults!.headSha });
    assert.equal(run.exitCode, 0, run.log);
    assert.equal(run.outputs["baseline-saved"], "false");
    const [comment, ...more] = comments();
    assert.equal(more.length, 0);
    assert.match(comment!.body, /Load gate passed/);
    assert.match(comment!.body, new RegExp(`Regression against the baseline \\(main @ ${gh.defaults!.baseSha.slice(0, 7)}\\)`));
    assert.match(comment!.body, /`http_req_duration p\(95\)`/);
    assert.match(comment!.body, /```mermaid\nxychart-beta/);
    assert.match(comment!.body, /engine `autocannon` · scenario `orders-ramp`/);
    assert.match(run.outputs["comment-url"]!, new RegExp(`#issuecomment-${comment!.id}$`));
    assertNoViolations(gh);
  });

  it("the slow variant fails the gate; the same comment now names the threshold", async () => {
    const run = await runActionDist({ ...common(), inputs: inputs(slow.baseUrl, "pr-slow"), eventName: "pull_request", event: prEvent(), sha: gh.defaults!.headSha });
    assert.equal(run.exitCode, 1, run.log);
    assert.equal(run.outputs.passed, "false");
    const error = run.annotations.find((a) => a.level === "error");
    assert.match(error!.message, /Load gate failed: http_req_duration: p\(95\)<250 \(actual \d{3}(\.\d+)?\)/);
    const [comment, ...more] = comments();
    assert.equal(more.length, 0, "sticky: still one comment");
    assert.match(comment!.body, /Load gate failed\*\*: `http_req_duration: p\(95\)<250`/);
    assert.match(comment!.body, /\| ✗ \| `http_req_duration` \| `p\(95\)<250` \| \d{3} ms \|/);
    assert.match(comment!.body, /`http_req_duration p\(95\)` regressed/);
    // The abortOnFail threshold on {status:200} stopped the ramp after its first stage.
    assert.match(comment!.body, /stopped early/);
    assertNoViolations(gh);
  });

  it("an invalid threshold is one error naming it, before any load and without touching the comment", async () => {
    const bad = path.join(scratch, "bad-thresholds.json");
    writeFileSync(bad, JSON.stringify({ http_req_failed: ["p(95)<1"] }));
    const before = comments()[0]!.body;
    const run = await runActionDist({ ...common(), inputs: inputs(standard.baseUrl, "bad", { thresholds: bad }), eventName: "pull_request", event: prEvent() });
    assert.equal(run.exitCode, 1);
    const errors = run.annotations.filter((a) => a.level === "error");
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /thresholds\["http_req_failed"\]\[0\] \(http_req_failed: p\(95\)<1\): expected a method a rate metric supports/);
    assert.equal(comments()[0]!.body, before);
    assertNoViolations(gh);
  });
});
