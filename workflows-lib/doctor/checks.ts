/**
 * Every hazard `alchkit doctor` looks for: the table docs/doctor.md is generated from, and the level each
 * finding of a check has. A check's `why` says how the hazard bites; each finding carries its own fix, written
 * for the file and line it names.
 */
export type FindingLevel = "error" | "warning" | "info";

export interface Finding {
  id: CheckId;
  level: FindingLevel;
  /** Relative to the repository root, `/` separated. */
  file?: string;
  line?: number;
  message: string;
  fix: string;
}

export interface Check {
  id: string;
  level: FindingLevel;
  title: string;
  /** Where doctor reads it. */
  reads: string;
  why: string;
}

export const CHECKS = [
  {
    id: "shared-physical-name",
    level: "error",
    title: "A resource has one physical name in every stage",
    reads: "alchemy.run.ts; the state of local stages",
    why:
      "Alchemy derives a resource's Cloudflare name from the app, the id and the stage unless `name` (`title` for KV, " +
      "`workflowName` for a Workflow, whose name defaults to its class) fixes it. A fixed name is one database, bucket or " +
      "Workflow for every stage: a preview writes to production's data, and destroying the preview deletes it.",
  },
  {
    id: "stage-defaults-to-production",
    level: "error",
    title: "The stage falls back to production",
    reads: "alchemy.run.ts",
    why:
      "`stage: process.env.STAGE ?? \"prod\"` deploys to production whenever a run forgets the stage: a developer's " +
      "`alchemy deploy`, a CI job without `--stage`, `alchemy destroy` on a laptop.",
  },
  {
    id: "destroy-without-stage",
    level: "error",
    title: "A workflow destroys without naming the stage",
    reads: ".github/workflows/*.yml and the package scripts they run",
    why:
      "Without `--stage` (or STAGE/ALCHEMY_STAGE) Alchemy uses `$USER`, which is `runner` on GitHub's runners: the " +
      "cleanup job of `alchemy create --github-actions` destroys a stage called `runner` and leaves every `pr-N` running.",
  },
  {
    id: "deploy-without-stage",
    level: "error",
    title: "A workflow deploys without naming the stage",
    reads: ".github/workflows/*.yml and the package scripts they run",
    why: "Without `--stage` (or STAGE/ALCHEMY_STAGE) every run deploys to the stage `runner` ($USER on GitHub's runners): all of them share it.",
  },
  {
    id: "pr-workflow-without-closed",
    level: "error",
    title: "A pull-request deploy never hears that the pull request closed",
    reads: ".github/workflows/*.yml",
    why:
      "`pull_request` runs on opened, synchronize and reopened unless `types` says otherwise: without `closed` no job " +
      "destroys the preview, and every pull request leaves a stage (and its bill) behind.",
  },
  {
    id: "stage-deployed-without-shared-concurrency",
    level: "error",
    title: "Several workflows deploy one stage without a shared concurrency group",
    reads: ".github/workflows/*.yml",
    why:
      "Two runs deploying the same stage at once race on its state: the last writer wins, resources created by the " +
      "other are orphaned, and a destroy can run while a deploy is half done.",
  },
  {
    id: "job-without-timeout",
    level: "warning",
    title: "A job that runs Alchemy has no timeout-minutes",
    reads: ".github/workflows/*.yml",
    why: "A hung deploy (a prompt, a stuck API call) holds the runner for GitHub's default of 360 minutes.",
  },
  {
    id: "state-store-unconditional",
    level: "warning",
    title: "CloudflareStateStore is used unconditionally",
    reads: "alchemy.run.ts",
    why:
      "Local runs (`alchemy dev`, `alchkit … --local`) then need a Cloudflare token and ALCHEMY_STATE_TOKEN, and a " +
      "laptop's stage shares the remote state store with CI.",
  },
  {
    id: "pnpm-build-scripts-blocked",
    level: "error",
    title: "pnpm is not allowed to build workerd, esbuild or sharp",
    reads: "package.json, pnpm-workspace.yaml, pnpm-lock.yaml",
    why:
      "pnpm 10 and later skip dependencies' install scripts unless allowed, and a frozen install in CI fails with " +
      "ERR_PNPM_IGNORED_BUILDS; without their scripts workerd and esbuild have no binary. pnpm 10 reads " +
      "`onlyBuiltDependencies`; pnpm 11 and later read only `allowBuilds` in pnpm-workspace.yaml.",
  },
  {
    id: "package-manager-unpinned",
    level: "warning",
    title: "The package manager's version is not pinned",
    reads: "package.json",
    why:
      "Without `packageManager` corepack (and the setup action) take whatever pnpm or yarn version is newest; a major " +
      "release changes lockfile and build-script rules under you (pnpm 11 fails installs pnpm 10 accepted).",
  },
  {
    id: "health-route-missing",
    level: "error",
    title: "The app has no route at the health path",
    reads: "alchkit.config.json (preview.healthPath) and the Worker's source",
    why: "Previews and promotions wait for the health path to answer 200: an app without that route fails every deploy with a 404.",
  },
  {
    id: "alchemy-ci-workflow",
    level: "info",
    title: "An Alchemy CI workflow deploys previews itself",
    reads: ".github/workflows/*.yml",
    why:
      "Alchemy's CI guide and `alchemy create --github-actions` write workflows that deploy `pr-N` and production on " +
      "their own; next to alchkit's they deploy the same stages twice.",
  },
] as const satisfies readonly Check[];

export type CheckId = (typeof CHECKS)[number]["id"];

const BY_ID = new Map<string, Check>(CHECKS.map((check) => [check.id, check]));

export function checkOf(id: CheckId): Check {
  return BY_ID.get(id)!;
}

export function finding(id: CheckId, where: { file?: string; line?: number }, message: string, fix: string): Finding {
  return { id, level: checkOf(id).level, ...(where.file ? { file: where.file } : {}), ...(where.line ? { line: where.line } : {}), message, fix };
}

const LEVEL_ORDER: Record<FindingLevel, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then by file and line; the same finding reported twice appears once. */
export function sortFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings
    .filter((f) => {
      const key = `${f.id}\0${f.file ?? ""}\0${f.line ?? 0}\0${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || (a.file ?? "").localeCompare(b.file ?? "") || (a.line ?? 0) - (b.line ?? 0) || a.id.localeCompare(b.id));
}
