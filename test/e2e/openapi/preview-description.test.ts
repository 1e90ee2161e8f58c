// The preview flow on real workerd: the example app runs under `alchemy dev` with APP_VARIANT=breaking, its
// /openapi.json is the PR's description, the code at the base (the standard variant) is the base's, and the
// diff reports the variant's documented error-level changes.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { commands } from "../../../workflows-lib/cli/commands/index.ts";
import { runCli } from "../../../workflows-lib/cli/run-cli.ts";
import { CONSUMER_APP_DIR, startLocalApp } from "../../support/local-app.ts";

test("the breaking preview's /openapi.json against the base's code: the documented error-level changes", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "alchkit-openapi-preview-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const app = await startLocalApp({ variant: "breaking", buildId: "pr-head" });
  t.after(() => app.stop());

  const cli = async (...argv: string[]) => {
    let stdout = "";
    let stderr = "";
    const code = await runCli(commands, ["openapi", ...argv], { cwd: dir, env: {}, isTTY: false, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) }, "test");
    return { code, stdout, stderr };
  };
  const head = await cli("generate", "--url", app.url("/openapi.json"), "--out", "head.json");
  assert.equal(head.code, 0, head.stderr);
  const base = await cli("generate", "--module", join(CONSUMER_APP_DIR, "src/app.ts"), "--api-version", "1.0.0", "--out", "base.json");
  assert.equal(base.code, 0, base.stderr);

  const diff = await cli("diff", "base.json", "head.json");
  assert.equal(diff.code, 1, diff.stderr);
  const result = JSON.parse(diff.stdout) as { changes: { id: string; level: string; method?: string; path?: string }[] };
  const errors = new Set(result.changes.filter((c) => c.level === "error").map((c) => `${c.id} ${c.method} ${c.path}`));
  for (const expected of [
    "response-required-property-removed GET /orders/{id}",
    "new-required-request-property POST /orders",
    "api-path-removed-without-deprecation POST /orders/{id}/cancel",
  ]) {
    assert.ok(errors.has(expected), `${expected} in ${[...errors].join("; ")}`);
  }
});
