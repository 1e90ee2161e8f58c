// Time-to-URL and Cloudflare API calls per deploy of the example app on the Cloudflare path (the real
// `alchemy deploy` on the Cloudflare stand-in, state in CloudflareStateStore as in CI), beside the local
// runtime (`alchemy dev` on workerd), in one run.
//   node bench/cloudflare-deploy.ts [--runs 3]
// Cloudflare path: `up` = alchemy deploy + reading the stage from state, until the Worker answers /health at its
// workers.dev URL; then an update (new BUILD_ID) and the destroy with the account check.
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createLocalRuntime } from "../workflows-lib/alchemy/local-runtime.ts";
import { accountInventoryFor } from "../workflows-lib/cloudflare/account-from-env.ts";
import { resourcesOfStage } from "../workflows-lib/teardown/stage-resources.ts";
import { startCloudflareStandIn } from "../test/cloudflare/index.ts";
import { cloudflareApp } from "../test/support/cloudflare-app.ts";
import { CONSUMER_APP_DIR } from "../test/support/local-app.ts";
import { median } from "./median.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const runs = Math.max(1, Number(values.runs));
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const STATE = { CI: "true", ALCHEMY_STATE_TOKEN: "bench-state-token", ALCHEMY_PASSWORD: "bench-password" };

const cf = await startCloudflareStandIn();
const cloud = { toUrl: [] as number[], update: [] as number[], destroy: [] as number[], deployCalls: [] as number[], updateCalls: [] as number[], destroyCalls: [] as number[], stateCalls: [] as number[] };
const local = { toUrl: [] as number[], down: [] as number[] };
try {
  for (let i = 0; i < runs; i++) {
    const app = cloudflareApp(cf, { env: STATE, stage: `bench-${process.pid}-${i}` });
    try {
      const url = cf.workerUrl(app.script);
      cf.calls.reset();
      const stateBefore = cf.edgeLog.filter((r) => r.script === "alchemy-state-service").length;
      let started = performance.now();
      await app.runtime.up({ stage: app.stage, vars: { BUILD_ID: "one" } });
      while ((await cf.request(`${url}/health`)).status !== 200) await new Promise((r) => setTimeout(r, 25));
      cloud.toUrl.push(performance.now() - started);
      cloud.deployCalls.push(cf.calls.length);
      cf.calls.reset();
      started = performance.now();
      await app.runtime.up({ stage: app.stage, vars: { BUILD_ID: "two" } });
      cloud.update.push(performance.now() - started);
      cloud.updateCalls.push(cf.calls.length);
      cf.calls.reset();
      started = performance.now();
      await app.runtime.down({ stage: app.stage });
      const inventory = await accountInventoryFor(app.env, undefined);
      const left = resourcesOfStage(await inventory!.list(), app.stage);
      if (left.length > 0) throw new Error(`leftovers: ${JSON.stringify(left)}`);
      cloud.destroy.push(performance.now() - started);
      cloud.destroyCalls.push(cf.calls.length);
      cloud.stateCalls.push(cf.edgeLog.filter((r) => r.script === "alchemy-state-service").length - stateBefore);
    } finally {
      app.cleanup();
    }
    const stateDir = mkdtempSync(path.join(tmpdir(), "alchkit-bench-local-"));
    try {
      const runtime = createLocalRuntime({ cwd: CONSUMER_APP_DIR, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stateDir });
      const stage = `bench-local-${process.pid}-${i}`;
      const started = performance.now();
      await runtime.start({ stage });
      local.toUrl.push(performance.now() - started);
      const downStart = performance.now();
      await runtime.down({ stage });
      local.down.push(performance.now() - downStart);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }
} finally {
  await cf.close();
}

console.log(`command: node bench/cloudflare-deploy.ts --runs ${runs}`);
console.log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
console.log(`violations: ${cf.violations.length}, egress attempts: ${cf.egress.length}`);
console.log("median of each figure:");
console.log(`  cloudflare path  time-to-URL (deploy + read state + /health answers): ${seconds(median(cloud.toUrl))}`);
console.log(`  local runtime    time-to-URL (alchemy dev, URL answering):            ${seconds(median(local.toUrl))}`);
console.log(`  ratio cloudflare / local: ${(median(cloud.toUrl) / median(local.toUrl)).toFixed(2)}`);
console.log(`  cloudflare update: ${seconds(median(cloud.update))}, destroy + account check: ${seconds(median(cloud.destroy))}; local down: ${seconds(median(local.down))}`);
console.log(`  Cloudflare API calls per deploy: ${median(cloud.deployCalls)} (first run includes the state store's upload: ${cloud.deployCalls[0]}), per update: ${median(cloud.updateCalls)}, per destroy + check: ${median(cloud.destroyCalls)}`);
console.log(`  state store requests per deploy + update + destroy: ${median(cloud.stateCalls)}`);
