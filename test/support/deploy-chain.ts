/**
 * deploy → promote → rollback of one app shape, as a user runs it with `--local`: the instantiated fixture becomes
 * a real git repository (beside it, so the kit's installed packages resolve from its worktrees; its own install,
 * pnpm's, bun's or yarn's, is reused by symbolic link as a user's checkout has it) with two commits, A and B, whose
 * code answers differently. Four app starts, the fewest that make the chain:
 *
 *   deploy production A → deploy staging B → promote staging → production (B) → rollback production (A)
 *
 * then `env down` of both. After each step the environment's URL answers with the code of the SHA the ledger
 * shows live; at the end no process of either environment runs and nothing listens on their ports.
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { isListening, processGroupAlive } from "../../workflows-lib/alchemy/process-group.ts";
import { TempRepo } from "../adapter/matrix/temp-repo.ts";
import { baseEnv } from "./app-fixtures.ts";
import { alchkitInProcess } from "./cli.ts";

export interface DeployChainOptions {
  /** The instantiated fixture (fixtureApp, monorepoApp). */
  dir: string;
  /** Folder of the app inside the repository (monorepo: `--app-dir`); default the root. */
  appDir?: string;
  healthPath: string;
  /** Files (relative to the app folder) that turn commit A into commit B. */
  change: Record<string, string>;
  /** What an environment's URL answers that tells the code apart (a body, a build id). */
  served: (url: string) => Promise<string>;
  /** What `served` gives for A's code and B's; a function when the answer holds the SHA or the stage. */
  expect: { A: Expected; B: Expected };
  /** Called with production's URL once A is live there, and again after the rollback (data kept across deploys). */
  onProduction?: (url: string, step: "deployed" | "rolled-back") => Promise<void>;
  /** Called after the rollback while both environments run (the repository's root, their URLs). */
  whileLive?: (live: { root: string; production: string; staging: string }) => Promise<void>;
}

type Expected = string | ((deployed: { sha: string; stage: string }) => string);

interface Result {
  outcome: string;
  sha: string;
  stage: string;
  url: string;
  previous: string | null;
}

/** `t.after` stops both environments and removes the repository (a caller may run that hook in its own order). */
export async function deployChain(t: { after(hook: () => Promise<void>): void }, options: DeployChainOptions): Promise<void> {
  const repo = new TempRepo(mkdtempSync(path.join(path.dirname(options.dir), `chain-${path.basename(options.dir)}-`)));
  cpSync(options.dir, repo.dir, {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|\.alchemy|\.alchkit|\.git)$/.test(source) && !source.includes(`${path.sep}.building-`),
  });
  // The package manager's install, as the user's checkout has it (git ignores it; the worktrees link it).
  const installed = path.join(options.dir, "node_modules");
  if (existsSync(installed)) symlinkSync(installed, path.join(repo.dir, "node_modules"), "dir");
  repo.git("init", "-q", "-b", "main");
  const A = repo.commit("the app");
  const appDir = options.appDir ?? ".";
  repo.write(Object.fromEntries(Object.entries(options.change).map(([file, text]) => [path.join(appDir, file), text])));
  const B = repo.commit("change the app");
  const want = (which: "A" | "B", stage: string) => {
    const value = options.expect[which];
    return typeof value === "function" ? value({ sha: which === "A" ? A : B, stage }) : value;
  };

  const env = { ...baseEnv(), DO_NOT_TRACK: "1", ALCHEMY_TELEMETRY_DISABLED: "1" };
  const cli = (args: string[]) => alchkitInProcess([...args, "--local", "--cwd", repo.dir], { cwd: repo.dir, env });
  const deploying = ["--app-dir", appDir, "--health-path", options.healthPath];
  const step = async (args: string[], sha: string, which: "A" | "B"): Promise<Result> => {
    const run = await cli([...args, ...deploying]);
    assert.equal(run.code, 0, `alchkit ${args.join(" ")}: ${run.stdout}${run.stderr}`);
    const result = JSON.parse(run.stdout) as Result;
    assert.equal(result.outcome, "deployed");
    assert.equal(result.sha, sha, `${args.join(" ")} deployed ${which}`);
    assert.equal(await options.served(result.url), want(which, result.stage), `${args.join(" ")}: the URL answers with ${which}'s code`);
    return result;
  };
  const environments = ["production", "staging"];
  const downs = () => Promise.all(environments.map((name) => cli(["env", "down", "--env", name])));
  const ledger = async () => {
    const run = await cli(["ledger"]);
    assert.equal(run.code, 0, run.stderr);
    const shown = JSON.parse(run.stdout) as { live: Record<string, string | null>; entries: Array<{ id: string; environment: string; kind: string; sha: string; state: string }> };
    const of = (name: string) => shown.entries.filter((e) => e.environment === name);
    return { live: shown.live, of, brief: (name: string) => of(name).map((e) => [e.kind, e.sha, e.state]) };
  };
  t.after(async () => {
    await downs();
    repo.remove();
  });

  const production = await step(["deploy", "--env", "production", "--sha", A], A, "A");
  await options.onProduction?.(production.url, "deployed");
  const staging = await step(["deploy", "--env", "staging", "--sha", B], B, "B");
  assert.notEqual(staging.url, production.url, "each environment has its own URL");
  const promoted = await step(["promote", "--from", "staging", "--to", "production", "--yes"], B, "B");
  assert.equal(promoted.previous, A);
  assert.equal(promoted.url, production.url, "production keeps its URL across deploys");
  const rolledBack = await step(["rollback", "--env", "production", "--yes"], A, "A");
  assert.equal(rolledBack.previous, B);
  assert.equal(rolledBack.url, production.url);
  await options.onProduction?.(rolledBack.url, "rolled-back");
  await options.whileLive?.({ root: repo.dir, production: production.url, staging: staging.url });

  const shown = await ledger();
  assert.deepEqual(shown.brief("production"), [
    ["rollback", A, "success"],
    ["promote", B, "inactive"],
    ["deploy", A, "inactive"],
  ]);
  assert.deepEqual(shown.brief("staging"), [["deploy", B, "success"]]);
  assert.equal(shown.live.production, shown.of("production")[0]!.id);
  await stopAll(downs, ledger, environments);
}

/** `env down` of each environment: it stopped, no process of it is left, nothing listens on its port, nothing is live. */
async function stopAll(downs: () => Promise<Array<{ code: number; stdout: string; stderr: string }>>, ledger: () => Promise<{ live: Record<string, string | null> }>, environments: string[]) {
  for (const run of await downs()) {
    assert.equal(run.code, 0, run.stderr);
    const down = JSON.parse(run.stdout) as { environment: string; stopped: boolean; pid: number; url: string };
    assert.equal(down.stopped, true, `env down stopped ${down.environment}`);
    assert.equal(processGroupAlive(down.pid), false, `no process of ${down.environment} is left`);
    assert.equal(await isListening(Number(new URL(down.url).port)), false, `nothing listens on ${down.environment}'s port`);
  }
  assert.deepEqual((await ledger()).live, Object.fromEntries(environments.map((name) => [name, null])), "the ledger shows nothing live once they are down");
}
