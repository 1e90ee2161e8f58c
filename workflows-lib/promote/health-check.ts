import { probeHealth, type HealthProbeOptions, type HealthProbePorts } from "../health/probe.ts";
import type { HealthPort } from "./ports.ts";

/** Promotion's HealthPort on the shared probe (retries with backoff, per-request timeout, overall deadline). */
export function healthChecker(
  options: Omit<HealthProbeOptions, "url">,
  ports: HealthProbePorts,
): HealthPort {
  return {
    async probe(url) {
      const result = await probeHealth({ ...options, url }, ports);
      const last = result.attempts.at(-1);
      const detail = result.healthy
        ? `${result.url} answered ${result.status}`
        : (result.reason ?? `${result.url} unhealthy${last?.status ? ` (status ${last.status})` : ""}`);
      return { healthy: result.healthy, attempts: result.attempts.length, detail };
    },
  };
}
