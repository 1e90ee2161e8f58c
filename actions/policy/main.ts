import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import * as toolCache from "@actions/tool-cache";
import { runAction, timeScale } from "../../workflows-lib/github/action-shell.ts";
import { upsertStickyCommentUnlessFork } from "../../workflows-lib/github/sticky-comment.ts";
import { GateFailure, InputError } from "../../workflows-lib/errors.ts";
import { loadConfig } from "../../workflows-lib/local/config-file.ts";
import { createOpaCli } from "../../workflows-lib/local/opa-cli.ts";
import { isInlineJson, policyInputs } from "../../workflows-lib/policy/action-inputs.ts";
import { resultJson } from "../../workflows-lib/policy/audit.ts";
import { factsText, hasPolicies } from "../../workflows-lib/policy/evaluate-policies.ts";
import { findLibraryDir } from "../../workflows-lib/policy/library.ts";
import { OpaUnavailable } from "../../workflows-lib/policy/opa-port.ts";
import { runPolicyGate } from "../../workflows-lib/policy/policy-gate.ts";
import { renderPolicyReport } from "../../workflows-lib/policy/report.ts";
import { assertEnvironment, parseStageMap, stageFor } from "../../workflows-lib/promote/environments.ts";
import { kitStateDir } from "../../workflows-lib/alchemy/stage-dir.ts";
import { factsPorts, installOpa, policyFiles, stageNaming } from "../../workflows-lib/wiring/policy-ports.ts";

export async function run(): Promise<void> {
  await runAction(async (io) => {
    const inputs = io.inputs(policyInputs);
    const root = io.context.workspace;
    const { config } = await loadConfig(root);
    const appDir = path.resolve(root, inputs.workingDirectory ?? config.app.directory);
    const pr = io.context.pullRequest;
    const sha = inputs.sha ?? pr?.headSha ?? io.context.sha;
    [io.env.CLOUDFLARE_API_TOKEN, io.env.ALCHEMY_PASSWORD, io.env.ALCHEMY_STATE_TOKEN].forEach((secret) => io.secret(secret));

    const environment = inputs.environment === undefined ? undefined : assertEnvironment(inputs.environment, "environment");
    const configured = Object.fromEntries(Object.entries(config.environments).map(([name, e]) => [name, e.stage]));
    const stageMap = { ...configured, ...parseStageMap(inputs.stages ?? "", "stages") };
    if (inputs.from !== undefined && inputs.stage !== undefined) throw new InputError("from", "either from or stage, not both");
    const sourceStage = inputs.from !== undefined ? stageFor(assertEnvironment(inputs.from, "from"), stageMap) : inputs.stage;
    const targetStage = environment ? stageFor(environment, stageMap) : sourceStage;
    if (!targetStage) throw new InputError("environment", "the environment the deployment goes to, or a stage");
    const jsonInput = async (value: string | undefined, name: string): Promise<unknown> => {
      if (value === undefined) return undefined;
      const text = isInlineJson(value)
        ? value
        : await readFile(path.resolve(root, value), "utf8").catch(() => {
            throw new InputError(name, "JSON, or a file holding it", `${value} cannot be read`);
          });
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new InputError(name, "JSON, or a file holding it", (error as Error).message);
      }
    };
    const policyDir = path.resolve(root, inputs.policyDir ?? config.policy.directory);
    if (!(await hasPolicies(policyDir, policyFiles)) && Object.keys(config.policy.library).length === 0) {
      // The deploying workflows include this gate by default: a repository without policies passes it.
      io.notice(`No policies in ${path.relative(root, policyDir) || "."} and no library policy enabled: nothing to enforce.`, "policy gate");
      await io.summary("### Policy gate\n\nNo policies in this repository (`policies/*.rego`, or `policy.library` in alchkit.config.json): nothing to enforce.");
      io.setOutput("passed", true);
      io.setOutput("result", JSON.stringify({ passed: true, findings: [] }));
      return;
    }
    const approvedByLabel = pr?.labels.includes(config.openapi.breakingLabel) ?? false;
    const github = io.github();

    const opaPath =
      inputs.opaPath ??
      (
        await installOpa({
          version: inputs.opaVersion,
          ...(inputs.opaSha256 ? { sha256: inputs.opaSha256 } : {}),
          platform: process.platform,
          arch: process.arch,
          toolCache,
          log: io.info,
        })
      ).path;

    const outDir = inputs.outDir === undefined ? path.join(io.env.RUNNER_TEMP ?? root, "policy") : path.resolve(root, inputs.outDir);
    await mkdir(outDir, { recursive: true });
    const workDir = await mkdtemp(path.join(outDir, "opa-"));
    try {
      const outcome = await runPolicyGate(
        {
          request: {
            ...(sourceStage ? { stage: sourceStage } : {}),
            target: { ...(environment ? { environment } : {}), stage: targetStage, sha, ref: io.context.ref },
            naming: stageNaming(config),
            requiredChecks: inputs.requiredChecks,
            ignoreChecks: inputs.ignoreChecks,
            loadGate: await jsonInput(inputs.loadGate, "load-gate"),
            openapiDiff: await jsonInput(inputs.openapiDiff, "openapi-diff"),
            openapiApproved: inputs.openapiApproved ?? approvedByLabel,
            trigger: { actor: io.context.actor, event: io.context.eventName, runUrl: io.context.runUrl },
            names: { loadGate: "load-gate", openapiDiff: "openapi-diff" },
          },
        },
        {
          policyDir,
          libraryDir: findLibraryDir(),
          library: config.policy.library,
          workDir,
          displayRoot: root,
          regoV0: config.policy.regoVersion === "v0",
          policyInput: "policy-dir",
        },
        {
          facts: factsPorts({
            root,
            appDir,
            state:
              inputs.runtime === "local"
                ? { from: "local", stateDir: kitStateDir(root, io.env) }
                : { from: "alchemy", flags: inputs.profile ? { profile: inputs.profile } : {}, cli: { cwd: appDir, env: io.env } },
            github: { client: github, owner: io.context.owner, repo: io.context.repo, ignoreRunId: io.context.runId },
            ...((inputs.base ?? pr?.baseSha) ? { base: (inputs.base ?? pr?.baseSha)!, head: sha } : {}),
          }),
          opa: createOpaCli(opaPath, { PATH: io.env.PATH }),
          files: policyFiles,
        },
      ).catch((error: unknown) => {
        if (error instanceof OpaUnavailable) throw new InputError("opa-path", "a working opa executable", error.message);
        throw error;
      });

      const report = renderPolicyReport(outcome.result, outcome.facts);
      const factsPath = path.join(outDir, "facts.json");
      const reportPath = path.join(outDir, "report.md");
      await writeFile(factsPath, factsText(outcome.facts));
      await writeFile(reportPath, `${report}\n`);
      await writeFile(path.join(outDir, "audit.json"), `${JSON.stringify(outcome.audit, null, 2)}\n`);
      await io.summary(report);
      if (inputs.comment && pr) {
        await upsertStickyCommentUnlessFork(
          github,
          { owner: io.context.owner, repo: io.context.repo, issueNumber: pr.number, purpose: inputs.commentHeader, body: report, backoffMs: 1000 * timeScale(io.env) },
          pr,
          () => io.warning("Could not comment on this pull request from a fork (read-only token); the report is in the step summary.", "policy gate"),
        );
      }
      io.setOutput("passed", outcome.result.passed);
      io.setOutput("result", JSON.stringify(resultJson(outcome.result)));
      io.setOutput("facts-path", factsPath);
      io.setOutput("report-path", reportPath);
      io.setOutput("audit", JSON.stringify(outcome.audit));
      for (const finding of outcome.result.findings) {
        const text = `${finding.policy}${finding.line ? `:${finding.line}` : ""} ${finding.rule}: ${finding.message}`;
        if (finding.level === "warn") io.warning(text, "policy warning");
      }
      if (!outcome.result.passed) {
        const denials = outcome.result.findings.filter((f) => f.level === "deny");
        throw new GateFailure(
          `Policy gate denied the deployment: ${denials.map((f) => `${f.policy} ${f.rule}: ${f.message}`).join("; ")}`,
        );
      }
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
}

await run();
