import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { createLocalRuntime, type LocalApp, type LocalRuntime } from "../../alchemy/local-runtime.ts";
import { isValidStage } from "../../alchemy/stage-name.ts";
import { EXIT } from "../../errors.ts";
import { probeHealth, systemHealthPorts } from "../../health/probe.ts";
import { defineCommand, type CliContext } from "../command.ts";

/** The example app shipped with the kit (an Alchemy app: Hono + zod-openapi orders API). */
export const EXAMPLE_APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/consumer-app");

/** What the steps share. Later steps read what earlier ones produced. */
export interface DemoState {
  stage: string;
  appDir: string;
  runtime: LocalRuntime;
  app?: LocalApp;
  log(line: string): void;
}

/**
 * One step of the demo. Steps run in order; `teardown` steps always run, also after a failure or Ctrl-C,
 * so the demo never leaves processes, ports or state behind.
 */
export interface DemoStep {
  title: string;
  teardown?: boolean;
  run(state: DemoState): Promise<void>;
}

export const demoSteps: DemoStep[] = [
  {
    title: "Start the example app locally (alchemy dev on workerd)",
    async run(state) {
      state.app = await state.runtime.start({ stage: state.stage, vars: { BUILD_ID: "demo", APP_VARIANT: "standard" }, envFile: "env/staging.env" });
      for (const [resource, url] of Object.entries(state.app.deployment.urls)) state.log(`${resource}: ${url}`);
    },
  },
  {
    title: "Probe /health and read /version",
    async run(state) {
      const url = state.app!.deployment.urls.api!;
      const health = await probeHealth({ url, path: "/health", retries: 3, deadlineMs: 15_000 }, systemHealthPorts);
      state.log(`${health.url} → ${health.status ?? "no answer"} ${health.body ?? health.reason ?? ""}`.trim());
      if (!health.healthy) throw new Error(health.reason);
      const version = await fetch(new URL("version", url));
      state.log(`${new URL("version", url)} → ${version.status} ${await version.text()}`);
    },
  },
  {
    title: "Tear the stage down and check nothing is left",
    teardown: true,
    async run(state) {
      const report = await state.runtime.down({ stage: state.stage });
      state.log(`stage ${report.stage} destroyed, ${report.leftovers.length} resource(s) left`);
    },
  },
];

const flags = z.object({
  stage: z
    .string()
    .refine(isValidStage, { error: "a stage name of lower case letters, digits and single dashes, e.g. pr-1" })
    .default("pr-1")
    .describe("Stage the example app runs as"),
});

export const demoCommand = defineCommand({
  path: ["demo"],
  summary: "Run the kit's pipeline on the bundled example app, locally (no Cloudflare, no GitHub)",
  description:
    "Brings the example Alchemy app up on workerd as stage pr-1, prints its URLs and health, and tears it down. " +
    "Needs no credentials and no network.",
  flags,
  examples: ["npm run demo", "alchkit demo --stage pr-7"],
  async run({ flags }, ctx) {
    return runDemo(flags.stage, ctx, demoSteps);
  },
});

export async function runDemo(stage: string, ctx: CliContext, steps: DemoStep[]): Promise<number> {
  const stateDir = mkdtempSync(path.join(tmpdir(), "alchkit-demo-"));
  const state: DemoState = {
    stage,
    appDir: EXAMPLE_APP_DIR,
    runtime: createLocalRuntime({ cwd: EXAMPLE_APP_DIR, env: ctx.env, stateDir }),
    log: (line) => ctx.stdout(`   ${line}\n`),
  };
  const teardown = steps.filter((s) => s.teardown);
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once("SIGINT", onSignal);
  let failed: unknown;
  let n = 0;
  try {
    for (const step of steps.filter((s) => !s.teardown)) {
      if (interrupted) throw new Error("interrupted");
      ctx.stdout(`${++n}. ${step.title}\n`);
      const started = Date.now();
      await step.run(state);
      ctx.stdout(`   done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
  } catch (error) {
    failed = error;
    ctx.stderr(`   failed: ${error instanceof Error ? error.message : String(error)}\n`);
  } finally {
    for (const step of teardown) {
      ctx.stdout(`${++n}. ${step.title}\n`);
      try {
        await step.run(state);
      } catch (error) {
        failed ??= error;
        ctx.stderr(`   failed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
    process.off("SIGINT", onSignal);
    rmSync(stateDir, { recursive: true, force: true });
  }
  if (failed) return EXIT.gateFailed;
  ctx.stdout("Demo finished: the app came up, answered, and is gone again.\n");
  return EXIT.ok;
}
