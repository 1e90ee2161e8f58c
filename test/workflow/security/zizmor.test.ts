// zizmor, the static analyser for GitHub Actions, at its pedantic persona over every workflow and action of the
// kit and every workflow `alchkit init` writes: no finding, and every suppression in a file says why.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { repoRoot } from "../../harness/run-action.ts";
import { tool } from "../../support/tools.ts";
import { planInit } from "../../../workflows-lib/init/plan-init.ts";

const zizmor = tool("zizmor", "the GitHub Actions security audit");

interface ZizmorFinding {
  ident: string;
  desc: string;
  determinations: { severity: string; confidence: string };
  locations: Array<{ symbolic: { key: { Local?: { given_path?: string; verbatim_path?: string } }; annotation?: string }; concrete: { location: { start_point: { row: number } } } }>;
}

function audit(bin: string, inputs: string[]): ZizmorFinding[] {
  const run = spawnSync(bin, ["--offline", "--pedantic", "--no-config", "--no-progress", "--format", "json", ...inputs], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  assert.ok(run.stdout.trim().startsWith("["), `zizmor printed no findings list (exit ${run.status}):\n${run.stderr}`);
  return JSON.parse(run.stdout) as ZizmorFinding[];
}

function describe(findings: ZizmorFinding[], root: string): string[] {
  return findings.map((f) => {
    const where = f.locations[0];
    const file = where?.symbolic.key.Local?.given_path ?? where?.symbolic.key.Local?.verbatim_path ?? "?";
    return `${relative(root, file) || file}:${(where?.concrete.location.start_point.row ?? 0) + 1} ${f.ident} (${f.determinations.severity}): ${where?.symbolic.annotation ?? f.desc}`;
  });
}

const kitFiles = [
  ...readdirSync(join(repoRoot, ".github/workflows")).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(repoRoot, ".github/workflows", f)),
  join(repoRoot, "action.yml"),
  ...readdirSync(join(repoRoot, "actions"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(repoRoot, "actions", d.name, "action.yml")),
];

/** Every file `alchkit init` writes that GitHub runs, for a repository with its app in a subfolder. */
function renderInitTemplates(dir: string): string[] {
  const plan = planInit({ appDirectory: "apps/api", entry: "alchemy.run.ts", packageManager: "pnpm", existing: {} }, "v1.2.3");
  const written: string[] = [];
  for (const file of plan.filter((f) => f.path.startsWith(".github/"))) {
    const target = join(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    written.push(target);
  }
  return written;
}

test("zizmor (pedantic) finds nothing in the kit's workflows and actions", { skip: zizmor.skip }, () => {
  const findings = audit(zizmor.require(), kitFiles);
  assert.deepEqual(describe(findings, repoRoot), []);
});

test("zizmor (pedantic) finds nothing in what `alchkit init` writes", { skip: zizmor.skip }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), "alchkit-zizmor-init-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files = renderInitTemplates(dir);
  assert.ok(files.length >= 6, "init writes the workflows");
  assert.deepEqual(describe(audit(zizmor.require(), files), dir), []);
});

test("every zizmor suppression names the audit and says why", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "alchkit-zizmor-reasons-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files = [...kitFiles, ...renderInitTemplates(dir)];
  let suppressions = 0;
  for (const file of files) {
    readFileSync(file, "utf8").split("\n").forEach((line, i) => {
      const m = /zizmor:\s*ignore\[([^\]]*)\](.*)$/.exec(line);
      if (!m) return;
      suppressions++;
      assert.match(m[1]!, /^[a-z-]+(,\s*[a-z-]+)*$/, `${file}:${i + 1} names the audit`);
      assert.ok(m[2]!.trim().split(/\s+/).length >= 4, `${file}:${i + 1} gives the reason after the audit name`);
    });
  }
  assert.ok(suppressions > 0);
});
