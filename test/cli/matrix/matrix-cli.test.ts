import { describe, it, after, before } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { repoRoot } from "../../harness/run-action.ts";
import { TempRepo, chainWorkspace } from "../../adapter/matrix/temp-repo.ts";

const cli = path.join(repoRoot, "workflows-lib/cli/main.ts");

function alchkit(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("alchkit matrix", () => {
  const repo = new TempRepo();
  before(() => {
    repo.write(chainWorkspace("pnpm"));
    repo.commit("initial");
    repo.git("checkout", "-q", "-b", "feature");
    repo.write({ "packages/b/src/index.ts": "export const b = 2;\n", "docs/guide.md": "x\n" });
    repo.commit("change b and docs");
  });
  after(() => repo.remove());

  it("prints GitHub's matrix JSON for --base", async () => {
    const run = await alchkit(repo.dir, "matrix", "--base", "main");
    assert.equal(run.code, 0, run.stderr);
    const matrix = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(matrix), ["include"], "only include: extra keys would become matrix dimensions");
    assert.deepEqual(matrix.include.map((e: { name: string }) => e.name), ["@demo/b", "@demo/c", "web"]);
  });

  it("--format plan says why, --cwd works from elsewhere", async () => {
    const run = await alchkit(repoRoot, "matrix", "--base", "main", "--head", "feature", "--cwd", repo.dir, "--format", "plan");
    assert.equal(run.code, 0, run.stderr);
    const plan = JSON.parse(run.stdout);
    assert.equal(plan.count, 3);
    assert.deepEqual(plan.changed, ["@demo/b"]);
    assert.deepEqual(plan.ignoredFiles, ["docs/guide.md"]);
    assert.equal(plan.packageManager, "pnpm");
  });

  it("bad input exits 2 with one line naming the flag", async () => {
    const missing = await alchkit(repo.dir, "matrix");
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--base/);
    const badRef = await alchkit(repo.dir, "matrix", "--base", "nope");
    assert.equal(badRef.code, 2);
    assert.match(badRef.stderr, /base: .*"nope"/);
    assert.equal(badRef.stderr.trim().split("\n").length, 1);
    const badJobs = await alchkit(repo.dir, "matrix", "--base", "main", "--max-jobs", "0");
    assert.equal(badJobs.code, 2);
    assert.match(badJobs.stderr, /--max-jobs/);
    assert.equal(badJobs.stdout, "");
  });
});
