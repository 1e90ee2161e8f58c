// The behaviour every deployment ledger adapter must have. Each adapter's test file runs this same suite.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  liveOn,
  previousGoodOn,
  stateOf,
  type DeploymentPayload,
  type Ledger,
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
  operation: "deploy",
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

  withLedger("records a deployment with the payload a rollback needs, and re-uses it for the same environment and SHA", async (ledger) => {
    const first = await ledger.recordDeploy({ environment: "production", sha: A, ref: "main", payload: payload(A) });
    assert.equal(first.environment, "production");
    assert.equal(first.sha, A);
    assert.equal(first.ref, "main");
    assert.deepEqual(first.payload, payload(A));
    assert.equal(stateOf(first), "pending");
    const again = await ledger.recordDeploy({ environment: "production", sha: A, ref: "main", payload: payload(A) });
    assert.equal(again.id, first.id, "a re-run must not create a second deployment");
    const elsewhere = await ledger.recordDeploy({ environment: "staging", sha: A, ref: "main", payload: payload(A, { stage: "staging" }) });
    assert.notEqual(elsewhere.id, first.id, "another environment is another deployment");
    assert.equal((await ledger.history("production")).length, 1);
    assert.equal((await ledger.history()).length, 2);
  });

  withLedger("success makes a deployment live and the previous live one inactive; failure leaves the live one alone", async (ledger) => {
    let a = await ledger.recordDeploy({ environment: "production", sha: A, ref: "main", payload: payload(A) });
    a = await ledger.mark(a, "in_progress");
    a = await ledger.mark(a, "success", { url: "https://a.example.dev", description: "live" });
    assert.equal(stateOf(a), "success");
    assert.equal((await liveOn(ledger, "production"))?.sha, A);

    let b = await ledger.recordDeploy({ environment: "production", sha: B, ref: "main", payload: payload(B) });
    b = await ledger.mark(b, "in_progress");
    assert.equal((await liveOn(ledger, "production"))?.sha, A, "A stays live while B is being deployed");
    b = await ledger.mark(b, "failure", { description: "health check failed" });
    assert.equal((await liveOn(ledger, "production"))?.sha, A);
    assert.equal((await previousGoodOn(ledger, "production", B))?.sha, A);

    let c = await ledger.recordDeploy({ environment: "production", sha: C, ref: "main", payload: payload(C) });
    c = await ledger.mark(c, "success", { url: "https://c.example.dev" });
    const history = await ledger.history("production");
    const state = Object.fromEntries(history.map((entry) => [entry.sha, stateOf(entry)]));
    assert.deepEqual(state, { [A]: "inactive", [B]: "failure", [C]: "success" });
    assert.equal(history[0]!.sha, C, "newest activity first");
    assert.equal(history[0]!.statuses.at(-1)?.url, "https://c.example.dev");
    assert.deepEqual(
      history.find((entry) => entry.sha === A)!.statuses.map((status) => status.state),
      ["in_progress", "success", "inactive"],
    );
    // The failed B is never a rollback target; A (live before C) is.
    assert.equal((await previousGoodOn(ledger, "production", C))?.sha, A);
  });

  withLedger("a rollback re-uses the old deployment and the previous good one is the one live before", async (ledger) => {
    const deploy = async (sha: string) => {
      const entry = await ledger.recordDeploy({ environment: "production", sha, ref: "main", payload: payload(sha) });
      return ledger.mark(entry, "success", { url: `https://${sha.slice(0, 1)}.example.dev` });
    };
    await deploy(A);
    await deploy(B);
    assert.equal((await previousGoodOn(ledger, "production", B))?.sha, A);
    const restored = await deploy(A);
    assert.equal(restored.statuses.filter((status) => status.state === "success").length, 2);
    assert.equal((await liveOn(ledger, "production"))?.sha, A);
    assert.equal((await previousGoodOn(ledger, "production", A))?.sha, B, "going back again means B");
    assert.equal((await ledger.history("production")).length, 2, "no new deployment for a redeploy of a known SHA");
    // Other environments are independent.
    assert.equal(await liveOn(ledger, "staging"), undefined);
  });
}
