import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CHECKS } from "../../../workflows-lib/doctor/checks.ts";
import { REPO_ROOT } from "../../support/app-fixtures.ts";
import { hazardRepo } from "../../support/doctor-fixtures.ts";

const BIN = path.join(REPO_ROOT, "workflows-lib/cli/bin.js");
const alchkit = (args: string[], cwd = REPO_ROOT) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME } });

test("doctor on a clean repository: exit 0, markdown by default, what it read", (t) => {
  const dir = hazardRepo(t);
  const run = alchkit(["doctor", "--dir", dir]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^## alchkit doctor\n\nNo hazards found\.\n\nRead 1 Alchemy entry \(alchemy\.run\.ts\), 2 workflows, 0 local stages\.\n$/);
});

test("doctor --format json: an error-level finding exits 1 with {findings:[{id, level, file, line, message, fix}]}", (t) => {
  const dir = hazardRepo(t, "destroy-without-stage");
  const run = alchkit(["doctor", "--format", "json"], dir); // --dir defaults to the current folder
  assert.equal(run.status, 1, run.stderr);
  const { findings } = JSON.parse(run.stdout) as { findings: Array<Record<string, unknown>> };
  assert.equal(findings.length, 1);
  assert.deepEqual(Object.keys(findings[0]!).sort(), ["file", "fix", "id", "level", "line", "message"]);
  assert.deepEqual({ id: findings[0]!.id, level: findings[0]!.level, file: findings[0]!.file, line: findings[0]!.line }, { id: "destroy-without-stage", level: "error", file: ".github/workflows/preview.yml", line: 28 });
  assert.match(String(findings[0]!.fix), /--stage pr-\$\{\{ github\.event\.pull_request\.number \}\}/);
});

test("doctor markdown: each finding with its place, why it bites and the fix; warnings alone exit 0", (t) => {
  const dir = hazardRepo(t, "job-without-timeout");
  const run = alchkit(["doctor", "--dir", path.relative(REPO_ROOT, dir)]); // relative to the current folder
  assert.equal(run.status, 0, run.stderr);
  const check = CHECKS.find((c) => c.id === "job-without-timeout")!;
  assert.match(run.stdout, /^1 warning\.$/m);
  assert.match(run.stdout, new RegExp(`### warning: ${check.title}\\n\\n\`\\.github/workflows/smoke\\.yml:\\d+\` · \`job-without-timeout\``));
  assert.ok(run.stdout.includes(`**Why it bites.** ${check.why}`));
  assert.match(run.stdout, /\*\*Fix\.\*\* .*timeout-minutes/);
});

test("doctor on bad input: one line naming the flag and what it expected, exit 2, nothing on stdout", (t) => {
  const empty = mkdtempSync(path.join(tmpdir(), "alchkit-doctor-empty-"));
  t.after(() => rmSync(empty, { recursive: true, force: true }));
  writeFileSync(path.join(empty, "package.json"), "{}\n");
  for (const [args, expected] of [
    [["--dir", path.join(empty, "missing")], /--dir: expected an existing folder/],
    [["--dir", empty], /--dir: expected a repository with an Alchemy app \(an alchemy\.run\.ts\)/],
    [["--dir", empty, "--format", "yaml"], /--format: expected json or markdown/],
  ] as const) {
    const run = alchkit(["doctor", ...args]);
    assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, expected);
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    assert.equal(run.stdout, "");
  }
});
