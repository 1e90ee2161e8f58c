import type { GitHubClient } from "./client.ts";
import type { GitHubRelease } from "../feed/release.ts";
import type { ReleaseFields, ReleasePlatform, WriteResult } from "../release/platform.ts";

const notFound = (error: unknown): boolean => (error as { status?: number }).status === 404;
const status = (error: unknown): number | undefined => (error as { status?: number }).status;

/*
 * Writes are retried by the client after 5xx and dropped connections. When the first attempt did land, the retry
 * meets its own result (422 "already exists", 409 "does not match"); each write below then reads back and
 * carries on, so a flaky network never duplicates a release, a tag, a commit or an asset.
 */

/** The release port over GitHub's REST API (github.com or GHES), through the kit's retrying Octokit. */
export function githubReleasePlatform(octokit: GitHubClient, repo: { owner: string; repo: string }): ReleasePlatform {
  const { owner, repo: name } = repo;
  const base = { owner, repo: name };
  return {
    async repository() {
      const { data } = await octokit.rest.repos.get(base);
      return { owner: data.owner.login, name: data.name, htmlUrl: data.html_url, id: data.id, defaultBranch: data.default_branch };
    },

    async listReleases() {
      let pages = 0;
      const releases = await octokit.paginate(octokit.rest.repos.listReleases, { ...base, per_page: 100 }, (response) => {
        pages++;
        return response.data;
      });
      return { releases: releases as GitHubRelease[], pages };
    },

    releaseByTag,

    async createRelease(fields) {
      try {
        const { data } = await octokit.rest.repos.createRelease({ ...base, ...releaseBody(fields), tag_name: fields.tag });
        return data as GitHubRelease;
      } catch (error) {
        if (status(error) === 422) {
          const landed = await releaseByTag(fields.tag);
          if (landed && landed.body === (fields.body ?? landed.body)) return landed;
        }
        throw error;
      }
    },

    async updateRelease(id, fields) {
      const { data } = await octokit.rest.repos.updateRelease({ ...base, release_id: id, ...releaseBody(fields) });
      return data as GitHubRelease;
    },

    async listTags(prefix) {
      const refs = await octokit.paginate(octokit.rest.git.listMatchingRefs, { ...base, ref: `tags/${prefix}`, per_page: 100 });
      return refs.map((ref) => ({ name: ref.ref.replace(/^refs\/tags\//, ""), sha: ref.object.sha }));
    },

    async tagCommit(tag) {
      let object: { sha: string; type: string };
      try {
        object = (await octokit.rest.git.getRef({ ...base, ref: `tags/${tag}` })).data.object;
      } catch (error) {
        if (notFound(error)) return undefined;
        throw error;
      }
      // An annotated tag points at a tag object; follow it (tags of tags too) to the commit.
      for (let depth = 0; object.type === "tag" && depth < 5; depth++) {
        object = (await octokit.rest.git.getTag({ ...base, tag_sha: object.sha })).data.object;
      }
      return object.sha;
    },

    async setTag(tag, sha): Promise<WriteResult> {
      try {
        return await moveTag(tag, sha);
      } catch (error) {
        throw refusedTagMove(error, tag) ?? error;
      }
    },

    async compare(baseRef, head) {
      const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...base, basehead: `${baseRef}...${head}`, per_page: 250 });
      return {
        commits: data.commits.map((commit) => ({
          sha: commit.sha,
          message: commit.commit.message,
          ...(commit.author?.login ? { login: commit.author.login } : {}),
        })),
        totalCommits: data.total_commits,
        htmlUrl: data.html_url,
      };
    },

    async readFile(path, ref) {
      const file = await getFile(path, ref);
      return file?.text;
    },

    async writeFile(branch, path, content, message): Promise<WriteResult> {
      const existing = await getFile(path, branch);
      if (existing?.text === content) return "unchanged";
      const result: WriteResult = existing ? "updated" : "created";
      try {
        await octokit.rest.repos.createOrUpdateFileContents({
          ...base,
          path,
          branch,
          message,
          content: Buffer.from(content).toString("base64"),
          ...(existing ? { sha: existing.sha } : {}),
        });
      } catch (error) {
        if (status(error) === 409 || status(error) === 422) {
          // The branch moved under us; when it now holds our content, the write landed.
          const now = await getFile(path, branch);
          if (now?.text === content) return result;
        }
        if (notFound(error)) {
          throw new Error(
            `Branch ${branch} does not exist in ${owner}/${name}: create it once (git switch --orphan ${branch} && ` +
              `git commit --allow-empty -m "Start ${branch}" && git push origin ${branch}) or choose another branch`,
          );
        }
        throw error;
      }
      return result;
    },

    async putReleaseAsset(release, assetName, content, contentType) {
      const bytes = Buffer.from(content);
      const assets = await octokit.paginate(octokit.rest.repos.listReleaseAssets, { ...base, release_id: release.id, per_page: 100 });
      for (const asset of assets.filter((a) => a.name === assetName)) {
        await octokit.rest.repos.deleteReleaseAsset({ ...base, asset_id: asset.id });
      }
      const uploadUrl = release.upload_url ?? (await octokit.rest.repos.getRelease({ ...base, release_id: release.id })).data.upload_url;
      try {
        // upload_url names the upload host (uploads.github.com, or GHES's /api/uploads).
        const { data } = await octokit.request({
          method: "POST",
          url: uploadUrl,
          name: assetName,
          data: bytes,
          headers: { "content-type": contentType, "content-length": bytes.length },
        });
        return (data as { browser_download_url: string }).browser_download_url;
      } catch (error) {
        if (status(error) !== 422) throw error;
        const landed = (await octokit.paginate(octokit.rest.repos.listReleaseAssets, { ...base, release_id: release.id, per_page: 100 })).find(
          (a) => a.name === assetName && a.size === bytes.length,
        );
        if (landed) return landed.browser_download_url;
        throw error;
      }
    },
  };

  async function moveTag(tag: string, sha: string): Promise<WriteResult> {
    let current: string | undefined;
    try {
      current = (await octokit.rest.git.getRef({ ...base, ref: `tags/${tag}` })).data.object.sha;
    } catch (error) {
      if (!notFound(error)) throw error;
    }
    if (current === sha) return "unchanged";
    if (current === undefined) {
      try {
        await octokit.rest.git.createRef({ ...base, ref: `refs/tags/${tag}`, sha });
        return "created";
      } catch (error) {
        if (status(error) !== 422) throw error;
        // Created meanwhile (by our own retried request, or a concurrent run): converge on `sha`.
        const now = (await octokit.rest.git.getRef({ ...base, ref: `tags/${tag}` })).data.object.sha;
        if (now === sha) return "created";
      }
    }
    await octokit.rest.git.updateRef({ ...base, ref: `tags/${tag}`, sha, force: true });
    return "updated";
  }

  async function releaseByTag(tag: string): Promise<GitHubRelease | undefined> {
    try {
      return (await octokit.rest.repos.getReleaseByTag({ ...base, tag })).data as GitHubRelease;
    } catch (error) {
      if (notFound(error)) return undefined;
      throw error;
    }
  }

  async function getFile(path: string, ref: string): Promise<{ text: string; sha: string } | undefined> {
    try {
      const { data } = await octokit.rest.repos.getContent({ ...base, path, ref });
      if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return undefined;
      return { text: Buffer.from(data.content, "base64").toString("utf8"), sha: data.sha };
    } catch (error) {
      if (notFound(error)) return undefined;
      throw error;
    }
  }
}

function releaseBody(fields: Partial<ReleaseFields>): {
  name?: string;
  body?: string;
  prerelease?: boolean;
  target_commitish?: string;
  make_latest?: "true" | "false";
} {
  return {
    ...(fields.name !== undefined ? { name: fields.name } : {}),
    ...(fields.body !== undefined ? { body: fields.body } : {}),
    ...(fields.prerelease !== undefined ? { prerelease: fields.prerelease } : {}),
    ...(fields.targetCommitish !== undefined ? { target_commitish: fields.targetCommitish } : {}),
    ...(fields.latest !== undefined ? { make_latest: fields.latest ? "true" : "false" } : {}),
  };
}

/**
 * GitHub refuses (403) to point a ref at a commit whose `.github/workflows/` differ from what the ref had, unless
 * the token has the Workflows permission — which a run's GITHUB_TOKEN never has. Say so, instead of a bare 403.
 */
export function refusedTagMove(error: unknown, tag: string): Error | undefined {
  if (status(error) !== 403) return undefined;
  const response = (error as { response?: { headers?: Record<string, string | undefined> } }).response;
  const accepted = response?.headers?.["x-accepted-github-permissions"];
  const needsWorkflows = accepted === undefined || /workflows/.test(accepted);
  return new Error(
    `GitHub refused to move tag ${tag} (403${accepted ? `, accepted permissions: ${accepted}` : ""}). ` +
      (needsWorkflows
        ? "Moving a tag across changes to .github/workflows needs a token with the Workflows permission, which the " +
          "run's GITHUB_TOKEN cannot have: pass a fine-grained token with Contents and Workflows read/write as " +
          "`github-token` (the `release-token` secret of release.yml). "
        : "") +
      "The job also needs `permissions: contents: write`.",
  );
}
