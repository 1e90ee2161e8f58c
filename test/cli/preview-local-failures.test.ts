import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { isListening } from "../../workflows-lib/alchemy/process-group.ts";
import { repoRoot } from "../harness/run-action.ts";
import { fixtureApp } from "../support/app-fixtures.ts";

// The multi-resource app, where a failed `preview up --detach` was found to keep its processes running.
const dir = fixtureApp("multi-resource");
const cli = (args: string[]) =>
  spawnSync(process.execPath, [path.join(repoRoot, "workflows-lib/cli/main.ts"), ...args, "--cwd", dir], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DO_NOT_TRACK: "1", ALCHEMY_PASSWORD: "fixture-password" },
    timeout: 150_000,
  });

test("a local preview that comes up unhealthy stops what it started and says so", async (t) => {
  const stage = `fail-${randomBytes(3).toString("hex")}`;
  t.after(() => {
    cli(["preview", "down", "--stage", stage, "--local"]);
  });
  const up = cli(["preview", "up", "--stage", stage, "--local", "--detach", "--health-path", "/missing"]);
  assert.equal(up.status, 1, up.stderr);
  // A 404 is the app's answer, the same on every retry: it fails at once, with the fix.
  assert.match(up.stderr, /answered 404 Not Found: the app has no route at \/missing, so retrying cannot help/);
  assert.match(up.stderr, /pass `--health-path` a path that answers 200/);
  assert.match(up.stderr, new RegExp(`local processes of stage ${stage} were stopped; .*alchkit preview down --local --stage ${stage}`));
  assert.equal(existsSync(path.join(dir, ".alchkit", "dev", `${stage}.json`)), false, "no running stage is recorded");
  const ports = JSON.parse(readFileSync(path.join(dir, ".alchkit", "dev", "ports.json"), "utf8")) as Record<string, number>;
  assert.equal(await isListening(ports[stage]!), false, "nothing listens on the port it had");

  const down = cli(["preview", "down", "--stage", stage, "--local"]);
  assert.equal(down.status, 0, down.stderr);
  assert.equal(existsSync(path.join(dir, ".alchkit", "stages", stage)), false, "its state and storage are gone");
});
