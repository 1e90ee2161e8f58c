// `alchkit demo` as a user runs it: a real CLI process, the example app on workerd, real git. The demo runs in a
// small consumer repository made here (two commits, a tag) so the test never writes into the checkout.
import assert from "node:assert/strict";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { isListening } from "../../../workflows-lib/alchemy/process-group.ts";

const KIT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const BIN = path.join(KIT_ROOT, "workflows-lib/cli/bin.js");
const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "alchkit-demo-test-"));
  temps.push(dir);
  return dir;
}

/** A consumer repository: a package, two commits (so HEAD~1..HEAD exists) and an annotated release tag. */
function consumerRepo(): string {
  const root = tempDir();
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: root,
      env: { ...process.env, GIT_AUTHOR_NAME: "Ada", GIT_AUTHOR_EMAIL: "ada@example.com", GIT_COMMITTER_NAME: "Ada", GIT_COMMITTER_EMAIL: "ada@example.com", GIT_CONFIG_GLOBAL: "/dev/null" },
    });
  writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "shop", version: "1.0.0", scripts: { test: "node --test" } }));
  git("init", "--quiet", "--initial-branch=main");
  git("add", ".");
  git("commit", "--quiet", "-m", "Shop");
  git("tag", "-a", "v1.0.0", "-m", "First release", "-m", "Orders API and checkout.");
  writeFileSync(path.join(root, "index.js"), "export const shop = true;\n");
  git("add", ".");
  git("commit", "--quiet", "-m", "Export the shop");
  return root;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function demo(cwd: string, env: NodeJS.ProcessEnv, onStdout?: (all: string, child: ChildProcess) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "demo"], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      onStdout?.(stdout, child);
    });
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const baseEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: process.env.HOME, DO_NOT_TRACK: "1" });

/** Processes whose command line or working directory is inside `dir` (Linux /proc). */
function processesUnder(dir: string): string[] {
  if (!existsSync("/proc/self/cmdline")) return [];
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      let cwd = "";
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // a process of another user, or gone
      }
      if (cmdline.includes(dir) || cwd.startsWith(dir)) found.push(`${pid} ${cmdline.trim()}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

const workingCopy = (stdout: string) => /working copy: (\S+)/.exec(stdout)?.[1];
const ports = (stdout: string) => [...new Set([...stdout.matchAll(/http:\/\/(?:localhost|127\.0\.0\.1):(\d+)\//g)].map((m) => Number(m[1])))];

test("npm run demo in CI: the whole pipeline behaves as designed, the rollback shows, the markdown is written, nothing is left running", async () => {
  const cwd = consumerRepo();
  const run = await demo(cwd, { ...baseEnv(), CI: "true" });
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);

  // Plain log lines (no terminal), one per step, and the closing timeline.
  assert.doesNotMatch(run.stdout, /\x1b\[/, "no colours without a terminal");
  assert.match(run.stdout, /step 2\/11 CI matrix for PR #1: ok .* main\.\.PR #1 changed 1 file\(s\) \(env\/production\.env\): 1 of 1 package\(s\) selected \(consumer-app\), [1-9]\d* job\(s\)/);
  assert.match(run.stdout, /step 3\/11 Preview of PR #1 on workerd \(stage pr-1\): ok .*answers \/health 200/);
  assert.match(run.stdout, /step 4\/11 Load gate on the preview .*: ok .* \d+ requests, p\(95\) [\d.]+ ms, 5\/5 thresholds met/);
  assert.match(run.stdout, /step 6\/11 What a blocked PR looks like: the breaking variant: as designed .*blocked: \d+ breaking change\(s\) \(.*response-required-property-removed/);
  assert.match(run.stdout, /approved without asking: CI=true and no terminal/);
  // The canary: PR #1 beside production at 10 % through the local split, aborted by the gate, production back to 100 %.
  const canary = /step 9\/11 PR #1 as a canary on production \(10 %\): .*: as designed .* aborted at 10 %: http_req_failed rate=1 breached rate<0.01; ([0-9a-f]{7}) serves 100 % again \d+ ms after the breach, \/version answers ([0-9a-f]{7}); of 400 users' requests at 10 % the candidate served (\d+) /.exec(run.stdout);
  assert.ok(canary, run.stdout);
  assert.equal(canary[2], canary[1], "production answers with the stable build after the abort");
  assert.ok(Number(canary[3]) >= 16 && Number(canary[3]) <= 80, `the candidate's share of 400 at 10 %: ${canary[3]}`);
  const rollback = /step 10\/11 PR #1 merged and deployed to production: health fails, automatic rollback: as designed .* ([0-9a-f]{7}) failed on production \(.*got 503\); rolled back to ([0-9a-f]{7}) in [\d.]+ s, \/version answers ([0-9a-f]{7})/.exec(run.stdout);
  assert.ok(rollback, run.stdout);
  assert.notEqual(rollback[1], rollback[2]);
  assert.equal(rollback[3], rollback[2], "production serves the restored version");
  assert.match(run.stdout, /step 11\/11 Release feeds from this repository's tags: ok .* 1 entries from 1 local git tag\(s\)/);
  assert.match(run.stdout, /Timeline \((\d+ min )?[\d.]+ s in all\)/, "a loaded machine may take minutes");
  assert.match(run.stdout, /Demo finished: the pipeline behaved as designed/);

  // What GitHub would show.
  const out = path.join(cwd, ".alchkit", "out");
  const comment = readFileSync(path.join(out, "comment.md"), "utf8");
  assert.match(comment, /<!-- alchkit:sticky:preview -->[\s\S]*Preview ready: `pr-1`/);
  assert.match(comment, /<!-- alchkit:sticky:load-gate -->[\s\S]*Load gate passed/);
  assert.match(comment, /<!-- alchkit:sticky:openapi -->[\s\S]*No breaking API changes/);
  const blocked = readFileSync(path.join(out, "blocked-pr", "comment.md"), "utf8");
  assert.match(blocked, /❌ \*\*\d+ breaking changes\*\*/);
  const summary = readFileSync(path.join(out, "summary.md"), "utf8");
  for (const section of [
    /^## alchkit demo: the pipeline in /m,
    /^## CI matrix plan: /m,
    /^## ✅ Preview ready: `pr-1`/m,
    /^### Load gate/m,
    /^## A pull request with a breaking API change/m,
    /^## ✅ Deploy: [0-9a-f]{7} is live on staging/m,
    /^## ✅ Promotion: [0-9a-f]{7} is live on production/m,
    /^## Canary: [0-9a-f]{7} on production \(local split\)[\s\S]*breached[\s\S]*```mermaid/m,
    /^## ⚠️ Deploy: [0-9a-f]{7} failed on production, rolled back to [0-9a-f]{7}/m,
    /^## Release feeds: 1 entries/m,
  ]) {
    assert.match(summary, section);
  }
  assert.match(readFileSync(path.join(out, "feed", "atom.xml"), "utf8"), /<title>v1\.0\.0: First release<\/title>/);
  // Everything above, rendered as GitHub renders it, and the dashboard of the demo's ledger.
  assert.match(run.stderr, /What GitHub would show, rendered: \.alchkit\/out\/index\.html/);
  const page = readFileSync(path.join(out, "index.html"), "utf8");
  for (const shown of ["comment-preview.md", "comment-load-gate.md", "summary.md", "blocked-pr/comment.md"]) assert.ok(page.includes(`data-path="${shown}"`), shown);
  assert.ok(existsSync(path.join(out, "assets", "mermaid.tiny.js")), "mermaid beside the page: the load gate's chart is drawn offline");
  const dashboard = JSON.parse(readFileSync(path.join(out, "dashboard", "dashboard.json"), "utf8"));
  const week = dashboard.dora.windows[0];
  assert.equal(week.deployments, 1, "the promotion to production");
  assert.equal(week.failedChanges, 1, "the bad deploy, rolled back automatically");
  assert.ok(dashboard.history.some((row: { kind: string }) => row.kind === "auto-rollback"));
  assert.equal(execFileSync("git", ["status", "--porcelain"], { cwd, encoding: "utf8" }), "", "the consumer's status stays clean");

  // Nothing left behind: no process of the working copy, no port listening, the working copy removed.
  const copy = workingCopy(run.stdout);
  assert.ok(copy, run.stdout);
  assert.equal(existsSync(copy), false);
  assert.deepEqual(processesUnder(copy), []);
  const used = ports(run.stdout);
  assert.ok(used.length >= 3, `preview, staging and production URLs in ${run.stdout}`);
  for (const port of used) assert.equal(await isListening(port), false, `port ${port} closed`);
});

test("Ctrl-C (twice) while the preview runs: the demo stops its apps, removes its working copy and exits 130", async () => {
  const cwd = consumerRepo();
  let sent = false;
  const run = await demo(cwd, { ...baseEnv(), CI: "true" }, (stdout, child) => {
    if (!sent && /step 3\/11 .*: ok/.test(stdout)) {
      sent = true;
      child.kill("SIGINT");
      // An impatient second Ctrl-C must not cut the clean-up short.
      setTimeout(() => child.kill("SIGINT"), 300).unref();
    }
  });
  assert.ok(sent, run.stdout);
  assert.equal(run.code, 130, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stderr, /Interrupted \(SIGINT\): every process the demo started is stopped/);
  assert.match(run.stdout, /step 4\/11 .*: FAILED .*interrupted by SIGINT/);
  const copy = workingCopy(run.stdout)!;
  assert.equal(existsSync(copy), false);
  assert.deepEqual(processesUnder(copy), []);
  for (const port of ports(run.stdout)) assert.equal(await isListening(port), false, `port ${port} closed`);
  assert.ok(existsSync(path.join(cwd, ".alchkit", "out", "summary.md")), "the steps that ran are reported");
});

test("without a terminal, --yes or CI=true the demo refuses to approve production for you, before starting anything", async () => {
  const cwd = tempDir();
  const run = await demo(cwd, baseEnv());
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--yes: expected a terminal to approve the promotion to production in, or --yes to approve it without asking \(CI=true implies it\)/);
  assert.equal(run.stdout, "");
  assert.equal(existsSync(path.join(cwd, ".alchkit")), false);
});
