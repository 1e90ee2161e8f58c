import type { CommitCheck } from "./checks.ts";
import type { WatchPorts } from "../watch/run-watch.ts";
import type { Ledger } from "./ledger.ts";
import type { Delivery } from "../rollout/deliver.ts";
import type { RolloutPlan } from "../rollout/plan-rollout.ts";
import type { VersionsPort, VersionsReader } from "../rollout/ports.ts";
import type { RolloutEvents, RolloutTarget } from "../rollout/run-rollout.ts";

/** Gets the code of a commit on disk (the working tree itself when it is already there, else a git worktree). */
export interface SourcePort {
  /** Full SHA of a ref (branch, tag, short or full SHA); throws InputError when the ref is unknown. */
  resolve(ref: string): Promise<string>;
  /** Absolute path of a repository root holding exactly the code of `sha`. */
  checkout(sha: string): Promise<string>;
}

export interface DeployRequest {
  environment: string;
  stage: string;
  sha: string;
  buildId: string;
  /** Absolute repository root holding the code of `sha` (from SourcePort.checkout). */
  root: string;
  /** App directory relative to the root. */
  appDir: string;
  appEntry: string;
  /** Env file name relative to the app directory, when the environment has one. */
  envFile?: string;
}

export interface DeployedApp {
  /** The URL the environment answers on (GitHub's `environment_url`). */
  url: string;
  /** Every resource URL of the stage, by resource id. */
  urls: Record<string, string>;
  /** The Workers version the deploy produced, when the runtime knows it (recorded next to the SHA). */
  versionId?: string;
  /** The Worker script that version belongs to. */
  script?: string;
  /** The env files the deploy loaded, as the timeline says them (e.g. `.env (working copy)`). */
  envFiles?: string[];
}

/** Deploys a stage: Alchemy on Cloudflare in CI, `alchemy dev` on workerd locally (replacing the previous process). */
export interface RuntimePort {
  deploy(request: DeployRequest): Promise<DeployedApp>;
}

export interface HealthVerdict {
  healthy: boolean;
  attempts: number;
  /** Last status code or error, for the timeline. */
  detail: string;
}

export interface HealthPort {
  probe(url: string): Promise<HealthVerdict>;
}

export interface ChecksPort {
  /** Every check run and commit status on a SHA. */
  list(sha: string): Promise<CommitCheck[]>;
}

export interface Comparison {
  /** Commits in `head` that `base` lacks, oldest first. */
  commits: { sha: string; message: string; author?: string }[];
  aheadBy: number;
  behindBy: number;
  url?: string;
}

export interface ComparePort {
  compare(base: string, head: string): Promise<Comparison>;
}

/**
 * Serializes operations on one environment. Locally a lock file; on GitHub the workflows' `concurrency:`
 * groups already queue runs, so the adapter there holds nothing.
 */
export interface LockPort {
  acquire(environment: string, onWait: (holder: string) => void): Promise<() => Promise<void>>;
  /**
   * true when holding the lock means no other operation on the environment runs (lock files): an operation
   * found in progress then was abandoned and is settled as `error`.
   */
  exclusive?: boolean;
}

/** Whether a commit is on the repository's default branch (production-like environments run nothing else). */
export interface BranchPort {
  defaultBranchContains(sha: string): Promise<{ branch: string; contains: boolean }>;
}

/** Asks a human before touching the target (CLI); on GitHub the environment's required reviewers do this. */
export interface ApprovalPort {
  approve(question: string): Promise<boolean>;
}

/**
 * Told when a deployment starts and when it reached a final state, so a job that dies in between (cancelled,
 * timed out) can still give it a final status from the action's post step.
 */
export interface InFlightPort {
  started(entry: { id: string; environment: string; sha: string }): void;
  finished(): void;
}

/**
 * Progressive delivery on a runtime with versions (Cloudflare): a rollout of a checkout's code step by step (the
 * same deliver() the `alchkit rollout` command runs), and the versions a rollback re-points traffic to.
 */
export interface DeliveryPort {
  deliver(plan: RolloutPlan, request: DeployRequest, events: RolloutEvents): Promise<Delivery>;
  /** Moves and reads traffic: re-pointing rollbacks, the approved switch of a manual blue-green. */
  versions: VersionsPort & VersionsReader;
}

/**
 * Tells people of each rollout step the candidate passed, while the rollout goes on (steps may last hours); the
 * shells' notify step tells of the outcome. Telling never decides a rollout: a failure is logged.
 */
export interface StepNotifyPort {
  passed(step: { index: number; traffic: number }, target: RolloutTarget): Promise<void>;
}

export interface PromotionPorts {
  ledger: Ledger;
  source: SourcePort;
  runtime: RuntimePort;
  health: HealthPort;
  lock: LockPort;
  branches: BranchPort;
  checks?: ChecksPort;
  compare?: ComparePort;
  approval?: ApprovalPort;
  inFlight?: InFlightPort;
  /** Workers versions (Cloudflare): rollouts and re-pointing rollbacks; absent: every deploy goes all at once. */
  delivery?: DeliveryPort;
  /** Per-step notifications of a rollout; absent: none. */
  steps?: StepNotifyPort;
  /** Probes for the post-deploy watch (options.watch); absent: no watch. */
  watch?: WatchPorts;
  now: () => number;
  log: (line: string) => void;
}
