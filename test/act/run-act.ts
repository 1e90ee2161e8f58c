/**
 * Runs a workflow of a consumer repository with act on the host (no Docker), offline:
 *
 * - jobs run on this machine (`-P ubuntu-latest=-self-hosted`), each in its own folder under the run's
 *   folder; `HOME`, the action cache, the tool cache, the artifact server and the cache server are this
 *   environment's own temp folders, the artifact server's port a free one;
 * - `alchkit/alchkit@<ref>` is the kit's working tree and every third-party action an offline equivalent
 *   (test/act/actions/, see local-repositories.ts), through `--local-repository`; `--no-skip-checkout` makes
 *   checkouts real clones of the consumer's bare repository (the test HOME's git configuration sends
 *   `https://github.com/` there);
 * - GitHub is the stand-in (`GITHUB_API_URL`, its token as `secrets.GITHUB_TOKEN`);
 * - an observer job added to the caller records `toJSON(needs)`: every caller job's result and the outputs of
 *   the reusable workflows it called; act's JSON log gives every inner job's result;
 * - processes a run leaves (a detached local app) are stopped before the next run and when the environment
 *   closes, like the runner's orphan-process cleanup (see orphans.ts).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { reserveFreePort } from "../../workflows-lib/alchemy/process-group.ts";
import type { GitHubStandIn } from "../github/index.ts";
import { localRepositories } from "./local-repositories.ts";
import { stopOrphans } from "./orphans.ts";

export const OBSERVER_JOB = "alchkit-act-observer";

export interface ActEnvironment {
  root: string;
  /** HOME of every run: git configuration, npm's cache, Alchemy's profiles. */
  home: string;
  /** Bare repositories, `<remotes>/<owner>/<name>.git`, behind `https://github.com/<owner>/<name>`. */
  remotes: string;
  act: string;
  /** Stops what the last run left running. */
  endJobs(): Promise<void>;
  close(): Promise<void>;
}

/** One environment per test file: the kit's copy and the equivalents are made once and shared by its runs. */
export function createActEnvironment(act: string, kitRefs: readonly string[] = ["v1", "main"]): ActEnvironment {
  const root = mkdtempSync(path.join(tmpdir(), "alchkit-act-"));
  const home = path.join(root, "home");
  const remotes = path.join(root, "remotes");
  mkdirSync(home);
  mkdirSync(remotes);
  writeFileSync(
    path.join(home, ".gitconfig"),
    [
      "[user]\n\tname = github-actions[bot]\n\temail = 41898282+github-actions[bot]@users.noreply.github.com",
      `[url "file://${remotes}/"]\n\tinsteadOf = https://github.com/`,
      "[init]\n\tdefaultBranch = main",
      "[advice]\n\tdetachedHead = false",
      "",
    ].join("\n"),
  );
  const repositories = localRepositories(path.join(root, "uses"), kitRefs);
  let pending: { trackingId: string; dir: string } | undefined;
  const env: ActEnvironment = {
    root,
    home,
    remotes,
    act,
    async endJobs() {
      if (!pending) return;
      const { trackingId, dir } = pending;
      pending = undefined;
      await stopOrphans(trackingId, dir);
      rmSync(dir, { recursive: true, force: true });
    },
    async close() {
      await env.endJobs();
      rmSync(root, { recursive: true, force: true });
    },
  };
  runState.set(env, { repositories, started: (run) => (pending = run), count: 0 });
  return env;
}

const runState = new WeakMap<ActEnvironment, { repositories: string[]; started(run: { trackingId: string; dir: string }): void; count: number }>();

export interface ActRunOptions {
  /** The consumer's working copy: act reads the repository (name, HEAD) from it. */
  workdir: string;
  /** The caller workflow file to run, e.g. `.github/workflows/preview.yml` (relative to workdir). */
  workflow: string;
  event: { name: string; payload: Record<string, unknown> };
  github: GitHubStandIn;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** More environment for every job (a runner's own settings, e.g. CLOUDFLARE_BASE_URL for the Cloudflare stand-in). */
  env?: Record<string, string>;
  /** Rewrites the caller's reusable workflow references, e.g. to a planted-defect copy of a kit workflow. */
  rewriteUses?: (uses: string) => string;
  timeoutMs?: number;
}

export interface JobRecord {
  /** act's job id (the id inside its own workflow). */
  id: string;
  /**
   * Where the job sits: `<caller job>` for the caller's own jobs, `<caller job>/<job name>` for a job of a
   * reusable workflow (a matrix job's name ends with `-<n>`).
   */
  path: string;
  result: "success" | "failure" | "skipped" | "cancelled" | string;
}

export interface ActRun {
  exitCode: number | null;
  /** Every job act finished, by id (matrix jobs repeat their id). */
  jobs: JobRecord[];
  /** Caller jobs as the observer saw them: `{ result, outputs }` each. */
  needs: Record<string, { result: string; outputs: Record<string, string> | null }>;
  /** Step outputs act logged, `<job id>/<step id>/<name>` → value. */
  stepOutputs: Record<string, string>;
  /** The job logs' text, one line per log entry, prefixed with the job id. */
  log: string;
  /** Names of the artifacts the run uploaded (act's artifact server, this run's id). */
  artifacts: string[];
  durationMs: number;
}

/** The caller with an observer job that needs every caller job and writes `toJSON(needs)` to a file. */
function observedCaller(text: string, rewriteUses?: (uses: string) => string): { text: string; jobs: string[] } {
  const workflow = parse(text) as { jobs: Record<string, { uses?: string }> };
  const jobs = Object.keys(workflow.jobs);
  if (rewriteUses) for (const job of Object.values(workflow.jobs)) if (job.uses) job.uses = rewriteUses(job.uses);
  workflow.jobs[OBSERVER_JOB] = {
    needs: Object.keys(workflow.jobs),
    if: "always()",
    "runs-on": "ubuntu-latest",
    steps: [{ env: { NEEDS: "${{ toJSON(needs) }}" }, run: 'printf "%s" "$NEEDS" > "$ALCHKIT_ACT_OBSERVED"' }],
  } as never;
  return { text: stringify(workflow, { lineWidth: 0 }), jobs: [...jobs, OBSERVER_JOB] };
}

const lines = (entries: Record<string, string>) => Object.entries(entries).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join("\n");

export async function runAct(env: ActEnvironment, options: ActRunOptions): Promise<ActRun> {
  const state = runState.get(env);
  if (!state) throw new Error("not an act environment (createActEnvironment)");
  await env.endJobs();
  const dir = path.join(env.root, `run-${++state.count}`);
  mkdirSync(dir);
  const trackingId = `alchkit_act_${randomBytes(8).toString("hex")}`;
  state.started({ trackingId, dir });

  const observed = path.join(dir, "needs.json");
  const caller = path.join(dir, path.basename(options.workflow));
  const observedWorkflow = observedCaller(readFileSync(path.join(options.workdir, options.workflow), "utf8"), options.rewriteUses);
  writeFileSync(caller, observedWorkflow.text);
  const eventFile = path.join(dir, "event.json");
  writeFileSync(eventFile, JSON.stringify(options.event.payload));
  // Files, not flags: secrets never appear on a command line other users of the machine can read.
  const secretFile = path.join(dir, "secrets");
  writeFileSync(secretFile, lines({ GITHUB_TOKEN: options.github.token, ...options.secrets }), { mode: 0o600 });
  const varFile = path.join(dir, "vars");
  writeFileSync(varFile, lines(options.vars ?? {}));
  const envFile = path.join(dir, "env");
  writeFileSync(
    envFile,
    lines({
      GITHUB_API_URL: options.github.url,
      GITHUB_GRAPHQL_URL: options.github.graphqlUrl,
      RUNNER_TRACKING_ID: trackingId,
      // The stand-in asks for no pacing: GitHub's retry backoff and write spacing, scaled down (as for actions
      // run by the harness).
      ALCHKIT_GITHUB_TIME_SCALE: "0.01",
      ALCHKIT_ACT_OBSERVED: observed,
      ...options.env,
    }),
  );
  // The runner's tool cache holds the Node that runs this test (setup-node finds it there, as on GitHub).
  const actionCache = path.join(dir, "act");
  const node = path.join(actionCache, "tool_cache", "node", process.versions.node, process.arch);
  mkdirSync(path.join(node, "bin"), { recursive: true });
  symlinkSync(process.execPath, path.join(node, "bin", "node"));
  writeFileSync(`${node}.complete`, "");

  const args = [
    options.event.name,
    "--workflows", caller,
    "--eventpath", eventFile,
    "--directory", options.workdir,
    "--platform", "ubuntu-latest=-self-hosted",
    "--json",
    // Debug level: act reports skipped jobs (with their `if:`) only there.
    "--verbose",
    "--no-skip-checkout",
    "--defaultbranch", "main",
    "--actor", "octocat",
    "--action-cache-path", actionCache,
    "--cache-server-path", path.join(env.root, "cache-server"),
    "--cache-server-addr", "127.0.0.1",
    "--cache-server-port", "0",
    "--artifact-server-path", path.join(dir, "artifacts"),
    "--artifact-server-addr", "127.0.0.1",
    "--artifact-server-port", String(await reserveFreePort()),
    "--secret-file", secretFile,
    "--var-file", varFile,
    "--env-file", envFile,
    "--input-file", path.join(dir, "no-inputs"),
    ...state.repositories.flatMap((r) => ["--local-repository", r]),
  ];
  const started = Date.now();
  const { exitCode, stdout, stderr } = await spawnAct(env, args, dir, options.timeoutMs ?? 240_000);
  const run = parseLog(stdout, stderr, observedWorkflow.jobs);
  let needs: ActRun["needs"] = {};
  if (existsSync(observed)) needs = JSON.parse(readFileSync(observed, "utf8")) as ActRun["needs"];
  // act's artifact server keeps `<run id>/<name>/<name>.zip`; act numbers every run 1.
  const stored = path.join(dir, "artifacts", "1");
  const artifacts = existsSync(stored) ? readdirSync(stored).sort() : [];
  return { exitCode, ...run, needs, artifacts, durationMs: Date.now() - started };
}

/** The environment act runs in, and hands to every job (act on the host passes its own environment on). */
function actEnvironment(env: ActEnvironment, dir: string): NodeJS.ProcessEnv {
  const tmp = path.join(dir, "tmp");
  mkdirSync(tmp, { recursive: true });
  return {
    PATH: [path.dirname(process.execPath), ...(process.env.PATH ?? "").split(path.delimiter).filter((p) => !p.includes("node_modules"))].join(path.delimiter),
    HOME: env.home,
    TMPDIR: tmp,
    LANG: "C.UTF-8",
    ACT_DISABLE_VERSION_CHECK: "1",
    DO_NOT_TRACK: "1",
    ALCHEMY_TELEMETRY_DISABLED: "1",
    NPM_CONFIG_AUDIT: "false",
    NPM_CONFIG_FUND: "false",
    NPM_CONFIG_UPDATE_NOTIFIER: "false",
    FORCE_COLOR: "0",
  };
}

function spawnAct(env: ActEnvironment, args: string[], dir: string, timeoutMs: number): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(env.act, args, { cwd: dir, env: actEnvironment(env, dir), stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // gone
      }
      reject(new Error(`act did not finish within ${timeoutMs} ms\n${parseLog(stdout, stderr, []).log.slice(-20_000)}`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, stdout, stderr });
    });
  });
}

interface LogEntry {
  msg?: string;
  job?: string;
  jobID?: string;
  jobResult?: string;
  raw_output?: boolean;
  stepID?: string[];
  command?: string;
  name?: string;
  arg?: string;
  level?: string;
}

/**
 * A job's place from act's name for it, `<workflow name>/<caller job>[/<job name>]`; the workflow's name may
 * hold slashes (act names a workflow without `name:` by its file path), so the caller job is looked for.
 */
function jobPath(actName: string, callerJobs: readonly string[]): string {
  const name = actName.trim();
  let best: { at: number; path: string } | undefined;
  for (const id of callerJobs) {
    const inner = name.indexOf(`/${id}/`);
    const at = inner >= 0 ? inner : name.endsWith(`/${id}`) ? name.length - id.length - 1 : -1;
    if (at >= 0 && (!best || at < best.at)) best = { at, path: name.slice(at + 1) };
  }
  return best?.path ?? name;
}

/** act's JSON log: job results, step outputs and the text of every job's output. */
export function parseLog(stdout: string, stderr: string, callerJobs: readonly string[]): Omit<ActRun, "exitCode" | "needs" | "durationMs" | "artifacts"> {
  const jobs: JobRecord[] = [];
  const stepOutputs: Record<string, string> = {};
  const text: string[] = [];
  for (const line of `${stdout}\n${stderr}`.split("\n")) {
    if (!line.trim()) continue;
    let entry: LogEntry;
    try {
      entry = JSON.parse(line) as LogEntry;
    } catch {
      text.push(line);
      continue;
    }
    const job = entry.jobID ?? "";
    if (entry.jobResult) jobs.push({ id: job, path: jobPath(entry.job ?? job, callerJobs), result: entry.jobResult });
    if (entry.level === "debug") continue;
    if (entry.command === "set-output" && entry.name) stepOutputs[`${job}/${entry.stepID?.join("/") ?? ""}/${entry.name}`] = entry.arg ?? "";
    const msg = (entry.msg ?? "").replace(/\n$/, "");
    if (msg) text.push(`[${job || "act"}] ${msg}`);
  }
  return { jobs, stepOutputs, log: text.join("\n") };
}

/**
 * Results of the jobs at `path`: `caller` or `caller/inner`, where `inner` is a job's name (a matrix job's
 * name, which ends with `-<n>` under act, matches without it) or its id (every job of a matrix).
 */
export function resultsOf(run: ActRun, path: string): string[] {
  return run.jobs
    .filter((j) => {
      const caller = j.path.split("/")[0];
      return j.path === path || j.path.replace(/-\d+$/, "") === path || (j.path !== caller && `${caller}/${j.id}` === path);
    })
    .map((j) => j.result);
}
