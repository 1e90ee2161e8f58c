import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../../../workflows-lib/errors.ts";
import { createFileLedger, ledgerPath } from "../../../workflows-lib/local/ledger-file.ts";
import { liveOn, stateOf } from "../../../workflows-lib/promote/ledger.ts";
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
      const entry = await ledger.recordDeploy({
        environment: `env-${i % 3}`,
        sha,
        ref: sha,
        payload: { stage: "s", buildId: sha, appEntry: "alchemy.run.ts", appDir: ".", operation: "deploy" },
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
  assert.equal(JSON.parse(await readFile(path, "utf8")).version, 1);
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
    ledger.recordDeploy({
      environment: "e",
      sha: "a".repeat(40),
      ref: "main",
      payload: { stage: "s", buildId: "x", appEntry: "alchemy.run.ts", appDir: ".", operation: "deploy" },
    }),
    InputError,
  );
  assert.equal(await readFile(path, "utf8"), "{ not json");
});
