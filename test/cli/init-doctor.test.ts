import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { initCommand } from "../../workflows-lib/cli/commands/init.ts";
import { runCli } from "../../workflows-lib/cli/run-cli.ts";
import { REPO_ROOT } from "../support/app-fixtures.ts";
import { hazardRepo } from "../support/doctor-fixtures.ts";

const BIN = path.join(REPO_ROOT, "workflows-lib/cli/bin.js");
const ALCHEMY = path.join(REPO_ROOT, "node_modules/alchemy/bin/alchemy.js");
// PATH without the kit's node_modules/.bin (its pnpm): what a repository without pnpm installed sees.
const NODE_ONLY = path.dirname(process.execPath);
const alchkit = (args: string[], PATH = process.env.PATH) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { PATH, HOME: process.env.HOME } });
const json = (dir: string, file: string) => JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Record<string, unknown>;

test("init on what `alchemy create --github-actions` writes: recognizes Alchemy's workflows, explains their replacement, runs doctor", (t) => {
  const home = mkdtempSync(path.join(tmpdir(), "alchkit-init-alchemy-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const created = spawnSync(process.execPath, [ALCHEMY, "create", "app", "--template", "hono", "--yes", "--no-install", "--pm", "npm", "--github-actions", "--no-git"], {
    cwd: home,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: home, DO_NOT_TRACK: "1" },
  });
  assert.equal(created.status, 0, created.stdout + created.stderr);
  const dir = path.join(home, "app");
  writeFileSync(path.join(dir, "package-lock.json"), '{ "lockfileVersion": 3, "packages": {} }\n');

  const init = alchkit(["init", "--dir", dir]);
  assert.equal(init.status, 0, init.stderr);
  // Alchemy's hono template has no /health route, but routes /: init probes that and says so.
  assert.match(init.stdout, /^health path: \/ \(the app has no route at \/health/m);
  assert.equal((json(dir, "alchkit.config.json").preview as { healthPath: string }).healthPath, "/");
  assert.match(init.stdout, /^alchkit doctor: \d+ errors?/m);
  assert.match(init.stdout, /\.github\/workflows\/pr-preview\.yml is the preview workflow `alchemy create --github-actions` writes/);
  assert.match(init.stdout, /alchkit's preview\.yml .* replaces it: once `alchkit init` has written its workflows, delete \.github\/workflows\/pr-preview\.yml/);
  assert.match(init.stdout, /\.github\/workflows\/publish\.yml is the production workflow `alchemy create --github-actions` writes/);
  assert.match(init.stdout, /error {3}\.github\/workflows\/pr-preview\.yml:\d+ {2}\[destroy-without-stage\]/);
  assert.match(init.stdout, /Remove the GitHubComment from alchemy\.run\.ts \(line \d+\)/);
  assert.doesNotMatch(init.stdout, /health-route-missing/, "the health path init chose is routed");

  // Following the advice: the Alchemy workflows go, and doctor no longer finds what they caused.
  rmSync(path.join(dir, ".github/workflows/pr-preview.yml"));
  rmSync(path.join(dir, ".github/workflows/publish.yml"));
  const after = alchkit(["doctor", "--dir", dir, "--format", "json"]);
  const ids = (JSON.parse(after.stdout) as { findings: Array<{ id: string }> }).findings.map((f) => f.id);
  for (const gone of ["alchemy-ci-workflow", "destroy-without-stage", "job-without-timeout", "stage-deployed-without-shared-concurrency"]) assert.ok(!ids.includes(gone), `${gone}: ${ids.join(", ")}`);
  // What is left is the app's own: Alchemy's template fixes its KV namespace's title, and uses CloudflareStateStore always.
  assert.deepEqual([...new Set(ids)].sort(), ["shared-physical-name", "state-store-unconditional"]);
});

test("init pins packageManager to the pnpm that installed the repository; a second run changes nothing", (t) => {
  const dir = hazardRepo(t, "package-manager-unpinned");
  mkdirSync(path.join(dir, "node_modules"));
  writeFileSync(path.join(dir, "node_modules/.modules.yaml"), "layoutVersion: 5\npackageManager: pnpm@10.12.1\n");
  const first = alchkit(["init", "--dir", dir], NODE_ONLY);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /^update package\.json {2}\(packageManager pinned to pnpm@10\.12\.1\)$/m);
  assert.equal(json(dir, "package.json").packageManager, "pnpm@10.12.1");
  assert.match(first.stdout, /^alchkit doctor: No hazards found\.$/m);
  const second = alchkit(["init", "--dir", dir], NODE_ONLY);
  assert.doesNotMatch(second.stdout, /package\.json/);
});

test("init allows pnpm 11 to build workerd and esbuild in pnpm-workspace.yaml (onlyBuiltDependencies is ignored there)", (t) => {
  const dir = hazardRepo(t, "pnpm-build-scripts-blocked");
  const run = alchkit(["init", "--dir", dir], NODE_ONLY);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^create pnpm-workspace\.yaml {2}\(allowBuilds: esbuild, workerd \(pnpm 11 builds only what it allows\)\)$/m);
  assert.deepEqual(parse(readFileSync(path.join(dir, "pnpm-workspace.yaml"), "utf8")), { allowBuilds: { esbuild: true, workerd: true } });
  assert.match(run.stdout, /^alchkit doctor: No hazards found\.$/m);
});

test("init explains what it cannot pin: pnpm's version unknown (no node_modules record, no pnpm on PATH)", (t) => {
  const dir = hazardRepo(t, "package-manager-unpinned");
  const run = alchkit(["init", "--dir", dir, "--dry-run"], NODE_ONLY);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^note {3}package\.json does not pin pnpm's version and none was found in use here: add "packageManager": "pnpm@<version>"/m);
  assert.match(run.stdout, /warning package\.json:1 {2}\[package-manager-unpinned\]/);
  assert.equal(json(dir, "package.json").packageManager, undefined, "a dry run writes nothing");
});

test("on a terminal init asks for the health path when the app has no /health route", async (t) => {
  const dir = hazardRepo(t, "health-route-missing");
  rmSync(path.join(dir, ".github"), { recursive: true });
  const questions: string[] = [];
  let out = "";
  const code = await runCli([initCommand], ["init", "--dir", dir], {
    cwd: dir,
    env: { PATH: NODE_ONLY },
    isTTY: true,
    stdout: (text) => void (out += text),
    stderr: (text) => void (out += text),
    prompt: async (question) => {
      questions.push(question);
      return "/notes";
    },
  }, "0.0.0");
  assert.equal(code, 0, out);
  assert.equal(questions.length, 1);
  assert.match(questions[0]!, /^The app has no route at \/health\. Path the kit probes after each deploy \(it must answer 200; the app routes \/, \/notes\) \[\/\]: $/);
  assert.equal((json(dir, "alchkit.config.json").preview as { healthPath: string }).healthPath, "/notes");
  assert.match(readFileSync(path.join(dir, ".github/workflows/preview.yml"), "utf8"), /health-path: "\/notes"/);
  assert.match(out, /^alchkit doctor: No hazards found\.$/m);
});
