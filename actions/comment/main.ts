import { readFile } from "node:fs/promises";
import { runAction, timeScale } from "../../workflows-lib/github/action-shell.ts";
import { commentInputs, resolveCommentTarget } from "../../workflows-lib/comment/comment-inputs.ts";
import { InputError } from "../../workflows-lib/errors.ts";
import { upsertStickyComment } from "../../workflows-lib/github/sticky-comment.ts";
import { containedPath } from "../../workflows-lib/local/contained-path.ts";

export async function run(): Promise<void> {
  await runAction(async (io) => {
    const inputs = io.inputs(commentInputs);
    const target = resolveCommentTarget(inputs, io.context);
    // A body file stays inside the workspace or the runner's temp folder, and is never a symbolic link.
    const roots = [io.context.workspace, ...(io.env.RUNNER_TEMP ? [io.env.RUNNER_TEMP] : [])];
    const body = inputs.bodyPath === undefined ? (inputs.body ?? "") : await readBodyFile(containedPath(roots, inputs.bodyPath, "body-path"));
    const result = await upsertStickyComment(io.github(), {
      owner: io.context.owner,
      repo: io.context.repo,
      issueNumber: target.issueNumber,
      purpose: inputs.header,
      body,
      mode: inputs.mode,
      backoffMs: 1000 * timeScale(io.env),
    });
    io.setOutput("comment-id", result.commentId ?? "");
    io.setOutput("url", result.url ?? "");
    io.setOutput("outcome", result.outcome);
    io.info(`Sticky comment "${inputs.header}" on #${target.issueNumber}: ${result.outcome}${result.url ? ` ${result.url}` : ""}`);
  });
}

async function readBodyFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch {
    throw new InputError("body-path", "a readable file", `cannot read ${path}`);
  }
}

await run();
