/**
 * The example app on the Cloudflare stand-in, through the same Cloudflare runtime the preview and promote
 * actions use (`alchemy deploy` / `destroy` with the real Alchemy CLI). Each call gets a temp HOME and its own
 * stage; `cleanup` removes the stage's local Alchemy state and bundle output, also after a failure.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createCloudflareRuntime } from "../../workflows-lib/alchemy/cloudflare-runtime.ts";
import type { Runtime } from "../../workflows-lib/platform/runtime.ts";
import type { CloudflareStandIn } from "../cloudflare/index.ts";
import { CONSUMER_APP_DIR } from "./local-app.ts";

export interface CloudflareAppContext {
  runtime: Runtime;
  /** The environment Alchemy gets: PATH, a temp HOME and the stand-in's variables. */
  env: Record<string, string>;
  stage: string;
  /** The Worker script name Alchemy derives for the example app's `api` Worker. */
  script: string;
  cleanup(): void;
}

export function uniqueStage(prefix = "cf"): string {
  return `${prefix}-${process.pid}-${randomBytes(2).toString("hex")}`;
}

export function cloudflareApp(standIn: CloudflareStandIn, options: { stage?: string; env?: Record<string, string>; output?: (chunk: string) => void } = {}): CloudflareAppContext {
  const home = mkdtempSync(path.join(tmpdir(), "alchkit-cf-home-"));
  const stage = options.stage ?? uniqueStage();
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: home, ...standIn.env, ...options.env };
  const runtime = createCloudflareRuntime({ cwd: CONSUMER_APP_DIR, env, ...(options.output ? { onOutput: options.output } : {}) });
  return {
    runtime,
    env,
    stage,
    script: `consumer-app-api-${stage}`,
    cleanup() {
      rmSync(home, { recursive: true, force: true });
      rmSync(path.join(CONSUMER_APP_DIR, ".alchemy", "consumer-app", stage), { recursive: true, force: true });
      rmSync(path.join(CONSUMER_APP_DIR, ".alchemy", "out", `consumer-app-api-${stage}`), { recursive: true, force: true });
    },
  };
}
