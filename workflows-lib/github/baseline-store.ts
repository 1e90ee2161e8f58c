/**
 * The baseline store on a data branch of the repository, through the contents API (see
 * loadgate/baseline-store.ts for the port and why a data branch).
 */
import type { GitHubClient } from "./client.ts";
import { baselinePath, type BaselineStore } from "../loadgate/baseline-store.ts";
import { parseSummary, toHandleSummaryJson } from "../loadgate/summary.ts";

export interface GitHubBaselineStoreOptions {
  owner: string;
  repo: string;
  /** Data branch, e.g. `alchkit-data`. */
  branch: string;
  /** Baseline name: one file per gate, e.g. `load-gate` or `api-orders`. */
  name: string;
}

const status = (error: unknown): number | undefined => (error as { status?: number }).status;

export function githubBaselineStore(octokit: GitHubClient, options: GitHubBaselineStoreOptions): BaselineStore {
  const { owner, repo, branch } = options;
  const path = baselinePath(options.name);

  async function current(): Promise<{ sha: string; text: string } | undefined> {
    try {
      const { data } = await octokit.rest.repos.getContent({ owner, repo, path, ref: branch });
      if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return undefined;
      return { sha: data.sha, text: Buffer.from(data.content, "base64").toString("utf8") };
    } catch (error) {
      if (status(error) === 404) return undefined; // no branch yet, or no baseline yet
      throw error;
    }
  }

  async function ensureBranch(): Promise<void> {
    try {
      await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
      return;
    } catch (error) {
      if (status(error) !== 404) throw error;
    }
    const { data: repository } = await octokit.rest.repos.get({ owner, repo });
    const { data: head } = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${repository.default_branch}` });
    try {
      await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: head.object.sha });
    } catch (error) {
      if (status(error) !== 422) throw error; // created meanwhile by a concurrent run
    }
  }

  return {
    async read() {
      const file = await current();
      if (!file) return undefined;
      const raw = JSON.parse(file.text) as Record<string, unknown> & { summary: unknown };
      return {
        summary: parseSummary(raw.summary),
        sha: String(raw.sha ?? ""),
        ref: String(raw.ref ?? ""),
        engine: String(raw.engine ?? ""),
        scenario: String(raw.scenario ?? ""),
        ...(typeof raw.runUrl === "string" ? { runUrl: raw.runUrl } : {}),
        recordedAt: String(raw.recordedAt ?? ""),
      };
    },
    async write(record) {
      await ensureBranch();
      const body = `${JSON.stringify({ ...record, summary: toHandleSummaryJson(record.summary) }, null, 2)}\n`;
      const content = Buffer.from(body).toString("base64");
      const message = `load-gate: baseline ${options.name} from ${record.sha.slice(0, 7)}`;
      // Two default-branch runs may race: on a stale sha (409) read again and write once more; the later run wins.
      for (let attempt = 1; ; attempt++) {
        const existing = await current();
        try {
          const { data } = await octokit.rest.repos.createOrUpdateFileContents({
            owner, repo, path, branch, message, content, ...(existing ? { sha: existing.sha } : {}),
          });
          return { commitSha: data.commit.sha ?? "", path };
        } catch (error) {
          if ((status(error) !== 409 && status(error) !== 422) || attempt >= 3) throw error;
        }
      }
    },
  };
}
