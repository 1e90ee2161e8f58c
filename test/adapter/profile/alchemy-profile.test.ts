import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { AlchemyError } from "../../../workflows-lib/alchemy/alchemy-errors.ts";
import { createLocalRuntime } from "../../../workflows-lib/alchemy/local-runtime.ts";
import { processGroupAlive } from "../../../workflows-lib/alchemy/process-group.ts";
import { profileSetCommand } from "../../../workflows-lib/cli/commands/profile.ts";
import { runCli } from "../../../workflows-lib/cli/run-cli.ts";
import { CONSUMER_APP_DIR } from "../../support/local-app.ts";

const TOKEN = "proof-token-5d1e8b2c9a";
const ACCOUNT = "0123456789abcdef0123456789abcdef";

// The real Alchemy CLI reads the profile alchkit wrote: with --profile ci and no CLOUDFLARE_* variable at all,
// the example app starts; without the profile the same start fails naming the profile.
test("Alchemy runs the example app with profile ci written by alchkit, and the token is never shown", async (t) => {
  const home = mkdtempSync(path.join(tmpdir(), "alchkit-proof-home-"));
  const stateDir = mkdtempSync(path.join(tmpdir(), "alchkit-proof-state-"));
  const stage = `test-profile-${process.pid}`;
  t.after(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(path.join(CONSUMER_APP_DIR, ".alchemy", "consumer-app", stage), { recursive: true, force: true });
  });
  const env = { PATH: process.env.PATH, HOME: home };
  for (const name of Object.keys(env)) assert.ok(!name.startsWith("CLOUDFLARE_"));
  let shown = "";
  const runtime = createLocalRuntime({ cwd: CONSUMER_APP_DIR, env, stateDir, onOutput: (chunk) => void (shown += chunk) });

  await assert.rejects(runtime.start({ stage, profile: "ci" }), (e) => {
    assert.ok(e instanceof AlchemyError);
    assert.match(e.message, /(profile "ci" has no Cloudflare credentials|no Cloudflare credentials for profile "ci")/);
    return true;
  });

  let cliOut = "";
  const code = await runCli(
    [profileSetCommand],
    ["profile", "set", "--profile", "ci", "--api-token", TOKEN, "--account-id", ACCOUNT],
    { cwd: CONSUMER_APP_DIR, env, isTTY: false, stdout: (s) => void (cliOut += s), stderr: (s) => void (cliOut += s) },
    "0.0.0",
  );
  assert.equal(code, 0, cliOut);

  const app = await runtime.start({ stage, profile: "ci", vars: { BUILD_ID: "profile-proof" } });
  let down = false;
  t.after(async () => {
    if (!down) await runtime.down({ stage });
  });
  assert.equal(app.record.profile, "ci");
  const version = await fetch(new URL("version", app.deployment.urls.api));
  assert.deepEqual(await version.json(), { build: "profile-proof", variant: "standard" });

  await runtime.down({ stage });
  down = true;
  assert.equal(processGroupAlive(app.pid), false);
  const stageDir = path.join(CONSUMER_APP_DIR, ".alchemy", "consumer-app", stage);
  assert.ok(!existsSync(stageDir) || readdirSync(stageDir).length === 0);

  for (const [what, text] of [["alchemy output", shown], ["alchkit output", cliOut], ["deployment", JSON.stringify(app)]] as const) {
    assert.ok(text.length > 0 || what === "deployment");
    assert.ok(!text.includes(TOKEN), `${what} shows the token`);
  }
});
