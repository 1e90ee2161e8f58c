import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { notifyCommand } from "../../../workflows-lib/cli/commands/notify.ts";
import { runCli } from "../../../workflows-lib/cli/run-cli.ts";
import { startReceiversStandIn } from "../../receivers/server.ts";

async function cli(cwd: string, env: NodeJS.ProcessEnv, ...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli([notifyCommand], ["notify", ...argv], { cwd, env, isTTY: false, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, "test");
  return { code, stdout, stderr };
}

test("alchkit notify: the receivers of the config file, secrets from the environment; exit 1 only with --fail-on-error", async (t) => {
  const stand = await startReceiversStandIn();
  t.after(() => stand.close());
  const cwd = await mkdtemp(join(tmpdir(), "alchkit-notify-cli-"));
  t.after(() => rm(cwd, { recursive: true, force: true }));
  await writeFile(
    join(cwd, "alchkit.config.json"),
    JSON.stringify({
      notify: {
        receivers: [
          { type: "slack", url: { env: "TEAM_SLACK" }, events: ["deploy.failed", "rollback.automatic"] },
          { type: "sentry", organization: stand.sentryOrg, projects: ["api"], url: stand.urls.sentry, release: "api@{short}" },
        ],
      },
    }),
  );
  const env = { TEAM_SLACK: stand.urls.slack, SENTRY_AUTH_TOKEN: stand.sentryToken, GITHUB_REPOSITORY: "octo/app" };
  const sha = "3f2a9c1".padEnd(40, "0");
  const run = await cli(cwd, env, "--operation", "deploy", "--outcome", "deployed", "--environment", "staging", "--sha", sha);
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.equal(out.event.type, "deploy.succeeded");
  assert.deepEqual(out.results.map((r: { name: string; status: string }) => [r.name, r.status]), [["slack", "skipped"], ["sentry", "sent"]]);
  assert.ok(stand.sentry.releases.has("api@3f2a9c1"));
  assert.equal(stand.slack.length, 0, "Slack takes only the events it lists");

  const failed = await cli(cwd, { ...env, TEAM_SLACK: `${stand.urls.slack}x` }, "--operation", "deploy", "--outcome", "failed", "--environment", "staging", "--sha", sha, "--fail-on-error");
  assert.equal(failed.code, 1);
  assert.ok(!failed.stdout.includes(stand.urls.slack) && !failed.stderr.includes(stand.urls.slack), "the webhook URL is never printed");

  const missing = await cli(cwd, {}, "--operation", "deploy", "--outcome", "deployed", "--environment", "staging");
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /alchkit config notify\.receivers\[0\]\.url: expected the environment variable TEAM_SLACK to be set/);
  const bad = await cli(cwd, env, "--operation", "ship", "--outcome", "deployed");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--operation/);
});
