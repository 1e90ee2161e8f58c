import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { CONSUMER_APP_DIR } from "../support/local-app.ts";
import { isListening } from "../../workflows-lib/alchemy/process-group.ts";
import { alchkit } from "../support/cli.ts";

const cli = (args: string[]) => alchkit(args, { cwd: CONSUMER_APP_DIR, timeout: 150_000 });

test("preview up --local --detach prints the URLs and writes the comment; preview down stops and empties the stage", async (t) => {
  const stage = `cli-${randomBytes(3).toString("hex")}`;
  t.after(() => {
    cli(["preview", "down", "--stage", stage, "--local"]);
  });
  const up = cli(["preview", "up", "--stage", stage, "--local", "--detach"]);
  assert.equal(up.status, 0, up.stderr);
  const result = JSON.parse(up.stdout) as { stage: string; urls: Record<string, string> };
  assert.equal(result.stage, stage);
  const url = result.urls.api!;
  assert.equal((await fetch(new URL("health", url))).status, 200);
  const comment = readFileSync(path.join(CONSUMER_APP_DIR, ".alchkit/out/comment-preview.md"), "utf8");
  assert.match(comment, new RegExp(`Preview ready: \`${stage}\``));
  assert.ok(existsSync(path.join(CONSUMER_APP_DIR, ".alchkit/dev", `${stage}.json`)), "the detached process is recorded");

  const down = cli(["preview", "down", "--stage", stage, "--local"]);
  assert.equal(down.status, 0, down.stderr);
  assert.deepEqual(JSON.parse(down.stdout), { stage, urls: {} });
  assert.equal(await isListening(Number(new URL(url).port)), false);
  assert.match(readFileSync(path.join(CONSUMER_APP_DIR, ".alchkit/out/comment-preview.md"), "utf8"), /Teardown verified/);
  rmSync(path.join(CONSUMER_APP_DIR, ".alchkit/out/comment-preview.md"), { force: true });
});

test("preview flags are validated before anything runs", () => {
  const bad = cli(["preview", "up", "--stage", "Feature/X", "--local"]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^alchkit preview up: --stage: expected a stage name/);
  const detach = cli(["preview", "up", "--stage", "pr-1", "--detach"]);
  assert.equal(detach.status, 2);
  assert.match(detach.stderr, /--detach: expected to be used with --local/);
});
