import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runMatrixEntry } from "../../../workflows-lib/matrix/run-entry.ts";
import type { ScriptRunnerPort } from "../../../workflows-lib/matrix/run-entry.ts";

/** Records what ran; `exitCodes` maps "dir:script" to an exit code (0 when absent). */
function recorder(exitCodes: Record<string, number> = {}): ScriptRunnerPort & { ran: string[] } {
  const ran: string[] = [];
  return {
    ran,
    async run(_pm, dir, script) {
      ran.push(`${dir}:${script}`);
      return { exitCode: exitCodes[`${dir}:${script}`] ?? 0, durationMs: 1 };
    },
  };
}
const pkg = (name: string, flags: Partial<Record<"build" | "lint" | "test", boolean>> = {}) => ({
  name,
  path: `packages/${name}`,
  build: flags.build ?? true,
  lint: flags.lint ?? true,
  test: flags.test ?? true,
});

describe("runMatrixEntry", () => {
  it("builds dependencies first, then build, lint and test, only the scripts the package has", async () => {
    const runner = recorder();
    const report = await runMatrixEntry(pkg("b", { lint: false }), "npm", runner, ["packages/a"]);
    assert.deepEqual(runner.ran, ["packages/a:build", "packages/b:build", "packages/b:test"]);
    assert.equal(report.ok, true);
  });

  it("a failed build skips the tests but not lint", async () => {
    const runner = recorder({ "packages/b:build": 2 });
    const report = await runMatrixEntry(pkg("b"), "npm", runner, []);
    assert.deepEqual(report.packages[0]!.scripts.map((s) => `${s.script}:${s.outcome}`), ["build:failure", "lint:success", "test:skipped"]);
    assert.equal(report.ok, false);
  });

  it("a failed dependency build fails every package of the entry without running them", async () => {
    const runner = recorder({ "packages/a:build": 1 });
    const report = await runMatrixEntry({ ...pkg("b"), packages: [pkg("b"), pkg("c")] }, "pnpm", runner, ["packages/a"]);
    assert.deepEqual(runner.ran, ["packages/a:build"]);
    assert.deepEqual(report.packages.map((p) => p.ok), [false, false]);
    assert.match(report.packages[1]!.scripts[0]!.note!, /dependency packages\/a failed/);
  });

  it("in a grouped entry every package runs and reports, also after one failed", async () => {
    const runner = recorder({ "packages/b:test": 1 });
    const report = await runMatrixEntry({ ...pkg("b"), packages: [pkg("b", { build: false }), pkg("c", { build: false })] }, "yarn", runner, []);
    assert.deepEqual(runner.ran, ["packages/b:lint", "packages/b:test", "packages/c:lint", "packages/c:test"]);
    assert.deepEqual(report.packages.map((p) => [p.name, p.ok]), [["b", false], ["c", true]]);
    assert.equal(report.ok, false);
  });
});
