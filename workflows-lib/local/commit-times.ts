import { gitOrUndefined } from "./git.ts";

/**
 * Commit facts the dashboard needs, from the repository's git history: when a change's first commit was
 * written (author date) and the release tag of a SHA. Unknown SHAs (a shallow clone, a deleted branch) give
 * undefined, never an error: the metric is then measured on the changes that can be.
 */
export function createCommitTimes(root: string) {
  return {
    async changeStart(previousSha: string | undefined, sha: string): Promise<number | undefined> {
      const range = previousSha ? [`${previousSha}..${sha}`] : ["-1", sha];
      const out = await gitOrUndefined(root, ["log", "--format=%aI", ...range, "--"]);
      const oldest = out?.trim().split("\n").filter(Boolean).at(-1);
      const at = oldest ? Date.parse(oldest) : Number.NaN;
      return Number.isFinite(at) ? at : undefined;
    },
    async versionOf(sha: string): Promise<string | undefined> {
      const out = await gitOrUndefined(root, ["tag", "--points-at", sha, "--sort=-version:refname"]);
      return out?.trim().split("\n").find(Boolean);
    },
  };
}
