import { firstJsonObject, isStateDocument } from "./state-output.ts";

/**
 * Where a resource that is still in a stage's state after `alchemy destroy` really is. `alchemy dev` records
 * dev-only resources (`dev.remote: false`: D1, KV, R2, queues, Workers on workerd) with empty Cloudflare ids:
 * they never existed on the account, only in local state and Miniflare storage, and Alchemy 0.94's destroy
 * still calls Cloudflare for some of them (R2) and fails. Knowing which is which lets a local teardown finish
 * and lets a leftover message name the right place.
 */
export type LeftoverPlace = "local" | "account" | "unknown";

export interface Leftover {
  fqn: string;
  place: LeftoverPlace;
  /** For local leftovers: the state file or storage folder that holds it. */
  path?: string;
}

/** Fields that hold an id Cloudflare gave the resource; empty while it only ever ran locally. */
const REMOTE_ID_FIELDS = ["namespaceId", "accountId", "queueId", "databaseId", "uuid"] as const;

export function placeOfResource(stateJson: string): LeftoverPlace {
  const state = firstJsonObject(stateJson, isStateDocument) as { kind?: unknown; output?: unknown } | undefined;
  if (!state) return "unknown";
  const output = state.output;
  if (!output || typeof output !== "object") return "unknown";
  const out = output as Record<string, unknown>;
  const dev = out.dev;
  if (!dev || typeof dev !== "object") return "unknown";
  const flags = dev as Record<string, unknown>;
  // Workers: `dev.hasRemote` says whether a script was ever uploaded.
  if (flags.hasRemote === false) return "local";
  if (flags.hasRemote === true || flags.remote === true || flags.isDeployed === true) return "account";
  if (flags.remote !== false) return "unknown";
  const kind = typeof state.kind === "string" ? state.kind : "";
  // For Workers `id` is the logical id; for the others it is Cloudflare's (empty until created there).
  const ids = kind === "cloudflare::Worker" ? REMOTE_ID_FIELDS : (["id", ...REMOTE_ID_FIELDS] as const);
  return ids.some((field) => typeof out[field] === "string" && out[field] !== "") ? "account" : "local";
}

/** One message naming every leftover and, truthfully, where it is and what to do about it. */
export function leftoverMessage(stage: string, leftovers: readonly Leftover[], destroyFailure?: string): string {
  const local = leftovers.filter((l) => l.place === "local");
  const account = leftovers.filter((l) => l.place === "account");
  const unknown = leftovers.filter((l) => l.place === "unknown");
  const parts = [`alchemy destroy left ${leftovers.length} resource(s) in stage ${stage}.`];
  if (account.length > 0) {
    parts.push(
      `On the Cloudflare account: ${account.map((l) => l.fqn).join(", ")}; run the destroy again, and if they stay, ` +
        "delete them in the Cloudflare dashboard and remove them from state.",
    );
  }
  if (unknown.length > 0) {
    parts.push(
      `In the stage's state (they may exist on the Cloudflare account): ${unknown.map((l) => l.fqn).join(", ")}; ` +
        "run the destroy again, and if they stay, check the account and remove them from state.",
    );
  }
  if (local.length > 0) {
    parts.push(
      `Only on this machine (never created on Cloudflare): ${local.map((l) => (l.path ? `${l.fqn} (${l.path})` : l.fqn)).join(", ")}; ` +
        "nothing to delete on the account: remove the files shown.",
    );
  }
  if (destroyFailure) parts.push(`The destroy itself said: ${destroyFailure}`);
  return parts.join(" ");
}
