/** Builds the gate's engine port from the chosen engine. */
import type { EngineRun, LoadEngine } from "../gate.ts";
import type { Scenario } from "../scenario.ts";
import type { ThresholdSpec } from "../thresholds.ts";
import { runAutocannon } from "./autocannon.ts";
import { runK6 } from "./k6.ts";
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

export interface K6EngineOptions {
  k6Path: string;
  version?: string;
  script: string;
  url: string;
  thresholds: ThresholdSpec[];
  thresholdsRaw: unknown;
  workDir: string;
  env: NodeJS.ProcessEnv;
  args?: string[];
  onOutput?: (chunk: string) => void;
}

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
