import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { runActionDist } from "../../harness/run-action.ts";

const TOKEN = "action-token-91c2e7d4";
const ACCOUNT = "0123456789abcdef0123456789abcdef";

function home(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), "alchkit-profile-action-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test("writes the profile under the runner's HOME, masks the token and sets its outputs", async (t) => {
  const dir = home(t);
  const run = await runActionDist({
    action: "profile",
    inputs: { profile: "ci", "api-token": TOKEN, "account-id": ACCOUNT.toUpperCase(), "account-name": "Acme" },
    env: { HOME: dir, CLOUDFLARE_API_TOKEN: undefined, CLOUDFLARE_ACCOUNT_ID: undefined },
  });
  assert.equal(run.exitCode, 0, run.log);
  assert.equal(run.outputs.profile, "ci");
  assert.equal(run.outputs["config-file"], path.join(dir, ".alchemy/config.json"));
  assert.ok(run.masked.includes(TOKEN));
  assert.ok(!run.log.replaceAll(`::add-mask::${TOKEN}`, "").includes(TOKEN), "the token appears only in the mask command");
  assert.deepEqual(JSON.parse(readFileSync(path.join(dir, ".alchemy/credentials/ci/cloudflare.json"), "utf8")), { type: "api-token", apiToken: TOKEN });
  const config = JSON.parse(readFileSync(run.outputs["config-file"]!, "utf8"));
  assert.deepEqual(config.profiles.ci.cloudflare.metadata, { id: ACCOUNT, name: "Acme" });
  assert.deepEqual(run.annotations.filter((a) => a.level === "warning"), []);
});

test("CLOUDFLARE_* in the job env: a warning annotation, or with strict a failure and nothing written", async (t) => {
  const dir = home(t);
  const warned = await runActionDist({
    action: "profile",
    inputs: { "api-token": TOKEN, "account-id": ACCOUNT },
    env: { HOME: dir, CLOUDFLARE_API_TOKEN: "from-env-token" },
  });
  assert.equal(warned.exitCode, 0, warned.log);
  const warning = warned.annotations.find((a) => a.level === "warning");
  assert.match(warning?.message ?? "", /CLOUDFLARE_API_TOKEN replaces the profile's API token.*#1285/);

  const strictHome = home(t);
  const strict = await runActionDist({
    action: "profile",
    inputs: { "api-token": TOKEN, "account-id": ACCOUNT, strict: "true" },
    env: { HOME: strictHome, CLOUDFLARE_ACCOUNT_ID: ACCOUNT },
  });
  assert.equal(strict.exitCode, 1);
  assert.match(strict.annotations.find((a) => a.level === "error")?.message ?? "", /^Input environment: expected no CLOUDFLARE_\* variables/);
  assert.equal(existsSync(path.join(strictHome, ".alchemy")), false);
});

test("bad inputs: one error naming the input, the token still masked, nothing written", async (t) => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ "api-token": "", "account-id": ACCOUNT }, /^Input api-token: expected a non-empty Cloudflare API token$/],
    [{ "api-token": TOKEN, "account-id": "not-an-account" }, /^Input account-id: expected a Cloudflare account id of 32 hexadecimal characters$/],
    [{ profile: "prod staging", "api-token": TOKEN, "account-id": ACCOUNT }, /^Input profile: expected a profile name/],
  ];
  for (const [inputs, message] of cases) {
    const dir = home(t);
    const run = await runActionDist({ action: "profile", inputs, env: { HOME: dir } });
    assert.equal(run.exitCode, 1);
    const errors = run.annotations.filter((a) => a.level === "error");
    assert.equal(errors.length, 1, run.log);
    assert.match(errors[0]!.message, message);
    assert.equal(existsSync(path.join(dir, ".alchemy")), false);
    if (inputs["api-token"]) assert.ok(run.masked.includes(TOKEN));
  }
});
