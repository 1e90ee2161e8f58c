import { localDeployer, stopLocalStage } from "../alchemy/promotion-deployer.ts";
import { createWorktreeSource } from "../local/worktree-source.ts";
import { startTrafficSplitter, type LocalVersion, type TrafficSplitter } from "../local/traffic-splitter.ts";
import type { DeliveryPorts } from "../rollout/deliver.ts";
import { candidateTag, engineMeasure, systemClock } from "./rollout-ports.ts";

/*
 * Composition of a rollout on a laptop: the environment's local stage is the stable version, the candidate SHA
 * runs as a local stage of its own beside it, and the kit's splitter in front of both does what Cloudflare's
 * deployments and the version-override header do. The same deliver() and metric gate as on Cloudflare run on it.
 */

export interface LocalRolloutOptions {
  /** The repository root (its `.alchkit/` holds the stages' records and data). */
  root: string;
  appDir: string;
  env: NodeJS.ProcessEnv;
  /** The Worker's script name (what the override header names). */
  script: string;
  /** The stage serving the environment now, and the SHA it runs. */
  stable: { url: string; sha: string };
  candidate: { sha: string; stage: string; environment: string; envFile?: string };
  log(line: string): void;
}

export interface LocalRollout {
  /** The environment's URL behind the split. */
  url: string;
  splitter: TrafficSplitter;
  ports: Omit<DeliveryPorts, "events">;
  /** Stops the split and the candidate's stage. */
  close(): Promise<void>;
}

export async function localRollout(options: LocalRolloutOptions): Promise<LocalRollout> {
  const stable: LocalVersion = { id: candidateTag(options.stable.sha), url: options.stable.url };
  const splitter = await startTrafficSplitter({ script: options.script, stable });
  const { candidate } = options;
  return {
    url: splitter.url,
    splitter,
    ports: {
      versions: splitter,
      candidate: {
        async upload() {
          const root = await createWorktreeSource({ root: options.root, appDirs: [options.appDir] }).checkout(candidate.sha);
          const deployer = localDeployer({ root: options.root, env: options.env, envFileOptional: false });
          const app = await deployer.deploy({
            environment: candidate.environment,
            stage: candidate.stage,
            sha: candidate.sha,
            buildId: candidate.sha,
            root,
            appDir: options.appDir,
            appEntry: "alchemy.run.ts",
            ...(candidate.envFile ? { envFile: candidate.envFile } : {}),
          });
          const version: LocalVersion = { id: candidateTag(candidate.sha), url: app.url };
          splitter.add(version);
          options.log(`rollout: ${candidate.sha.slice(0, 7)} runs as version ${version.id} (local stage ${candidate.stage}), no traffic yet`);
          return { script: options.script, url: splitter.url, candidate: version.id };
        },
      },
      measure: engineMeasure(),
      clock: systemClock,
      log: options.log,
    },
    async close() {
      await splitter.close();
      await stopLocalStage(options.root, candidate.stage, options.env);
    },
  };
}
