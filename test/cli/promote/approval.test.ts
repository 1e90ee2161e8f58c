// The local stand-in for GitHub's required reviewers: promote and rollback show the plan and ask; "no" leaves
// the environment alone. Runs the real command in-process with a prompting terminal.
import assert from "node:assert/strict";
import { test } from "node:test";
import { commands } from "../../../workflows-lib/cli/commands/index.ts";
import type { CliContext } from "../../../workflows-lib/cli/command.ts";
import { runCli } from "../../../workflows-lib/cli/run-cli.ts";
import { createFileLedger, ledgerPath } from "../../../workflows-lib/local/ledger-file.ts";
import { liveOn } from "../../../workflows-lib/promote/ledger.ts";
import { createConsumerRepo } from "../../e2e/promote/consumer-repo.ts";

test("cli: rollback shows what it will do, asks, and a 'no' changes nothing", async (t) => {
  const repo = createConsumerRepo();
  t.after(() => repo.close());
  const ledger = createFileLedger(ledgerPath(repo.root));
  for (const sha of [repo.A, repo.B2]) {
    const entry = await ledger.append({
      kind: "deploy",
      key: `seed:${sha}`,
      environment: "production",
      sha,
      ref: "main",
      payload: { stage: "prod", buildId: sha, appEntry: "alchemy.run.ts", appDir: ".", envFile: "env/production.env" },
    });
    await ledger.mark(entry, "success", { url: "http://localhost:9/" });
  }
  const before = JSON.stringify(await ledger.history());
  const questions: string[] = [];
  let stderr = "";
  const ctx: CliContext = {
    cwd: repo.root,
    env: repo.env,
    isTTY: true,
    stdout: () => {},
    stderr: (text) => (stderr += text),
    prompt: async (question) => {
      questions.push(question);
      return "n";
    },
  };
  const code = await runCli(commands, ["rollback", "--env", "production", "--local"], ctx, "0.0.0");
  assert.equal(code, 1);
  assert.equal(questions.length, 1);
  assert.match(questions[0]!, new RegExp(`Roll production back to ${repo.A.slice(0, 7)} as stage prod \\(live now: ${repo.B2.slice(0, 7)}\\).*Proceed\\? \\[y/N\\]`));
  assert.match(stderr, /Not approved: production was left unchanged/);
  assert.equal((await liveOn(ledger, "production"))?.sha, repo.B2);
  assert.equal(JSON.stringify(await ledger.history()), before, "nothing recorded");

  // Without --local the commands need GitHub: one clear error before anything else.
  let error = "";
  const github = await runCli(commands, ["ledger"], { ...ctx, env: { PATH: process.env.PATH }, stderr: (text) => (error += text) }, "0.0.0");
  assert.equal(github, 2);
  assert.match(error, /--repo: expected OWNER\/NAME \(or GITHUB_REPOSITORY\), or --local to work without GitHub/);
});
