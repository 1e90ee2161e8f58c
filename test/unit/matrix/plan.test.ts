import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildWorkspaceGraph, topologicalOrder } from "../../../workflows-lib/matrix/workspace-graph.ts";
import type { WorkspacePackage } from "../../../workflows-lib/matrix/workspace-graph.ts";
import { affectedPackages, DEFAULT_GLOBAL_TRIGGERS, DEFAULT_IGNORE } from "../../../workflows-lib/matrix/affected.ts";
import { dependencyBuilds, planMatrix } from "../../../workflows-lib/matrix/plan-matrix.ts";

const pkg = (name: string, dir: string, deps: Record<string, string> = {}, extra: Partial<WorkspacePackage> = {}): WorkspacePackage => ({
  name,
  dir,
  version: "1.0.0",
  scripts: { build: "x", test: "x" },
  dependencies: { dependencies: deps },
  ...extra,
});
const defaults = { globalTriggers: DEFAULT_GLOBAL_TRIGGERS, ignore: DEFAULT_IGNORE };

describe("workspace edges", () => {
  it("follow how package managers resolve a specifier", () => {
    const graph = buildWorkspaceGraph([
      pkg("a", "packages/a"),
      pkg("ws", "packages/ws", { a: "workspace:*" }),
      pkg("range", "packages/range", { a: "^1.0.0" }),
      pkg("registry", "packages/registry", { a: "^2.0.0" }),
      pkg("path", "packages/path", { whatever: "file:../a" }),
      pkg("alias", "packages/alias", { "my-a": "npm:a@^1" }),
      pkg("wsalias", "packages/wsalias", { "other-a": "workspace:a@*" }),
      pkg("git", "packages/git", { a: "github:org/a" }),
      pkg("peer", "packages/peer", {}, { dependencies: { peerDependencies: { a: ">=1" }, optionalDependencies: { ws: "*" } } }),
    ]);
    assert.deepEqual([...graph.dependents.get("a")!].sort(), ["alias", "path", "peer", "range", "ws", "wsalias"]);
    assert.deepEqual([...graph.dependencies.get("peer")!].sort(), ["a", "ws"]);
  });

  it("two packages with one name are an error naming both folders", () => {
    assert.throws(() => buildWorkspaceGraph([pkg("a", "x"), pkg("a", "y")]), /"a": x and y/);
  });

  it("orders dependencies first and survives cycles", () => {
    const graph = buildWorkspaceGraph([pkg("c", "c", { b: "*" }), pkg("b", "b", { a: "*" }), pkg("a", "a", { c: "*" }), pkg("z", "z", { c: "*" })]);
    const order = topologicalOrder(graph, ["a", "b", "c", "z"]);
    assert.equal(order.length, 4);
    assert.ok(order.indexOf("c") < order.indexOf("z"));
  });
});

describe("affected packages", () => {
  const graph = buildWorkspaceGraph([
    pkg("a", "packages/a"),
    pkg("a-plugin", "packages/a/plugins/x", { a: "*" }),
    pkg("b", "packages/b", { a: "*" }),
  ]);

  it("a file belongs to the deepest package folder containing it", () => {
    const result = affectedPackages(graph, { files: ["packages/a/plugins/x/index.ts"] }, defaults);
    assert.deepEqual([...result.affected], ["a-plugin"]);
  });

  it("a folder that merely starts with a package's name is not that package", () => {
    const result = affectedPackages(graph, { files: ["packages/ab/index.ts"] }, defaults);
    assert.equal(result.affected.size, 0);
    assert.deepEqual(result.unownedFiles, ["packages/ab/index.ts"]);
  });

  it("root tsconfig variants and the CI workflow are global triggers; nested ones are not", () => {
    for (const file of ["tsconfig.base.json", ".github/workflows/ci.yml", "yarn.lock", "bun.lock"]) {
      assert.equal(affectedPackages(graph, { files: [file] }, defaults).all, true, file);
    }
    assert.equal(affectedPackages(graph, { files: ["packages/b/tsconfig.json"] }, defaults).all, false);
    assert.equal(affectedPackages(graph, { files: ["packages/b/package.json"] }, defaults).all, false);
  });
});

describe("matrix plan", () => {
  const packages = Array.from({ length: 7 }, (_, i) => pkg(`p${i}`, `packages/p${i}`, i > 0 ? { [`p${i - 1}`]: "*" } : {}));
  const graph = buildWorkspaceGraph(packages);
  const everything = affectedPackages(graph, { files: ["package.json"] }, defaults);

  it("stays one job per package up to the limit", () => {
    const plan = planMatrix(graph, everything, { packageManager: "npm", maxJobs: 7 });
    assert.equal(plan.jobs, 7);
    assert.equal(plan.count, 7);
    assert.equal(plan.all, true);
    assert.equal(plan.matrix.include.some((e) => e.packages), false);
  });

  it("above the limit, groups consecutive packages so every package runs exactly once", () => {
    const plan = planMatrix(graph, everything, { packageManager: "npm", maxJobs: 3 });
    assert.equal(plan.jobs, 3);
    assert.equal(plan.count, 7);
    const members = plan.matrix.include.flatMap((e) => e.packages!.map((p) => p.name));
    assert.deepEqual(members, ["p0", "p1", "p2", "p3", "p4", "p5", "p6"]);
    assert.deepEqual(plan.matrix.include.map((e) => e.packages!.length), [3, 2, 2]);
    const second = plan.matrix.include[1]!.packages!.map((p) => p.name);
    assert.deepEqual(dependencyBuilds(graph, second), ["packages/p0", "packages/p1", "packages/p2"], "built before the group");
    assert.deepEqual(dependencyBuilds(graph, plan.matrix.include[0]!.packages!.map((p) => p.name)), []);
    assert.match(plan.matrix.include[0]!.name, /^p0 … p2 \(3\)$/);
  });

  it("rejects a job limit GitHub would not run", () => {
    assert.throws(() => planMatrix(graph, everything, { packageManager: "npm", maxJobs: 257 }), /1 to 256/);
  });

  it("an empty selection is an empty include list and count 0 (the workflow skips the job then)", () => {
    const none = affectedPackages(graph, { files: ["docs/x.md"] }, defaults);
    const plan = planMatrix(graph, none, { packageManager: "npm", maxJobs: 256 });
    assert.deepEqual(plan.matrix, { include: [] });
    assert.equal(plan.all, false);
  });
});
