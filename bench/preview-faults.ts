// Fault campaign against preview updates (GitHub stand-in, example app on workerd started once and reused).
// Usage: node_modules/.bin/node bench/preview-faults.ts [runs] [rate]
import { startLocalApp } from "../test/support/local-app.ts";
import { previewFaultCampaign } from "../test/support/preview-fault-campaign.ts";

const runs = Number(process.argv[2] ?? 50);
const rate = Number(process.argv[3] ?? 0.2);
const app = await startLocalApp({ buildId: "bench" });
try {
  const r = await previewFaultCampaign(app, { runs, rate });
  console.log(`command: node_modules/.bin/node bench/preview-faults.ts ${runs} ${rate}`);
  console.log(`runs ${r.runs}, deployed ${r.succeeded}, GitHub calls ${r.calls} (${r.callsPerRun} a run), faulted ${r.faulted} (${((100 * r.faulted) / r.calls).toFixed(0)} %)`);
  console.log(`sticky comments ${r.markedComments}, deployments ${r.deployments}, without a final status ${r.withoutFinalStatus}, stand-in violations ${r.violations}`);
  console.log(`time ${(r.ms / 1000).toFixed(1)} s`);
} finally {
  await app.stop();
}
