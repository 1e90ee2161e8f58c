import type { GitHubClient } from "./client.ts";
import { hasMarker, planSticky, withMarker, type MarkedComment, type StickyMode } from "../comment/sticky-plan.ts";
import { tokenIdentity, writtenBy } from "./token-identity.ts";

export interface StickyCommentRequest {
  owner: string;
  repo: string;
  issueNumber: number;
  /** What the comment is for; one comment per PR and purpose. */
  purpose: string;
  /** Markdown; the hidden marker is added. Ignored for mode `delete`. */
  body: string;
  mode?: StickyMode;
  /** A comment id remembered from an earlier run (e.g. a deployment payload): one GET instead of a scan. */
  knownCommentId?: number;
  /** Base wait between create attempts after an ambiguous failure (grows quadratically). */
  backoffMs?: number;
}

export interface StickyCommentResult {
  outcome: "created" | "updated" | "unchanged" | "deleted" | "absent";
  commentId?: number;
  url?: string;
  deleted: number;
  hidden: number;
}

const PAGE = 100;

/**
 * Writes the sticky comment. Cost on an open PR with the comment in the first 100: one list and one update.
 * Creating never duplicates: the POST is not retried blindly; after an ambiguous failure (5xx, reset) the PR is
 * scanned again for the marker before trying once more.
 */
export async function upsertStickyComment(
  octokit: GitHubClient,
  request: StickyCommentRequest,
  /** The result of an earlier `findStickyComments` in this run: saves the scan. */
  alreadyFound?: FoundComment[],
): Promise<StickyCommentResult> {
  const mode = request.mode ?? "upsert";
  const body = withMarker(request.body, request.purpose);
  const found = alreadyFound ?? (await findMarked(octokit, request, mode === "upsert"));
  const result: StickyCommentResult = { outcome: found.length === 0 && mode === "delete" ? "absent" : "unchanged", deleted: 0, hidden: 0 };
  for (const step of planSticky(mode, found, body)) {
    switch (step.kind) {
      case "keep":
        Object.assign(result, { outcome: "unchanged", commentId: step.id, url: urlOf(found, step.id) });
        break;
      case "update": {
        const { data } = await octokit.rest.issues.updateComment({ owner: request.owner, repo: request.repo, comment_id: step.id, body: step.body });
        Object.assign(result, { outcome: "updated", commentId: data.id, url: data.html_url });
        break;
      }
      case "delete":
        await deleteComment(octokit, request, step.id);
        result.deleted++;
        if (mode === "delete") result.outcome = "deleted";
        break;
      case "hide":
        await octokit.graphql(
          `mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } } }`,
          { id: nodeIdOf(found, step.id) },
        );
        result.hidden++;
        break;
      case "create": {
        const created = await createOnce(octokit, request, step.body);
        Object.assign(result, { outcome: "created", commentId: created.id, url: created.html_url });
        break;
      }
    }
  }
  return result;
}

export interface FoundComment extends MarkedComment {
  url: string;
  nodeId: string;
}

/**
 * The PR's comments with the purpose's marker written by the token's own account, oldest first; stops at the
 * first page with one when `firstOnly`. A marked comment anyone else wrote is not ours: never read, changed
 * or deleted.
 */
export function findStickyComments(octokit: GitHubClient, request: Omit<StickyCommentRequest, "body">, firstOnly = true): Promise<FoundComment[]> {
  return findMarked(octokit, { ...request, body: "" }, firstOnly);
}

async function findMarked(octokit: GitHubClient, request: StickyCommentRequest, firstPageWithMatchIsEnough: boolean): Promise<FoundComment[]> {
  const self = await tokenIdentity(octokit);
  const ours = (comment: { body?: string; user?: { login?: string; type?: string } | null }) => hasMarker(comment.body, request.purpose) && writtenBy(self, comment.user);
  if (request.knownCommentId !== undefined && firstPageWithMatchIsEnough) {
    const known = await octokit.rest.issues
      .getComment({ owner: request.owner, repo: request.repo, comment_id: request.knownCommentId })
      .catch((error: { status?: number }) => {
        if (error.status === 404) return undefined;
        throw error;
      });
    if (known && ours(known.data) && known.data.issue_url.endsWith(`/issues/${request.issueNumber}`)) {
      return [toFound(known.data)];
    }
  }
  const found: FoundComment[] = [];
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: request.owner,
    repo: request.repo,
    issue_number: request.issueNumber,
    per_page: PAGE,
  });
  for await (const page of pages) {
    for (const comment of page.data) if (ours(comment)) found.push(toFound(comment));
    if (firstPageWithMatchIsEnough && found.length > 0) break;
  }
  return found;
}

function toFound(comment: { id: number; body?: string; html_url: string; node_id: string }): FoundComment {
  return { id: comment.id, body: comment.body ?? "", url: comment.html_url, nodeId: comment.node_id };
}

async function createOnce(octokit: GitHubClient, request: StickyCommentRequest, body: string): Promise<{ id: number; html_url: string }> {
  const attempts = 4;
  for (let attempt = 1; ; attempt++) {
    try {
      const { data } = await octokit.rest.issues.createComment({
        owner: request.owner,
        repo: request.repo,
        issue_number: request.issueNumber,
        body,
        request: { retries: 0 },
      });
      return data;
    } catch (error) {
      if (!isAmbiguous(error) || attempt >= attempts) throw error;
      // The write may have happened before the failure: look before writing again.
      const again = await findMarked(octokit, request, true);
      const mine = again.find((c) => c.body === body) ?? again[0];
      if (mine) {
        if (mine.body !== body) await octokit.rest.issues.updateComment({ owner: request.owner, repo: request.repo, comment_id: mine.id, body });
        return { id: mine.id, html_url: mine.url };
      }
      await new Promise((resolve) => setTimeout(resolve, (request.backoffMs ?? 1000) * attempt * attempt));
    }
  }
}

async function deleteComment(octokit: GitHubClient, request: StickyCommentRequest, id: number): Promise<void> {
  await octokit.rest.issues.deleteComment({ owner: request.owner, repo: request.repo, comment_id: id }).catch((error: { status?: number }) => {
    if (error.status !== 404) throw error; // already gone: the goal is reached
  });
}

/** Failures after which the server may or may not have written: 5xx, 429 and dropped connections. */
export function isAmbiguous(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  return status === undefined || status >= 500 || status === 429;
}

function urlOf(found: FoundComment[], id: number): string | undefined {
  return found.find((c) => c.id === id)?.url;
}

function nodeIdOf(found: FoundComment[], id: number): string {
  return found.find((c) => c.id === id)?.nodeId ?? "";
}

/**
 * The sticky comment of a pull request, where the token may write it. A fork's token is read-only: GitHub
 * answers 403, `onReadOnlyFork` is told (the report stays in the step summary) and the result is undefined.
 * Any other failure is thrown.
 */
export async function upsertStickyCommentUnlessFork(
  octokit: GitHubClient,
  request: StickyCommentRequest,
  pullRequest: { isFork: boolean },
  onReadOnlyFork: () => void,
): Promise<StickyCommentResult | undefined> {
  try {
    return await upsertStickyComment(octokit, request);
  } catch (error) {
    if ((error as { status?: number }).status !== 403 || !pullRequest.isFork) throw error;
    onReadOnlyFork();
    return undefined;
  }
}
