import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { readDevRecord, recordFile, removeDevRecord, writeDevRecord } from "../../../workflows-lib/alchemy/dev-record.ts";
import { isOwnProcess, processGroupAlive } from "../../../workflows-lib/alchemy/process-group.ts";

test("records round-trip; a record without a real process id is never trusted", (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), "alchkit-record-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const record = { stage: "pr-1", pid: 4242, port: 40001, cwd: "/app", logFile: "/app/x.log", startedAt: "2026-01-01T00:00:00Z" };
  writeDevRecord(dir, record);
  assert.deepEqual(readDevRecord(dir, "pr-1"), record);
  for (const pid of [0, 1, -5, "12"]) {
    writeFileSync(recordFile(dir, "pr-2"), JSON.stringify({ ...record, stage: "pr-2", pid }));
    assert.equal(readDevRecord(dir, "pr-2"), undefined, `pid ${pid}`);
  }
  mkdirSync(path.join(dir, "dev"), { recursive: true });
  writeFileSync(recordFile(dir, "pr-3"), "{ half");
  assert.equal(readDevRecord(dir, "pr-3"), undefined);
  removeDevRecord(dir, "pr-1");
  assert.equal(readDevRecord(dir, "pr-1"), undefined);
});

test("process groups 0 and 1 are never treated as an app; a reused pid is recognised", () => {
  assert.equal(processGroupAlive(0), false);
  assert.equal(processGroupAlive(1), false);
  assert.equal(isOwnProcess(process.pid, "definitely-not-in-this-command-line-xyz"), false);
  assert.equal(isOwnProcess(process.pid, "node"), true);
});
