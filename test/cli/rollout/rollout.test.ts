// `alchkit rollout` on the Cloudflare stand-in with the real Alchemy CLI (state in CloudflareStateStore, as in CI):
// the example app's Worker goes up as a Workers version without traffic, takes 10 %, is measured beside the stable
// version through the override header, then takes 100 %; bad configuration stops before anything is deployed.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { assertNoViolations, startCloudflareStandIn, type CloudflareStandIn } from "../../cloudflare/index.ts";
import { cloudflareApp, type CloudflareAppContext } from "../../support/cloudflare-app.ts";
import { alchkit } from "../../support/alchkit-process.ts";
import { CONSUMER_APP_DIR } from "../../support/local-app.ts";

const STATE = { CI: "true", ALCHEMY_STATE_TOKEN: "rollout-state-token", ALCHEMY_PASSWORD: "rollout-password" };
const SHA = "5eed16".padEnd(40, "a");


let cf: CloudflareStandIn;
let app: CloudflareAppContext;
let root: string;
before(async () => {
  cf = await startCloudflareStandIn({ seed: 7 });
  app = cloudflareApp(cf, { env: STATE });
  root = mkdtempSync(path.join(tmpdir(), "alchkit-rollout-"));
  await app.runtime.up({ stage: app.stage, vars: { BUILD_ID: "stable" } });
});
after(async () => {
  app?.cleanup();
  if (root) rmSync(root, { recursive: true, force: true });
  await cf?.close();
});

const args = (...extra: string[]) => ["rollout", "--env", "production", "--cwd", root, "--app-dir", path.relative(root, CONSUMER_APP_DIR), "--stages", `production=${app.stage}`, "--sha", SHA, ...extra];
const config = (rollout: unknown) => writeFileSync(path.join(root, "alchkit.config.json"), JSON.stringify({ rollout: { production: rollout } }));
const deployments = (script: string) => cf.account.scripts.get(script)!.deployments.map((d) => d.versions.map((v) => v.percentage).join("/"));

test("bad configuration is one clear error (exit 2) before anything is deployed", async () => {
  const calls = cf.calls.length;
  config({ strategy: "progressive", stages: [{ traffic: 50 }, { traffic: 20 }] });
  const notUp = await alchkit(args(), { ...app.env, ...STATE });
  assert.equal(notUp.code, 2, notUp.stderr);
  assert.match(notUp.stderr, /rollout\.production\.stages\.1\.traffic.*more traffic than the stage before \(50 %\): stages go up/);
  config({ strategy: "canary" });
  const grammar = await alchkit(args("--strategy", JSON.stringify({ strategy: "canary", traffic: 120, thresholds: { http_req_failed: ["rate<<0.01"] } })), { ...app.env, ...STATE });
  assert.equal(grammar.code, 2, grammar.stderr);
  assert.match(grammar.stderr, /--strategy\.traffic: expected a canary share of at most 100 %/);
  assert.equal(cf.calls.length, calls, "no Cloudflare call was made");
});

test("a healthy candidate is uploaded as a version without traffic, takes 10 %, then 100 %; /version proves it", async () => {
  config({ strategy: "canary", traffic: 10, duration: "2s", interval: "1s", settle: "0s", requests: 20, path: "/health", metrics: ["error_rate"] });
  const before = deployments(app.script).length;
  const run = await alchkit(args(), { ...app.env, ...STATE });
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /### Rollout: canary: 10 % for 2s → 100 %/);
  assert.match(run.stdout, /0\.00 % · 0\.00 %/, "the candidate's and the stable version's error rates side by side");
  assert.match(run.stdout, /xychart-beta/);
  // Alchemy's upload added a version and moved no traffic; the rollout made exactly two deployments.
  assert.deepEqual(deployments(app.script).slice(before), ["90/10", "100"]);
  const script = cf.account.scripts.get(app.script)!;
  const candidate = script.deployments.at(-1)!.versions[0]!.versionId;
  assert.equal(script.versions.find((v) => v.id === candidate)?.upload.annotations["workers/tag"], `alchkit-${SHA.slice(0, 12)}`);
  const answers = await Promise.all(Array.from({ length: 10 }, () => cf.request(`${cf.workerUrl(app.script)}/version`)));
  assert.ok(answers.every((a) => JSON.parse(a.text).build === SHA), answers.map((a) => a.text).join("\n"));
  assert.match(readFileSync(path.join(root, ".alchkit", "out", "rollout-production.md"), "utf8"), /Candidate version `/);
  assertNoViolations(cf);
});
