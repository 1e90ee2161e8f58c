import type { Summary } from "../loadgate/summary.ts";
import type { AnalyticsSample } from "../watch/workers-metrics.ts";

/** How a script's traffic is split: one or two versions whose percentages add up to 100. */
export interface TrafficSplit {
  versions: Array<{ versionId: string; percentage: number }>;
}

/**
 * The platform's versions and deployments (Cloudflare's Workers versions; locally the kit's router in front of
 * two workerd processes). One `route` is one deployment: it takes effect for every new request at once.
 */
export interface VersionsPort {
  route(script: string, split: TrafficSplit, message: string): Promise<void>;
  /**
   * Sends all traffic to one version in one deployment. false (and nothing changed) when the platform no longer
   * has that version (Cloudflare keeps a script's 100 newest), so the caller redeploys instead.
   */
  restore(script: string, versionId: string, message: string): Promise<boolean>;
}

/** What the platform says about a script's versions before traffic moves. */
export interface VersionsReader {
  /** The active deployment's split. */
  active(script: string): Promise<TrafficSplit>;
  /** The Durable Object classes a version implements itself; undefined when the platform no longer has it. */
  durableObjectClasses(script: string, versionId: string): Promise<string[] | undefined>;
}

/** Uploads the candidate as a version that takes no traffic (Alchemy with the Worker's `version` property). */
export interface CandidatePort {
  upload(): Promise<{ script: string; url: string; candidate: string }>;
}

/** Where a measurement goes: the environment's URL, one version of its script (the override header). */
export interface MeasureTarget {
  url: string;
  script: string;
  versionId: string;
  path: string;
  requests: number;
  connections: number;
}

export interface MeasurePort {
  /** Loads one version with the load engine and returns its k6 summary. */
  measure(target: MeasureTarget): Promise<Summary>;
  /** The real traffic a version served between two times (undefined where the platform has no analytics). */
  analytics?(script: string, versionId: string, since: number, until: number): Promise<AnalyticsSample | undefined>;
}

/** The step clock: durations such as "30m" are slept on it, so tests run them on a virtual one. */
export interface RolloutClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}
