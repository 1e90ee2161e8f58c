// `alchkit init` in a repository it does not trust: its alchkit.config.json or its folder names cannot make
// init write outside the repository or put text into the generated workflows and scripts that GitHub, the
// shell or k6 would run; previews and production get separate credentials.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../harness/run-action.ts";
import { CONSUMER_APP_DIR } from "../support/local-app.ts";
import { interpolate } from "../support/workflow-expressions.ts";
import { planInit } from "../../workflows-lib/init/plan-init.ts";
import { alchkit } from "../support/cli.ts";

const cli = (args: string[]) => alchkit(args);

function newRepo(t: { after(fn: () => void): void }, config?: unknown): { parent: string; dir: string } {
  const parent = mkdtempSync(path.join(tmpdir(), "alchkit-init-safety-"));
  t.after(() => rmSync(parent, { recursive: true, force: true }));
  const dir = path.join(parent, "repo");
  mkdirSync(dir);
  for (const f of ["alchemy.run.ts", "package.json", "src"]) cpSync(path.join(CONSUMER_APP_DIR, f), path.join(dir, f), { recursive: true });
  writeFileSync(path.join(dir, "package-lock.json"), "{}\n");
  if (config !== undefined) writeFileSync(path.join(dir, "alchkit.config.json"), `${JSON.stringify(config, null, 2)}\n`);
  return { parent, dir };
}

const filesUnder = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();

test("a configured path outside the repository is refused: exit 2, naming the key, nothing written anywhere", (t) => {
  for (const [key, loadGate] of [
    ["loadGate.script", { script: "../escaped.js" }],
    ["loadGate.thresholds", { thresholds: "/tmp/abs.json" }],
    ["loadGate.scenario", { scenario: "load/../../x.json" }],
  ] as const) {
    const { parent, dir } = newRepo(t, { loadGate });
    const before = filesUnder(parent);
    const run = cli(["init", "--dir", dir]);
    assert.equal(run.status, 2, `${key}: ${run.stderr}`);
    assert.match(run.stderr, new RegExp(`alchkit\\.config\\.json ${key.replace(".", "\\.")}: expected a path inside the repository`));
    assert.deepEqual(filesUnder(parent), before, `${key}: nothing written`);
  }
});

test("a health path that is not a URL path is refused before anything is written", (t) => {
  const { parent, dir } = newRepo(t, { preview: { healthPath: "/health`); require('child_process').exec('id'); //" } });
  const before = filesUnder(parent);
  const run = cli(["init", "--dir", dir]);
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /alchkit\.config\.json preview\.healthPath: expected a URL path/);
  assert.deepEqual(filesUnder(parent), before);
});

test("a folder linked out of the repository is not written through", (t) => {
  const { parent, dir } = newRepo(t);
  const outside = path.join(parent, "outside");
  mkdirSync(outside);
  symlinkSync(outside, path.join(dir, "load"));
  const run = cli(["init", "--dir", dir]);
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /load\/script\.js: expected a path inside the repository \(.*load links out of it\)/);
  assert.deepEqual(readdirSync(outside), []);
  assert.equal(existsSync(path.join(dir, ".github")), false, "nothing half-written");
});

test("values from the repository reach the workflows as plain strings: no expression, no YAML, no JS", () => {
  // Folder names may hold quotes, `#`, `${{` (not a newline: that is refused like a path out of the repository).
  const hostile = 'apps/${{ secrets.PRODUCTION_TOKEN }}", malicious: true # x';
  const plan = planInit({ appDirectory: hostile, entry: "alchemy.run.ts", existing: {} }, "v1.2.3");
  const preview = plan.find((f) => f.path === ".github/workflows/preview.yml")!.content;
  const parsed = parse(preview) as { jobs: { preview: { with: Record<string, string> } }; malicious?: unknown };
  assert.equal(parsed.malicious, undefined, "no YAML key injected");
  const dir = parsed.jobs.preview.with["working-directory"]!;
  // What GitHub makes of the value: the folder name, literally; the secret is never referenced.
  assert.equal(interpolate(dir, { secrets: { PRODUCTION_TOKEN: "leaked" } }), hostile);
  for (const file of plan.filter((f) => f.path.endsWith(".yml"))) assert.doesNotMatch(file.content, /\$\{\{ secrets\.PRODUCTION_TOKEN/, file.path);
  const script = plan.find((f) => f.path === "load/script.js")!.content;
  assert.match(script, /http\.get\(__ENV\.BASE_URL \+ "\/health"\)/);
});

test("previews get preview-only credentials; deploy, promote and rollback take their environment's", () => {
  const plan = planInit({ appDirectory: ".", entry: "alchemy.run.ts", existing: {} }, "v1.2.3");
  const secretsOf = (file: string) => (parse(plan.find((f) => f.path === `.github/workflows/${file}`)!.content) as { jobs: Record<string, { secrets?: Record<string, string> }> }).jobs;
  assert.deepEqual(Object.values(secretsOf("preview.yml"))[0]!.secrets, {
    CLOUDFLARE_API_TOKEN: "${{ secrets.PREVIEW_CLOUDFLARE_API_TOKEN }}",
    CLOUDFLARE_ACCOUNT_ID: "${{ secrets.CLOUDFLARE_ACCOUNT_ID }}",
    ALCHEMY_PASSWORD: "${{ secrets.PREVIEW_ALCHEMY_PASSWORD }}",
    ALCHEMY_STATE_TOKEN: "${{ secrets.PREVIEW_ALCHEMY_STATE_TOKEN }}",
  });
  for (const file of ["deploy.yml", "promote.yml", "rollback.yml"]) {
    const secrets = Object.values(secretsOf(file))[0]!.secrets!;
    assert.equal(secrets.CLOUDFLARE_API_TOKEN, "${{ secrets.CLOUDFLARE_API_TOKEN }}", file);
    assert.ok(!JSON.stringify(secrets).includes("PREVIEW_"), file);
  }
  for (const file of plan.filter((f) => f.path.startsWith(".github/"))) assert.doesNotMatch(file.content, /secrets: inherit/, file.path);
  // The kit's own jobs run in the target environment, so its secrets are the ones they get.
  for (const file of ["deploy.yml", "promote.yml", "rollback.yml"]) {
    const kit = parse(readFileSync(path.join(repoRoot, ".github/workflows", file), "utf8")) as { jobs: Record<string, { environment?: { name: string }; steps?: Array<{ with?: Record<string, string> }> }> };
    const withSecrets = Object.values(kit.jobs).filter((job) => JSON.stringify(job.steps ?? []).includes("secrets.CLOUDFLARE_API_TOKEN"));
    assert.ok(withSecrets.length > 0, file);
    // The policy gate reads a stage's state before the environment's reviewers are asked (see docs/policy.md).
    for (const [name, job] of Object.entries(kit.jobs).filter(([, j]) => withSecrets.includes(j))) {
      if (name === "policy") continue;
      // A manual blue-green's switch runs in the environment whose reviewers approve it (default the target).
      const environment = name === "switch" ? /^\$\{\{ inputs\.switch-environment \|\| inputs\.(environment|to) \}\}$/ : /^\$\{\{ inputs\.(environment|to) \}\}$/;
      assert.match(String(job.environment?.name), environment, `${file}: credentials only in the environment's job`);
    }
  }
});
