import { appendFile, mkdir, readFile, readdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { hasMarker, withMarker } from "../comment/sticky-plan.ts";
import type { Platform, DeploymentRequest, DeploymentStatusUpdate } from "../platform/platform.ts";
import { appendReportFile, writeReportFile } from "./report-files.ts";

/**
 * Platform for local runs: what GitHub would show is written as markdown under `<stateDir>/out/`:
 * `comment-<purpose>.md` per sticky comment, `comment.md` (all of them, as the PR would show them) and
 * `summary.md` (the step summaries, appended). Deployments are appended to `<stateDir>/deployments.jsonl`.
 */
export function createLocalPlatform(options: { stateDir: string; now?: () => Date }): Platform {
  const out = path.join(options.stateDir, "out");
  const now = options.now ?? (() => new Date());
  const commentFile = (purpose: string) => path.join(out, `comment-${purpose}.md`);
  const log = path.join(options.stateDir, "deployments.jsonl");
  const appendLog = async (entry: Record<string, unknown>) => {
    await mkdir(options.stateDir, { recursive: true });
    await appendFile(log, `${JSON.stringify({ at: now().toISOString(), ...entry })}\n`);
  };
  return {
    kind: "local",
    comments: {
      async read(purpose) {
        const file = commentFile(purpose);
        if (!existsSync(file)) return undefined;
        const body = await readFile(file, "utf8");
        return hasMarker(body, purpose) ? { id: purpose, url: file, body } : undefined;
      },
      async write(purpose, body) {
        await writeReportFile(commentFile(purpose), withMarker(body, purpose));
        const all = (await readdir(out)).filter((f) => /^comment-.+\.md$/.test(f)).sort();
        const joined = await Promise.all(all.map((f) => readFile(path.join(out, f), "utf8")));
        await writeReportFile(path.join(out, "comment.md"), joined.join("\n\n---\n\n"));
        return { id: purpose, url: commentFile(purpose) };
      },
    },
    deployments: {
      async create(request: DeploymentRequest) {
        // Local ids start with their environment and SHA: one of another environment is never reused.
        const reuse = request.existingId?.startsWith(`${request.environment}@${request.ref.slice(0, 12)}@`) ? request.existingId : undefined;
        const id = reuse ?? `${request.environment}@${request.ref.slice(0, 12)}@${now().getTime()}`;
        if (!reuse) await appendLog({ event: "created", id, ...request });
        return { id };
      },
      async setStatus(id: string, update: DeploymentStatusUpdate) {
        if (update.onlyIn !== undefined && !id.startsWith(`${update.onlyIn}@`)) return false;
        const { onlyIn: _onlyIn, ...status } = update;
        await appendLog({ event: "status", id, ...status });
        return true;
      },
      async deactivateAll(environment: string) {
        const entries = existsSync(log)
          ? (await readFile(log, "utf8")).split("\n").filter(Boolean).map((line) => JSON.parse(line) as { event: string; id: string; environment?: string; state?: string })
          : [];
        const ids = new Set(entries.filter((e) => e.event === "created" && e.environment === environment).map((e) => e.id));
        const last = new Map<string, string | undefined>();
        for (const e of entries) if (e.event === "status" && ids.has(e.id)) last.set(e.id, e.state);
        let count = 0;
        for (const id of ids) {
          if (last.get(id) === "inactive") continue;
          await appendLog({ event: "status", id, state: "inactive", description: "Environment torn down" });
          count++;
        }
        return count;
      },
    },
    summary: {
      async append(markdown: string) {
        await appendReportFile(path.join(out, "summary.md"), `${markdown}\n`);
      },
    },
  };
}
