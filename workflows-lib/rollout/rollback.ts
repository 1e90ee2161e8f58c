import { errorMessage } from "../errors.ts";
import type { RolloutClock, VersionsPort } from "./ports.ts";

/** What a rollback goes back to: the script and, when the ledger kept it, the Workers version that served then. */
export interface RollbackTarget {
  environment: string;
  sha: string;
  script?: string;
  /** The version id recorded next to the SHA when it was live. */
  versionId?: string;
}

export interface RollbackPorts {
  versions?: VersionsPort;
  /** Today's rollback: deploy the SHA again (Alchemy), for when no version is there to re-point to. */
  redeploy(): Promise<void>;
  clock: Pick<RolloutClock, "now">;
  log(line: string): void;
}

export interface RollbackOutcome {
  /** re-point: one deployment sent all traffic to the recorded version; redeploy: the SHA was deployed again. */
  method: "re-point" | "redeploy";
  /** Why it could not re-point, when it redeployed. */
  why?: string;
  durationMs: number;
}

/**
 * The instant rollback: when the ledger knows the version that served the SHA and the platform still has it,
 * one deployment re-points all traffic to it (no build, no upload, no Alchemy run). Otherwise — no version
 * recorded, the version was pruned, or re-pointing failed — the SHA is redeployed as before.
 */
export async function rollBack(target: RollbackTarget, ports: RollbackPorts): Promise<RollbackOutcome> {
  const started = ports.clock.now();
  const short = target.sha.slice(0, 7);
  let why: string;
  if (!target.versionId || !target.script) {
    why = `the ledger has no Workers version for ${short}`;
  } else if (!ports.versions) {
    why = "this runtime has no Workers versions";
  } else {
    try {
      const message = `alchkit: roll ${target.environment} back to ${short}`;
      if (await ports.versions.restore(target.script, target.versionId, message)) {
        ports.log(`rollback: ${target.script} serves version ${target.versionId} (${short}) at 100 % again, re-pointed in one deployment`);
        return { method: "re-point", durationMs: ports.clock.now() - started };
      }
      why = `Cloudflare no longer has version ${target.versionId} of ${target.script}`;
    } catch (error) {
      why = `re-pointing to version ${target.versionId} failed: ${errorMessage(error)}`;
    }
  }
  ports.log(`rollback: ${why}; redeploying ${short}`);
  await ports.redeploy();
  return { method: "redeploy", why, durationMs: ports.clock.now() - started };
}
