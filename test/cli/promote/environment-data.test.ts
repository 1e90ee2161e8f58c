// A local environment as users run one, on the app shape that showed what went wrong: one Worker with D1 (and a
// migration), KV, R2 and a sqlite Durable Object, whose secret needs ALCHEMY_PASSWORD from the gitignored .env.
// Its env files are loaded, its data outlives deploys and rollbacks, a promotion runs on production's own data,
// and `env down` stops it.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { isListening, processGroupAlive } from "../../../workflows-lib/alchemy/process-group.ts";
import { createFileLedger, ledgerPath } from "../../../workflows-lib/local/ledger-file.ts";
import { liveOn } from "../../../workflows-lib/promote/ledger.ts";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { execFileSync } from "node:child_process";
import { stopLocalStage } from "../../../workflows-lib/alchemy/promotion-deployer.ts";
import { fixtureApp, REPO_ROOT } from "../../support/app-fixtures.ts";
import { runAlchkit } from "../../support/alchkit-cli.ts";

test("cli: a local environment loads .env and .env.staging, keeps its D1, KV, R2 and Durable Object data across a deploy and a rollback, promotes to production's own stage, and stops with env down", async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), "alchkit-env-data-"));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DO_NOT_TRACK: "1", ALCHEMY_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" };
  t.after(async () => {
    for (const stage of ["staging", "prod"]) await stopLocalStage(root, stage, env).catch(() => false);
    rmSync(root, { recursive: true, force: true });
  });
  cpSync(fixtureApp("multi-resource"), root, { recursive: true, filter: (source) => !source.includes(`${path.sep}node_modules`) });
  symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
  writeFileSync(path.join(root, ".gitignore"), "node_modules\n.alchemy/\n.alchkit/\n.env\n");
  // The secret's password lives where users keep it: a .env git ignores, which no worktree of a SHA has.
  writeFileSync(path.join(root, ".env"), "ALCHEMY_PASSWORD=local-environment-password\n");
  // Staging's own settings are committed with the code.
  writeFileSync(path.join(root, ".env.staging"), "API_KEY=staging-api-key\n");
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: root, encoding: "utf8", env: { ...env, GIT_AUTHOR_NAME: "Ada", GIT_AUTHOR_EMAIL: "ada@example.com", GIT_COMMITTER_NAME: "Ada", GIT_COMMITTER_EMAIL: "ada@example.com" } }).trim();
  git("init", "--quiet", "--initial-branch=main");
  git("add", ".");
  git("commit", "--quiet", "-m", "Notes API");
  const A = git("rev-parse", "HEAD");
  const alchkit = (...args: string[]) => runAlchkit(root, env, [...args, "--local"]);

  const first = await alchkit("deploy", "--env", "staging");
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /env files loaded: \.env \(working copy\), \.env\.staging \(commit\)/);
  assert.doesNotMatch(first.stdout + first.stderr, /local-environment-password|staging-api-key/, "what the files hold is never printed");
  const { url } = JSON.parse(first.stdout) as { url: string };
  const at = (pathname: string, init?: RequestInit) => fetch(new URL(pathname, url), init).then((r) => r.json() as Promise<Record<string, unknown>>);
  await at("/notes", { method: "POST", body: "written on A" });
  await at("/kv/greeting", { method: "PUT", body: "hello" });
  await at("/files/report.txt", { method: "PUT", body: "quarterly" });
  assert.deepEqual(await at("/counter/visits"), { count: 1 });

  // A README-only commit: nothing about the data changes, so nothing of it may go.
  writeFileSync(path.join(root, "README.md"), "# Notes API\n");
  git("add", "README.md");
  git("commit", "--quiet", "-m", "Document the API");
  const second = await alchkit("deploy", "--env", "staging");
  assert.equal(second.code, 0, second.stderr);
  assert.equal((JSON.parse(second.stdout) as { url: string }).url, url, "the environment keeps its URL");
  const notes = (await at("/notes")).notes as { body: string }[];
  assert.deepEqual(notes.map((note) => note.body), ["seeded by migration 0001", "written on A"], "D1 rows survive (the migration ran once)");
  assert.equal((await at("/kv/greeting")).value, "hello");
  assert.equal((await at("/files/report.txt")).body, "quarterly");
  assert.deepEqual(await at("/counter/visits"), { count: 2 }, "the Durable Object kept its storage");
  await at("/notes", { method: "POST", body: "written on B" });

  // Promoted, B runs on production's own stage (prod): its own data, the migration's row only, its own URL.
  const promoted = await alchkit("promote", "--from", "staging", "--to", "production", "--yes");
  assert.equal(promoted.code, 0, promoted.stderr);
  const production = JSON.parse(promoted.stdout) as { sha: string; stage: string; url: string };
  const B = git("rev-parse", "HEAD");
  assert.deepEqual([production.sha, production.stage], [B, "prod"]);
  assert.notEqual(production.url, url);
  const onProduction = (pathname: string) => fetch(new URL(pathname, production.url)).then((r) => r.json() as Promise<Record<string, unknown>>);
  assert.equal((await onProduction("/version")).build, B);
  assert.deepEqual(((await onProduction("/notes")).notes as { body: string }[]).map((note) => note.body), ["seeded by migration 0001"], "environments share no data");

  // Going back to A's code runs it against today's data: a rollback never brings older data back.
  const back = await alchkit("rollback", "--env", "staging", "--yes");
  assert.equal(back.code, 0, back.stderr);
  assert.equal((await at("/version")).build, A);
  assert.deepEqual(((await at("/notes")).notes as { body: string }[]).map((note) => note.body), ["seeded by migration 0001", "written on A", "written on B"]);
  assert.deepEqual(await at("/counter/visits"), { count: 3 });
  assert.equal((await onProduction("/version")).build, B, "production keeps what was promoted");
  const entries = JSON.parse((await alchkit("ledger")).stdout).entries as Array<{ environment: string; kind: string; sha: string; state: string }>;
  const of = (name: string) => entries.filter((e) => e.environment === name).map((e) => [e.kind, e.sha, e.state]);
  assert.deepEqual(of("staging"), [
    ["rollback", A, "success"],
    ["deploy", B, "inactive"],
    ["deploy", A, "inactive"],
  ]);
  assert.deepEqual(of("production"), [["promote", B, "success"]]);


  // Stopping it: what stopped, and nothing claims to be live there any more; a second stop is no error.
  const down = await alchkit("env", "down", "--env", "staging");
  assert.equal(down.code, 0, down.stderr);
  const stopped = JSON.parse(down.stdout);
  assert.deepEqual([stopped.stopped, stopped.stage, stopped.url, stopped.sha], [true, "staging", url, A]);
  assert.match(down.stderr, new RegExp(`Stopped staging \\(stage staging\\): pid ${stopped.pid} at \\S+, running ${A.slice(0, 7)}\\. Its data is kept`));
  assert.equal(await isListening(Number(new URL(url).port)), false, "nothing answers on the environment's port");
  assert.equal(await liveOn(createFileLedger(ledgerPath(root)), "staging"), undefined);
  const prodDown = JSON.parse((await alchkit("env", "down", "--env", "production")).stdout) as { stopped: boolean; pid: number };
  assert.equal(prodDown.stopped, true);
  assert.equal(processGroupAlive(prodDown.pid), false, "no process of production is left");
  assert.equal(await isListening(Number(new URL(production.url).port)), false, "nothing answers on production's port");
  const again = await alchkit("env", "down", "--env", "staging");
  assert.equal(again.code, 0, again.stderr);
  assert.equal(JSON.parse(again.stdout).stopped, false);
  assert.match(again.stderr, /staging \(stage staging\) was not running/);
  const remote = await runAlchkit(root, env, ["env", "down", "--env", "staging"]);
  assert.equal(remote.code, 2, "on Cloudflare there is nothing to stop: one clear error");
  assert.match(remote.stderr, /--local/);
});
