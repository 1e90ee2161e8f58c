import type { AffectedResult } from "./affected.ts";
import type { PackageManager, WorkspaceGraph } from "./workspace-graph.ts";
import { topologicalOrder, transitiveDependencies } from "./workspace-graph.ts";

/** GitHub runs at most 256 jobs from one matrix. */
export const GITHUB_MATRIX_LIMIT = 256;

/** The scripts a matrix job runs, in this order, when the package defines them. */
export const MATRIX_SCRIPTS = ["build", "lint", "test"] as const;

export interface MatrixPackage {
  name: string;
  /** Package directory relative to the repository root. */
  path: string;
  build: boolean;
  lint: boolean;
  test: boolean;
}

/**
 * One matrix job. Normally one package. Above the job limit, consecutive packages (in dependency order)
 * share a job: `packages` then lists them, and the flags say whether any of them has the script.
 */
export interface MatrixEntry extends MatrixPackage {
  packages?: MatrixPackage[];
}

export interface MatrixPlan {
  /** `{"include":[…]}` for `strategy.matrix`; `include` is empty when nothing is affected. */
  matrix: { include: MatrixEntry[] };
  /** Number of packages selected (not jobs: grouped jobs hold several). */
  count: number;
  /** Number of matrix jobs. */
  jobs: number;
  /** Every package is selected. */
  all: boolean;
  packageManager: PackageManager;
}

export interface PlanOptions {
  packageManager: PackageManager;
  /** Most jobs the matrix may hold; 1…256 (GitHub's limit). */
  maxJobs: number;
}

/**
 * Turns the affected packages into a GitHub Actions matrix. Entries follow dependency order, so a grouped
 * job builds a package before the packages that use it. Above `maxJobs` packages, they are spread evenly
 * over `maxJobs` jobs rather than split across several matrices: one job definition then scales to any
 * workspace size, and one summary check covers them all. Entries stay small (a job output holds at most
 * 1 MB): which dependencies a job must build first is worked out by the job itself (`dependencyBuilds`).
 */
export function planMatrix(graph: WorkspaceGraph, affected: AffectedResult, options: PlanOptions): MatrixPlan {
  if (!Number.isInteger(options.maxJobs) || options.maxJobs < 1 || options.maxJobs > GITHUB_MATRIX_LIMIT) {
    throw new RangeError(`maxJobs must be an integer from 1 to ${GITHUB_MATRIX_LIMIT}, got ${options.maxJobs}`);
  }
  const ordered = topologicalOrder(graph, affected.affected);
  const packages = ordered.map((name) => matrixPackage(graph, name));
  const include = packages.length <= options.maxJobs ? packages : group(packages, options.maxJobs);
  return {
    matrix: { include },
    count: packages.length,
    jobs: include.length,
    all: affected.all && packages.length > 0,
    packageManager: options.packageManager,
  };
}

function matrixPackage(graph: WorkspaceGraph, name: string): MatrixPackage {
  const pkg = graph.packages.get(name)!;
  return {
    name,
    path: pkg.dir,
    build: typeof pkg.scripts.build === "string",
    lint: typeof pkg.scripts.lint === "string",
    test: typeof pkg.scripts.test === "string",
  };
}

function group(packages: MatrixPackage[], jobs: number): MatrixEntry[] {
  const entries: MatrixEntry[] = [];
  const base = Math.floor(packages.length / jobs);
  const extra = packages.length % jobs;
  let start = 0;
  for (let i = 0; i < jobs; i++) {
    const size = base + (i < extra ? 1 : 0);
    const members = packages.slice(start, start + size);
    start += size;
    const first = members[0]!;
    const last = members[members.length - 1]!;
    entries.push({
      name: members.length === 1 ? first.name : `${first.name} … ${last.name} (${members.length})`,
      path: first.path,
      build: members.some((m) => m.build),
      lint: members.some((m) => m.lint),
      test: members.some((m) => m.test),
      packages: members,
    });
  }
  return entries;
}

/**
 * Folders of the workspace packages that `names` depend on, directly or transitively, that have a `build`
 * script — in build order, `names` themselves left out. A matrix job builds these first so imports of their
 * build output resolve (what turbo's `dependsOn: ["^build"]` does).
 */
export function dependencyBuilds(graph: WorkspaceGraph, names: readonly string[]): string[] {
  const members = new Set(names);
  const needed = [...transitiveDependencies(graph, names)].filter(
    (n) => !members.has(n) && typeof graph.packages.get(n)?.scripts.build === "string",
  );
  return topologicalOrder(graph, needed).map((n) => graph.packages.get(n)!.dir);
}
