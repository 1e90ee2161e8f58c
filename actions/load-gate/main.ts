import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import * as toolCache from "@actions/tool-cache";
import { runAction, timeScale } from "../../workflows-lib/github/action-shell.ts";
import { upsertStickyCommentUnlessFork } from "../../workflows-lib/github/sticky-comment.ts";
import { GateFailure, InputError } from "../../workflows-lib/errors.ts";
import { loadGateInputs, shouldSaveBaseline } from "../../workflows-lib/loadgate/action-inputs.ts";
import { githubBaselineStore } from "../../workflows-lib/github/baseline-store.ts";
import { parseDuration } from "../../workflows-lib/loadgate/duration.ts";
import { autocannonEngine, k6Engine } from "../../workflows-lib/loadgate/engines/index.ts";
import { installK6 } from "../../workflows-lib/loadgate/engines/k6.ts";
import { loadBudgets, loadScenario, loadSummary, loadThresholds } from "../../workflows-lib/loadgate/inputs.ts";
import { loadGateJob } from "../../workflows-lib/loadgate/job.ts";
import { toHandleSummaryJson } from "../../workflows-lib/loadgate/summary.ts";

export async function run(): Promise<void> {
  await runAction(async (io) => {
    const inputs = io.inputs(loadGateInputs);
    const cwd = path.resolve(io.context.workspace, inputs.workingDirectory);
    const at = (file: string) => path.resolve(cwd, file);
    const { specs, raw } = await loadThresholds(at(inputs.thresholds), "thresholds");
    const budgets = await loadBudgets(inputs.budgets === undefined ? undefined : at(inputs.budgets), "budgets");
    const baselineFile = inputs.baseline === undefined ? undefined : await loadSummary(at(inputs.baseline), "baseline");
    const outDir = inputs.outDir === undefined ? path.join(io.env.RUNNER_TEMP ?? cwd, "load-gate") : at(inputs.outDir);

    let engine;
    if (inputs.engine === "k6") {
      if (inputs.script === undefined) throw new InputError("script", "the k6 script to run when engine is k6");
      const k6 = await installK6({
        version: inputs.k6Version,
        platform: process.platform,
        arch: process.arch,
        toolCache,
        ...(inputs.k6Sha256 ? { sha256: inputs.k6Sha256 } : {}),
        log: io.info,
      });
      engine = k6Engine({
        k6Path: k6.path,
        version: k6.version,
        script: at(inputs.script),
        url: inputs.url,
        thresholds: specs,
        thresholdsRaw: raw,
        workDir: outDir,
        env: io.env,
        args: [...(inputs.duration ? ["--duration", inputs.duration] : []), ...(inputs.connections ? ["--vus", String(inputs.connections)] : [])],
        onOutput: (chunk) => void process.stdout.write(chunk),
      });
    } else {
      const scenario = await loadScenario(inputs.script === undefined ? undefined : at(inputs.script), "script", {
        ...(inputs.duration ? { durationMs: parseDuration(inputs.duration)! } : {}),
        ...(inputs.connections ? { connections: inputs.connections } : {}),
      });
      engine = autocannonEngine(inputs.url, scenario, specs);
    }

    const saveBaseline = shouldSaveBaseline(inputs.saveBaseline, io.context);
    const pr = io.context.pullRequest;
    // Fork PRs get a read-only token: reading the baseline works, commenting may not (then the summary has it all).
    const needsGitHub = baselineFile === undefined || (inputs.comment && pr !== undefined);
    const github = needsGitHub ? io.github() : undefined;
    const store = github && baselineFile === undefined
      ? githubBaselineStore(github, { owner: io.context.owner, repo: io.context.repo, branch: inputs.baselineBranch, name: inputs.baselineName })
      : undefined;

    const job = await loadGateJob(
      {
        engine,
        thresholds: specs,
        budgets,
        zeroSamples: inputs.zeroSamples,
        target: inputs.url,
        ...(baselineFile ? { baselineFile } : {}),
        saveBaseline,
        commit: { sha: pr?.headSha ?? io.context.sha, ref: io.context.ref },
        runUrl: io.context.runUrl,
        now: () => new Date(),
      },
      {
        ...(store ? { store } : {}),
        async writeFiles(files) {
          await mkdir(outDir, { recursive: true });
          await writeFile(path.join(outDir, "summary.json"), `${JSON.stringify(toHandleSummaryJson(files.summary), null, 2)}\n`);
          await writeFile(path.join(outDir, "result.json"), `${JSON.stringify(files.result, null, 2)}\n`);
          await writeFile(path.join(outDir, "report.md"), `${files.report}\n`);
        },
        async publish(report) {
          await io.summary(report);
          if (inputs.comment && pr && github) {
            const comment = await upsertStickyCommentUnlessFork(
              github,
              { owner: io.context.owner, repo: io.context.repo, issueNumber: pr.number, purpose: inputs.commentHeader, body: report, backoffMs: 1000 * timeScale(io.env) },
              pr,
              () => io.warning("Could not comment on this pull request from a fork (read-only token); the report is in the step summary.", "load gate"),
            );
            if (comment) io.setOutput("comment-url", comment.url ?? "");
          }
        },
        log: io.info,
      },
    );

    io.setOutput("passed", job.gate.passed);
    io.setOutput("result", JSON.stringify(job.result));
    io.setOutput("summary-path", path.join(outDir, "summary.json"));
    io.setOutput("report-path", path.join(outDir, "report.md"));
    io.setOutput("baseline-saved", job.baselineSaved !== undefined);
    if (!job.gate.passed) {
      const failed = [
        ...job.gate.thresholds.filter((t) => !t.ok).map((t) => `${t.metric}: ${t.expression}${t.reason ? ` (${t.reason})` : ` (actual ${t.actual})`}`),
        ...job.gate.regressions.filter((r) => !r.ok).map((r) => `${r.metric} ${r.statistic} regressed: ${r.baseline} → ${r.actual}`),
      ];
      throw new GateFailure(`Load gate failed: ${failed.join("; ")}`);
    }
  });
}

await run();
