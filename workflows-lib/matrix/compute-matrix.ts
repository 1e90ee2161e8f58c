import type { AffectedResult, ChangeSet } from "./affected.ts";
import { DEFAULT_GLOBAL_TRIGGERS, DEFAULT_IGNORE, affectedPackages } from "./affected.ts";
import type { ChangeRange, GitPort } from "./changed-files.ts";
import { changedFiles } from "./changed-files.ts";
import type { MatrixPlan } from "./plan-matrix.ts";
import { GITHUB_MATRIX_LIMIT, planMatrix } from "./plan-matrix.ts";
import type { Workspace } from "./workspace-graph.ts";
import { buildWorkspaceGraph, joinPosix } from "./workspace-graph.ts";

export interface ComputeMatrixPorts {
  git: GitPort;
  readWorkspace: () => Promise<Workspace>;
  log?: (message: string) => void;
}

export interface ComputeMatrixOptions {
  range: ChangeRange;
  /** Replaces the default global triggers (globs relative to the repository root). */
  globalTriggers?: readonly string[];
  /** Replaces the default ignore globs. */
  ignore?: readonly string[];
  /** Extra triggers kept alongside the defaults, e.g. the workflow file of the calling run. */
  extraTriggers?: readonly string[];
  maxJobs?: number;
}

export interface MatrixResult extends MatrixPlan {
  changes: ChangeSet;
  affected: AffectedResult;
  workspace: Workspace;
}

/** The use-case behind `actions/matrix` and `alchkit matrix`: git range → affected packages → matrix. */
export async function computeMatrix(ports: ComputeMatrixPorts, options: ComputeMatrixOptions): Promise<MatrixResult> {
  // git works out the diff in its own process while this one reads the workspace.
  const pending = changedFiles(ports.git, options.range, ports.log ? { log: ports.log } : {});
  pending.catch(() => {}); // awaited below; only silences the rejection while the workspace is read
  const workspace = await ports.readWorkspace();
  const graph = buildWorkspaceGraph(workspace.packages);
  const changes = await pending;
  const triggers = [...(options.globalTriggers ?? defaultTriggers(workspace.root)), ...(options.extraTriggers ?? [])];
  const affected = affectedPackages(graph, changes, {
    globalTriggers: triggers,
    ignore: options.ignore ?? DEFAULT_IGNORE,
  });
  const plan = planMatrix(graph, affected, {
    packageManager: workspace.packageManager,
    maxJobs: options.maxJobs ?? GITHUB_MATRIX_LIMIT,
  });
  return { ...plan, changes, affected, workspace };
}

/** The default triggers, moved into the workspace folder when the workspace is not at the repository root. */
export function defaultTriggers(workspaceRoot: string): string[] {
  return DEFAULT_GLOBAL_TRIGGERS.map((glob) => (glob.startsWith(".github/") ? glob : joinPosix(workspaceRoot, glob)));
}
