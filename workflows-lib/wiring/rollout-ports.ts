import { join } from "node:path";
import { workersInvocations, type CloudflareApi } from "../cloudflare/workers-analytics.ts";
import { createWorkerVersions, type WorkerVersionsClient } from "../cloudflare/worker-versions.ts";
import { autocannonEngine } from "../loadgate/engines/index.ts";
import { parseScenario } from "../loadgate/scenario.ts";
import { GateFailure, InputError } from "../errors.ts";
import type { Runtime } from "../platform/runtime.ts";
import type { CandidatePort, MeasurePort, MeasureTarget, RolloutClock } from "../rollout/ports.ts";
import { deliver } from "../rollout/deliver.ts";
import { OVERRIDE_HEADER, overrideValue } from "../rollout/version-override.ts";
import type { DeliveryPort, DeployRequest } from "../promote/ports.ts";
import { CLOUDFLARE_API } from "../cloudflare/cloudflare-request.ts";
import { cloudflareCredentials } from "../cloudflare/account-from-env.ts";

/*
 * Composition of progressive delivery on Cloudflare: the Workers versions and deployments client, and the
 * measurement of one version (the load engine with the version-override header, Workers analytics per version).
 */

/** Measures one version with the built-in load engine: `requests` requests of `path`, the override header on each. */
export function engineMeasure(analyticsApi?: CloudflareApi): MeasurePort {
  return {
    async measure(target: MeasureTarget) {
      const scenario = parseScenario(
        {
          name: `version ${target.versionId.slice(0, 8)}`,
          requests: [{ path: target.path, headers: { [OVERRIDE_HEADER]: overrideValue(target.script, target.versionId) } }],
          connections: target.connections,
          amount: target.requests,
          timeout: "10s",
        },
        "rollout measurement",
      );
      const run = await autocannonEngine(target.url, scenario).run({ shouldAbort: () => false });
      return run.summary;
    },
    ...(analyticsApi
      ? {
          analytics: (script: string, versionId: string, since: number, until: number) =>
            workersInvocations(analyticsApi, { script, version: versionId, since, until }),
        }
      : {}),
  };
}

/** The variable alchemy.run.ts passes to its Worker's `version` property: set, Alchemy uploads a version without traffic. */
export const WORKER_VERSION_VAR = "ALCHKIT_WORKER_VERSION";

export interface CandidateOptions {
  stage: string;
  sha: string;
  /** BUILD_ID for alchemy.run.ts (the SHA unless configured otherwise). */
  buildId: string;
  envFile?: string;
  profile?: string;
  /** Alchemy resource id of the Worker to roll out (default: the one Worker with a URL). */
  resource?: string;
}

/** The version tag of a SHA's candidate (Cloudflare's `workers/tag`, which Alchemy's `version` property sets). */
export const candidateTag = (sha: string): string => `alchkit-${sha.slice(0, 12)}`;

/**
 * Uploads the candidate with `alchemy deploy` — Alchemy still provisions every resource of the stage — with
 * ALCHKIT_WORKER_VERSION set, so the Worker goes up as a version that takes no traffic; finds that version by
 * its tag and the environment's URL (the script's own URL, not the version's preview URL).
 */
export function alchemyCandidate(runtime: Runtime, versions: Pick<WorkerVersionsClient, "tagged">, options: CandidateOptions): CandidatePort {
  return {
    async upload() {
      const tag = candidateTag(options.sha);
      const deployment = await runtime.up({
        stage: options.stage,
        ...(options.envFile ? { envFile: options.envFile } : {}),
        ...(options.profile ? { profile: options.profile } : {}),
        vars: { BUILD_ID: options.buildId, [WORKER_VERSION_VAR]: tag },
      });
      const workers = deployment.resources.filter((r) => r.kind === "cloudflare::Worker" && (options.resource ? r.fqn.endsWith(`/${options.resource}`) : r.url));
      if (workers.length !== 1) {
        const names = deployment.resources.filter((r) => r.kind === "cloudflare::Worker").map((r) => r.fqn.split("/").at(-1)).join(", ") || "none";
        throw new InputError("resource", `the one Worker of stage ${options.stage} to roll out`, `Workers: ${names}`);
      }
      const worker = workers[0]!;
      const version = await versions.tagged(worker.name, tag);
      if (!version) {
        throw new GateFailure(
          `alchemy deploy uploaded no version of ${worker.name} tagged ${tag}: give the Worker in alchemy.run.ts ` +
            `\`version: process.env.${WORKER_VERSION_VAR}\` (see docs/rollouts.md).`,
        );
      }
      return { script: worker.name, url: scriptUrl(worker.url, worker.name), candidate: version.id };
    },
  };
}

/** `https://<id8>-<script>.<sub>.workers.dev` (a version's preview URL) → `https://<script>.<sub>.workers.dev`. */
export function scriptUrl(url: string | undefined, script: string): string {
  if (!url) throw new GateFailure(`${script} has no URL: a rollout measures the versions at the Worker's workers.dev URL (give it \`url: true\`)`);
  const parsed = new URL(url);
  const [label, ...rest] = parsed.hostname.split(".");
  if (label?.endsWith(`-${script}`) && /^[0-9a-f]{8}$/.test(label.slice(0, -(script.length + 1)))) parsed.hostname = [script, ...rest].join(".");
  return parsed.origin;
}

/** Cloudflare's side of a rollout from the credentials Alchemy deploys with (CLOUDFLARE_* in the environment). */
export function cloudflareVersions(api: CloudflareApi): WorkerVersionsClient {
  return createWorkerVersions({ apiToken: api.apiToken, accountId: api.accountId, ...(api.baseUrl ? { baseUrl: api.baseUrl } : {}) });
}

export const systemClock: RolloutClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * The Cloudflare API from the credentials Alchemy deploys with (CLOUDFLARE_* in the environment, else the Alchemy
 * profile the setup action wrote); undefined when there are none.
 */
export function cloudflareApiFrom(env: NodeJS.ProcessEnv, profile?: string): CloudflareApi | undefined {
  const credentials = cloudflareCredentials(env, profile);
  if (!credentials) return undefined;
  return { ...credentials, baseUrl: env.CLOUDFLARE_BASE_URL || CLOUDFLARE_API };
}

export interface DeliveryOptions {
  /** The Alchemy runtime of a checkout's app directory. */
  runtimeFor(appDir: string, request: DeployRequest): Runtime;
  /** The env file to give Alchemy for a request (the deployer's rule), if any. */
  envFileFor(appDir: string, request: DeployRequest): string | undefined;
  profile?: string;
  /** Alchemy id of the Worker to roll out (default: the one Worker with a URL). */
  resource?: string;
  log(line: string): void;
}

/**
 * Promotion's progressive delivery on Cloudflare: the candidate uploaded by `alchemy deploy` as a version, then
 * deliver() — the same code `alchkit rollout` runs — with the load engine measuring both versions.
 */
export function cloudflareDelivery(api: CloudflareApi, options: DeliveryOptions): DeliveryPort {
  const versions = cloudflareVersions(api);
  return {
    versions,
    deliver(plan, request, events) {
      const appDir = join(request.root, request.appDir);
      const envFile = options.envFileFor(appDir, request);
      const candidate = alchemyCandidate(options.runtimeFor(appDir, request), versions, {
        stage: request.stage,
        sha: request.sha,
        buildId: request.buildId,
        ...(envFile ? { envFile } : {}),
        ...(options.profile ? { profile: options.profile } : {}),
        ...(options.resource ? { resource: options.resource } : {}),
      });
      return deliver(plan, { environment: request.environment, sha: request.sha }, {
        versions,
        candidate,
        measure: engineMeasure(plan.gate.analytics ? api : undefined),
        clock: systemClock,
        events,
        log: options.log,
      });
    },
  };
}

/** The version serving a script at 100 % (undefined while traffic is split, or when Cloudflare cannot say). */
export function servingVersion(versions: Pick<WorkerVersionsClient, "active">, log: (line: string) => void): (script: string) => Promise<string | undefined> {
  return async (script) => {
    try {
      const split = await versions.active(script);
      const only = split.versions.filter((v) => v.percentage > 0);
      return only.length === 1 && only[0]!.percentage === 100 ? only[0]!.versionId : undefined;
    } catch (error) {
      log(`could not read the version serving ${script} (a rollback of this SHA will redeploy): ${(error as Error).message}`);
      return undefined;
    }
  };
}
