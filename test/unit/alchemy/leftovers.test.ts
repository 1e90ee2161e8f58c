// Where a resource left in a local stage's state after `alchemy destroy` really is, read from state documents
// Alchemy 0.94 wrote for a local stage (test/fixtures/policy-app/captured-state), and the message that says so.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { leftoverMessage, placeOfResource } from "../../../workflows-lib/alchemy/leftovers.ts";
import { REPO_ROOT } from "../../support/app-fixtures.ts";

const captured = (name: string) => readFileSync(path.join(REPO_ROOT, "test/fixtures/policy-app/captured-state/policy-app/staging", `${name}.json`), "utf8");
/** The captured document with its output changed, as a resource once created on the account has it. */
const withOutput = (name: string, output: Record<string, unknown>) => {
  const doc = JSON.parse(captured(name)) as { output: Record<string, unknown> };
  return JSON.stringify({ ...doc, output: { ...doc.output, ...output } });
};

test("dev-only resources of `alchemy dev` (dev.remote false, no Cloudflare id; a Worker never uploaded) are on this machine only", () => {
  assert.equal(placeOfResource(captured("db")), "local", "D1: id empty");
  assert.equal(placeOfResource(captured("cache")), "local", "KV: namespaceId empty");
  assert.equal(placeOfResource(captured("api")), "local", "Worker: dev.hasRemote false");
});

test("a resource with an id Cloudflare gave it, or a remote binding, is on the account; without dev facts the place is unknown", () => {
  assert.equal(placeOfResource(withOutput("db", { id: "0d1c8a5e-4bb1-4f54-9c6b-6a1f0d2c9e11" })), "account");
  assert.equal(placeOfResource(withOutput("cache", { namespaceId: "5f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99" })), "account");
  assert.equal(placeOfResource(withOutput("db", { dev: { id: "db", remote: true } })), "account");
  assert.equal(placeOfResource(withOutput("api", { dev: { hasRemote: true } })), "account");
  assert.equal(placeOfResource(withOutput("db", { dev: undefined })), "unknown");
  assert.equal(placeOfResource("not a state document"), "unknown");
});

test("the leftover message sends each leftover to where it is: local files to remove, account resources to delete there", () => {
  const message = leftoverMessage(
    "pr-3",
    [
      { fqn: "fx/pr-3/r2", place: "local", path: ".alchkit/stages/pr-3/.alchemy/fx/pr-3/r2.json" },
      { fqn: "fx/pr-3/d1", place: "account" },
      { fqn: "fx/pr-3/kv", place: "unknown" },
    ],
    'Failed to delete R2 bucket "fx-r2-pr-3": Failed to fetch',
  );
  assert.match(message, /^alchemy destroy left 3 resource\(s\) in stage pr-3\./);
  assert.match(message, /On the Cloudflare account: fx\/pr-3\/d1; run the destroy again, and if they stay, delete them in the Cloudflare dashboard/);
  assert.match(message, /In the stage's state \(they may exist on the Cloudflare account\): fx\/pr-3\/kv;/);
  assert.match(message, /Only on this machine \(never created on Cloudflare\): fx\/pr-3\/r2 \(\.alchkit\/stages\/pr-3\/\.alchemy\/fx\/pr-3\/r2\.json\); nothing to delete on the account/);
  assert.match(message, /The destroy itself said: Failed to delete R2 bucket/);

  const onlyLocal = leftoverMessage("pr-3", [{ fqn: "fx/pr-3/r2", place: "local" }]);
  assert.doesNotMatch(onlyLocal, /dashboard|On the Cloudflare account/, "no advice to look on an account that never had it");
});
