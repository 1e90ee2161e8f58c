import { readFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { GateFailure, InputError } from "../../workflows-lib/errors.ts";
import { runAction, timeScale } from "../../workflows-lib/github/action-shell.ts";
import { upsertStickyComment } from "../../workflows-lib/github/sticky-comment.ts";
import { openapiActionInputs, sourcesFromInputs } from "../../workflows-lib/openapi/action-inputs.ts";
import { writeDocsSite } from "../../workflows-lib/openapi/adapters/docs-site-writer.ts";
import { createNodeGeneratePorts } from "../../workflows-lib/openapi/adapters/node-ports.ts";
import { writeTextAtomic } from "../../workflows-lib/openapi/adapters/spec-file-writer.ts";
import { formatDiff } from "../../workflows-lib/openapi/diff/index.ts";
import { planDocsSite } from "../../workflows-lib/openapi/docs-site.ts";
import { generateSpec } from "../../workflows-lib/openapi/generate.ts";
import type { GenerateOptions } from "../../workflows-lib/openapi/generate.ts";
import { parseIgnoreList } from "../../workflows-lib/openapi/ignore-list.ts";
import { serializeSpec } from "../../workflows-lib/openapi/normalize.ts";
import { checkOpenAPI, renderCheckFailure } from "../../workflows-lib/openapi/pr-check.ts";
import { formatValidation } from "../../workflows-lib/openapi/report-validation.ts";

export async function run(): Promise<void> {
  await runAction(async (io) => {
    const inputs = io.inputs(openapiActionInputs);
    const { head, base } = sourcesFromInputs(inputs);
    const workspace = io.context.workspace;
    const headDir = resolve(workspace, inputs.workingDirectory);
    const baseDir = inputs.baseDir === undefined ? workspace : resolve(workspace, inputs.baseDir);
    const ignore = inputs.ignore === undefined ? [] : parseIgnoreList(await readInputFile(resolve(headDir, inputs.ignore), "ignore"), inputs.ignore);
    const options: GenerateOptions = {
      openapi: inputs.openapi,
      ...(inputs.title !== undefined ? { title: inputs.title } : {}),
      ...(inputs.apiVersion !== undefined ? { version: inputs.apiVersion } : {}),
    };
    const pr = io.context.pullRequest;
    const stderr = (text: string) => process.stderr.write(text);
    const postComment = async (body: string): Promise<string> => {
      if (!inputs.comment || !pr) return "";
      try {
        const comment = await upsertStickyComment(io.github(), {
          owner: io.context.owner,
          repo: io.context.repo,
          issueNumber: pr.number,
          purpose: "openapi",
          body,
          backoffMs: 1000 * timeScale(io.env),
        });
        io.info(`Sticky comment on #${pr.number}: ${comment.outcome}${comment.url ? ` ${comment.url}` : ""}`);
        return comment.url ?? "";
      } catch (error) {
        // A fork's token cannot write to the base repository: the summary and annotations still carry the report.
        if ((error as { status?: number }).status !== 403 || !pr.isFork) throw error;
        io.warning("Pull requests from forks get a read-only token: the report is in the job summary instead of a comment.", "OpenAPI comment");
        return "";
      }
    };
    const result = await checkOpenAPI(
      {
        head,
        ...(base ? { base } : {}),
        failOn: inputs.failOn,
        overrideLabel: inputs.overrideLabel,
        labels: pr?.labels ?? [],
        ignore,
        headSha: pr?.headSha ?? io.context.sha,
        ...(pr ? { baseSha: pr.baseSha } : {}),
        runUrl: io.context.runUrl,
      },
      {
        generateHead: (source) => generateSpec(source, options, createNodeGeneratePorts({ cwd: headDir, env: io.env, stderr })),
        generateBase: (source) => generateSpec(source, options, createNodeGeneratePorts({ cwd: baseDir, env: io.env, stderr })),
      },
    ).catch(async (error: unknown) => {
      // The PR's description could not be generated: say so where the last report was, then fail as bad input.
      if (error instanceof InputError) {
        const markdown = renderCheckFailure(error.message, { headSha: pr?.headSha ?? io.context.sha, runUrl: io.context.runUrl });
        await postComment(markdown);
        await io.summary(markdown);
      }
      throw error;
    });
    io.info(`OpenAPI description from ${result.head.origin}: ${result.reason}`);

    const specPath = resolve(workspace, inputs.specOutput ?? join(io.env.RUNNER_TEMP ?? join(workspace, ".alchkit"), "alchkit-openapi", "openapi.json"));
    const format = /\.ya?ml$/i.test(specPath) ? "yaml" : "json";
    await writeTextAtomic(specPath, serializeSpec(result.head.document, format));
    let baseSpecPath = "";
    if (result.base) {
      baseSpecPath = join(dirname(specPath), `base.${basename(specPath)}`);
      await writeTextAtomic(baseSpecPath, serializeSpec(result.base.document, format));
    }
    if (inputs.docsDir !== undefined) {
      await writeDocsSite(resolve(workspace, inputs.docsDir), planDocsSite(result.head.document), { name: "docs-dir", given: inputs.docsDir });
    }

    // Annotations: validation errors on the description, one per API change.
    // GitHub places annotations by the path from the repository root.
    const annotatedName = head.kind === "file" ? relative(workspace, resolve(headDir, head.path)) : result.validation.name;
    const annotations =
      formatValidation({ ...result.validation, name: annotatedName }, "githubactions") + (result.diff ? formatDiff(result.diff, "githubactions") : "");
    for (const line of annotations.split("\n").filter(Boolean)) io.info(line);
    if (result.baseProblem !== undefined) io.warning(`The base could not be described, nothing was compared: ${result.baseProblem}`, "OpenAPI base");

    const commentUrl = await postComment(result.markdown);
    await io.summary(result.markdown);

    io.setOutput("errors", result.counts.error);
    io.setOutput("warnings", result.counts.warning);
    io.setOutput("infos", result.counts.info);
    io.setOutput("breaking", result.breaking);
    io.setOutput("valid", result.validation.valid);
    io.setOutput("gate", result.gate);
    io.setOutput("spec", specPath);
    io.setOutput("base-spec", baseSpecPath);
    io.setOutput("comment-url", commentUrl);
    if (result.gate === "failed") throw new GateFailure(`OpenAPI check failed: ${result.reason}`);
  });
}

async function readInputFile(path: string, input: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new InputError(input, "a readable file", `${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
}

await run();
