import { describe, it, after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runActionDist } from "../../harness/run-action.ts";
import { TempRepo, chainWorkspace } from "../../adapter/matrix/temp-repo.ts";

describe("actions/matrix", () => {
  const repo = new TempRepo();
  const scratch = mkdtempSync(path.join(tmpdir(), "alchkit-matrix-action-"));
  let base = "";
  let head = "";
  before(() => {
    const files = chainWorkspace("npm");
    // Real scripts for the run command: a passes, b's test fails.
    files["packages/a/package.json"] = { name: "@demo/a", version: "1.2.0", scripts: { build: "node -e \"require('fs').writeFileSync('built.txt','ok')\"", test: "node -e \"process.exit(require('fs').existsSync('built.txt') ? 0 : 3)\"" } };
    files["packages/b/package.json"] = { name: "@demo/b", version: "1.0.0", scripts: { lint: "node -e 0", test: "node -e \"process.exit(4)\"" }, dependencies: { "@demo/a": "^1.0.0" } };
    files[".gitignore"] = "built.txt\n";
    repo.write(files);
    base = repo.commit("initial");
    repo.git("checkout", "-q", "-b", "feature");
    repo.write({ "packages/a/src/index.ts": "export const a = 5;\n" });
    head = repo.commit("change a");
  });
  after(() => {
    repo.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  const prEvent = () => ({ pull_request: { number: 3, base: { sha: base, ref: "main" }, head: { sha: head, ref: "feature" } } });

  it("plan: a pull request's matrix, count and step summary", async () => {
    const run = await runActionDist({ action: "matrix", workspace: repo.dir, eventName: "pull_request", event: prEvent(), sha: head });
    assert.equal(run.exitCode, 0, run.log);
    const matrix = JSON.parse(run.outputs.matrix!) as { include: Array<{ name: string }> };
    assert.deepEqual(matrix.include.map((e) => e.name), ["@demo/a", "@demo/b", "@demo/c", "web"]);
    assert.equal(run.outputs.count, "4");
    assert.equal(run.outputs.all, "false");
    assert.equal(run.outputs["package-manager"], "npm");
    assert.match(run.summary, /CI matrix plan: 4 of 6 packages/);
    assert.match(run.summary, /depends on a change/);
  });

  it("plan: a change to the calling workflow file selects everything", async () => {
    repo.write({ ".github/workflows/build.yml": "on: push\n" });
    const changed = repo.commit("touch the caller's workflow");
    const run = await runActionDist({
      action: "matrix",
      workspace: repo.dir,
      eventName: "push",
      event: { before: head, after: changed, ref: "refs/heads/feature" },
      env: { GITHUB_WORKFLOW_REF: "octo/app/.github/workflows/build.yml@refs/heads/feature" },
    });
    assert.equal(run.exitCode, 0, run.log);
    assert.equal(run.outputs.all, "true");
    assert.equal(run.outputs.count, "6");
  });

  it("plan: a bad max-jobs is one error naming the input", async () => {
    const run = await runActionDist({ action: "matrix", workspace: repo.dir, event: prEvent(), inputs: { "max-jobs": "300" } });
    assert.equal(run.exitCode, 1);
    const errors = run.annotations.filter((a) => a.level === "error");
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /max-jobs/);
    assert.equal(run.outputs.matrix, undefined, "nothing is written");
  });

  it("run: builds dependencies first, runs the scripts a package has, reports failures", async () => {
    const temp = path.join(scratch, "runner-temp");
    const ok = await runActionDist({
      action: "matrix",
      workspace: repo.dir,
      inputs: {
        command: "run",
        "package-manager": "npm",
        entry: JSON.stringify({ name: "@demo/a", path: "packages/a", build: true, lint: false, test: true }),
      },
      env: { RUNNER_TEMP: temp },
    });
    assert.equal(ok.exitCode, 0, ok.log);
    const report = JSON.parse(readFileSync(ok.outputs["report-path"]!, "utf8"));
    assert.deepEqual(report.packages[0].scripts.map((s: { script: string; outcome: string }) => `${s.script}:${s.outcome}`), ["build:success", "test:success"]);

    const failing = await runActionDist({
      action: "matrix",
      workspace: repo.dir,
      inputs: {
        command: "run",
        "package-manager": "npm",
        entry: JSON.stringify({ name: "@demo/b", path: "packages/b", build: false, lint: true, test: true }),
      },
      env: { RUNNER_TEMP: temp },
    });
    assert.equal(failing.exitCode, 1);
    assert.equal(failing.outputs.ok, "false");
    assert.match(failing.summary, /exit 4/);
  });

  describe("summary", () => {
    const matrix = {
      include: [
        { name: "@demo/a", path: "packages/a", build: true, lint: false, test: true },
        { name: "@demo/b", path: "packages/b", build: false, lint: true, test: true },
      ],
    };
    const reportsDir = path.join(scratch, "reports");
    before(() => {
      mkdirSync(path.join(reportsDir, "alchkit-matrix-0"), { recursive: true });
      writeFileSync(
        path.join(reportsDir, "alchkit-matrix-0", "a.json"),
        JSON.stringify({ entry: "@demo/a", ok: true, packages: [{ name: "@demo/a", path: "packages/a", ok: true, scripts: [{ script: "build", outcome: "success", durationMs: 1200 }, { script: "test", outcome: "success", durationMs: 300 }] }] }),
      );
    });
    const summarize = (inputs: Record<string, string>) =>
      runActionDist({ action: "matrix", workspace: scratch, inputs: { command: "summary", "reports-dir": "reports", matrix: JSON.stringify(matrix), ...inputs } });

    it("passes when every matrix job passed", async () => {
      const run = await summarize({ "plan-result": "success", "test-result": "success" });
      assert.equal(run.exitCode, 0, run.log);
      assert.equal(run.outputs.ok, "true");
      assert.match(run.summary, /all 2 affected packages passed/);
      assert.match(run.summary, /no report/, "b sent no report and the table says so");
    });

    it("fails when a matrix job failed or was cancelled", async () => {
      for (const result of ["failure", "cancelled"]) {
        const run = await summarize({ "plan-result": "success", "test-result": result });
        assert.equal(run.exitCode, 1, result);
        assert.equal(run.outputs.ok, "false");
      }
    });

    it("fails when packages were selected but the matrix was skipped, or planning failed", async () => {
      assert.equal((await summarize({ "plan-result": "success", "test-result": "skipped" })).exitCode, 1);
      const planFailed = await runActionDist({
        action: "matrix",
        workspace: scratch,
        inputs: { command: "summary", "plan-result": "failure", "test-result": "skipped" },
      });
      assert.equal(planFailed.exitCode, 1);
      assert.match(planFailed.outputs.reason!, /planning/);
    });

    it("a failed matrix job fails the check even when the plan's matrix is missing", async () => {
      const run = await runActionDist({
        action: "matrix",
        workspace: scratch,
        inputs: { command: "summary", "plan-result": "success", "test-result": "failure", "reports-dir": "nowhere" },
      });
      assert.equal(run.exitCode, 1);
    });

    it("passes on an empty matrix (a docs-only change)", async () => {
      const run = await runActionDist({
        action: "matrix",
        workspace: scratch,
        inputs: { command: "summary", "plan-result": "success", "test-result": "skipped", matrix: '{"include":[]}' },
      });
      assert.equal(run.exitCode, 0, run.log);
      assert.match(run.outputs.reason!, /no package is affected/);
    });
  });
});

describe("plan → run → summary, as ci.yml chains them", () => {
  const repo = new TempRepo();
  const temp = mkdtempSync(path.join(tmpdir(), "alchkit-matrix-chain-"));
  after(() => {
    repo.remove();
    rmSync(temp, { recursive: true, force: true });
  });

  it("the summary fails naming the failing package, and passes once it is fixed", async () => {
    const pass = "node -e 0";
    repo.write({
      "package.json": { name: "mono", private: true, workspaces: ["packages/*"] },
      "package-lock.json": "{}\n",
      "packages/core/package.json": { name: "core", version: "1.0.0", scripts: { build: "node -e \"require('fs').writeFileSync('out.txt','1')\"", test: pass } },
      "packages/api/package.json": { name: "api", version: "1.0.0", scripts: { test: "node -e \"process.exit(require('fs').existsSync('../core/out.txt') ? 0 : 9)\"" }, dependencies: { core: "^1.0.0" } },
      "packages/web/package.json": { name: "web", version: "1.0.0", scripts: { lint: "node -e \"process.exit(5)\"" }, dependencies: { api: "*" } },
      ".gitignore": "out.txt\n",
    });
    const base = repo.commit("initial");
    repo.write({ "packages/core/src.ts": "1\n" });
    const head = repo.commit("change core");

    const chain = async (attempt: string) => {
      // Every job's RUNNER_TEMP is the folder the summary job downloads the artifacts into.
      const reports = path.join(temp, attempt);
      const plan = await runActionDist({
        action: "matrix",
        workspace: repo.dir,
        event: { pull_request: { number: 1, base: { sha: base }, head: { sha: head } } },
        env: { RUNNER_TEMP: reports },
      });
      assert.equal(plan.exitCode, 0, plan.log);
      const matrix = JSON.parse(plan.outputs.matrix!) as { include: object[] };
      assert.deepEqual(JSON.parse(readFileSync(plan.outputs["matrix-path"]!, "utf8")), matrix);
      const results = [];
      for (const entry of matrix.include) {
        const run = await runActionDist({
          action: "matrix",
          workspace: repo.dir,
          inputs: { command: "run", entry: JSON.stringify(entry), "package-manager": plan.outputs["package-manager"]! },
          env: { RUNNER_TEMP: reports },
        });
        results.push(run.exitCode);
      }
      const summary = await runActionDist({
        action: "matrix",
        workspace: repo.dir,
        inputs: {
          command: "summary",
          "plan-result": "success",
          "test-result": results.every((code) => code === 0) ? "success" : "failure",
          "reports-dir": reports,
        },
      });
      return { matrix, summary };
    };

    const first = await chain("first");
    assert.deepEqual(first.matrix.include.map((e) => (e as { name: string }).name), ["core", "api", "web"]);
    assert.equal(first.summary.exitCode, 1);
    assert.deepEqual(JSON.parse(first.summary.outputs["failed-packages"]!), ["web"], "api passes: its job built core first");
    assert.match(first.summary.summary, /\| web \|.*exit 5/);

    repo.write({ "packages/web/package.json": { name: "web", version: "1.0.0", scripts: { lint: pass }, dependencies: { api: "*" } } });
    repo.commit("fix web's lint");
    const second = await chain("second");
    assert.equal(second.summary.exitCode, 0, second.summary.log);
    assert.match(second.summary.outputs.reason!, /all 3 affected packages passed/);
  });
});
