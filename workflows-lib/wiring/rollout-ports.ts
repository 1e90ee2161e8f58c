import { workersInvocations, type CloudflareApi } from "../cloudflare/workers-analytics.ts";
import { createWorkerVersions, type WorkerVersionsClient } from "../cloudflare/worker-versions.ts";
import { autocannonEngine } from "../loadgate/engines/index.ts";
import { parseScenario } from "../loadgate/scenario.ts";
import type { MeasurePort, MeasureTarget, RolloutClock } from "../rollout/ports.ts";

/*
 * Composition of progressive delivery on Cloudflare: the Workers versions and deployments client, and the
 * measurement of one version (the load engine with the version-override header, Workers analytics per version).
 */

/** `Cloudflare-Workers-Version-Overrides: <script>="<version id>"` (a structured-header dictionary). */
export const OVERRIDE_HEADER = "Cloudflare-Workers-Version-Overrides";
export const overrideValue = (script: string, versionId: string): string => `${script}="${versionId}"`;

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

export interface CloudflareDelivery {
  versions: WorkerVersionsClient;
  measure: MeasurePort;
  clock: RolloutClock;
}

/** The real thing: API token and account from the environment (as Alchemy deploys), the wall clock. */
export function cloudflareDelivery(api: CloudflareApi, options: { analytics?: boolean } = {}): CloudflareDelivery {
  return {
    versions: createWorkerVersions({ apiToken: api.apiToken, accountId: api.accountId, baseUrl: api.baseUrl }),
    measure: engineMeasure(options.analytics === false ? undefined : api),
    clock: systemClock,
  };
}

export const systemClock: RolloutClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
