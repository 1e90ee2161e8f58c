import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { createCloudflareRuntime } from "../../../workflows-lib/alchemy/cloudflare-runtime.ts";
import { AlchemyError } from "../../../workflows-lib/alchemy/alchemy-errors.ts";
import { InputError } from "../../../workflows-lib/errors.ts";
import { CONSUMER_APP_DIR } from "../../support/local-app.ts";

// No network here: these cases fail before Alchemy would reach Cloudflare, which is what they test.
function runtimeFor(t: { after: (fn: () => void) => void }, extra: NodeJS.ProcessEnv = {}) {
  const home = mkdtempSync(path.join(tmpdir(), "alchkit-home-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  return createCloudflareRuntime({ cwd: CONSUMER_APP_DIR, env: { PATH: process.env.PATH, HOME: home, ...extra } });
}

const dropState = (stage: string) => rmSync(path.join(CONSUMER_APP_DIR, ".alchemy", "consumer-app", stage), { recursive: true, force: true });

test("deploy without credentials says which secret or profile is missing", async (t) => {
  const stage = `nocreds-${process.pid}`;
  t.after(() => dropState(stage));
  await assert.rejects(runtimeFor(t).up({ stage }), (e) => {
    assert.ok(e instanceof AlchemyError);
    assert.match(e.message, new RegExp(`alchemy deploy failed for stage ${stage}: .*CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID secrets`));
    return true;
  });
  await assert.rejects(runtimeFor(t).up({ stage, profile: "ci" }), /profile "ci".*alchkit profile set --profile ci/);
});

test("deploy in CI without a state store explains how to configure one", async (t) => {
  const stage = `ci-${process.pid}`;
  t.after(() => dropState(stage));
  await assert.rejects(runtimeFor(t, { CI: "true" }).up({ stage }), /CloudflareStateStore.*ALCHEMY_STATE_TOKEN/);
});

test("destroy refuses protected stages; reading an unknown stage gives no resources", async (t) => {
  const runtime = runtimeFor(t);
  for (const stage of ["prod", "production", "staging"]) {
    await assert.rejects(runtime.down({ stage }), InputError);
  }
  assert.deepEqual(await runtime.read({ stage: `never-deployed-${process.pid}` }), { stage: `never-deployed-${process.pid}`, resources: [], urls: {} });
});
