import { existsSync } from "node:fs";
import { cp, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { createLocalRuntime } from "../../alchemy/local-runtime.ts";
import { readDevRecord } from "../../alchemy/dev-record.ts";
import { isListening } from "../../alchemy/process-group.ts";
import { errorMessage, GateFailure, InputError } from "../../errors.ts";
import { feedFromSource, type ReleaseSource } from "../../feed/collect.ts";
import { parseReleases, repositoryFromRelease, type FeedRepository } from "../../feed/release.ts";
import { writeFeedFiles } from "../../feed/write-feed-files.ts";
import { probeHealth, systemHealthPorts } from "../../health/probe.ts";
import { autocannonEngine } from "../../loadgate/engines/index.ts";
import { loadGateJob } from "../../loadgate/job.ts";
import { loadBudgets, loadScenario, loadThresholds } from "../../loadgate/inputs.ts";
import { createLocalPlatform } from "../../local/local-platform.ts";
import { createWorktreeSource } from "../../local/worktree-source.ts";
import { createGitCli } from "../../local/matrix-git.ts";
import { readWorkspace } from "../../matrix/adapters/workspace-reader.ts";
import { computeMatrix } from "../../matrix/compute-matrix.ts";
import { planMarkdown } from "../../matrix/summarize.ts";
import { createNodeGeneratePorts } from "../../openapi/adapters/node-ports.ts";
import { generateSpec, type SpecSource } from "../../openapi/generate.ts";
import { checkOpenAPI, type OpenAPICheckResult } from "../../openapi/pr-check.ts";
import type { Platform } from "../../platform/platform.ts";
import { runPreview } from "../../preview/run-preview.ts";
import { stopLocalStage } from "../../alchemy/promotion-deployer.ts";
import type { ApprovalPort } from "../../promote/ports.ts";
import { promotionOptions } from "../../promote/promote-inputs.ts";
import { runPromotion, type PromotionRequest, type PromotionResult } from "../../promote/run-promotion.ts";
import { renderPromotionSummary } from "../../promote/summary.ts";
import { localPromotionPorts } from "../../wiring/promotion-ports.ts";
import { localRollout, type LocalRollout } from "../../wiring/local-rollout.ts";
import { candidateTag } from "../../wiring/rollout-ports.ts";
import { deliver } from "../../rollout/deliver.ts";
import { planRollout } from "../../rollout/plan-rollout.ts";
import { renderRollout } from "../../rollout/rollout-report.ts";
import { blocks, details, heading, shortSha } from "../../report/markdown.ts";
import { buildDashboard, dashboardHorizon } from "../../dashboard/model.ts";
import { renderDashboardHtml } from "../../dashboard/render-html.ts";
import { chartAssets } from "../../local/bundled-assets.ts";
import { writeDashboardFiles } from "../../local/dashboard-files.ts";
import { writeReportFile } from "../../local/report-files.ts";
import { localDashboardSources } from "../../wiring/dashboard-ports.ts";
import { createDemoRepo, writeBreakingVariant, type DemoRepo } from "./demo-repo.ts";
import { readLocalTags, releasesFromTags, repositoryFromRemote } from "./tag-releases.ts";
import {
  demoSucceeded,
  formatNote,
  formatStepEnd,
  formatStepStart,
  formatTimeline,
  timelineMarkdown,
  type StepResult,
  type TimelineEntry,
  type TimelineStyle,
} from "./timeline.ts";

/** Environments of the demo and the Alchemy stage each runs as. */
const STAGES = "staging=staging,production=prod";
/** The stage PR #1's canary runs as beside production's. */
const CANARY_STAGE = "prod-canary";
const PROMOTION_STAGES = ["staging", "prod", CANARY_STAGE];
/** The demo's canary: 10 % for 20 s, the candidate's and production's /health measured side by side every 5 s. */
const CANARY = { strategy: "canary", traffic: 10, duration: "20s", interval: "5s", settle: "0s", path: "/health", requests: 40, connections: 2 };
/** Requests sent through the split as users' traffic while the candidate has its share. */
const CANARY_TRAFFIC = 400;
/** The files the demo writes into `<cwd>/.alchkit/out/` (replaced on every run; nothing else there is touched). */
export const DEMO_OUTPUTS = ["comment.md", "summary.md", "comment-preview.md", "comment-load-gate.md", "comment-openapi.md", "blocked-pr", "load-gate", "feed", "dashboard", "index.html", "assets"];
const BUNDLED_RELEASES = new URL("./releases.json", import.meta.url);

export interface DemoOptions {
  /** The repository the demo runs in: its tags feed the release feeds, `.alchkit/out/` gets the markdown. */
  cwd: string;
  /** The example app (copied, never modified). */
  appDir: string;
  /** Installed dependencies the copy links to. */
  nodeModules: string;
  /** Stage of the pull request's preview, e.g. pr-1. */
  previewStage: string;
  /** Base environment for Alchemy (PATH, HOME …); Cloudflare credentials are replaced by placeholders. */
  env: NodeJS.ProcessEnv;
  /** Asks before promoting to production; absent: approved without asking (--yes, CI). */
  approval?: ApprovalPort;
  /** How the promotion gets approved, shown in the timeline. */
  approvalNote: string;
  style: TimelineStyle;
  write: (text: string) => void;
  /** Settles when the user interrupts (Ctrl-C); the demo then stops where it is and cleans up. */
  interrupted?: Promise<string>;
}

export interface DemoOutcome {
  entries: TimelineEntry[];
  totalMs: number;
  /** Every step behaved as designed. */
  ok: boolean;
  interrupted?: string;
  /** Where comment.md and summary.md were written. */
  outDir: string;
  /** Ports the demo's apps listened on; all closed when it returns. */
  ports: number[];
}

interface StepReport {
  result: StepResult;
  detail: string;
}

interface Step {
  title: string;
  run(): Promise<StepReport>;
}

/** What the steps share. */
interface Shared {
  repo?: DemoRepo;
  platform?: Platform;
  previewUrl?: string;
  production?: "live" | "declined";
  /** What production serves after the promotion. */
  live?: { sha: string; url: string };
  ports: Set<number>;
}

const ok = (detail: string): StepReport => ({ result: "ok", detail });
const expected = (detail: string): StepReport => ({ result: "expected", detail });
const skipped = (detail: string): StepReport => ({ result: "skipped", detail });
const failed = (detail: string): StepReport => ({ result: "failed", detail });

/**
 * The kit's whole pipeline on the example app, in one process, with the same use-cases the actions and the
 * CLI run: matrix → preview on workerd → load gate → OpenAPI check (and a blocked PR) → deploy staging →
 * promote to production → a bad deploy rolled back automatically → feeds. Every process it starts is
 * stopped before it returns, also after a failure or an interruption.
 */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const started = Date.now();
  const outDir = path.join(options.cwd, ".alchkit", "out");
  const shared: Shared = { ports: new Set() };
  const env: NodeJS.ProcessEnv = { ...options.env, DO_NOT_TRACK: "1", ALCHEMY_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" };
  const note = (text: string) => options.write(formatNote(text, options.style));
  const repo = () => shared.repo!;
  const platform = () => shared.platform!;

  const promotionPorts = (approval?: ApprovalPort) =>
    localPromotionPorts({
      root: repo().root,
      appDir: ".",
      healthPath: "/health",
      // A failing /health answers at once: two retries with backoff are enough to call it, and keep the demo short.
      healthRetries: 2,
      healthDeadlineMs: 20_000,
      envFileOptional: false,
      env,
      log: (line) => note(line),
      ...(approval ? { approval } : {}),
    });
  const promotionSettings = promotionOptions(
    { stages: STAGES, envFiles: "env/{environment}.env", appDir: ".", autoRollback: true, requiredChecks: [], ignoreChecks: [] },
    "stages",
  );
  const promote = async (request: PromotionRequest, approval?: ApprovalPort): Promise<PromotionResult> => {
    const result = await runPromotion(request, promotionSettings, promotionPorts(approval));
    for (const url of [result.url, result.rollback?.url]) if (url) shared.ports.add(Number(new URL(url).port));
    await platform().summary.append(renderPromotionSummary(result));
    return result;
  };

  const steps: Step[] = [
    {
      title: "Copy the example app into a temporary git repository",
      async run() {
        shared.repo = await createDemoRepo(options.appDir, options.nodeModules);
        shared.platform = createLocalPlatform({ stateDir: path.join(repo().root, ".alchkit") });
        note(`working copy: ${repo().root}`);
        note(`main ${shortSha(repo().base)} "Orders API with live checkout in production"`);
        note(`PR #1 ${shortSha(repo().head)} "Simplify the production settings" (drops PAYMENT_PROVIDER_URL from env/production.env)`);
        return ok("2 commits: main and pull request #1; node_modules linked, nothing installed");
      },
    },
    {
      title: "CI matrix for PR #1",
      async run() {
        // The pull request's own change, as the CI workflow plans it: which of the repository's packages it touches.
        const git = createGitCli(repo().root);
        try {
          const result = await computeMatrix(
            { git, readWorkspace: () => readWorkspace(repo().root, repo().root, "cwd") },
            { range: { kind: "compare", base: repo().base, head: repo().head } },
          );
          await platform().summary.append(planMarkdown(result));
          const names = result.matrix.include.map((entry) => entry.name).join(", ");
          const why = result.all ? `every package, because of ${result.affected.allReasons.join(", ")}` : names || "no package affected";
          return ok(
            `main..PR #1 changed ${result.changes.files.length} file(s) (${result.changes.files.join(", ")}): ${result.count} of ${result.workspace.packages.length} package(s) selected (${why}), ${result.jobs} job(s)`,
          );
        } catch (error) {
          if (error instanceof InputError) return skipped(`no workspace to plan: ${error.message}`);
          throw error;
        }
      },
    },
    {
      title: `Preview of PR #1 on workerd (stage ${options.previewStage})`,
      async run() {
        const runtime = createLocalRuntime({ cwd: repo().root, env, stateDir: path.join(repo().root, ".alchkit") });
        const outcome = await runPreview(
          {
            mode: "deploy",
            pr: { number: 1, headSha: repo().head, isFork: false, headRepo: "" },
            stage: options.previewStage,
            environment: `preview/${options.previewStage}`,
            purpose: "preview",
            links: { commit: () => undefined },
            up: { envFile: "env/staging.env", vars: { BUILD_ID: repo().head } },
            healthPath: "/health",
          },
          {
            runtime,
            platform: platform(),
            now: () => new Date(),
            probe: (url) => probeHealth({ url, path: "/health", retries: 5, deadlineMs: 30_000 }, systemHealthPorts),
          },
        );
        if (outcome.url) shared.ports.add(Number(new URL(outcome.url).port));
        if (outcome.status !== "deployed") return failed(outcome.failure ?? `preview ${outcome.status}`);
        shared.previewUrl = outcome.url;
        return ok(`${outcome.url} answers /health 200; the sticky comment has the URL and the deployment`);
      },
    },
    {
      title: "Load gate on the preview (autocannon, k6 thresholds)",
      async run() {
        if (!shared.previewUrl) return skipped("no preview to load");
        const at = (file: string) => path.join(repo().root, "load", file);
        const scenario = await loadScenario(at("scenario.json"), "load/scenario.json", {});
        const { specs } = await loadThresholds(at("thresholds.json"), "load/thresholds.json");
        const job = await loadGateJob(
          {
            engine: autocannonEngine(shared.previewUrl, scenario, specs),
            thresholds: specs,
            budgets: await loadBudgets(undefined, "budgets"),
            zeroSamples: "fail",
            target: shared.previewUrl,
            saveBaseline: false,
            commit: { sha: repo().head, ref: "refs/pull/1/head" },
            now: () => new Date(),
          },
          {
            async writeFiles(files) {
              const dir = path.join(repo().root, ".alchkit", "out", "load-gate");
              await mkdir(dir, { recursive: true });
              await writeFile(path.join(dir, "result.json"), `${JSON.stringify(files.result, null, 2)}\n`);
              await writeFile(path.join(dir, "report.md"), `${files.report}\n`);
            },
            async publish(report) {
              await platform().comments.write("load-gate", report);
              await platform().summary.append(report);
            },
            log: note,
          },
        );
        const passed = job.gate.thresholds.filter((t) => t.ok).length;
        const requests = job.run.summary.metrics.http_reqs?.values.count ?? 0;
        const p95 = job.run.summary.metrics.http_req_duration?.values["p(95)"];
        const figures = `${requests} requests, p(95) ${p95 === undefined ? "n/a" : `${p95.toFixed(1)} ms`}, ${passed}/${job.gate.thresholds.length} thresholds met`;
        return job.gate.passed ? ok(figures) : failed(`the load gate failed: ${figures}`);
      },
    },
    {
      title: "OpenAPI check of PR #1 against main",
      async run() {
        const base = await createWorktreeSource({ root: repo().root, appDirs: ["."] }).checkout(repo().base);
        const result = await openapiCheck(repo(), path.join(base, "src", "app.ts"), path.join(repo().root, "src", "app.ts"), env, repo().head);
        await platform().comments.write("openapi", result.markdown);
        await platform().summary.append(result.markdown);
        const counts = `${result.counts.error} error, ${result.counts.warning} warning, ${result.counts.info} info change(s)`;
        return result.gate === "passed" ? ok(`passed: ${counts}; the API contract is unchanged`) : failed(`expected PR #1 to pass: ${result.reason}`);
      },
    },
    {
      title: "What a blocked PR looks like: the breaking variant",
      async run() {
        const base = await createWorktreeSource({ root: repo().root, appDirs: ["."] }).checkout(repo().base);
        const breaking = await writeBreakingVariant(repo());
        const result = await openapiCheck(repo(), path.join(base, "src", "app.ts"), breaking, env);
        // A pull request of its own: its comment goes to blocked-pr/comment.md, not into PR #1's.
        const other = createLocalPlatform({ stateDir: path.join(repo().root, ".alchkit", "blocked-pr") });
        await other.comments.write("openapi", result.markdown);
        await platform().summary.append(blocks(heading(2, "A pull request with a breaking API change"), result.markdown));
        if (result.gate !== "failed") return failed(`expected the breaking variant to be blocked: ${result.reason}`);
        const ids = [...new Set(result.diff?.changes.filter((c) => c.level === "error").map((c) => c.id))].join(", ");
        return expected(`blocked: ${result.breaking} breaking change(s) (${ids}); merging needs the label "api-breaking-ok"`);
      },
    },
    {
      title: "Preview stopped; main deployed to staging",
      async run() {
        await stopLocalStage(repo().root, options.previewStage, env);
        const result = await promote({ operation: "deploy", environment: "staging", ref: repo().base, names: NAMES });
        if (result.outcome !== "deployed") return failed(`staging: ${result.error ?? result.outcome}`);
        return ok(`preview ${options.previewStage} stopped; ${shortSha(result.plan.sha)} live on staging at ${result.url}`);
      },
    },
    {
      title: "Promote staging to production (approval)",
      async run() {
        note(options.approvalNote);
        try {
          const result = await promote({ operation: "promote", from: "staging", environment: "production", names: NAMES }, options.approval);
          if (result.outcome !== "deployed") return failed(`production: ${result.error ?? result.outcome}`);
          shared.production = "live";
          shared.live = { sha: result.plan.sha, url: result.url! };
          return ok(`${shortSha(result.plan.sha)} live and healthy on production at ${result.url}`);
        } catch (error) {
          if (!(error instanceof GateFailure) || !/^Not approved/.test(error.message)) throw error;
          shared.production = "declined";
          return skipped(`${error.message} (you declined)`);
        }
      },
    },
    {
      title: "PR #1 as a canary on production (10 %): its error rate breaches, production takes all traffic back",
      async run() {
        if (shared.production !== "live" || !shared.live) return skipped("production was not promoted, so there is no stable version to run a canary beside");
        const plan = planRollout(CANARY, "the demo's canary")!;
        const rollout = await localRollout({
          root: repo().root,
          appDir: ".",
          env,
          script: "api",
          stable: shared.live,
          candidate: { sha: repo().head, stage: CANARY_STAGE, environment: "production", envFile: "env/production.env" },
          log: note,
        });
        try {
          let share = "";
          const delivery = await deliver(plan, { environment: "production", sha: repo().head }, {
            ...rollout.ports,
            events: {
              async stepStarted(step) {
                if (step.traffic <= 0 || step.traffic >= 100) return;
                const served = await usersTraffic(rollout, candidateTag(repo().head), CANARY_TRAFFIC);
                share = `; of ${CANARY_TRAFFIC} users' requests at ${step.traffic} % the candidate served ${served} (${((served / CANARY_TRAFFIC) * 100).toFixed(1)} %)`;
              },
            },
          });
          const { target, result } = delivery;
          await platform().summary.append(
            blocks(heading(2, `Canary: ${shortSha(target.sha)} on production (local split)`), renderRollout(plan, result, { candidate: target.candidate, stable: target.stable })),
          );
          if (result.outcome !== "aborted" || !result.abort || result.abort.restoredAt === undefined) {
            return failed(`expected the canary of ${shortSha(target.sha)} to be aborted at 10 %; outcome: ${result.outcome}${result.abort?.restoreError ? ` (${result.abort.restoreError})` : ""}`);
          }
          const after = await usersTraffic(rollout, target.candidate, 50);
          const version = await fetch(new URL("/version", rollout.url)).then((r) => r.json() as Promise<{ build?: string }>);
          if (after !== 0 || version.build !== shared.live.sha) return failed(`after the abort the candidate still served ${after} of 50 requests; /version answers ${version.build}`);
          const restored = result.abort.restoredAt - result.abort.detectedAt;
          return expected(
            `aborted at ${result.abort.traffic} %: ${result.abort.reason}; ${shortSha(shared.live.sha)} serves 100 % again ${restored} ms after the breach, /version answers ${shortSha(version.build)}${share}`,
          );
        } finally {
          await rollout.close();
        }
      },
    },
    {
      title: "PR #1 merged and deployed to production: health fails, automatic rollback",
      async run() {
        if (shared.production !== "live") return skipped("production was not promoted, so there is nothing to roll back to");
        const result = await promote({ operation: "deploy", environment: "production", ref: repo().head, names: NAMES });
        if (result.outcome !== "rolled-back" || !result.rollback?.url) {
          return failed(`expected ${shortSha(repo().head)} to fail on production and be rolled back; outcome: ${result.outcome}${result.error ? ` (${result.error})` : ""}`);
        }
        const version = await fetch(new URL("/version", result.rollback.url)).then((r) => r.json() as Promise<{ build?: string }>);
        if (version.build !== result.rollback.sha) return failed(`production answers build ${version.build} after the rollback, not ${shortSha(result.rollback.sha)}`);
        return expected(
          `${shortSha(result.plan.sha)} failed on production (${result.error}); rolled back to ${shortSha(result.rollback.sha)} in ${((result.durations.rollback ?? 0) / 1000).toFixed(1)} s, /version answers ${shortSha(version.build)}`,
        );
      },
    },
    {
      title: "Release feeds from this repository's tags",
      async run() {
        const { source, origin } = await releaseSource(options.cwd);
        const collected = await feedFromSource(source, {});
        await writeFeedFiles(path.join(repo().root, ".alchkit", "out", "feed"), collected.files);
        const entries = collected.feed.entries;
        await platform().summary.append(
          blocks(
            heading(2, `Release feeds: ${entries.length} entries`),
            `From ${origin}. Files: \`feed/rss.xml\` (RSS 2.0), \`feed/atom.xml\` (Atom 1.0), \`feed/feed.json\` (JSON Feed 1.1).`,
            entries.length > 0 ? details("Entries, newest first", entries.map((e) => `- ${e.title}`).join("\n")) : undefined,
          ),
        );
        return ok(`${entries.length} entries from ${origin}: rss.xml, atom.xml, feed.json`);
      },
    },
  ];

  const entries: TimelineEntry[] = [];
  let interrupted: string | undefined;
  // The step still running when the user interrupts: it is given a moment to settle after its apps are stopped.
  let running: Promise<unknown> = Promise.resolve();
  const stop = options.interrupted?.then((signal) => {
    interrupted = signal;
    return signal;
  });
  try {
    for (const [i, step] of steps.entries()) {
      if (interrupted) break;
      const start = Date.now();
      const begin = formatStepStart(i + 1, steps.length, step.title, options.style);
      if (begin) options.write(begin);
      let report: StepReport;
      try {
        const work = step.run();
        running = work.catch(() => undefined);
        const outcome = await (stop ? Promise.race([work, stop.then((signal) => ({ interrupt: signal }))]) : work);
        report = "interrupt" in outcome ? failed(`interrupted by ${outcome.interrupt}`) : outcome;
      } catch (error) {
        report = failed(errorMessage(error));
      }
      const entry: TimelineEntry = { index: i + 1, total: steps.length, title: step.title, startedAt: start - started, durationMs: Date.now() - start, ...report };
      entries.push(entry);
      options.write(formatStepEnd(entry, options.style));
      // Without the temporary repository nothing later can run.
      if (!shared.repo) break;
    }
  } finally {
    await cleanUp(shared, options, env, outDir, entries, started, note, interrupted ? running : undefined);
  }
  const totalMs = Date.now() - started;
  options.write(formatTimeline(entries, totalMs, options.style));
  return {
    entries,
    totalMs,
    ok: !interrupted && entries.length === steps.length && demoSucceeded(entries),
    ...(interrupted ? { interrupted } : {}),
    outDir,
    ports: [...shared.ports],
  };
}

const NAMES = { environment: "environment", from: "from", ref: "sha" };

/** Sends `count` requests through the split, four at a time, as users would; returns how many `version` served. */
async function usersTraffic(rollout: LocalRollout, version: string, count: number): Promise<number> {
  const before = rollout.splitter.served()[version] ?? 0;
  let sent = 0;
  const user = async () => {
    while (sent < count) {
      sent += 1;
      await fetch(new URL("/version", rollout.url)).then((r) => r.arrayBuffer());
    }
  };
  await Promise.all(Array.from({ length: 4 }, user));
  return (rollout.splitter.served()[version] ?? 0) - before;
}

/** The OpenAPI gate of a pull request; `headSha` when the pull request is a commit of the repository. */
function openapiCheck(repo: DemoRepo, base: string, head: string, env: NodeJS.ProcessEnv, headSha?: string): Promise<OpenAPICheckResult> {
  const ports = createNodeGeneratePorts({ cwd: repo.root, env });
  const generate = (source: SpecSource) => generateSpec(source, {}, ports);
  return checkOpenAPI(
    {
      head: { kind: "module", path: head },
      base: { kind: "module", path: base },
      failOn: "error",
      overrideLabel: "api-breaking-ok",
      labels: [],
      ignore: [],
      ...(headSha ? { headSha } : {}),
      baseSha: repo.base,
    },
    { generateHead: generate, generateBase: generate },
  );
}

/**
 * Releases for the feeds: one per local tag of the repository the demo runs in, or — when it has none — the
 * small releases file shipped with the demo. `origin` says which, for the timeline.
 */
async function releaseSource(cwd: string): Promise<{ source: ReleaseSource; origin: string }> {
  const local = await readLocalTags(cwd);
  if (local && local.tags.length > 0) {
    const repository: FeedRepository = repositoryFromRemote(local.remote) ?? { owner: "alchkit", name: "alchkit", htmlUrl: "https://github.com/alchkit/alchkit" };
    const releases = releasesFromTags(local.tags, repository);
    return {
      source: { repository: async () => repository, listReleases: async () => ({ releases, pages: 0 }) },
      origin: `${local.tags.length} local git tag(s)`,
    };
  }
  const releases = parseReleases(JSON.parse(await readFile(BUNDLED_RELEASES, "utf8")), "releases.json");
  const repository = repositoryFromRelease(releases[0]!, "releases.json");
  return {
    source: { repository: async () => repository, listReleases: async () => ({ releases, pages: 0 }) },
    origin: `the bundled releases file (${local ? "this repository has no tags" : "not a git repository"})`,
  };
}

/**
 * Copies what GitHub would show into `<cwd>/.alchkit/out/`, stops every stage the demo started (and checks
 * their ports are closed), and removes the temporary repository. Runs after success, failure and Ctrl-C.
 */
async function cleanUp(
  shared: Shared,
  options: DemoOptions,
  env: NodeJS.ProcessEnv,
  outDir: string,
  entries: TimelineEntry[],
  started: number,
  note: (text: string) => void,
  interruptedStep?: Promise<unknown>,
): Promise<void> {
  const repo = shared.repo;
  if (!repo) return;
  const stateDir = path.join(repo.root, ".alchkit");
  const stopAll = async () => {
    for (const stage of [options.previewStage, ...PROMOTION_STAGES]) {
      const record = readDevRecord(stateDir, stage);
      if (record) shared.ports.add(record.port);
      await stopLocalStage(repo.root, stage, env).catch((error) => note(`stopping ${stage}: ${errorMessage(error)}`));
    }
  };
  if (interruptedStep) {
    // An interrupted step may be starting an app: stop what runs, let the step notice and settle, stop again.
    await stopAll();
    await Promise.race([interruptedStep, new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
  }
  try {
    await publishOutputs(stateDir, outDir, entries, Date.now() - started, repo.root);
  } catch (error) {
    note(`could not write ${outDir}: ${errorMessage(error)}`);
  }
  await stopAll();
  for (const port of shared.ports) {
    if (await isListening(port)) note(`port ${port} is still listening after the demo stopped its apps`);
  }
  await repo.remove();
}

async function publishOutputs(stateDir: string, outDir: string, entries: TimelineEntry[], totalMs: number, root: string): Promise<void> {
  const from = path.join(stateDir, "out");
  await mkdir(outDir, { recursive: true });
  const ignore = path.join(outDir, "..", ".gitignore");
  if (!existsSync(ignore)) await writeFile(ignore, "# alchkit's local state (ledger, worktrees, dev processes, reports)\n*\n");
  for (const name of DEMO_OUTPUTS) await rm(path.join(outDir, name), { recursive: true, force: true });
  if (existsSync(from)) {
    for (const name of await readdir(from)) {
      if (name === "summary.md") continue;
      await cp(path.join(from, name), path.join(outDir, name), { recursive: true });
    }
  }
  const blocked = path.join(stateDir, "blocked-pr", "out", "comment.md");
  if (existsSync(blocked)) {
    await mkdir(path.join(outDir, "blocked-pr"), { recursive: true });
    await cp(blocked, path.join(outDir, "blocked-pr", "comment.md"));
  }
  const steps = existsSync(path.join(from, "summary.md")) ? await readFile(path.join(from, "summary.md"), "utf8") : "";
  await writeReportFile(path.join(outDir, "summary.md"), `${blocks(timelineMarkdown(entries, totalMs), steps)}\n`);
  // The delivery dashboard of the demo's own ledger (its staging, production, the rollback).
  const sources = localDashboardSources(root);
  const now = Date.now();
  const model = await buildDashboard(
    { entries: await sources.entries(dashboardHorizon({ now })), now, production: ["production"], repository: "alchkit demo", source: "local" },
    sources.ports,
  );
  await writeDashboardFiles(path.join(outDir, "dashboard"), renderDashboardHtml(model, await chartAssets()), model);
}
