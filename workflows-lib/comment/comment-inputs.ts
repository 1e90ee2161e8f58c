import { z } from "zod";
import { InputError } from "../errors.ts";
import { PURPOSE_PATTERN, STICKY_MODES } from "./sticky-plan.ts";
import { positiveIntInput } from "../validate.ts";

/** Inputs of `actions/comment`. */
export const commentInputs = z.object({
  body: z.string().optional(),
  bodyPath: z.string().optional(),
  header: z
    .string()
    .regex(PURPOSE_PATTERN, { error: "lower case letters, digits, '.', '_' or '-' (at most 64)" })
    .default("comment"),
  mode: z.enum(STICKY_MODES, { error: `one of ${STICKY_MODES.join(", ")}` }).default("upsert"),
  number: positiveIntInput.optional(),
});
export type CommentInputs = z.output<typeof commentInputs>;

/** Which issue or PR the comment goes to, and that the inputs make sense together. */
export function resolveCommentTarget(
  inputs: CommentInputs,
  context: { pullRequest?: { number: number }; event: Record<string, any> },
): { issueNumber: number } {
  if (inputs.body !== undefined && inputs.bodyPath !== undefined) {
    throw new InputError("body", "either body or body-path, not both");
  }
  if (inputs.mode !== "delete" && inputs.body === undefined && inputs.bodyPath === undefined) {
    throw new InputError("body", "the comment's markdown in body or body-path");
  }
  const issueNumber = inputs.number ?? context.pullRequest?.number ?? issueNumberOf(context.event);
  if (issueNumber === undefined) {
    throw new InputError("number", "a pull request or issue number (the event has no pull request)");
  }
  return { issueNumber };
}

function issueNumberOf(event: Record<string, any>): number | undefined {
  const n = event.issue?.number;
  return typeof n === "number" ? n : undefined;
}
