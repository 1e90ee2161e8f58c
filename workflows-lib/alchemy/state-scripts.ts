import type { StateScript } from "../teardown/versioned-scripts.ts";

/**
 * The Worker scripts among a stage's state documents (`cloudflare::Worker`): the script's name, whether its last
 * deploy uploaded a version, and whether the app keeps it on destroy. Workers that never reached the account
 * (`dev.hasRemote: false`) are not scripts of the account and are left out.
 */
export function workerScriptsOf(documents: readonly { fqn: string; state: unknown }[]): StateScript[] {
  const scripts: StateScript[] = [];
  for (const { state } of documents) {
    if (!state || typeof state !== "object") continue;
    const doc = state as { kind?: unknown; props?: unknown; output?: unknown };
    if (doc.kind !== "cloudflare::Worker") continue;
    const props = record(doc.props);
    const output = record(doc.output);
    if (record(output.dev).hasRemote === false) continue;
    const name = typeof output.name === "string" && output.name !== "" ? output.name : typeof props.name === "string" ? props.name : "";
    if (name === "") continue;
    const version = props.version ?? output.version;
    scripts.push({ name, versioned: typeof version === "string" && version !== "", keep: props.delete === false });
  }
  return scripts;
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
}
