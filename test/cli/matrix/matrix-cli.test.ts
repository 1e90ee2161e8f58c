import { describe, it, after, before } from "node:test";
import assert from "node:assert/strict";
import { repoRoot } from "../../harness/run-action.ts";
import { TempRepo, chainWorkspace } from "../../adapter/matrix/temp-repo.ts";
import { alchkitAsync } from "../../support/cli.ts";

async function alchkit(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = await alchkitAsync(args, { cwd, env: { ...process.env } });
  return { code: run.status ?? 1, stdout: run.stdout, stderr: run.stderr };
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
