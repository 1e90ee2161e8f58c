import { resolve } from "node:path";
import { z } from "zod";
import { EXIT, InputError } from "../../errors.ts";
import { DEFAULT_GLOBAL_TRIGGERS, DEFAULT_IGNORE } from "../../matrix/affected.ts";
import { createGitCli, repositoryRoot } from "../../local/matrix-git.ts";
import { readWorkspace } from "../../matrix/adapters/workspace-reader.ts";
import { computeMatrix } from "../../matrix/compute-matrix.ts";
import { maxJobsInput } from "../../matrix/inputs.ts";
import { GITHUB_MATRIX_LIMIT } from "../../matrix/plan-matrix.ts";
import { planMarkdown } from "../../matrix/summarize.ts";
import { defineCommand } from "../command.ts";

const flags = z.object({
  base: z.string().min(1).optional().describe("Base ref or SHA; files are compared from the merge base of --base and --head (required unless --all)"),
  head: z.string().min(1).default("HEAD").describe("Head ref or SHA"),
  cwd: z.string().min(1).default(".").describe("Workspace root (a folder inside the git repository)"),
  globalTrigger: z
    .array(z.string().min(1))
    .optional()
    .describe(`Glob whose change selects every package; repeat it; replaces the defaults (${DEFAULT_GLOBAL_TRIGGERS.slice(0, 3).join(", ")}, …)`),
  ignore: z
    .array(z.string().min(1))
    .optional()
    .describe(`Glob whose changes select nothing; repeat it; replaces the defaults (${DEFAULT_IGNORE.join(", ")})`),
  maxJobs: maxJobsInput.default(GITHUB_MATRIX_LIMIT).describe("Most matrix entries; above it packages share entries"),
  all: z.boolean().default(false).describe("Select every package whatever changed"),
  format: z
    .enum(["matrix", "plan", "markdown"], { error: "matrix, plan or markdown" })
    .default("matrix")
    .describe('"matrix": {"include":[…]} for strategy.matrix; "plan": the matrix with count, all and why; "markdown": the summary'),
});

export const matrixCommand = defineCommand({
  path: ["matrix"],
  summary: "The CI matrix of the workspace packages a change affects",
  description:
    "Lists the packages owning a file changed since the merge base of --base and --head, plus every package that depends " +
    "on them (npm, yarn, pnpm and bun workspaces), as GitHub's matrix JSON with the build, lint and test scripts each has. " +
    "A change to a global trigger (root package.json, a lockfile, the root tsconfig, the CI workflow) selects every package; " +
    "documentation changes select none.",
  flags,
  examples: [
    "alchkit matrix --base origin/main",
    "alchkit matrix --base main --head feature --format plan",
    "alchkit matrix --base v1.2.0 --cwd apps --ignore '**/*.md' --ignore 'examples/**'",
  ],
  async run({ flags }, ctx) {
    if (!flags.base && !flags.all) throw new InputError("--base", "a ref or SHA to compare with (or --all)");
    const cwd = resolve(ctx.cwd, flags.cwd);
    const root = await repositoryRoot(cwd);
    if (!root) throw new InputError("--cwd", "a folder inside a git repository", cwd);
    const result = await computeMatrix(
      {
        git: createGitCli(root),
        readWorkspace: () => readWorkspace(cwd, root, "--cwd"),
        log: (message) => ctx.stderr(`${message}\n`),
      },
      {
        range: flags.all
          ? { kind: "everything", reason: "all packages were requested" }
          : { kind: "compare", base: flags.base!, head: flags.head },
        ...(flags.globalTrigger ? { globalTriggers: flags.globalTrigger } : {}),
        ...(flags.ignore ? { ignore: flags.ignore } : {}),
        maxJobs: flags.maxJobs,
      },
    );
    if (flags.format === "markdown") {
      ctx.stdout(`${planMarkdown(result)}\n`);
    } else if (flags.format === "plan") {
      const plan = {
        matrix: result.matrix,
        count: result.count,
        jobs: result.jobs,
        all: result.all,
        packageManager: result.packageManager,
        workspace: { tool: result.workspace.tool, root: result.workspace.root, packages: result.workspace.packages.length },
        allReasons: result.affected.allReasons,
        changed: [...result.affected.changed].sort(),
        changedFiles: result.changes.files.length,
        ignoredFiles: result.affected.ignoredFiles,
        unownedFiles: result.affected.unownedFiles,
      };
      ctx.stdout(`${JSON.stringify(plan, null, 2)}\n`);
    } else {
      ctx.stdout(`${JSON.stringify(result.matrix)}\n`);
    }
    return EXIT.ok;
  },
});
