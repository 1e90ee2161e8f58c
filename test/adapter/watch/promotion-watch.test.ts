// The watch inside promotion: a deploy goes live, starts failing 30 s later, and the promotion use-case restores
// the previous good SHA, with a `watch` record about the deployment in the real file ledger. The app is real HTTP
// on 127.0.0.1; the clock is virtual, so the bake window takes no real time.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { probeGet } from "../../../workflows-lib/local/http-fetch.ts";
import { createFileLedger, ledgerPath } from "../../../workflows-lib/local/ledger-file.ts";
import { previousGood } from "../../../workflows-lib/promote/ledger.ts";
import type { PromotionPorts } from "../../../workflows-lib/promote/ports.ts";
import { promotionOptions } from "../../../workflows-lib/promote/promote-inputs.ts";
import { runPromotion } from "../../../workflows-lib/promote/run-promotion.ts";
import { watchFor } from "../../../workflows-lib/watch/watch-config.ts";

const GOOD = "9b1d0e4".padEnd(40, "1");
const BAD = "3f2a9c1".padEnd(40, "2");

test("deploy with a watch: the SHA that starts failing 30 s after going live is rolled back and the ledger says why", async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), "alchkit-promotion-watch-"));
  t.after(() => rm(root, { recursive: true, force: true }));
  const clock = { now: Date.parse("2025-03-01T10:00:00Z") };
  const app = { version: "", liveAt: 0 };
  const server = createServer((_req, res) => {
    const failing = app.version === BAD && clock.now - app.liveAt >= 30_000;
    res.writeHead(failing ? 503 : 200, { "content-type": "application/json" });
    res.end(JSON.stringify({ build: app.version }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const ledger = createFileLedger(ledgerPath(root), { now: () => new Date(clock.now).toISOString() });
  const lines: string[] = [];
  const ports: PromotionPorts = {
    ledger,
    source: { resolve: async (ref) => ref, checkout: async () => root },
    runtime: {
      async deploy(request) {
        app.version = request.sha;
        app.liveAt = clock.now;
        return { url, urls: { app: url } };
      },
    },
    health: { probe: async (target) => ({ healthy: (await probeGet(target, 2000)).status === 200, attempts: 1, detail: "answered" }) },
    lock: { acquire: async () => async () => {} },
    branches: { defaultBranchContains: async () => ({ branch: "main", contains: true }) },
    watch: { request: probeGet, now: () => clock.now, sleep: async (ms) => void (clock.now += ms), elapsed: () => performance.now(), log: (line) => lines.push(line) },
    now: () => clock.now,
    log: (line) => lines.push(line),
  };
  const options = {
    ...promotionOptions({ stages: "", envFiles: undefined, appDir: ".", autoRollback: true, requiredChecks: [], ignoreChecks: [] }, "stages"),
    watch: watchFor({ interval: "10s", window: "30s", minRequests: 10 }, "5m", "--watch")!,
  };

  const first = await runPromotion({ operation: "deploy", environment: "production", ref: GOOD, run: "local:1" }, options, ports);
  assert.equal(first.outcome, "deployed");
  assert.equal(first.watch?.verdict, "passed");
  assert.equal(first.watch?.ticks.length, 31);

  const second = await runPromotion({ operation: "deploy", environment: "production", ref: BAD, run: "local:2" }, options, ports);
  assert.equal(second.outcome, "rolled-back");
  assert.equal(second.watch?.verdict, "breached");
  assert.equal(second.watch?.elapsedMs, 30_000, "breached at the first failing probe");
  assert.match(second.error!, /^post-deploy watch: http_req_failed rate=0\.3333 breached rate<0\.01/);
  assert.equal(second.rollback?.sha, GOOD);
  assert.equal(app.version, GOOD, "the good SHA serves again");

  const history = await ledger.history("production");
  const watches = history.filter((entry) => entry.kind === "watch");
  assert.deepEqual(watches.map((entry) => [entry.sha, entry.statuses.at(-1)!.state]).sort(), [[BAD, "failure"], [GOOD, "success"]].sort());
  const bad = history.find((entry) => entry.kind === "deploy" && entry.sha === BAD)!;
  assert.equal(watches.find((entry) => entry.sha === BAD)!.about, bad.id, "the record is about the deployment it watched");
  assert.equal((watches.find((entry) => entry.sha === BAD)!.data as { verdict: string }).verdict, "breached");
  assert.ok(history.some((entry) => entry.kind === "auto-rollback" && entry.sha === GOOD && entry.about === bad.id));
  assert.notEqual(previousGood(history, "production")?.sha, BAD, "a rollback never goes back to the SHA the watch found unhealthy");
});
