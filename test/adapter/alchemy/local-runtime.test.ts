import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { createLocalRuntime } from "../../../workflows-lib/alchemy/local-runtime.ts";
import { isListening, processGroupAlive } from "../../../workflows-lib/alchemy/process-group.ts";
import { recordFile, type DevRecord } from "../../../workflows-lib/alchemy/dev-record.ts";
import { InputError } from "../../../workflows-lib/errors.ts";
import { CONSUMER_APP_DIR, useLocalApp } from "../../support/local-app.ts";

const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME };

// Brought up once for this file by the shared fixture (before/after hooks), as other test files do.
const app = useLocalApp({ buildId: "build-42", envFile: "env/staging.env" });

test("the example app comes up on workerd, answers /health and /version, and stops without leftovers", async () => {

  assert.deepEqual(Object.keys(app.deployment.urls), ["api"]);
  assert.equal(app.deployment.resources.length, 1);
  const [worker] = app.deployment.resources;
  assert.equal(worker!.kind, "cloudflare::Worker");
  assert.equal(worker!.fqn, `consumer-app/${app.stage}/api`);
  assert.equal(worker!.name, `consumer-app-api-${app.stage}`);
  // the app listens on the port the runtime reserved for it
  assert.equal(new URL(app.baseUrl).port, String(app.port));

  const health = await fetch(app.url("/health"));
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { ok: true, checks: {} });
  assert.deepEqual(await (await fetch(app.url("/version"))).json(), { build: "build-42", variant: "standard" });
  const spec = (await (await fetch(app.url("/openapi.json"))).json()) as { openapi: string; paths: Record<string, unknown> };
  assert.equal(spec.openapi, "3.1.0");
  assert.ok(spec.paths["/orders/{id}/cancel"]);

  await app.stop();
  assert.equal(processGroupAlive(app.pid), false, "no alchemy/node/workerd process of the app is left");
  assert.equal(await isListening(app.port), false, "nothing listens on the app's port");
  assert.equal(existsSync(path.join(CONSUMER_APP_DIR, ".alchemy", "consumer-app", app.stage)) && readdirSync(path.join(CONSUMER_APP_DIR, ".alchemy", "consumer-app", app.stage)).length > 0, false, "the stage's state is empty");
});

test("detached: start returns once the app answers, another runtime stops it by its record", async (t) => {
  const stateDir = mkdtempSync(path.join(tmpdir(), "alchkit-detach-"));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  const stage = `test-detach-${process.pid}`;
  const starter = createLocalRuntime({ cwd: CONSUMER_APP_DIR, env: baseEnv, stateDir, detach: true, healthPath: "/version" });
  const started = await starter.start({ stage, envFile: "env/production.env", vars: { APP_VARIANT: "breaking" } });
  let stopped = false;
  t.after(async () => {
    if (!stopped) await starter.down({ stage });
  });

  const record = JSON.parse(readFileSync(recordFile(stateDir, stage), "utf8")) as DevRecord;
  assert.equal(record.pid, started.pid);
  assert.equal(record.port, started.port);
  assert.deepEqual(record.deployment?.urls, started.deployment.urls);
  assert.equal(record.envFile, "env/production.env");

  // production settings without a payment provider: the app answers, its health says no
  const health = await fetch(new URL("health", started.deployment.urls.api));
  assert.equal(health.status, 503);
  assert.match(JSON.stringify(await health.json()), /PAYMENT_PROVIDER_URL/);
  const spec = (await (await fetch(new URL("openapi.json", started.deployment.urls.api))).json()) as { paths: Record<string, unknown> };
  assert.equal(spec.paths["/orders/{id}/cancel"], undefined, "the breaking variant dropped an endpoint");

  await assert.rejects(starter.start({ stage }), /already runs locally/);

  const stopper = createLocalRuntime({ cwd: CONSUMER_APP_DIR, env: baseEnv, stateDir });
  const report = await stopper.down({ stage });
  stopped = true;
  assert.deepEqual(report, { stage, leftovers: [] });
  assert.equal(processGroupAlive(started.pid), false);
  assert.equal(await isListening(started.port), false);
  assert.equal(existsSync(recordFile(stateDir, stage)), false);
  assert.deepEqual((await stopper.read({ stage })).resources, []);
});

test("down refuses a protected stage before touching anything", async (t) => {
  const stateDir = mkdtempSync(path.join(tmpdir(), "alchkit-protect-"));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  const runtime = createLocalRuntime({ cwd: CONSUMER_APP_DIR, env: baseEnv, stateDir });
  await assert.rejects(runtime.down({ stage: "prod" }), (e) => e instanceof InputError && /refusing to destroy "prod"/.test(e.message));
  await assert.rejects(runtime.down({ stage: "pr-7", protectedStages: ["pr-7"] }), InputError);
  assert.deepEqual(readdirSync(stateDir), []);
});
