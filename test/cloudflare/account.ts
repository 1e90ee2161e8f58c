// The in-memory Cloudflare account: Worker scripts with their versions and deployments, KV namespaces, D1
// databases, R2 buckets and Queues. Handlers change it; the runtime runs what it holds; tests read it.
import { randomBytes, randomUUID } from "node:crypto";
import type { ScriptUpload } from "./upload.ts";

export interface VersionRecord {
  id: string;
  /** 1, 2, 3 … per script. */
  number: number;
  createdOn: string;
  /** `upload` for a script upload (it deploys), `version` for the versions API (it does not). */
  source: "upload" | "version";
  upload: ScriptUpload;
  /** Requests this version answered, and how many of them with a 5xx status. */
  requests: number;
  errors: number;
}

export interface DeploymentRecord {
  id: string;
  createdOn: string;
  source: string;
  strategy: "percentage";
  versions: { versionId: string; percentage: number }[];
  message?: string;
}

export interface ScriptRecord {
  name: string;
  /** The script's own id (Cloudflare's `id` is the name; the tag identifies it across renames). */
  tag: string;
  createdOn: string;
  modifiedOn: string;
  etag: string;
  subdomain: { enabled: boolean; previewsEnabled: boolean };
  versions: VersionRecord[];
  deployments: DeploymentRecord[];
  /** Durable Object classes declared by migrations so far. */
  durableObjectClasses: Map<string, { sqlite: boolean }>;
  migrationTag?: string;
  schedules: { cron: string; created_on: string; modified_on: string }[];
  tags: string[];
  logpush: boolean;
  /** Requests answered by no version (script deleted mid-flight, no deployment). */
}

export interface KvNamespaceRecord {
  id: string;
  title: string;
  supportsUrlEncoding: boolean;
}

export interface D1DatabaseRecord {
  uuid: string;
  name: string;
  createdAt: string;
  primaryLocationHint?: string;
  readReplication: "auto" | "disabled";
}

export interface R2BucketRecord {
  name: string;
  creationDate: string;
  location: string;
  storageClass: "Standard" | "InfrequentAccess";
  jurisdiction: "default" | "eu" | "fedramp";
  managedDomain: boolean;
}

export interface QueueConsumerRecord {
  consumerId: string;
  scriptName: string;
  createdOn: string;
  settings: { batch_size?: number; max_retries?: number; max_wait_time_ms?: number; max_concurrency?: number | null; retry_delay?: number };
  deadLetterQueue?: string;
}

export interface QueueRecord {
  id: string;
  name: string;
  createdOn: string;
  modifiedOn: string;
  settings: { delivery_delay?: number; delivery_paused?: boolean; message_retention_period?: number };
  consumers: QueueConsumerRecord[];
}

/** What is in the account, by kind: what a teardown check compares against. */
export interface AccountInventory {
  workers: string[];
  kvNamespaces: string[];
  d1Databases: string[];
  r2Buckets: string[];
  queues: string[];
}

export class CloudflareAccount {
  readonly id: string;
  readonly subdomain: string;
  readonly scripts = new Map<string, ScriptRecord>();
  readonly kv = new Map<string, KvNamespaceRecord>();
  readonly d1 = new Map<string, D1DatabaseRecord>();
  readonly r2 = new Map<string, R2BucketRecord>();
  readonly queues = new Map<string, QueueRecord>();
  /** Bumped on every change the runtime must follow. */
  generation = 0;

  constructor(id: string, subdomain: string) {
    this.id = id;
    this.subdomain = subdomain;
  }

  inventory(): AccountInventory {
    return {
      workers: [...this.scripts.keys()].sort(),
      kvNamespaces: [...this.kv.values()].map((n) => n.title).sort(),
      d1Databases: [...this.d1.values()].map((d) => d.name).sort(),
      r2Buckets: [...this.r2.keys()].sort(),
      queues: [...this.queues.values()].map((q) => q.name).sort(),
    };
  }

  /** The deployment that serves the script's traffic (the newest), if any. */
  activeDeployment(script: ScriptRecord): DeploymentRecord | undefined {
    return script.deployments.at(-1);
  }

  /** Versions that run: those of the active deployment and the 5 newest uploaded without deploying (preview URLs). */
  runningVersions(script: ScriptRecord): VersionRecord[] {
    const deployed = new Set(this.activeDeployment(script)?.versions.map((v) => v.versionId) ?? []);
    const previews = script.versions.filter((v) => v.source === "version" && !deployed.has(v.id)).slice(-5);
    return script.versions.filter((v) => deployed.has(v.id) || previews.includes(v));
  }

  findVersion(script: ScriptRecord, id: string): VersionRecord | undefined {
    return script.versions.find((v) => v.id === id);
  }

  changed(): void {
    this.generation += 1;
  }
}

export const now = (): string => new Date().toISOString();
export const hexId = (): string => randomBytes(16).toString("hex");
export const uuid = (): string => randomUUID();
export const etagOf = (): string => randomBytes(32).toString("hex");
