import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { profileSetCommand } from "../../../workflows-lib/cli/commands/profile.ts";
import { alchkitInProcess } from "../../support/cli.ts";

const root = path.resolve(import.meta.dirname, "../../..");
const ACCOUNT = "0123456789abcdef0123456789abcdef";
const TOKEN = "cli-test-token-7f3a9c";

// In-process through the same runner as the `alchkit` binary (one spawn for the whole CLI is covered elsewhere).
async function alchkit(args: string[], env: Record<string, string> = {}) {
  // CLOUDFLARE_* would be overrides the command warns about: only planted where a test sets them itself.
  const { code, stdout, stderr } = await alchkitInProcess(args, { cwd: root, commands: [profileSetCommand], env: { PATH: process.env.PATH, CLOUDFLARE_API_TOKEN: undefined, ...env } });
  return { code, stdout, stderr };
}

function tempHome(t: { after: (fn: () => void) => void }): string {
  const home = mkdtempSync(path.join(tmpdir(), "alchkit-profile-home-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  return home;
}

test("profile set writes Alchemy's two files (mode 0600) and prints where, never the token", async (t) => {
  const home = tempHome(t);
  const run = await alchkit(["profile", "set", "--profile", "prod", "--api-token", TOKEN, "--account-id", ACCOUNT], { HOME: home });
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout) as { profile: string; configFile: string; credentialsFile: string };
  assert.equal(out.profile, "prod");
  assert.equal(out.credentialsFile, path.join(home, ".alchemy/credentials/prod/cloudflare.json"));
  assert.deepEqual(JSON.parse(readFileSync(out.credentialsFile, "utf8")), { type: "api-token", apiToken: TOKEN });
  const config = JSON.parse(readFileSync(out.configFile, "utf8"));
  assert.deepEqual(config.profiles.prod.cloudflare, { method: "api-token", metadata: { id: ACCOUNT, name: ACCOUNT } });
  assert.equal(statSync(out.credentialsFile).mode & 0o777, 0o600);
  assert.ok(!`${run.stdout}${run.stderr}`.includes(TOKEN));
});

test("bad input: one clear error each, exit 2, nothing written", async (t) => {
  const home = tempHome(t);
  const cases: [string[], RegExp][] = [
    [["--api-token", "", "--account-id", ACCOUNT], /--api-token: expected a non-empty Cloudflare API token/],
    [["--api-token", TOKEN, "--account-id", "12345"], /--account-id: expected a Cloudflare account id of 32 hexadecimal characters/],
    [["--profile", "ci/../../x", "--api-token", TOKEN, "--account-id", ACCOUNT], /--profile: expected a profile name of letters, digits/],
  ];
  for (const [args, message] of cases) {
    const run = await alchkit(["profile", "set", ...args], { HOME: home });
    assert.equal(run.code, 2);
    assert.match(run.stderr, message);
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    assert.ok(!run.stderr.includes(TOKEN));
  }
  assert.equal(existsSync(path.join(home, ".alchemy")), false);
});

test("CLOUDFLARE_* variables: a warning, or with --strict a failure before writing", async (t) => {
  const home = tempHome(t);
  const args = ["profile", "set", "--profile", "ci", "--api-token", TOKEN, "--account-id", ACCOUNT];
  const strict = await alchkit([...args, "--strict"], { HOME: home, CLOUDFLARE_API_TOKEN: "other" });
  assert.equal(strict.code, 2);
  assert.match(strict.stderr, /CLOUDFLARE_API_TOKEN replaces the profile's API token.*#1285/);
  assert.equal(existsSync(path.join(home, ".alchemy")), false);
  const warn = await alchkit(args, { HOME: home, CLOUDFLARE_ACCOUNT_ID: ACCOUNT });
  assert.equal(warn.code, 0);
  assert.match(warn.stderr, /^warning: CLOUDFLARE_ACCOUNT_ID replaces the profile's account id/);
  assert.deepEqual(JSON.parse(warn.stdout).overriddenBy, ["CLOUDFLARE_ACCOUNT_ID"]);
});

test("existing profiles survive; an unreadable config.json is reported and left alone", async (t) => {
  const home = tempHome(t);
  assert.equal((await alchkit(["profile", "set", "--api-token", TOKEN, "--account-id", ACCOUNT], { HOME: home })).code, 0);
  assert.equal((await alchkit(["profile", "set", "--profile", "ci", "--api-token", "t2-abcdef", "--account-id", ACCOUNT], { HOME: home })).code, 0);
  const config = JSON.parse(readFileSync(path.join(home, ".alchemy/config.json"), "utf8"));
  assert.deepEqual(Object.keys(config.profiles), ["default", "ci"]);
  assert.equal(JSON.parse(readFileSync(path.join(home, ".alchemy/credentials/default/cloudflare.json"), "utf8")).apiToken, TOKEN);

  const broken = tempHome(t);
  mkdirSync(path.join(broken, ".alchemy"));
  writeFileSync(path.join(broken, ".alchemy/config.json"), "{ not json");
  const run = await alchkit(["profile", "set", "--api-token", TOKEN, "--account-id", ACCOUNT, "--home", broken]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /config\.json is not valid JSON; fix or remove it/);
  assert.equal(readFileSync(path.join(broken, ".alchemy/config.json"), "utf8"), "{ not json");
  assert.equal(existsSync(path.join(broken, ".alchemy/credentials")), false);
});
