import { findAlchemyInvocations, type AlchemyInvocation, type ScriptLookup } from "./alchemy-commands.ts";
import { finding, type Finding } from "./checks.ts";
import type { Workflow, WorkflowJob, WorkflowStep } from "./workflow-model.ts";

/**
 * The kit's own reusable workflows: which stage a caller deploys and the concurrency group the called workflow
 * holds (a test compares these groups with the kit's .github/workflows files). `<PR>` stands for the pull
 * request's number.
 */
export const KIT_WORKFLOWS: Record<string, { stage(inputs: Record<string, string>): string; group(inputs: Record<string, string>): string; perPullRequest?: boolean }> = {
  "preview.yml": {
    perPullRequest: true,
    stage: (inputs) => `${inputs["stage-prefix"] ?? "pr-"}<PR>`,
    group: () => "alchkit-preview-${{ github.repository }}-<PR>",
  },
  "deploy.yml": { stage: (inputs) => stageOfEnvironment(inputs.environment, inputs.stages), group: (inputs) => `alchkit-environment-\${{ github.repository }}-${inputs.environment ?? ""}` },
  "promote.yml": { stage: (inputs) => stageOfEnvironment(inputs.to, inputs.stages), group: (inputs) => `alchkit-environment-\${{ github.repository }}-${inputs.to ?? ""}` },
  "rollback.yml": { stage: (inputs) => stageOfEnvironment(inputs.environment, inputs.stages), group: (inputs) => `alchkit-environment-\${{ github.repository }}-${inputs.environment ?? ""}` },
};

const KIT_CALL = /^alchkit\/alchkit\/\.github\/workflows\/([\w.-]+\.ya?ml)@/;

function stageOfEnvironment(environment: string | undefined, stages: string | undefined): string {
  if (!environment) return "<environment>";
  for (const pair of (stages ?? "").split(/[,\n]/)) {
    const [env, stage] = pair.split("=").map((s) => s.trim());
    if (env === environment && stage) return stage;
  }
  return /^\$\{\{/.test(environment) ? `<${environment}>` : environment === "production" ? "prod" : environment;
}

export interface WorkflowCheckInput {
  workflows: Workflow[];
  /** Package scripts where a job runs (its working directory, relative to the repository). */
  scriptsAt(directory: string): ScriptLookup;
  /** Some alchemy.run.ts picks its stage itself (`alchemy("app", { stage })`). */
  entrySetsStage: boolean;
}

/** One place a workflow deploys or destroys a stage. */
export interface StageOperation {
  workflow: Workflow;
  job: WorkflowJob;
  step?: WorkflowStep;
  phase: AlchemyInvocation["phase"];
  /** The stage as written (expressions kept); undefined when nothing names it. */
  stageText?: string;
  /** What the stage can be, expressions evaluated: `pr-<PR>`, `prod`, `<github.ref_name>`. */
  stages: string[];
  line: number;
  /** Concurrency groups the run holds while doing it, normalized. */
  groups: string[];
  /** Through one of the kit's reusable workflows. */
  kit?: string;
  invocation?: AlchemyInvocation;
}

// ---------------------------------------------------------------------------------------------------------
// GitHub expressions, as far as stage names need them.

const PR_NUMBER = /^(github\.event\.(pull_request\.)?number|github\.event\.issue\.number)$/;

function splitTopLevel(expr: string, operator: "||" | "&&"): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (c === "'") quote = !quote;
    else if (!quote && c === "(") depth++;
    else if (!quote && c === ")") depth--;
    else if (!quote && depth === 0 && expr.startsWith(operator, i)) {
      parts.push(expr.slice(start, i));
      start = i + 2;
      i++;
    }
  }
  parts.push(expr.slice(start));
  return parts.map((p) => p.trim());
}

function evaluate(expr: string, env: (name: string) => string | undefined, depth = 0): string[] {
  let e = expr.trim();
  while (e.startsWith("(") && e.endsWith(")")) e = e.slice(1, -1).trim();
  if (depth > 6) return [`<${e}>`];
  const alternatives = splitTopLevel(e, "||");
  if (alternatives.length > 1) return alternatives.flatMap((a) => evaluate(a, env, depth + 1));
  const conjunction = splitTopLevel(e, "&&");
  if (conjunction.length > 1) return evaluate(conjunction[conjunction.length - 1]!, env, depth + 1);
  const literal = e.match(/^'((?:[^']|'')*)'$/);
  if (literal) return [literal[1]!.replaceAll("''", "'")];
  if (PR_NUMBER.test(e)) return ["<PR>"];
  const envRef = e.match(/^env\.([A-Za-z_][A-Za-z0-9_]*)$/);
  if (envRef) {
    const value = env(envRef[1]!);
    return value === undefined ? [`<${e}>`] : expand(value, env, depth + 1);
  }
  const format = e.match(/^format\(\s*'((?:[^']|'')*)'\s*,([\s\S]*)\)$/);
  if (format) {
    const args = format[2]!.split(",").map((a) => evaluate(a, env, depth + 1)[0] ?? "");
    return [format[1]!.replace(/\{(\d+)\}/g, (_m, i: string) => args[Number(i)] ?? "")];
  }
  return [`<${e.replace(/\s+/g, "")}>`];
}

/** A string with `${{ }}` expressions → every value it can take. */
function expand(text: string, env: (name: string) => string | undefined, depth = 0): string[] {
  let results = [""];
  let rest = text;
  for (;;) {
    const open = rest.indexOf("${{");
    if (open < 0) break;
    const close = rest.indexOf("}}", open);
    if (close < 0) break;
    const values = evaluate(rest.slice(open + 3, close), env, depth);
    const before = rest.slice(0, open);
    results = results.flatMap((r) => values.map((v) => r + before + v));
    rest = rest.slice(close + 2);
  }
  return [...new Set(results.map((r) => r + rest))];
}

/** A concurrency group as a comparable string: PR numbers as `<PR>`, a group per workflow kept apart. */
function normalizeGroup(group: string, workflow: Workflow, env: (name: string) => string | undefined): string[] {
  if (/github\.(workflow|run_id|run_number|job)\b/.test(group)) return [`<only ${workflow.file}>`];
  return expand(group, env).map((g) => g.replace(/\s+/g, ""));
}

// ---------------------------------------------------------------------------------------------------------

function envChain(workflow: Workflow, job: WorkflowJob, step?: WorkflowStep): (name: string) => string | undefined {
  return (name) => step?.env[name] ?? job.env[name] ?? workflow.env[name];
}

function commandLine(workflow: Workflow, step: WorkflowStep, invocation: AlchemyInvocation): number {
  if (step.runOffset !== undefined) {
    const at = workflow.text.indexOf(invocation.command, step.runOffset);
    if (at >= 0) return workflow.lineAt(at);
  }
  return (step.runLine ?? step.line) + invocation.lineIndex;
}

/** Every deploy and destroy the workflows run, with the stage and the concurrency held. */
export function stageOperations(input: WorkflowCheckInput): StageOperation[] {
  const out: StageOperation[] = [];
  for (const workflow of input.workflows) {
    for (const job of workflow.jobs) {
      const jobEnv = envChain(workflow, job);
      const groups = [job.concurrencyGroup, workflow.concurrencyGroup].filter((g): g is string => g !== undefined).flatMap((g) => normalizeGroup(g, workflow, jobEnv));
      const kitFile = job.uses?.match(KIT_CALL)?.[1];
      if (kitFile && KIT_WORKFLOWS[kitFile]) {
        const kit = KIT_WORKFLOWS[kitFile]!;
        const stage = kit.stage(job.with);
        out.push({
          workflow,
          job,
          phase: "up",
          stageText: stage,
          stages: expand(stage, jobEnv),
          line: job.line,
          groups: [...groups, ...normalizeGroup(kit.group(job.with), workflow, jobEnv)],
          kit: kitFile,
        });
        continue;
      }
      for (const step of job.steps) {
        if (step.run === undefined) continue;
        const directory = step.workingDirectory ?? job.workingDirectory ?? ".";
        for (const invocation of findAlchemyInvocations(step.run, input.scriptsAt(directory))) {
          const env = envChain(workflow, job, step);
          const stageText = invocation.stage ?? env("STAGE") ?? env("ALCHEMY_STAGE");
          out.push({
            workflow,
            job,
            step,
            phase: invocation.phase,
            ...(stageText !== undefined ? { stageText } : {}),
            stages: stageText === undefined ? [] : expand(stageText, env),
            line: commandLine(workflow, step, invocation),
            groups,
            invocation,
          });
        }
      }
    }
  }
  return out;
}

const PULL_REQUEST_EVENTS = new Set(["pull_request", "pull_request_target"]);

export function checkWorkflows(input: WorkflowCheckInput): Finding[] {
  const findings: Finding[] = [];
  const operations = stageOperations(input);

  // Deploy or destroy with no stage: Alchemy takes $USER (`runner` on GitHub).
  if (!input.entrySetsStage) {
    for (const op of operations) {
      if (op.kit || op.stageText !== undefined || op.phase === "dev") continue;
      const via = op.invocation?.script ? ` (the package script "${op.invocation.script}")` : "";
      if (op.phase === "destroy") {
        const perPr = op.workflow.triggers.some((t) => PULL_REQUEST_EVENTS.has(t.event));
        findings.push(
          finding(
            "destroy-without-stage",
            { file: op.workflow.file, line: op.line },
            `\`${op.invocation!.command}\`${via} destroys without a stage: on GitHub's runners Alchemy then uses $USER, so it destroys the stage "runner"${perPr ? " and the pull request's pr-N stage is never destroyed" : ""}.`,
            `Name the stage the job deploys: \`--stage pr-\${{ github.event.pull_request.number }}\`${op.invocation?.script ? ` (e.g. \`${op.invocation.command} -- --stage …\`)` : ""}, or set STAGE in the step's env. alchkit's preview workflow does this for you.`,
          ),
        );
      } else {
        findings.push(
          finding(
            "deploy-without-stage",
            { file: op.workflow.file, line: op.line },
            `\`${op.invocation!.command}\`${via} deploys without a stage: on GitHub's runners Alchemy uses $USER, so every run deploys the stage "runner".`,
            "Pass `--stage` (e.g. `--stage prod` on main, `--stage pr-${{ github.event.pull_request.number }}` for a pull request) or set STAGE in the step's env.",
          ),
        );
      }
    }
  }

  // A per-PR deploy whose workflow never runs on `closed`, with no other workflow destroying that stage on close.
  const perPrStage = (op: StageOperation) => op.stages.some((s) => s.includes("<PR>"));
  const closedCleanup = (stage: string) =>
    operations.some(
      (op) =>
        op.stages.includes(stage) &&
        (op.phase === "destroy" || op.kit === "preview.yml") &&
        op.workflow.triggers.some((t) => PULL_REQUEST_EVENTS.has(t.event) && t.types?.includes("closed")),
    );
  const reported = new Set<string>();
  for (const op of operations) {
    if (op.phase !== "up" || !perPrStage(op) || reported.has(op.workflow.file)) continue;
    const trigger = op.workflow.triggers.find((t) => PULL_REQUEST_EVENTS.has(t.event));
    if (!trigger || trigger.types?.includes("closed")) continue;
    const stage = op.stages.find((s) => s.includes("<PR>"))!;
    if (closedCleanup(stage)) continue;
    reported.add(op.workflow.file);
    const types = trigger.types ?? ["opened", "synchronize", "reopened"];
    findings.push(
      finding(
        "pr-workflow-without-closed",
        { file: op.workflow.file, line: trigger.line },
        `${op.workflow.file} deploys ${stage.replace("<PR>", "N")} for each pull request but runs only on ${trigger.event} ${types.join(", ")}${trigger.types ? "" : " (GitHub's default types)"}: nothing destroys the stage when the pull request closes.`,
        `Add closed to the trigger: \`${trigger.event}: { types: [${[...new Set([...types, "closed"])].join(", ")}] }\`, and destroy the stage in a job that runs on it (alchkit's preview workflow does on closed).`,
      ),
    );
  }

  // One stage, several workflows, no group in common.
  const byStage = new Map<string, StageOperation[]>();
  for (const op of operations) {
    if (op.phase === "dev") continue;
    for (const stage of op.stages) {
      if (!/^<[^>]*>$/.test(stage)) byStage.set(stage, [...(byStage.get(stage) ?? []), op]);
    }
  }
  const concurrencyReported = new Set<string>();
  for (const [stage, ops] of byStage) {
    const files = [...new Set(ops.map((op) => op.workflow.file))];
    if (files.length < 2) continue;
    const groupsOf = (file: string) => {
      const fileOps = ops.filter((op) => op.workflow.file === file);
      // every operation of the file must hold the group for it to count
      return fileOps.map((op) => new Set(op.groups)).reduce((a, b) => new Set([...a].filter((g) => b.has(g))));
    };
    const sets = files.map(groupsOf);
    const shared = [...sets[0]!].filter((g) => sets.every((s) => s.has(g)));
    if (shared.length > 0) continue;
    const shown = stage.replace("<PR>", "N");
    for (const file of files) {
      const op = ops.find((o) => o.workflow.file === file)!;
      const key = `${file}\0${shown}`;
      if (concurrencyReported.has(key)) continue;
      concurrencyReported.add(key);
      const others = files.filter((f) => f !== file);
      const group = op.groups[0];
      findings.push(
        finding(
          "stage-deployed-without-shared-concurrency",
          { file, line: op.line },
          `${file} and ${others.join(", ")} both deploy or destroy the stage ${shown}, ${group ? `but ${file} holds the concurrency group "${group}", which the other${others.length > 1 ? "s do" : " does"} not` : `and ${file} has no concurrency group`}: two runs can change the stage at once.`,
          `Let one workflow own the stage (remove the other's deploy), or give all of them the same \`concurrency: { group: ${stage.includes("<PR>") ? "deploy-pr-${{ github.event.pull_request.number }}" : `deploy-${shown}`}, cancel-in-progress: false }\`.`,
        ),
      );
    }
  }

  // Jobs that run Alchemy without a timeout.
  const timed = new Set<WorkflowJob>();
  for (const op of operations) {
    if (op.kit || op.job.timeoutMinutes !== undefined || timed.has(op.job)) continue;
    timed.add(op.job);
    findings.push(
      finding(
        "job-without-timeout",
        { file: op.workflow.file, line: op.job.line },
        `Job "${op.job.id}" runs Alchemy and has no timeout-minutes: a hung run holds the runner for 360 minutes.`,
        `Add \`timeout-minutes: 30\` (or what a deploy of this app takes, with room) to the job.`,
      ),
    );
  }

  findings.push(...recognizeAlchemyWorkflows(input.workflows, operations));
  return findings;
}

// ---------------------------------------------------------------------------------------------------------

export type AlchemyWorkflowFlavor = "alchemy-create-preview" | "alchemy-create-publish" | "alchemy-ci-guide";

/**
 * Alchemy's own CI workflows: the two `alchemy create --github-actions` writes (pr-preview.yml with the jobs
 * deploy-preview and cleanup-preview; publish.yml deploying STAGE=prod) and the one of Alchemy's CI guide (a
 * STAGE expression made of `format('pr-{0}', …)` and a deploy and a cleanup job).
 */
export function alchemyWorkflowFlavor(workflow: Workflow, operations: StageOperation[]): AlchemyWorkflowFlavor | undefined {
  const ops = operations.filter((op) => op.workflow === workflow && !op.kit);
  if (ops.length === 0) return undefined;
  const jobIds = new Set(workflow.jobs.map((j) => j.id));
  if (jobIds.has("deploy-preview") && jobIds.has("cleanup-preview")) return "alchemy-create-preview";
  if (jobIds.has("publish") && ops.some((op) => op.job.id === "publish" && op.stageText === "prod")) return "alchemy-create-publish";
  const stageEnv = workflow.env.STAGE ?? "";
  if (/format\(\s*'pr-\{0\}'/.test(stageEnv) && ops.some((op) => op.phase === "up") && ops.some((op) => op.phase === "destroy")) return "alchemy-ci-guide";
  return undefined;
}

const REPLACEMENT: Record<AlchemyWorkflowFlavor, { what: string; replacedBy: string }> = {
  "alchemy-create-preview": { what: "the preview workflow `alchemy create --github-actions` writes", replacedBy: "alchkit's preview.yml (previews with a sticky comment, a verified teardown on close)" },
  "alchemy-create-publish": { what: "the production workflow `alchemy create --github-actions` writes", replacedBy: "alchkit's deploy.yml and promote.yml (staging on every push, production behind approval, rollback)" },
  "alchemy-ci-guide": { what: "the workflow of Alchemy's CI guide", replacedBy: "alchkit's preview.yml for pull requests and deploy.yml/promote.yml for main" },
};

function recognizeAlchemyWorkflows(workflows: Workflow[], operations: StageOperation[]): Finding[] {
  const out: Finding[] = [];
  for (const workflow of workflows) {
    const flavor = alchemyWorkflowFlavor(workflow, operations);
    if (!flavor) continue;
    const { what, replacedBy } = REPLACEMENT[flavor];
    out.push(
      finding(
        "alchemy-ci-workflow",
        { file: workflow.file, line: 1 },
        `${workflow.file} is ${what}: it deploys with Alchemy itself${flavor === "alchemy-create-publish" ? "" : " and cleans up with its own job"}.`,
        `${replacedBy} replaces it: once \`alchkit init\` has written its workflows, delete ${workflow.file} (keep any job of it that does something else). ` +
          "Until then both deploy the same stages.",
      ),
    );
  }
  return out;
}
