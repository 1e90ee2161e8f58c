// Dashboard build time for 10,000 production deployments (plus as many staging deploys, rollbacks and watch
// records as the synthetic ledger's patterns give): ledger → history → DORA metrics over 7/30/90 days → one HTML
// page with the chart library inlined. Commit times come from the ledger's pattern (no git), so the figures are
// the kit's own work. Usage: node_modules/.bin/node bench/dashboard.ts [deployments=10000] [runs=5]
import { loadavg } from "node:os";
import { changesOf, readHistory } from "../workflows-lib/dashboard/history.ts";
import { buildDashboard } from "../workflows-lib/dashboard/model.ts";
import { renderDashboardHtml } from "../workflows-lib/dashboard/render-html.ts";
import { chartAssets } from "../workflows-lib/local/bundled-assets.ts";
import { syntheticLedger, syntheticPorts } from "../test/support/synthetic-ledger.ts";

const count = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 5);
const ms = (from: number) => performance.now() - from;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const made = performance.now();
const { entries, now, firstCommit } = syntheticLedger(count);
const generateMs = ms(made);
const assets = await chartAssets();

const phases = { history: [] as number[], build: [] as number[], render: [] as number[], total: [] as number[] };
let size = 0;
let operations = 0;
for (let run = 0; run < runs; run++) {
  const start = performance.now();
  const { attempts, health } = readHistory(entries);
  changesOf(attempts, health);
  phases.history.push(ms(start));
  operations = attempts.length;
  const built = performance.now();
  const model = await buildDashboard({ entries, now, production: ["production"], repository: "octo/app", source: "local" }, syntheticPorts(firstCommit));
  phases.build.push(ms(built));
  const rendered = performance.now();
  size = renderDashboardHtml(model, assets).length;
  phases.render.push(ms(rendered));
  phases.total.push(ms(start) - phases.history.at(-1)!);
}

console.log(`$ node_modules/.bin/node bench/dashboard.ts ${count} ${runs}`);
console.log(`ledger: ${entries.length} entries (${count} production deployments), ${operations} operations; generated in ${generateMs.toFixed(0)} ms`);
console.log(`median of ${runs} runs (load average ${loadavg()[0]!.toFixed(1)}):`);
console.log(`  history and changes       ${median(phases.history).toFixed(0)} ms`);
console.log(`  dashboard model (DORA…)   ${median(phases.build).toFixed(0)} ms (history included)`);
console.log(`  HTML page                 ${median(phases.render).toFixed(0)} ms, ${(size / 1024).toFixed(0)} kB`);
console.log(`  build + render            ${median(phases.total).toFixed(0)} ms`);
