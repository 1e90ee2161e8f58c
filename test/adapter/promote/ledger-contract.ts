// The behaviour every deployment ledger adapter must have. Each adapter's test file runs this same suite.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  currentLive,
  entryKey,
  liveOn,
  previousGoodOn,
  stateOf,
  type DeploymentPayload,
  type Ledger,
  type OperationEntry,
  type OperationKind,
} from "../../../workflows-lib/promote/ledger.ts";

export interface LedgerFixture {
  ledger: Ledger;
  /** Anything the adapter wants checked after each case (e.g. zero stand-in violations). */
  verify?: () => void;
  close(): Promise<void>;
}

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);

const payload = (sha: string, extra: Partial<DeploymentPayload> = {}): DeploymentPayload => ({
  stage: "prod",
  buildId: sha,
  appEntry: "alchemy.run.ts",
  appDir: "apps/api",
  envFile: ".env.production",
  ...extra,
});

export function ledgerContract(name: string, open: () => Promise<LedgerFixture>): void {
  const withLedger = (title: string, body: (ledger: Ledger) => Promise<void>) =>
    test(`${name}: ${title}`, async () => {
      const fixture = await open();
      try {
        await body(fixture.ledger);
        fixture.verify?.();
      } finally {
        await fixture.close();
      }
    });

  /** One operation of one job: appended, then marked; `states` are the statuses it gets. */
  const operate = async (
    ledger: Ledger,
    job: string,
    kind: OperationKind,
    sha: string,
    states: ("in_progress" | "success" | "failure")[],
    extra: { environment?: string; payload?: Partial<DeploymentPayload>; about?: string } = {},
  ): Promise<OperationEntry> => {
    const environment = extra.environment ?? "production";
    let entry = (await ledger.append({
      kind,
      key: entryKey(job, kind, environment, sha),
      environment,
      sha,
      ref: "main",
      payload: payload(sha, extra.payload),
      ...(extra.about ? { about: extra.about } : {}),
    })) as OperationEntry;
    for (const state of states) {
      entry = await ledger.mark(entry, state, state === "success" ? { url: `https://${sha.slice(0, 1)}.example.dev` } : {});
    }
    return entry;
  };

  withLedger("each operation is its own entry; the same key (a re-run of the job) is the same entry", async (ledger) => {
    const first = await ledger.append({ kind: "deploy", key: entryKey("run-1", "deploy", "production", A), environment: "production", sha: A, ref: "main", payload: payload(A) });
    assert.equal(first.kind, "deploy");
    assert.equal(first.environment, "production");
    assert.equal(first.sha, A);
    assert.equal(first.ref, "main");
    assert.deepEqual("payload" in first && first.payload, payload(A));
    assert.ok(first.creator, "the entry says who wrote it");
    assert.equal(stateOf(first), "pending");
    const again = await ledger.append({ kind: "deploy", key: entryKey("run-1", "deploy", "production", A), environment: "production", sha: A, ref: "main", payload: payload(A) });
    assert.equal(again.id, first.id, "a re-run of the same job must not create a second entry");
    const nextJob = await ledger.append({ kind: "deploy", key: entryKey("run-2", "deploy", "production", A), environment: "production", sha: A, ref: "main", payload: payload(A) });
    assert.notEqual(nextJob.id, first.id, "another job deploying the same SHA is another entry");
    const elsewhere = await ledger.append({ kind: "deploy", key: entryKey("run-1", "deploy", "staging", A), environment: "staging", sha: A, ref: "main", payload: payload(A, { stage: "staging" }) });
    assert.notEqual(elsewhere.id, first.id, "another environment is another entry");
    assert.equal((await ledger.history("production")).length, 2);
    assert.equal((await ledger.history()).length, 3);
  });

  withLedger("success makes an operation live and the previous live one inactive; failure leaves the live one alone", async (ledger) => {
    const a = await operate(ledger, "run-1", "deploy", A, ["in_progress", "success"]);
    assert.equal(stateOf(a), "success");
    assert.equal((await liveOn(ledger, "production"))?.sha, A);

    let b = await operate(ledger, "run-2", "deploy", B, ["in_progress"]);
    assert.equal((await liveOn(ledger, "production"))?.sha, A, "A stays live while B is being deployed");
    b = await ledger.mark(b, "failure", { description: "health check failed" });
    assert.equal((await liveOn(ledger, "production"))?.sha, A);
    assert.equal((await previousGoodOn(ledger, "production", B))?.sha, A);

    await operate(ledger, "run-3", "promote", C, ["success"]);
    const history = await ledger.history("production");
    assert.deepEqual(
      history.map((entry) => [entry.sha, entry.kind, stateOf(entry)]),
      [[C, "promote", "success"], [A, "deploy", "inactive"], [B, "deploy", "failure"]],
      "newest activity first",
    );
    assert.equal(history[0]!.statuses.at(-1)?.url, "https://c.example.dev");
    assert.deepEqual(
      history.find((entry) => entry.sha === A)!.statuses.map((status) => status.state),
      ["in_progress", "success", "inactive"],
    );
    // The failed B is never a rollback target; A (live before C) is.
    assert.equal((await previousGoodOn(ledger, "production", C))?.sha, A);
  });

  withLedger("a rollback is an entry of its own: what was deployed before keeps its kind and its history", async (ledger) => {
    const a = await operate(ledger, "run-1", "deploy", A, ["success"]);
    await operate(ledger, "run-2", "promote", B, ["success"]);
    assert.equal((await previousGoodOn(ledger, "production", B))?.sha, A);
    const back = await operate(ledger, "run-3", "rollback", A, ["in_progress", "success"]);
    assert.notEqual(back.id, a.id);
    const history = await ledger.history("production");
    assert.deepEqual(
      history.map((entry) => [entry.kind, entry.sha, stateOf(entry)]),
      [["rollback", A, "success"], ["promote", B, "inactive"], ["deploy", A, "inactive"]],
    );
    assert.equal((await liveOn(ledger, "production"))?.id, back.id);
    assert.equal((await previousGoodOn(ledger, "production", A))?.sha, B, "going back again means B");
    assert.equal(await liveOn(ledger, "staging"), undefined, "other environments are independent");
  });

  withLedger("a failure stays in the history after a retry; a re-run of the failed job continues its entry", async (ledger) => {
    await operate(ledger, "run-1", "deploy", A, ["success"]);
    const failed = await operate(ledger, "run-2", "deploy", B, ["in_progress", "failure"]);
    const retried = await operate(ledger, "run-3", "deploy", B, ["in_progress", "success"]);
    assert.notEqual(retried.id, failed.id);
    let history = await ledger.history("production");
    assert.deepEqual(history.map((entry) => [entry.id, stateOf(entry)]), [[retried.id, "success"], [history[1]!.id, "inactive"], [failed.id, "failure"]]);
    // GitHub's "Re-run jobs" of run-2: same key, so the same entry, whose statuses show both attempts.
    const rerun = await operate(ledger, "run-2", "deploy", B, ["in_progress", "success"]);
    assert.equal(rerun.id, failed.id);
    history = await ledger.history("production");
    assert.equal(history.length, 3);
    assert.deepEqual(history.find((entry) => entry.id === failed.id)!.statuses.map((status) => status.state), ["in_progress", "failure", "in_progress", "success"]);
    assert.equal(stateOf(history.find((entry) => entry.id === retried.id)!), "inactive");
  });

  withLedger("records (watch results, policy audits) are entries of their own, final when written, about an operation", async (ledger) => {
    await operate(ledger, "run-1", "deploy", A, ["success"]);
    const b = await operate(ledger, "run-2", "promote", B, ["success"]);
    const digest = "sha256:" + "d".repeat(64);
    const audit = await ledger.append({
      kind: "policy-audit",
      key: entryKey("run-2", "policy-audit", "production", B),
      environment: "production",
      sha: B,
      ref: "main",
      about: b.id,
      state: "success",
      description: "policy allowed the promotion",
      data: { decision: "allow", inputDigest: digest, policyDigest: digest, findings: [] },
    });
    assert.equal(audit.kind, "policy-audit");
    assert.equal(stateOf(audit), "success");
    assert.deepEqual(audit.data, { decision: "allow", inputDigest: digest, policyDigest: digest, findings: [] });
    const watch = { kind: "watch" as const, key: entryKey("run-2", "watch", "production", B), environment: "production", sha: B, ref: "main", about: b.id, state: "failure" as const, description: "5xx rate 4% over 10 min", data: { window: "10m", errorRate: 0.04 } };
    const watched = await ledger.append(watch);
    assert.equal((await ledger.append(watch)).id, watched.id, "a record is written once per key");
    await assert.rejects(ledger.mark(watched, "success"), /record/, "a record is final when written");

    const history = await ledger.history("production");
    assert.equal(history.length, 4);
    const record = history.find((entry) => entry.id === watched.id)!;
    assert.equal(record.about, b.id);
    assert.equal(record.environment, "production");
    assert.deepEqual(record.data, { window: "10m", errorRate: 0.04 });
    assert.equal(stateOf(record), "failure");
    assert.equal(record.statuses.at(-1)?.description, "5xx rate 4% over 10 min");
    // Records change nothing that runs: B is still live, but its failed watch makes it no rollback target.
    assert.equal(currentLive(history, "production")?.id, b.id);
    await operate(ledger, "run-3", "deploy", C, ["success"]);
    assert.equal((await previousGoodOn(ledger, "production", C))?.sha, A, "B was watched bad: the rollback target is A");

    // A refused evaluation is about no operation (nothing was deployed) and is kept all the same.
    const refusal = await ledger.append({ kind: "policy-audit", key: entryKey("run-4", "policy-audit", "production", B), environment: "production", sha: B, ref: "main", state: "failure", description: "Policy gate refused: isolation deny", data: { passed: false, inputDigest: digest } });
    const after = await ledger.history("production");
    const kept = after.find((entry) => entry.id === refusal.id)!;
    assert.equal(kept.about, undefined);
    assert.equal(stateOf(kept), "failure");
    assert.deepEqual(kept.data, { passed: false, inputDigest: digest });
    assert.equal(currentLive(after, "production")?.sha, C, "a refusal changes nothing that runs");
  });

  withLedger("a rollout step short of all traffic does not replace the live version; the full step does; version ids are kept", async (ledger) => {
    await operate(ledger, "run-1", "deploy", A, ["success"]);
    const version = "0b4c59a3-52f6-4c4d-9c5e-1d2f3a4b5c6d";
    const step = await operate(ledger, "run-2", "rollout-step", B, ["success"], { payload: { versionId: version, traffic: 10 } });
    assert.equal((await liveOn(ledger, "production"))?.sha, A, "90% still runs A");
    let history = await ledger.history("production");
    assert.equal(stateOf(history.find((entry) => entry.sha === A)!), "success");
    assert.equal("payload" in step && step.payload.versionId, version);
    let full = (await ledger.append({ kind: "rollout-step", key: entryKey("run-2", "rollout-step", "production", B, "100"), environment: "production", sha: B, ref: "main", payload: payload(B, { versionId: version, traffic: 100 }) })) as OperationEntry;
    full = await ledger.mark(full, "success", { versionId: version, description: "100% on the new version" });
    history = await ledger.history("production");
    assert.equal(currentLive(history, "production")?.id, full.id);
    assert.equal(stateOf(history.find((entry) => entry.sha === A)!), "inactive");
    const status = history.find((entry) => entry.id === full.id)!.statuses.at(-1)!;
    assert.equal(status.versionId, version);
    assert.equal(status.description, "100% on the new version");
  });
}
