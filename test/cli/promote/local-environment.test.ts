// A local environment as a user has one: settings committed in `.env.<environment>`, secrets in a gitignored
// `.env`, deployed with `alchkit deploy --local` and stopped with `alchkit env down --local`.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { appendFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { isListening } from "../../../workflows-lib/alchemy/process-group.ts";
import { createFileLedger, ledgerPath } from "../../../workflows-lib/local/ledger-file.ts";
import { liveOn, stateOf } from "../../../workflows-lib/promote/ledger.ts";
import { createConsumerRepo, type ConsumerRepo } from "../../e2e/promote/consumer-repo.ts";

const MAIN = fileURLToPath(new URL("../../../workflows-lib/cli/main.ts", import.meta.url));

function alchkit(repo: ConsumerRepo, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: repo.root, env: repo.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test("cli: a local deploy loads the repository's .env (gitignored) and .env.<environment>, says so; env down stops it and says what", async (t) => {
  const repo = createConsumerRepo();
  t.after(() => repo.close());
  // Committed settings: staging takes live payments. The provider's URL is a secret: only in the gitignored .env.
  writeFileSync(path.join(repo.root, ".env.staging"), "CHECKOUT_MODE=live\n");
  appendFileSync(path.join(repo.root, ".gitignore"), ".env\n");
  writeFileSync(path.join(repo.root, ".env"), "PAYMENT_PROVIDER_URL=https://payments.example.com\n");
  repo.git("add", ".gitignore", ".env.staging");
  repo.git("commit", "--quiet", "-m", "Staging takes live payments");

  const deploy = await alchkit(repo, ["deploy", "--env", "staging", "--local", "--keep-failed"]);
  assert.equal(deploy.code, 0, `without the .env the live checkout has no provider and /health answers 503:\n${deploy.stderr}`);
  assert.match(deploy.stderr, /env files loaded: \.env \(working copy\), \.env\.staging \(commit\)/);
  assert.doesNotMatch(deploy.stdout + deploy.stderr, /payments\.example\.com/, "what the files hold is not printed");
  const { url } = JSON.parse(deploy.stdout) as { url: string };
  const port = Number(new URL(url).port);
  assert.equal((await fetch(new URL("/health", url))).status, 200);

  const down = await alchkit(repo, ["env", "down", "--env", "staging", "--local"]);
  assert.equal(down.code, 0, down.stderr);
  const stopped = JSON.parse(down.stdout);
  assert.equal(stopped.stopped, true);
  assert.equal(stopped.stage, "staging");
  assert.equal(stopped.url, url);
  assert.equal(stopped.sha, repo.git("rev-parse", "HEAD"));
  assert.match(down.stderr, new RegExp(`Stopped staging \\(stage staging\\): pid ${stopped.pid} at ${url.replace(/[.]/g, "\\.")}, running ${stopped.sha.slice(0, 7)}\\. Its data is kept`));
  assert.equal(await isListening(port), false, "nothing answers on the environment's port any more");
  const ledger = createFileLedger(ledgerPath(repo.root));
  assert.equal(await liveOn(ledger, "staging"), undefined, "the ledger no longer shows anything live on staging");
  assert.equal(stateOf((await ledger.history("staging"))[0]!), "inactive");

  // Stopping again is not an error, and says so.
  const again = await alchkit(repo, ["env", "down", "--env", "staging", "--local"]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(JSON.parse(again.stdout).stopped, false);
  assert.match(again.stderr, /staging \(stage staging\) was not running/);
  // On Cloudflare there is nothing to stop: one clear error.
  const remote = await alchkit(repo, ["env", "down", "--env", "staging"]);
  assert.equal(remote.code, 2);
  assert.match(remote.stderr, /--local/);
});
