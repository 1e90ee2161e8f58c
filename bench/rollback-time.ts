// Time from a failed health check to a restored production, locally: the example app on workerd, the file
// ledger, a real git repository. Side by side in one run with the manual recovery a user of plain Alchemy
// does (check the good commit out afresh, start it again), and against the targets (≤ 30 s; roadmap < 5 min).
// Usage: node_modules/.bin/node bench/rollback-time.ts [runs]
import { execFileSync } from "node:child_process";
import { symlinkSync } from "node:fs";
import path from "node:path";
import { createLocalRuntime } from "../workflows-lib/alchemy/local-runtime.ts";
import { localPromotionPorts } from "../workflows-lib/wiring/promotion-ports.ts";
import { runPromotion } from "../workflows-lib/promote/run-promotion.ts";
import { consumerRepoOptions, createConsumerRepo, versionAt } from "../test/e2e/promote/consumer-repo.ts";

const runs = Number(process.argv[2] ?? 3);
const repo = createConsumerRepo();
const options = consumerRepoOptions;
const ports = localPromotionPorts({
  root: repo.root,
  appDir: ".",
  healthPath: "/health",
  healthRetries: 2,
  healthDeadlineMs: 5_000,
  envFileOptional: false,
  env: repo.env,
  log: () => {},
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

try {
  const first = await runPromotion({ operation: "deploy", environment: "production", ref: repo.A }, options, ports);
  if (first.outcome !== "deployed") throw new Error(`could not deploy A: ${first.error}`);

  const ours: number[] = [];
  const detection: number[] = [];
  for (let i = 0; i < runs; i++) {
    const result = await runPromotion({ operation: "deploy", environment: "production", ref: repo.B }, options, ports);
    if (result.outcome !== "rolled-back") throw new Error(`expected a rollback, got ${result.outcome}`);
    const failed = result.timeline.find((event) => event.what.startsWith("health check failed"))!.at;
    const restored = result.timeline.find((event) => event.what.includes("is live again"))!.at;
    if ((await versionAt(result.rollback!.url!)) !== repo.A) throw new Error("production does not answer with A");
    ours.push(restored - failed);
    detection.push(result.durations.health ?? 0);
  }

  // The peer: what a user does by hand with plain Alchemy — check the good commit out, start it again.
  const peer: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const dir = path.join(repo.root, ".alchkit", `manual-${i}`);
    execFileSync("git", ["worktree", "add", "--detach", "--quiet", dir, repo.A], { cwd: repo.root });
    symlinkSync(path.join(repo.root, "node_modules"), path.join(dir, "node_modules"), "dir");
    const runtime = createLocalRuntime({ cwd: dir, env: repo.env, stateDir: path.join(repo.root, ".alchkit") });
    await runtime.stop("prod");
    const app = await runtime.start({ stage: "prod", envFile: "env/production.env", vars: { BUILD_ID: repo.A } });
    await fetch(new URL("health", app.deployment.urls.api!));
    peer.push(performance.now() - started);
  }

  const ourMedian = median(ours);
  const peerMedian = median(peer);
  console.log(`command: node_modules/.bin/node bench/rollback-time.ts ${runs}   (node ${process.version}, ${runs} runs each)`);
  console.log(`health probe until the failure was known (2 retries): median ${seconds(median(detection))}`);
  console.log(`alchkit automatic rollback, failed health check → production restored: median ${seconds(ourMedian)} (runs: ${ours.map(seconds).join(", ")})`);
  console.log(`manual recovery with plain Alchemy (fresh checkout of the good SHA + alchemy dev): median ${seconds(peerMedian)} (runs: ${peer.map(seconds).join(", ")})`);
  console.log(`ratio: ${(ourMedian / peerMedian).toFixed(2)}× the manual recovery (and no human in the loop)`);
  console.log(`target ≤ 30 s: ${ourMedian <= 30_000 ? "met" : "MISSED"} (${(ourMedian / 30_000).toFixed(2)}× the budget); roadmap < 5 min: ${(ourMedian / 300_000).toFixed(3)}× the budget`);
} finally {
  await repo.close();
}
