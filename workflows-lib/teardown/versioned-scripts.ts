/**
 * Worker scripts that outlive `alchemy destroy`. A Worker whose last deploy uploaded a Workers version (its props
 * carry `version`, as a rollout deploys it) is not deleted by Alchemy 0.94's destroy: it uploads an empty version
 * instead and forgets the Worker. The kit reads the stage's scripts from state before the destroy and deletes
 * those that are still in the account afterwards — only scripts the stage's state held, never anything else.
 */

/** A Worker script as the stage's state held it before the destroy. */
export interface StateScript {
  /** The script's name on the account. */
  name: string;
  /** Last uploaded as a Workers version (`version` in its props). */
  versioned: boolean;
  /** `delete: false` in its props: the app asked to keep the script when the resource is destroyed. */
  keep: boolean;
}

/** The scripts to delete through Cloudflare's API after the destroy, sorted. */
export function scriptsLeftByDestroy(inState: readonly StateScript[], inAccount: readonly string[]): string[] {
  const present = new Set(inAccount);
  const names = inState.filter((s) => s.versioned && !s.keep && present.has(s.name)).map((s) => s.name);
  return [...new Set(names)].sort();
}
