// Fault campaign against actions/comment through the runner harness and the GitHub stand-in.
// Usage: node_modules/.bin/node bench/comment-faults.ts [runs] [rate]
import { commentFaultCampaign } from "../test/support/comment-fault-campaign.ts";

const runs = Number(process.argv[2] ?? 50);
const rate = Number(process.argv[3] ?? 0.2);
const result = await commentFaultCampaign({ runs, rate });
console.log(`command: node_modules/.bin/node bench/comment-faults.ts ${runs} ${rate}`);
console.log(`runs ${result.runs}, succeeded ${result.succeeded}, GitHub calls ${result.calls}, faulted ${result.faulted} (${((100 * result.faulted) / result.calls).toFixed(0)} %)`);
console.log(`sticky comments at the end: ${result.markedComments}, duplicates: ${result.duplicates}, holds the last body: ${result.lastBodyIsLatest}, stand-in violations: ${result.violations}`);
console.log(`time: ${(result.ms / 1000).toFixed(1)} s (${(result.ms / result.runs).toFixed(0)} ms a run, process start included)`);
