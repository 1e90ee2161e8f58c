import type { MatrixEntry, MatrixPackage } from "./plan-matrix.ts";
import { MATRIX_SCRIPTS, dependencyBuilds } from "./plan-matrix.ts";
import type { PackageManager, Workspace } from "./workspace-graph.ts";
import { buildWorkspaceGraph } from "./workspace-graph.ts";

export type ScriptName = (typeof MATRIX_SCRIPTS)[number];
export type ScriptOutcome = "success" | "failure" | "skipped";

/** Runs `<package manager> run <script>` in a package folder; the adapter streams its output to the log. */
export interface ScriptRunnerPort {
  run(packageManager: PackageManager, dir: string, script: string): Promise<{ exitCode: number; durationMs: number }>;
  /** Starts a folded log group (GitHub's ::group::); returns the function that ends it. */
  group?(title: string): () => void;
}

export interface ScriptResult {
  script: ScriptName;
  outcome: ScriptOutcome;
  durationMs: number;
  /** Why a script was skipped or what failed. */
  note?: string;
}

export interface PackageReport {
  name: string;
  path: string;
  scripts: ScriptResult[];
  ok: boolean;
}

/** What one matrix job did; the summary job reads these back. */
export interface EntryReport {
  entry: string;
  ok: boolean;
  packages: PackageReport[];
}

/**
 * Runs one matrix entry: first the builds of the workspace dependencies it needs (in dependency order), then
 * per package its build, lint and test scripts, those it has. A failed build skips that package's tests (they
 * would test stale or missing output) but lint still runs; every package of a grouped entry runs and reports.
 */
export async function runMatrixEntry(
  entry: MatrixEntry,
  packageManager: PackageManager,
  runner: ScriptRunnerPort,
  /** Folders to build first, in order: `dependencyBuilds` of the entry's packages. */
  dependencyDirs: readonly string[],
): Promise<EntryReport> {
  const members: MatrixPackage[] = entry.packages ?? [entry];
  let dependencyFailure: string | undefined;
  for (const dir of dependencyDirs) {
    const end = runner.group?.(`build dependency ${dir}`);
    const result = await runner.run(packageManager, dir, "build");
    end?.();
    if (result.exitCode !== 0) {
      dependencyFailure = `the build of dependency ${dir} failed (exit ${result.exitCode})`;
      break;
    }
  }
  const packages: PackageReport[] = [];
  for (const pkg of members) {
    const scripts: ScriptResult[] = [];
    let buildFailed = false;
    for (const script of MATRIX_SCRIPTS) {
      if (!pkg[script]) continue;
      if (dependencyFailure) {
        scripts.push({ script, outcome: "skipped", durationMs: 0, note: dependencyFailure });
        continue;
      }
      if (script === "test" && buildFailed) {
        scripts.push({ script, outcome: "skipped", durationMs: 0, note: "the build failed" });
        continue;
      }
      const end = runner.group?.(`${pkg.name}: ${script}`);
      const result = await runner.run(packageManager, pkg.path, script);
      end?.();
      const ok = result.exitCode === 0;
      if (!ok && script === "build") buildFailed = true;
      scripts.push({
        script,
        outcome: ok ? "success" : "failure",
        durationMs: result.durationMs,
        ...(ok ? {} : { note: `exit ${result.exitCode}` }),
      });
    }
    const ok = !dependencyFailure && scripts.every((s) => s.outcome !== "failure");
    packages.push({ name: pkg.name, path: pkg.path, scripts, ok });
  }
  return { entry: entry.name, ok: packages.every((p) => p.ok), packages };
}

/**
 * The `run` use-case of a matrix job: reads the workspace of the checkout to find which dependencies to build
 * first, then runs the entry. Packages the plan named but the checkout lacks are an error, not a silent pass.
 */
export async function runMatrixJob(
  ports: { readWorkspace: () => Promise<Workspace>; runner: ScriptRunnerPort },
  entry: MatrixEntry,
  packageManager: PackageManager,
): Promise<EntryReport> {
  const graph = buildWorkspaceGraph((await ports.readWorkspace()).packages);
  const members = (entry.packages ?? [entry]).map((p) => p.name);
  const missing = members.filter((name) => !graph.packages.has(name));
  if (missing.length > 0) throw new Error(`the matrix names packages this checkout does not have: ${missing.join(", ")}`);
  return runMatrixEntry(entry, packageManager, ports.runner, dependencyBuilds(graph, members));
}
