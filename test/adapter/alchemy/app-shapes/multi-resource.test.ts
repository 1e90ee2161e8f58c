import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { isListening, processGroupAlive } from "../../../../workflows-lib/alchemy/process-group.ts";
import { stageDir } from "../../../../workflows-lib/alchemy/stage-dir.ts";
import { defaultConfig } from "../../../../workflows-lib/config/parse-config.ts";
import { diagnose } from "../../../../workflows-lib/doctor/diagnose.ts";
import { localStageStates, repositoryFiles } from "../../../../workflows-lib/local/doctor-repository.ts";
import { fixtureApp, startFixtureStage } from "../../../support/app-fixtures.ts";

// The multi-resource Worker: D1 with migrations, KV, R2, a sqlite Durable Object, a queue it consumes, a
// workflow and a secret. Under Alchemy 0.94 its queue consumer is the child resource `api > jobs-consumer`.
const dir = fixtureApp("multi-resource");

const poll = async <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
const getJson = async (url: string, init?: RequestInit) => {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

test("multi-resource: every binding works on workerd, down leaves no state, process, port, storage or bundle, and a stage keeps its port", async (t) => {
  const stateDir = mkdtempSync(path.join(tmpdir(), "alchkit-multi-"));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  const app = await startFixtureStage(t, { dir, stateDir, vars: { BUILD_ID: "mr-1" } });
  // Ready only after the Worker itself was created (not at `[created] api > jobs-consumer`): its URL is in state.
  assert.deepEqual(Object.keys(app.deployment.urls), ["api"]);
  assert.deepEqual(
    app.deployment.resources.map((r) => r.fqn).sort(),
    ["api", "api/jobs-consumer", "d1", "jobs", "kv", "r2"].map((id) => `fx/${app.stage}/${id}`),
  );
  assert.equal(app.app.record.port, Number(new URL(app.baseUrl).port), "the record holds the port the app listens on");

  assert.deepEqual((await getJson(app.url("/health"))).body, { ok: true, checks: { d1: true, kv: true, r2: true } });
  assert.deepEqual((await getJson(app.url("/version"))).body, { build: "mr-1" });
  assert.deepEqual((await getJson(app.url("/secret"))).body, { present: true });
  const notes = await getJson(app.url("/notes"), { method: "POST", body: "second" });
  assert.deepEqual(notes.body.notes, [{ id: 1, body: "seeded by migration 0001" }, { id: 2, body: "second" }]);
  assert.deepEqual((await getJson(app.url("/kv/greeting"), { method: "PUT", body: "hello" })).body, { key: "greeting", value: "hello" });
  assert.deepEqual((await getJson(app.url("/files/a.txt"), { method: "PUT", body: "bytes" })).body, { key: "a.txt", body: "bytes" });
  assert.deepEqual((await getJson(app.url("/counter/x"))).body, { count: 1 });
  assert.deepEqual((await getJson(app.url("/counter/x"))).body, { count: 2 });
  const job = await getJson(app.url("/jobs"), { method: "POST", body: "queued" });
  assert.equal(job.status, 202);
  await poll(() => getJson(app.url(`/jobs/${String(job.body.id)}`)), (r) => r.body.result === "QUEUED", "the queue consumer's result");
  const flow = await getJson(app.url("/flows"), { method: "POST", body: "flowing" });
  await poll(() => getJson(app.url(`/flows/${String(flow.body.id)}`)), (r) => r.body.status === "complete" && r.body.recorded === "flowing", "the workflow");

  const root = stageDir(app.stateDir, app.stage);
  assert.ok(existsSync(path.join(root, ".alchemy", "miniflare", "v3", "d1")), "the stage's storage is in its own folder");
  const { pid, port } = app.app;
  // Alchemy's destroy asks Cloudflare to delete the R2 bucket it never created there and fails: the local
  // teardown still removes every dev-only resource, and proves the state empty.
  await app.down();
  assert.equal(processGroupAlive(pid), false, "no process of the stage is left");
  assert.equal(await isListening(port), false, "nothing listens on its port");
  assert.equal(existsSync(root), false, "its state and Miniflare storage are gone");
  const bundles = path.join(dir, ".alchemy", "out");
  assert.deepEqual(existsSync(bundles) ? readdirSync(bundles).filter((b) => b.endsWith(app.stage)) : [], [], "its Worker bundle is gone");

  // The stage again: it gets the port it had (free again), on loopback only.
  const again = await startFixtureStage(t, { dir, stateDir, stage: app.stage });
  assert.equal(again.app.port, port, "the same URL as before");
  const outside = Object.values(networkInterfaces()).flat().find((i) => i && i.family === "IPv4" && !i.internal)?.address;
  if (outside) assert.equal(await isListening(port, outside), false, `not reachable on ${outside}`);
  else t.diagnostic("no non-loopback IPv4 interface here: loopback-only binding not checked");
  assert.equal(await isListening(port, "127.0.0.1"), true);
  await again.down();
});

test("two stages of one app up at once share no storage: KV, D1, R2 and Durable Objects are per stage", async (t) => {
  const stateDir = mkdtempSync(path.join(tmpdir(), "alchkit-two-stages-"));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  const [a, b] = await Promise.all([
    startFixtureStage(t, { dir, stateDir, stage: `pa-${process.pid}` }),
    startFixtureStage(t, { dir, stateDir, stage: `pb-${process.pid}` }),
  ]);
  assert.notEqual(a.app.port, b.app.port);
  await getJson(a.url("/kv/k"), { method: "PUT", body: "from a" });
  assert.equal((await getJson(b.url("/kv/k"))).body.value, null, "b's KV does not see a's value (the local KV id is the logical id)");
  await getJson(a.url("/notes"), { method: "POST", body: "only in a" });
  assert.equal(((await getJson(b.url("/notes"))).body.notes as unknown[]).length, 1);
  await getJson(a.url("/files/f"), { method: "PUT", body: "a" });
  assert.equal((await getJson(b.url("/files/f"))).body.body, null);
  assert.deepEqual((await getJson(a.url("/counter/c"))).body, { count: 1 });
  assert.deepEqual((await getJson(b.url("/counter/c"))).body, { count: 1 });
  // doctor compares the physical names in the two stages' state: none is shared (the Workflow is named per stage).
  const report = diagnose({ files: repositoryFiles(dir), localStages: (appDir) => localStageStates(dir, appDir, [stateDir]) }, { config: defaultConfig() });
  assert.deepEqual(report.read.stages.sort(), [`fx/pa-${process.pid}`, `fx/pb-${process.pid}`]);
  assert.deepEqual(report.findings, []);
  await Promise.all([a.down(), b.down()]);
  assert.deepEqual(readdirSync(path.join(stateDir, "stages")), []);
});
