/**
 * A fault campaign against actions/comment: `runs` runs of the built action through the harness, each
 * updating the same sticky comment while the GitHub stand-in faults `rate` of all calls (5xx, secondary rate
 * limits, dropped connections — including after the write happened). Used by a test and by bench/.
 */
import { startGitHubStandIn } from "../github/index.ts";
import { runActionDist } from "../harness/run-action.ts";
import { pullRequestEvent } from "./pr-event.ts";

export interface CampaignResult {
  runs: number;
  succeeded: number;
  failedRuns: number;
  calls: number;
  faulted: number;
  markedComments: number;
  duplicates: number;
  lastBodyIsLatest: boolean;
  violations: number;
  ms: number;
}

export async function commentFaultCampaign(options: { runs: number; rate: number; seed?: number }): Promise<CampaignResult> {
  const gh = await startGitHubStandIn({ seed: options.seed ?? 7 });
  const started = performance.now();
  try {
    const kinds = [502, 503, "secondary-rate-limit", "reset", "reset-after-write"] as const;
    for (const kind of kinds) gh.faults.add({ route: "*", kind, probability: options.rate / kinds.length, ...(kind === "secondary-rate-limit" ? { retryAfter: 1 } : {}) });
    let succeeded = 0;
    let lastSucceededBody = "";
    for (let i = 0; i < options.runs; i++) {
      const body = `Run ${i + 1} of ${options.runs}`;
      const run = await runActionDist({
        action: "comment",
        inputs: { body, header: "campaign" },
        event: pullRequestEvent(gh),
        github: { url: gh.url, token: gh.token },
      });
      if (run.exitCode === 0) {
        succeeded++;
        lastSucceededBody = body;
      }
    }
    const marked = [...gh.state.repo("octo/app")!.comments.values()].filter((c) => (c as { body: string }).body.includes("<!-- alchkit:sticky:campaign -->")) as Array<{ body: string }>;
    return {
      runs: options.runs,
      succeeded,
      failedRuns: options.runs - succeeded,
      calls: gh.calls.length,
      faulted: gh.calls.filter((c) => c.faulted !== undefined && c.faulted !== "latency").length,
      markedComments: marked.length,
      duplicates: Math.max(0, marked.length - 1),
      lastBodyIsLatest: marked.length === 1 && marked[0]!.body.endsWith(lastSucceededBody),
      violations: gh.violations.length,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await gh.close();
  }
}
