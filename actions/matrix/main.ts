import * as core from "@actions/core";
import path from "node:path";
import { z } from "zod";
import { runAction } from "../../workflows-lib/github/action-shell.ts";
import type { ActionIO } from "../../workflows-lib/github/action-shell.ts";
import { GateFailure, InputError } from "../../workflows-lib/errors.ts";
import { parseInput } from "../../workflows-lib/validate.ts";
import { computeMatrix } from "../../workflows-lib/matrix/compute-matrix.ts";
import { callerWorkflowFile, rangeFromEvent } from "../../workflows-lib/matrix/event-range.ts";
import { planInputs, planMatrixSchema, runInputs, summaryInputs } from "../../workflows-lib/matrix/inputs.ts";
import { runMatrixJob } from "../../workflows-lib/matrix/run-entry.ts";
import { planMarkdown, summarizeMatrix } from "../../workflows-lib/matrix/summarize.ts";
import { createGitCli, repositoryRoot } from "../../workflows-lib/local/matrix-git.ts";
import { readWorkspace } from "../../workflows-lib/matrix/adapters/workspace-reader.ts";
import { createScriptRunner } from "../../workflows-lib/matrix/adapters/script-runner.ts";
import { readEntryReports, readPlanMatrix, writeEntryReport, writePlanMatrix } from "../../workflows-lib/matrix/adapters/report-files.ts";

const commandInput = z.enum(["plan", "run", "summary"], { error: "plan, run or summary" });

export async function run(): Promise<void> {
  await runAction(async (io) => {
    const command = parseInput(commandInput, core.getInput("command") || "plan", "command");
    if (command === "plan") await plan(io);
    else if (command === "run") await runEntry(io);
    else await summary(io);
  });
}

async function plan(io: ActionIO): Promise<void> {
  const inputs = io.inputs(planInputs);
  const cwd = path.resolve(io.context.workspace, inputs.workingDirectory);
  const root = await repositoryRoot(cwd);
  if (!root) throw new InputError("working-directory", "a folder inside a git checkout (run actions/checkout first)", cwd);
  const range = rangeFromEvent({
    eventName: io.context.eventName,
    event: io.context.event,
    sha: io.context.sha,
    all: inputs.all,
    ...(inputs.base ? { base: inputs.base } : {}),
    ...(inputs.head ? { head: inputs.head } : {}),
  });
  const result = await computeMatrix(
    { git: createGitCli(root), readWorkspace: () => readWorkspace(cwd, root, "working-directory"), log: io.info },
    {
      range,
      ...(inputs.globalTriggers ? { globalTriggers: inputs.globalTriggers } : {}),
      ...(inputs.ignore ? { ignore: inputs.ignore } : {}),
      extraTriggers: callerWorkflowFile(io.env.GITHUB_WORKFLOW_REF),
      maxJobs: inputs.maxJobs,
    },
  );
  io.setOutput("matrix", JSON.stringify(result.matrix));
  io.setOutput("count", result.count);
  io.setOutput("jobs", result.jobs);
  io.setOutput("all", result.all);
  io.setOutput("package-manager", result.packageManager);
  io.setOutput("packages", JSON.stringify(result.matrix.include.flatMap((e) => e.packages ?? [e]).map((p) => p.name)));
  io.setOutput("matrix-path", await writePlanMatrix(path.join(io.env.RUNNER_TEMP ?? cwd, "alchkit-matrix-plan"), result.matrix));
  io.info(`${result.count} package(s) in ${result.jobs} job(s)${result.all ? " (all)" : ""}`);
  await io.summary(planMarkdown(result));
}

async function runEntry(io: ActionIO): Promise<void> {
  const inputs = io.inputs(runInputs);
  const cwd = path.resolve(io.context.workspace, inputs.workingDirectory);
  const runner = createScriptRunner(cwd, {
    group: (title) => {
      core.startGroup(title);
      return () => core.endGroup();
    },
  });
  const root = (await repositoryRoot(cwd)) ?? cwd;
  const report = await runMatrixJob(
    { readWorkspace: () => readWorkspace(cwd, root, "working-directory"), runner },
    inputs.entry,
    inputs.packageManager,
  );
  const file = await writeEntryReport(path.join(io.env.RUNNER_TEMP ?? cwd, "alchkit-matrix-report"), report);
  io.setOutput("report-path", file);
  io.setOutput("ok", report.ok);
  const verdict = summarizeMatrix({
    planResult: "success",
    testResult: report.ok ? "success" : "failure",
    matrix: { include: [inputs.entry] },
    reports: [report],
  });
  await io.summary(verdict.markdown);
  if (!report.ok) throw new GateFailure(`${inputs.entry.name}: ${verdict.reason}`);
}

async function summary(io: ActionIO): Promise<void> {
  const inputs = io.inputs(summaryInputs);
  const reportsDir = inputs.reportsDir ? path.resolve(io.context.workspace, inputs.reportsDir) : undefined;
  const reports = reportsDir ? await readEntryReports(reportsDir) : [];
  const uploaded = reportsDir ? await readPlanMatrix(reportsDir) : undefined;
  const matrix = inputs.matrix ?? (uploaded === undefined ? { include: [] } : parseInput(planMatrixSchema, uploaded, "reports-dir"));
  const verdict = summarizeMatrix({
    planResult: inputs.planResult,
    testResult: inputs.testResult,
    matrix,
    reports,
    runUrl: io.context.runUrl,
  });
  io.setOutput("ok", verdict.ok);
  io.setOutput("reason", verdict.reason);
  io.setOutput("failed-packages", JSON.stringify(verdict.failedPackages));
  await io.summary(verdict.markdown);
  if (!verdict.ok) throw new GateFailure(`CI matrix: ${verdict.reason}`);
  io.info(`CI matrix: ${verdict.reason}`);
}

await run();
