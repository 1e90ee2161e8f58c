import type { GitHubClient } from "../github/client.ts";
import type { GitHubRelease } from "../feed/release.ts";
import type { ReleaseFields, ReleasePlatform, WriteResult } from "./platform.ts";

const notFound = (error: unknown): boolean => (error as { status?: number }).status === 404;

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

    async releaseByTag(tag) {
      try {
        return (await octokit.rest.repos.getReleaseByTag({ ...base, tag })).data as GitHubRelease;
      } catch (error) {
        if (notFound(error)) return undefined;
        throw error;
      }
    },

    async createRelease(fields) {
      const { data } = await octokit.rest.repos.createRelease({ ...base, ...releaseBody(fields), tag_name: fields.tag });
      return data as GitHubRelease;
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
      let current: string | undefined;
      try {
        current = (await octokit.rest.git.getRef({ ...base, ref: `tags/${tag}` })).data.object.sha;
      } catch (error) {
        if (!notFound(error)) throw error;
      }
      if (current === sha) return "unchanged";
      if (current === undefined) {
        await octokit.rest.git.createRef({ ...base, ref: `refs/tags/${tag}`, sha });
        return "created";
      }
      await octokit.rest.git.updateRef({ ...base, ref: `tags/${tag}`, sha, force: true });
      return "updated";
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
        if (notFound(error)) {
          throw new Error(
            `Branch ${branch} does not exist in ${owner}/${name}: create it once (git switch --orphan ${branch} && ` +
              `git commit --allow-empty -m "Start ${branch}" && git push origin ${branch}) or choose another branch`,
          );
        }
        throw error;
      }
      return existing ? "updated" : "created";
    },

    async putReleaseAsset(releaseId, assetName, content, contentType) {
      const assets = await octokit.paginate(octokit.rest.repos.listReleaseAssets, { ...base, release_id: releaseId, per_page: 100 });
      for (const asset of assets.filter((a) => a.name === assetName)) {
        await octokit.rest.repos.deleteReleaseAsset({ ...base, asset_id: asset.id });
      }
      const { data } = await octokit.rest.repos.uploadReleaseAsset({
        ...base,
        release_id: releaseId,
        name: assetName,
        data: content,
        headers: { "content-type": contentType, "content-length": Buffer.byteLength(content) },
      });
      return data.browser_download_url;
    },
  };

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
