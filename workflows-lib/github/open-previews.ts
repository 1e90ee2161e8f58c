import type { PreviewInfo } from "../dashboard/model.ts";
import type { GitHubClient } from "./client.ts";

/**
 * Open previews on GitHub: the newest deployment of each `preview/…` environment among the repository's recent
 * deployments, when its latest status is `success` with an environment URL (a torn-down preview is `inactive`).
 */
export async function githubOpenPreviews(
  github: GitHubClient,
  options: { owner: string; repo: string; prefix?: string; recent?: number },
): Promise<PreviewInfo[]> {
  const prefix = options.prefix ?? "preview/";
  const recent = options.recent ?? 200;
  const deployments: Array<{ id: number; environment: string; sha: string; created_at: string }> = [];
  for (let page = 1; deployments.length < recent; page++) {
    const { data } = await github.rest.repos.listDeployments({ owner: options.owner, repo: options.repo, per_page: 100, page });
    deployments.push(...data);
    if (data.length < 100) break;
  }
  const newest = new Map<string, (typeof deployments)[number]>();
  for (const deployment of deployments) {
    if (!deployment.environment.startsWith(prefix)) continue;
    const known = newest.get(deployment.environment);
    if (!known || deployment.id > known.id) newest.set(deployment.environment, deployment);
  }
  const previews: PreviewInfo[] = [];
  for (const deployment of newest.values()) {
    const { data } = await github.rest.repos.listDeploymentStatuses({ owner: options.owner, repo: options.repo, deployment_id: deployment.id, per_page: 1 });
    const status = data[0];
    if (status?.state !== "success" || !status.environment_url) continue;
    const number = /(\d+)$/.exec(deployment.environment)?.[1];
    previews.push({
      environment: deployment.environment,
      url: status.environment_url,
      sha: deployment.sha,
      since: status.created_at,
      ...(number ? { pullRequest: Number(number) } : {}),
    });
  }
  return previews.sort((a, b) => a.environment.localeCompare(b.environment));
}
