import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { PreviewInfo } from "../dashboard/model.ts";

interface LogLine {
  event: "created" | "status";
  id: string;
  at: string;
  environment?: string;
  ref?: string;
  state?: string;
  environmentUrl?: string;
  payload?: { pullRequest?: number };
}

/**
 * Open previews from the local platform's deployment log (`.alchkit/deployments.jsonl`): preview environments
 * whose latest status is `success` (a destroyed preview's deployments end `inactive`).
 */
export async function localOpenPreviews(stateDir: string, prefix = "preview/"): Promise<PreviewInfo[]> {
  const file = path.join(stateDir, "deployments.jsonl");
  if (!existsSync(file)) return [];
  const lines = (await readFile(file, "utf8"))
    .split("\n")
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
  const created = new Map(lines.filter((l) => l.event === "created" && l.environment?.startsWith(prefix)).map((l) => [l.id, l]));
  const latest = new Map<string, { deployment: LogLine; status: LogLine }>();
  for (const line of lines) {
    const deployment = line.event === "status" ? created.get(line.id) : undefined;
    if (deployment) latest.set(deployment.environment!, { deployment, status: line });
  }
  return [...latest.values()]
    .filter(({ status }) => status.state === "success" && status.environmentUrl)
    .map(({ deployment, status }) => {
      const number = /(\d+)$/.exec(deployment.environment!)?.[1];
      return {
        environment: deployment.environment!,
        url: status.environmentUrl!,
        ...(deployment.ref ? { sha: deployment.ref } : {}),
        since: status.at,
        ...(number ? { pullRequest: Number(number) } : {}),
      };
    })
    .sort((a, b) => a.environment.localeCompare(b.environment));
}
