import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { createCloudflareRuntime } from "../../../workflows-lib/alchemy/cloudflare-runtime.ts";
import { AlchemyError } from "../../../workflows-lib/alchemy/alchemy-errors.ts";
import { InputError } from "../../../workflows-lib/errors.ts";
import { CONSUMER_APP_DIR } from "../../support/local-app.ts";
import { cloudflareApp } from "../../support/cloudflare-app.ts";
import { assertNoViolations, startCloudflareStandIn } from "../../cloudflare/index.ts";

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

test("deploy in CI without the state token names the secret, and nothing is created", async (t) => {
  const standIn = await startCloudflareStandIn();
  const app = cloudflareApp(standIn, { env: { CI: "true" } });
  t.after(async () => {
    app.cleanup();
    await standIn.close();
  });
  await assert.rejects(app.runtime.up({ stage: app.stage }), /CloudflareStateStore.*ALCHEMY_STATE_TOKEN is not set/);
  assert.equal(standIn.calls.length, 0);
});

test("destroy refuses protected stages; reading an unknown stage gives no resources", async (t) => {
  const runtime = runtimeFor(t);
  for (const stage of ["prod", "production", "staging"]) {
    await assert.rejects(runtime.down({ stage }), InputError);
  }
  assert.deepEqual(await runtime.read({ stage: `never-deployed-${process.pid}` }), { stage: `never-deployed-${process.pid}`, resources: [], urls: {} });
});

// The production path on the Cloudflare stand-in, configured as docs/getting-started.md tells users: CI=true,
// state in CloudflareStateStore (Alchemy uploads its alchemy-state-service Worker, a SQLite Durable Object,
// and keeps the stage's state there). The real Alchemy CLI deploys, the Worker runs at its workers.dev URL
// (reached through the stand-in's proxy and CA), destroy removes it.
test("deploys the example app with state in Cloudflare, serves it at its workers.dev URL and destroys it", async (t) => {
  const standIn = await startCloudflareStandIn();
  const app = cloudflareApp(standIn, { env: { CI: "true", ALCHEMY_STATE_TOKEN: "state-token-for-tests", ALCHEMY_PASSWORD: "password-for-tests" } });
  t.after(async () => {
    app.cleanup();
    await standIn.close();
  });
  const first = await app.runtime.up({ stage: app.stage, vars: { BUILD_ID: "sha-one" } });
  const url = standIn.workerUrl(app.script);
  assert.equal(first.urls.api, url);
  assert.deepEqual(first.resources.map((r) => [r.kind, r.name]), [["cloudflare::Worker", app.script]]);
  assert.equal((await standIn.request(`${url}/health`)).status, 200);
  assert.deepEqual(JSON.parse((await standIn.request(`${url}/version`)).text), { build: "sha-one", variant: "standard" });

  // (An update is proven through the preview action: test/e2e/preview/preview-cloudflare.test.ts.)
  const script = standIn.account.scripts.get(app.script)!;
  assert.equal(standIn.account.scripts.get("alchemy-state-service")?.versions.length, 1, "the state store is uploaded once");
  assert.deepEqual(standIn.account.activeDeployment(script)?.versions, [{ versionId: script.versions[0]!.id, percentage: 100 }]);
  assert.equal(standIn.traffic(app.script).reduce((n, v) => n + v.requests, 0), 2);
  assert.deepEqual(standIn.egress, []);

  const stateCalls = standIn.edgeLog.filter((r) => r.script === "alchemy-state-service" && r.method === "POST").length;
  assert.ok(stateCalls > 0, "state went to the state store Worker");
  assert.equal(existsSync(path.join(CONSUMER_APP_DIR, ".alchemy", "consumer-app", app.stage)), false, "no state on disk");

  const report = await app.runtime.down({ stage: app.stage });
  assert.deepEqual(report.leftovers, []);
  assert.deepEqual(standIn.inventory().workers, ["alchemy-state-service"], "only the account's state store stays");
  assert.equal((await standIn.request(`${url}/health`)).status, 404, "a deleted script stops answering");
  assert.equal(standIn.calls.filter((c) => c.faulted).length, 0);
  assertNoViolations(standIn);
});

test("a token Cloudflare rejects or an account id of the wrong shape is named, and nothing is created", async (t) => {
  const standIn = await startCloudflareStandIn();
  t.after(() => standIn.close());
  const badToken = cloudflareApp(standIn, { env: { CLOUDFLARE_API_TOKEN: "not-the-token" } });
  t.after(() => badToken.cleanup());
  await assert.rejects(badToken.runtime.up({ stage: badToken.stage }), (e) => {
    assert.ok(e instanceof AlchemyError, String(e));
    assert.match(e.message, /CLOUDFLARE_API_TOKEN/);
    assert.doesNotMatch(e.message, /not-the-token/);
    return true;
  });
  const badAccount = cloudflareApp(standIn, { env: { CLOUDFLARE_ACCOUNT_ID: "my-account" } });
  t.after(() => badAccount.cleanup());
  const callsBefore = standIn.calls.length;
  await assert.rejects(badAccount.runtime.up({ stage: badAccount.stage }), (e) => {
    assert.ok(e instanceof InputError, String(e));
    assert.match(e.message, /CLOUDFLARE_ACCOUNT_ID.*32 hexadecimal/);
    return true;
  });
  assert.equal(standIn.calls.length, callsBefore, "a malformed account id is refused before any call");
  assert.deepEqual(standIn.inventory(), { workers: [], kvNamespaces: [], d1Databases: [], r2Buckets: [], queues: [] });
  assertNoViolations(standIn);
});
