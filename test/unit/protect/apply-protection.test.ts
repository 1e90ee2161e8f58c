import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ProtectionUnavailable, applyProtection } from "../../../workflows-lib/protect/apply-protection.ts";
import type { BranchProtectionPort, ProtectOptions } from "../../../workflows-lib/protect/apply-protection.ts";
import { classicDifferences, desiredRuleset, rulesetDifferences } from "../../../workflows-lib/protect/branch-rule.ts";
import { repositoryFromRemoteUrl } from "../../../workflows-lib/protect/repository-slug.ts";

/** A repository whose plan offers no rulesets (GitHub answers 403 "Upgrade to GitHub Pro"). */
function repoWithoutRulesets(): BranchProtectionPort & { classic: Map<string, unknown> } {
  const classic = new Map<string, unknown>();
  const none = async (): Promise<never> => {
    throw new ProtectionUnavailable("Repository rulesets is not available (GitHub answered 403)");
  };
  return {
    classic,
    defaultBranch: async () => "trunk",
    listRulesets: none,
    getRuleset: none,
    createRuleset: none,
    updateRuleset: none,
    getClassicProtection: async (branch) => {
      const body = classic.get(branch) as Record<string, any> | undefined;
      if (!body) return undefined;
      // Answer in GET's shape, as GitHub does.
      return {
        required_status_checks: body.required_status_checks,
        required_pull_request_reviews: body.required_pull_request_reviews,
        enforce_admins: { enabled: body.enforce_admins },
      };
    },
    putClassicProtection: async (branch, body) => void classic.set(branch, body),
  };
}

const options: ProtectOptions = {
  mode: "auto",
  checks: ["ci / summary"],
  approvals: 0,
  dismissStaleReviews: false,
  strict: false,
  rulesetName: "alchkit",
  dryRun: false,
};

describe("applyProtection", () => {
  it("auto falls back to classic protection where rulesets are unavailable, and converges", async () => {
    const port = repoWithoutRulesets();
    const first = await applyProtection(port, options);
    assert.deepEqual([first.mode, first.branch, first.outcome], ["classic", "trunk", "created"]);
    assert.deepEqual(first.changes, ["the branch is not protected"]);
    assert.equal((await applyProtection(port, options)).outcome, "unchanged");
  });

  it("ruleset mode does not fall back: the user asked for a ruleset", async () => {
    await assert.rejects(applyProtection(repoWithoutRulesets(), { ...options, mode: "ruleset" }), ProtectionUnavailable);
  });
});

describe("rule comparison", () => {
  const rule = { branch: "main", checks: ["ci / summary"], approvals: 1, dismissStaleReviews: true, strict: false };
  it("a ruleset as GitHub returns it (extra fields, other key order) equals the desired one", () => {
    const desired = desiredRuleset(rule, "x", true);
    const returned = {
      id: 7,
      ...desired,
      source_type: "Repository",
      rules: [...desired.rules].reverse().map((r) => ({ ...r, parameters: r.parameters ? { ...r.parameters, extra_unknown: undefined } : undefined })),
    };
    assert.deepEqual(rulesetDifferences(JSON.parse(JSON.stringify(returned)), desired), []);
  });
  it("a pinned app id is a difference when the check may come from anywhere", () => {
    const desired = desiredRuleset({ ...rule, checkAppId: 15368 }, "x", true);
    const loose = desiredRuleset(rule, "x", true);
    assert.deepEqual(rulesetDifferences(loose, desired), ["update rule required_status_checks"]);
  });
  it("classic: more approvals than asked is fine, fewer is a difference", () => {
    const existing = { required_status_checks: { contexts: ["ci / summary"] }, required_pull_request_reviews: { required_approving_review_count: 2, dismiss_stale_reviews: true } };
    assert.deepEqual(classicDifferences(existing, rule), []);
    assert.deepEqual(classicDifferences(existing, { ...rule, approvals: 3 }), ["require 3 approval(s)"]);
  });
});

describe("repositoryFromRemoteUrl", () => {
  it("reads https, ssh and scp-like remotes", () => {
    assert.equal(repositoryFromRemoteUrl("https://github.com/octo/app.git"), "octo/app");
    assert.equal(repositoryFromRemoteUrl("git@github.com:octo/app.git\n"), "octo/app");
    assert.equal(repositoryFromRemoteUrl("ssh://git@ghe.example.com/octo/my.app"), "octo/my.app");
    assert.equal(repositoryFromRemoteUrl("/srv/git/app.git"), undefined);
  });
});
