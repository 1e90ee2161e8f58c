/**
 * A fault campaign against preview updates: `runs` pushes to one open PR, each a new commit, while the GitHub
 * stand-in faults `rate` of all calls. The example app runs once on workerd and is reused by every run (the
 * runtime's `up` answers with the running deployment), so the campaign measures the GitHub side.
 */
import { startGitHubStandIn } from "../github/index.ts";
import { createGitHubClient } from "../../workflows-lib/github/client.ts";
import { createGitHubPlatform } from "../../workflows-lib/github/github-platform.ts";
import { runPreview } from "../../workflows-lib/preview/run-preview.ts";
import { probeHealth, systemHealthPorts } from "../../workflows-lib/health/probe.ts";
import type { Runtime } from "../../workflows-lib/platform/runtime.ts";
import type { RunningLocalApp } from "./local-app.ts";

export interface PreviewCampaignResult {
  runs: number;
  succeeded: number;
  calls: number;
  faulted: number;
  markedComments: number;
  deployments: number;
  withoutFinalStatus: number;
  violations: number;
  callsPerRun: number;
  ms: number;
}

const FINAL = new Set(["success", "failure", "error", "inactive"]);

export async function previewFaultCampaign(app: RunningLocalApp, options: { runs: number; rate: number; seed?: number }): Promise<PreviewCampaignResult> {
  const gh = await startGitHubStandIn({ seed: options.seed ?? 3 });
  const started = performance.now();
  try {
    const kinds = [502, 503, "secondary-rate-limit", "reset", "reset-after-write"] as const;
    for (const kind of kinds) gh.faults.add({ route: "*", kind, probability: options.rate / kinds.length, ...(kind === "secondary-rate-limit" ? { retryAfter: 1 } : {}) });
    const octokit = createGitHubClient({ token: gh.token, baseUrl: gh.url, timeScale: 0.002 });
    const platform = createGitHubPlatform({ octokit, owner: "octo", repo: "app", issueNumber: 1, appendSummary: async () => {}, backoffMs: 5 });
    const reused: Runtime = {
      kind: "local",
      up: async () => app.deployment,
      down: async ({ stage }) => ({ stage, leftovers: [] }),
      read: async () => app.deployment,
    };
    let succeeded = 0;
    for (let i = 0; i < options.runs; i++) {
      const sha = gh.seed.commit("octo/app", { branch: "feature/orders", message: `push ${i}`, files: { "src/n.ts": `export const n = ${i};\n` } }).sha;
      try {
        const outcome = await runPreview(
          {
            mode: "deploy",
            pr: { number: 1, headSha: sha, isFork: false, headRepo: "octo/app" },
            stage: app.stage,
            environment: `preview/${app.stage}`,
            purpose: "preview",
            links: { commit: (s) => `https://github.com/octo/app/commit/${s}`, run: `https://github.com/octo/app/actions/runs/${i}` },
            healthPath: "/health",
          },
          { runtime: reused, platform, now: () => new Date(), probe: (url) => probeHealth({ url, path: "/health", retries: 2 }, systemHealthPorts) },
        );
        if (outcome.status === "deployed") succeeded++;
      } catch {
        // A run that GitHub failed through all retries: the next push must still converge.
      }
    }
    const repo = gh.state.repo("octo/app")!;
    const marked = [...repo.comments.values()].filter((c) => (c as { body: string }).body.includes("alchkit:sticky:preview"));
    const deployments = [...repo.deployments.values()] as unknown as Array<{ statuses: Array<{ state: string }> }>;
    return {
      runs: options.runs,
      succeeded,
      calls: gh.calls.length,
      faulted: gh.calls.filter((c) => c.faulted !== undefined && c.faulted !== "latency").length,
      markedComments: marked.length,
      deployments: deployments.length,
      withoutFinalStatus: deployments.filter((d) => !FINAL.has(d.statuses.at(-1)?.state ?? "")).length,
      violations: gh.violations.length,
      callsPerRun: Math.round((10 * gh.calls.length) / options.runs) / 10,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await gh.close();
  }
}
