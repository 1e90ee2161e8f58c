import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../../../workflows-lib/errors.ts";
import { createFileLedger, ledgerPath } from "../../../workflows-lib/local/ledger-file.ts";
import { entryKey, liveOn, previousGoodOn, stateOf } from "../../../workflows-lib/promote/ledger.ts";
import { ledgerContract } from "./ledger-contract.ts";

ledgerContract("file ledger", async () => {
  const root = await mkdtemp(join(tmpdir(), "alchkit-ledger-"));
  return {
    ledger: createFileLedger(ledgerPath(root)),
    close: () => rm(root, { recursive: true, force: true }),
  };
});

test("file ledger: concurrent writers never lose an update and leave no temp files", async (t) => {
  const root = await mkdtemp(join(tmpdir(), "alchkit-ledger-"));
  t.after(() => rm(root, { recursive: true, force: true }));
  const path = ledgerPath(root);
  // Two adapters on one file, like two CLI processes.
  const one = createFileLedger(path);
  const two = createFileLedger(path);
  const shas = Array.from({ length: 12 }, (_, i) => i.toString(16).padStart(40, "0"));
  await Promise.all(
    shas.map(async (sha, i) => {
      const ledger = i % 2 ? one : two;
      const entry = await ledger.append({
        kind: "deploy",
        key: entryKey(`run-${i}`, "deploy", `env-${i % 3}`, sha),
        environment: `env-${i % 3}`,
        sha,
        ref: sha,
        payload: { stage: "s", buildId: sha, appEntry: "alchemy.run.ts", appDir: "." },
      });
      await ledger.mark(entry, "success");
    }),
  );
  const history = await one.history();
  assert.equal(history.length, 12);
  assert.equal(new Set(history.map((entry) => entry.id)).size, 12);
  for (const env of ["env-0", "env-1", "env-2"]) {
    const live = history.filter((entry) => entry.environment === env && stateOf(entry) === "success");
    assert.equal(live.length, 1, `exactly one live deployment on ${env}`);
    assert.equal((await liveOn(one, env))?.id, live[0]!.id);
  }
  assert.deepEqual((await readdir(join(root, ".alchkit"))).sort(), ["ledger.json"]);
  assert.equal(JSON.parse(await readFile(path, "utf8")).version, 2);
});

test("file ledger: a damaged file is an input error naming the file, and is left untouched", async (t) => {
  const root = await mkdtemp(join(tmpdir(), "alchkit-ledger-"));
  t.after(() => rm(root, { recursive: true, force: true }));
  const path = ledgerPath(root);
  const ledger = createFileLedger(path);
  await ledger.history(); // an absent file is an empty ledger
  await mkdir(join(root, ".alchkit"));
  await writeFile(path, "{ not json");
  await assert.rejects(ledger.history(), (error: unknown) => error instanceof InputError && error.message.includes(path));
  await assert.rejects(
    ledger.append({
      kind: "deploy",
      key: "run:deploy:e",
      environment: "e",
      sha: "a".repeat(40),
      ref: "main",
      payload: { stage: "s", buildId: "x", appEntry: "alchemy.run.ts", appDir: "." },
    }),
    InputError,
  );
  assert.equal(await readFile(path, "utf8"), "{ not json");
});

test("file ledger: a version 1 file (one row per environment and SHA) is read as entries and rewritten as version 2", async (t) => {
  const root = await mkdtemp(join(tmpdir(), "alchkit-ledger-"));
  t.after(() => rm(root, { recursive: true, force: true }));
  const path = ledgerPath(root);
  const [A, B] = ["a".repeat(40), "b".repeat(40)];
  const row = (id: string, sha: string, operation: string, statuses: [string, number][]) => ({
    id,
    environment: "production",
    sha,
    ref: "main",
    productionEnvironment: true,
    payload: { stage: "prod", buildId: sha, appEntry: "alchemy.run.ts", appDir: ".", operation, ...(operation === "promote" ? { promotedFrom: "staging" } : {}) },
    createdAt: "2026-01-01T00:00:00.000Z",
    statuses: statuses.map(([state, seq]) => ({ state, seq, at: "2026-01-01T00:00:00.000Z" })),
  });
  await mkdir(join(root, ".alchkit"));
  await writeFile(
    path,
    JSON.stringify({
      version: 1,
      nextId: 3,
      nextSeq: 5,
      deployments: [row("1", A, "deploy", [["success", 1], ["inactive", 3]]), row("2", B, "promote", [["in_progress", 2], ["success", 4]])],
    }),
  );
  const ledger = createFileLedger(path);
  const history = await ledger.history("production");
  assert.deepEqual(history.map((entry) => [entry.id, entry.kind, stateOf(entry)]), [["2", "promote", "success"], ["1", "deploy", "inactive"]]);
  assert.equal(history[0]!.kind === "promote" && history[0]!.from, "staging");
  assert.equal((await previousGoodOn(ledger, "production", B))?.sha, A);
  const next = await ledger.append({ kind: "rollback", key: entryKey("run-9", "rollback", "production", A), environment: "production", sha: A, ref: "main", payload: { stage: "prod", buildId: A, appEntry: "alchemy.run.ts", appDir: "." } });
  assert.equal(next.id, "3", "ids continue where version 1 left off");
  const file = JSON.parse(await readFile(path, "utf8"));
  assert.equal(file.version, 2);
  assert.deepEqual(file.entries.map((entry: { key: string }) => entry.key), ["legacy:1", "legacy:2", entryKey("run-9", "rollback", "production", A)]);
});
