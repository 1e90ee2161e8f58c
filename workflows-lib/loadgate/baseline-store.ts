/**
 * Baselines on a data branch: each default-branch run writes `load-gate/<name>.json` (the k6-shaped summary
 * plus where it came from) to a branch of the repository (default `alchkit-data`) through the contents API;
 * pull requests read it from there. A data branch, unlike an artifact, never expires (artifacts do after
 * 90 days), needs no run lookup, and its history is the performance record of the default branch.
 * The branch is created from the default branch's head on first write.
 */
import type { GitHubClient } from "../github/client.ts";
import { parseSummary, toHandleSummaryJson, type Summary } from "./summary.ts";

export interface BaselineRecord {
  summary: Summary;
  sha: string;
  ref: string;
  engine: string;
  scenario: string;
  runUrl?: string;
  recordedAt: string;
}

export interface BaselineStore {
  read(): Promise<BaselineRecord | undefined>;
  write(record: BaselineRecord): Promise<{ commitSha: string; path: string }>;
}

export interface GitHubBaselineStoreOptions {
  owner: string;
  repo: string;
  /** Data branch, e.g. `alchkit-data`. */
  branch: string;
  /** Baseline name: one file per gate, e.g. `load-gate` or `api-orders`. */
  name: string;
}

export const baselinePath = (name: string): string => `load-gate/${name}.json`;

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
