import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { assertNoViolations, startGitHubStandIn } from "../../github/index.ts";
import { createGitHubClient } from "../../../workflows-lib/github/client.ts";
import { githubBranchProtection } from "../../../workflows-lib/github/branch-protection.ts";
import { applyProtection } from "../../../workflows-lib/protect/apply-protection.ts";
import type { ProtectOptions } from "../../../workflows-lib/protect/apply-protection.ts";
import { DEFAULT_RULESET_NAME } from "../../../workflows-lib/protect/branch-rule.ts";
import { repoRoot } from "../../harness/run-action.ts";

const options = (over: Partial<ProtectOptions> = {}): ProtectOptions => ({
  mode: "auto",
  checks: ["ci / summary"],
  approvals: 0,
  dismissStaleReviews: false,
  strict: false,
  rulesetName: DEFAULT_RULESET_NAME,
  dryRun: false,
  ...over,
});

async function standIn(t: { after(fn: () => unknown): void }) {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = createGitHubClient({ token: gh.token, baseUrl: gh.url, timeScale: 0.001 });
  return { gh, octokit, port: githubBranchProtection(octokit, "octo", "app") };
}

const writes = (gh: Awaited<ReturnType<typeof startGitHubStandIn>>) =>
  gh.calls.count("repos/create-repo-ruleset") + gh.calls.count("repos/update-repo-ruleset") + gh.calls.count("repos/update-branch-protection");

describe("alchkit protect against the GitHub stand-in", () => {
  it("creates a ruleset on the default branch requiring a pull request and the summary check, then changes nothing", async (t) => {
    const { gh, port } = await standIn(t);
    const first = await applyProtection(port, options({ approvals: 1 }));
    assert.equal(first.mode, "ruleset");
    assert.equal(first.branch, "main");
    assert.equal(first.outcome, "created");
    const [ruleset] = [...gh.state.repo("octo/app")!.rulesets.values()];
    assert.equal(ruleset!.enforcement, "active");
    assert.deepEqual(ruleset!.conditions, { ref_name: { include: ["~DEFAULT_BRANCH"], exclude: [] } });
    const rules = new Map(ruleset!.rules.map((r) => [r.type as string, r.parameters as Record<string, unknown>]));
    assert.equal(rules.get("pull_request")!.required_approving_review_count, 1);
    assert.deepEqual(rules.get("required_status_checks")!.required_status_checks, [{ context: "ci / summary" }]);

    const second = await applyProtection(port, options({ approvals: 1 }));
    assert.equal(second.outcome, "unchanged");
    assert.deepEqual(second.changes, []);
    assert.equal(writes(gh), 1, "the second run only read");
    assertNoViolations(gh);
  });

  it("repairs a ruleset someone edited, in place", async (t) => {
    const { gh, octokit, port } = await standIn(t);
    const created = await applyProtection(port, options());
    await octokit.rest.repos.updateRepoRuleset({ owner: "octo", repo: "app", ruleset_id: created.rulesetId!, enforcement: "evaluate", rules: [{ type: "deletion" }] });
    const repaired = await applyProtection(port, options());
    assert.equal(repaired.outcome, "updated");
    assert.ok(repaired.changes.includes("enforcement evaluate → active"), repaired.changes.join("; "));
    assert.ok(repaired.changes.includes("add rule required_status_checks"));
    assert.equal(gh.state.repo("octo/app")!.rulesets.size, 1);
    assert.equal((await applyProtection(port, options())).outcome, "unchanged");
    assertNoViolations(gh);
  });

  it("dry run reports and writes nothing", async (t) => {
    const { gh, port } = await standIn(t);
    const result = await applyProtection(port, options({ dryRun: true }));
    assert.equal(result.outcome, "created");
    assert.equal(writes(gh), 0);
    assert.equal(gh.state.repo("octo/app")!.rulesets.size, 0);
  });

  it("survives server errors and a lost answer without duplicating the ruleset", async (t) => {
    const { gh, port } = await standIn(t);
    gh.faults.add({ route: "repos/get-repo-rulesets", kind: 502, times: 2 });
    gh.faults.add({ route: "repos/create-repo-ruleset", kind: "reset-after-write", times: 1 });
    const result = await applyProtection(port, options());
    assert.ok(result.outcome === "created" || result.outcome === "unchanged", result.outcome);
    assert.equal(gh.state.repo("octo/app")!.rulesets.size, 1);
    assert.equal((await applyProtection(port, options())).outcome, "unchanged");
    assertNoViolations(gh);
  });

  it("classic protection: adds the check and a pull request, keeping the checks already required", async (t) => {
    const { gh, octokit, port } = await standIn(t);
    await octokit.rest.repos.updateBranchProtection({
      owner: "octo",
      repo: "app",
      branch: "main",
      required_status_checks: { strict: true, contexts: ["lint"] },
      enforce_admins: true,
      required_pull_request_reviews: null,
      restrictions: null,
    });
    const first = await applyProtection(port, options({ mode: "classic", approvals: 1 }));
    assert.equal(first.mode, "classic");
    assert.equal(first.outcome, "updated");
    const stored = gh.state.repo("octo/app")!.protections.get("main")! as Record<string, any>;
    assert.deepEqual(stored.required_status_checks.checks.map((c: { context: string }) => c.context), ["ci / summary", "lint"]);
    assert.equal(stored.required_status_checks.strict, true, "an existing stricter setting is kept");
    assert.equal(stored.enforce_admins, true);
    assert.equal(stored.required_pull_request_reviews.required_approving_review_count, 1);
    const before = gh.calls.count("repos/update-branch-protection");
    assert.equal((await applyProtection(port, options({ mode: "classic", approvals: 1 }))).outcome, "unchanged");
    assert.equal(gh.calls.count("repos/update-branch-protection"), before);
    assertNoViolations(gh);
  });

  it("classic protection on an unprotected branch is created with the check and a pull request", async (t) => {
    const { gh, port } = await standIn(t);
    const result = await applyProtection(port, options({ mode: "classic" }));
    assert.deepEqual([result.mode, result.outcome], ["classic", "created"]);
    const stored = gh.state.repo("octo/app")!.protections.get("main")! as Record<string, any>;
    assert.deepEqual(stored.required_status_checks.contexts, ["ci / summary"]);
    assert.deepEqual(stored.required_status_checks.checks, [{ context: "ci / summary" }]);
    assert.equal(stored.required_pull_request_reviews.required_approving_review_count, 0);
    assert.equal((await applyProtection(port, options({ mode: "classic" }))).outcome, "unchanged");
    assertNoViolations(gh);
  });

  it("the CLI: JSON result, idempotent, exit 2 without a token", async (t) => {
    const { gh } = await standIn(t);
    const cli = path.join(repoRoot, "workflows-lib/cli/main.ts");
    const run = (env: Record<string, string | undefined>, ...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [cli, "protect", ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ALCHKIT_GITHUB_TIME_SCALE: "0.01", ...env } }, (error, stdout, stderr) =>
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    const first = await run(gh.env, "--repo", "octo/app", "--check", "ci / summary", "--check", "preview / preview");
    assert.equal(first.code, 0, first.stderr);
    assert.equal(JSON.parse(first.stdout).outcome, "created");
    const again = await run(gh.env, "--repo", "octo/app", "--check", "ci / summary", "--check", "preview / preview");
    assert.equal(JSON.parse(again.stdout).outcome, "unchanged");
    const noToken = await run({ GITHUB_API_URL: gh.url }, "--repo", "octo/app");
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /GITHUB_TOKEN/);
    assertNoViolations(gh);
  });
});
