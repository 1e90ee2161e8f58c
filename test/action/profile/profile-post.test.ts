// The Cloudflare credentials file does not outlive the job: actions/profile's post step (which the runner runs
// when the job ends, also after a failure) removes what its main step wrote, and only that.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { repoRoot, runActionDist } from "../../harness/run-action.ts";

const ACCOUNT = "0123456789abcdef0123456789abcdef";

test("the post step removes the credentials file and the profile; other profiles stay", async (t) => {
  const home = mkdtempSync(path.join(tmpdir(), "alchkit-profile-post-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  // A developer's own profile on a reused (self-hosted) runner.
  mkdirSync(path.join(home, ".alchemy/credentials/default"), { recursive: true });
  writeFileSync(path.join(home, ".alchemy/config.json"), JSON.stringify({ version: 1, profiles: { default: { cloudflare: { method: "api-token", metadata: { id: ACCOUNT, name: "mine" } } } } }, null, 2));
  writeFileSync(path.join(home, ".alchemy/credentials/default/cloudflare.json"), JSON.stringify({ type: "api-token", apiToken: "mine" }));

  const main = await runActionDist({ action: "profile", inputs: { profile: "ci", "api-token": "post-step-token-123", "account-id": ACCOUNT }, env: { HOME: home } });
  assert.equal(main.exitCode, 0, main.log);
  const credentials = path.join(home, ".alchemy/credentials/ci/cloudflare.json");
  assert.ok(existsSync(credentials));
  assert.ok(main.state.alchkit_profile_written, "the main step leaves state for the post step");

  // The runner runs `runs.post` with the saved state as STATE_<name>.
  const post = await runActionDist({ action: "profile", inputs: { profile: "ci", "api-token": "post-step-token-123", "account-id": ACCOUNT }, env: { HOME: home, STATE_alchkit_profile_written: main.state.alchkit_profile_written! } });
  assert.equal(post.exitCode, 0, post.log);
  assert.equal(existsSync(credentials), false, "the token's file is gone");
  assert.equal(existsSync(path.dirname(credentials)), false);
  const config = JSON.parse(readFileSync(path.join(home, ".alchemy/config.json"), "utf8"));
  assert.deepEqual(Object.keys(config.profiles), ["default"], "the other profile is kept");
  assert.ok(existsSync(path.join(home, ".alchemy/credentials/default/cloudflare.json")));

  const manifest = parse(readFileSync(path.join(repoRoot, "actions/profile/action.yml"), "utf8")) as { runs: Record<string, string> };
  assert.equal(manifest.runs.post, "dist/index.js");
  assert.equal(manifest.runs["post-if"], "always()", "also after a failed step");
});
