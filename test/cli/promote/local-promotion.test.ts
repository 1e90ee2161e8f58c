// `alchkit deploy|promote|rollback|ledger --local` as a user runs them: real CLI processes, a real git
// repository, the example app on workerd, the file ledger.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createFileLedger, ledgerPath } from "../../../workflows-lib/local/ledger-file.ts";
import { liveOn, stateOf, type LedgerEntry } from "../../../workflows-lib/promote/ledger.ts";
import { createConsumerRepo, versionAt, type ConsumerRepo } from "../../e2e/promote/consumer-repo.ts";
import { runAlchkit, type CliRun } from "../../support/alchkit-cli.ts";

/** `alchkit <args> --local` (and the repository's env files for the deploying commands). */
function alchkit(repo: ConsumerRepo, args: string[]): Promise<CliRun> {
  const extra = args[0] !== "ledger" ? ["--local", "--env-files", "env/{environment}.env"] : ["--local"];
  return runAlchkit(repo.root, repo.env, [...args, ...extra]);
}

let repo: ConsumerRepo;
before(() => {
  repo = createConsumerRepo();
});
after(async () => {
  await repo?.close();
});

test("cli: deploy runs the code of the SHA from its own worktree, on workerd, with the environment's env file", async () => {
  const run = await alchkit(repo, ["deploy", "--env", "staging", "--sha", repo.A.slice(0, 8)]);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.equal(result.outcome, "deployed");
  assert.equal(result.sha, repo.A);
  assert.equal(result.stage, "staging");
  assert.equal(await versionAt(result.url), repo.A);
  assert.ok(existsSync(path.join(repo.root, ".alchkit/worktrees", repo.A, "alchemy.run.ts")));
  assert.ok(existsSync(path.join(repo.root, ".alchkit/out/deploy-staging.md")));
  assert.equal(repo.git("status", "--porcelain"), "", "local state stays out of the repository's status");
});

test("cli: promotion without a terminal and without --yes is refused before anything happens", async () => {
  const run = await alchkit(repo, ["promote", "--from", "staging", "--to", "production"]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--yes: expected a terminal to confirm in, or --yes to promote without asking/);
  assert.equal(await liveOn(createFileLedger(ledgerPath(repo.root)), "production"), undefined);
});

test("cli: two promotions to one environment at once: one waits for the other and the ledger stays consistent", async () => {
  // The second starts once the first holds the environment's lock: two processes started together need not
  // overlap at all on a loaded machine, and then nothing would show that one waits for the other.
  const lock = path.join(repo.root, ".alchkit/locks/production.lock");
  const firstRun = alchkit(repo, ["promote", "--from", "staging", "--to", "production", "--yes"]);
  let firstDone = false;
  void firstRun.finally(() => (firstDone = true));
  while (!existsSync(lock) && !firstDone) await sleep(20);
  assert.ok(!firstDone, "the first promotion took the lock");
  const [first, second] = await Promise.all([
    firstRun,
    alchkit(repo, ["promote", "--from", "staging", "--to", "production", "--sha", repo.B2, "--yes"]),
  ]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(second.code, 0, second.stderr);
  const waiting = /waiting: production is busy with alchkit on production \(pid \d+/;
  assert.match(second.stderr, waiting, "the second waited for the lock");
  assert.doesNotMatch(first.stderr, waiting);
  const later = JSON.parse(second.stdout);
  const earlier = JSON.parse(first.stdout);
  assert.equal(later.previous, earlier.sha, "the one that waited saw the other's result as the live SHA");
  assert.equal(later.url, earlier.url, "the environment keeps its URL across deploys");
  assert.equal(await versionAt(later.url), later.sha);

  const history = await createFileLedger(ledgerPath(repo.root)).history("production");
  assert.deepEqual(
    history.map((entry) => [entry.sha, stateOf(entry)]),
    [
      [later.sha, "success"],
      [earlier.sha, "inactive"],
    ],
  );
  // No interleaving: the first deployment was finished before the second started.
  const byShA = (sha: string) => history.find((entry) => entry.sha === sha) as LedgerEntry;
  const earlierDone = byShA(earlier.sha).statuses.find((status) => status.state === "success")!.seq;
  const laterStarted = byShA(later.sha).statuses.find((status) => status.state === "in_progress")!.seq;
  assert.ok(earlierDone < laterStarted);
});

test("cli: rollback puts production back on the previous good SHA; ledger shows it", async () => {
  const before = await liveOn(createFileLedger(ledgerPath(repo.root)), "production");
  const previous = (await createFileLedger(ledgerPath(repo.root)).history("production")).find((e) => e.sha !== before!.sha)!;
  const run = await alchkit(repo, ["rollback", "--env", "production", "--yes"]);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.equal(result.sha, previous.sha);
  assert.equal(await versionAt(result.url), previous.sha);

  const ledger = await alchkit(repo, ["ledger", "--env", "production"]);
  assert.equal(ledger.code, 0, ledger.stderr);
  const shown = JSON.parse(ledger.stdout) as { live: Record<string, string | null>; entries: Array<{ id: string; kind: string; sha: string; state: string }> };
  // Every operation is its own entry: the rollback did not rewrite the promotion it restored.
  assert.deepEqual(shown.entries.map((entry) => [entry.kind, entry.sha, entry.state]), [
    ["rollback", previous.sha, "success"],
    ["promote", before!.sha, "inactive"],
    ["promote", previous.sha, "inactive"],
  ]);
  assert.equal(shown.live.production, shown.entries[0]!.id, "what is live is derived from the entries");
  const markdown = await alchkit(repo, ["ledger", "--format", "markdown"]);
  assert.match(markdown.stdout, /### production/);
  assert.match(markdown.stdout, /### staging/);
  const bad = await alchkit(repo, ["rollback", "--env", "production", "--to", "no-such-ref", "--yes"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--to: expected a commit of this repository \("no-such-ref" is unknown here/);
});

test("cli: production only takes commits on the default branch; a feature branch's commit is refused before anything runs", async () => {
  repo.git("checkout", "--quiet", "-b", "feature");
  repo.git("commit", "--quiet", "--allow-empty", "-m", "Not reviewed yet");
  const feature = repo.git("rev-parse", "HEAD");
  repo.git("checkout", "--quiet", "main");
  const entries = (await createFileLedger(ledgerPath(repo.root)).history()).length;
  const run = await alchkit(repo, ["deploy", "--env", "production", "--sha", "feature"]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, new RegExp(`Refusing to deploy ${feature.slice(0, 7)} to production: it is not on the default branch main`));
  assert.equal((await createFileLedger(ledgerPath(repo.root)).history()).length, entries, "nothing recorded");
  assert.notEqual(await versionAt((await liveOn(createFileLedger(ledgerPath(repo.root)), "production"))!.statuses.findLast((s) => s.url)!.url!), feature);
});

test("cli: a failed deploy stops the candidate it started, or with --keep-failed says it kept it and how to stop it", async () => {
  const answers = async (url: string) => fetch(url).then(() => true, () => false);
  // Nothing was live on qa: the candidate fails its health check (a 404 fails fast) and there is nothing to restore.
  // No env file for qa: without --env-files the default .env.qa is optional.
  const deployQa = (...extra: string[]) => runAlchkit(repo.root, repo.env, ["deploy", "--env", "qa", "--sha", repo.A, "--health-path", "/no-such-route", "--local", ...extra]);
  const failed = await deployQa();
  assert.equal(failed.code, 1, failed.stderr);
  const result = JSON.parse(failed.stdout) as { outcome: string; url: string | null };
  assert.equal(result.outcome, "failed");
  assert.ok(result.url, `the candidate came up at a URL before its health check failed: ${failed.stdout}${failed.stderr}`);
  assert.match(failed.stderr, /Its processes \(stage qa, pid \d+\) were stopped, so nothing the ledger does not show runs on qa/);
  assert.equal(await answers(result.url!), false, "the failed candidate no longer answers");

  const kept = await deployQa("--keep-failed");
  assert.equal(kept.code, 1, kept.stderr);
  const keptUrl = (JSON.parse(kept.stdout) as { url: string }).url;
  assert.match(kept.stderr, /still runs as stage qa at \S+ \(--keep-failed\), though the ledger does not show it live: `alchkit env down --env qa --local` stops it/);
  assert.equal(await answers(keptUrl), true, "kept as asked");
  const down = await runAlchkit(repo.root, repo.env, ["env", "down", "--env", "qa", "--local"]);
  assert.equal(down.code, 0, down.stderr);
  assert.equal(await answers(keptUrl), false, "env down stops what was kept");
});
