/** Builds the gate's engine port from the chosen engine. */
import type { EngineRun, LoadEngine } from "../gate.ts";
import type { Scenario } from "../scenario.ts";
import type { ThresholdSpec } from "../thresholds.ts";
import { runAutocannon } from "./autocannon.ts";
import { runK6, type RunK6Options } from "./k6.ts";
import path from "node:path";

export function autocannonEngine(url: string, scenario: Scenario, thresholds: ThresholdSpec[] = []): LoadEngine {
  const percentiles = thresholds.flatMap((t) => (t.expression.method === "p" ? [t.expression.percentile!] : []));
  return {
    async run(hooks): Promise<EngineRun> {
      const result = await runAutocannon({ url, scenario, shouldAbort: hooks.shouldAbort, percentiles });
      return { summary: result.summary, engine: "autocannon", scenario: scenario.name, aborted: result.aborted };
    },
  };
}

/** How to run k6, plus the version installed (shown as the engine in reports). */
export type K6EngineOptions = RunK6Options & { version?: string };

export function k6Engine(options: K6EngineOptions): LoadEngine {
  return {
    async run(): Promise<EngineRun> {
      const { version, ...rest } = options;
      const result = await runK6(rest);
      return {
        summary: result.summary,
        engine: version ? `k6 v${version}` : "k6",
        scenario: path.basename(options.script),
        // k6 aborts by itself (abortOnFail); its summary then covers the part that ran.
        aborted: false,
        raw: result.raw,
      };
    },
  };
}
