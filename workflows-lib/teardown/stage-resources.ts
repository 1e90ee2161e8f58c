import type { AccountResources, ResourceKind } from "../platform/account-inventory.ts";

/**
 * Which resources of an account belong to a stage. Alchemy names what it creates `<app>-<id>-<stage>`
 * (`Scope.createPhysicalName`), so a name belongs to stage `pr-1` when it ends with `-pr-1` or has `-pr-1-`
 * inside; `pr-12` does not match `pr-1`.
 */

export interface StageResource {
  kind: ResourceKind;
  name: string;
}

/** The labels used in messages, e.g. "Worker consumer-app-api-pr-1". */
export const KIND_LABEL: Record<ResourceKind, string> = {
  workers: "Worker",
  kvNamespaces: "KV namespace",
  d1Databases: "D1 database",
  r2Buckets: "R2 bucket",
  queues: "Queue",
};

export function belongsToStage(name: string, stage: string): boolean {
  const n = name.toLowerCase();
  const s = stage.toLowerCase();
  return n === s || n.endsWith(`-${s}`) || n.includes(`-${s}-`) || n.startsWith(`${s}-`);
}

export function resourcesOfStage(resources: AccountResources, stage: string): StageResource[] {
  const found: StageResource[] = [];
  for (const kind of Object.keys(KIND_LABEL) as ResourceKind[]) {
    for (const name of resources[kind]) if (belongsToStage(name, stage)) found.push({ kind, name });
  }
  return found;
}

export function describeResource(resource: StageResource): string {
  return `${KIND_LABEL[resource.kind]} ${resource.name}`;
}
