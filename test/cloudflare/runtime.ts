// Runs what the account holds: every running version of every script is a worker in one Miniflare (workerd)
// instance, with its bindings mapped from the upload metadata. One instance for the account means bindings
// are shared the way Cloudflare shares them: two scripts bound to one KV namespace see the same keys, a
// Durable Object namespace keeps its storage across versions, a queue delivers to its consumer script.
// A hidden worker binds every KV namespace, D1 database and R2 bucket so the REST API reads and writes the
// same data the Workers see.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { Miniflare, type MiniflareOptions, type WorkerOptions } from "miniflare";
import type { CloudflareAccount, ScriptRecord, VersionRecord } from "./account.ts";
import { CloudflareError } from "./envelope.ts";
import type { Binding, ScriptUpload } from "./upload.ts";

type Worker = Extract<MiniflareOptions, { workers: WorkerOptions[] }>["workers"][number];
type DurableObjectBinding = { className: string; scriptName?: string; useSQLite?: boolean; unsafeUniqueKey?: string };
const objectBinding = (value: unknown): DurableObjectBinding | undefined => (value && typeof value === "object" ? (value as DurableObjectBinding) : undefined);

export const STORAGE_WORKER = "cloudflare-stand-in-storage";

/** The Miniflare worker name of a script version. */
export function workerName(script: string, version: VersionRecord): string {
  return `${script}.v${version.number}`;
}

const storageBinding = {
  kv: (id: string) => `KV_${id}`,
  d1: (id: string) => `D1_${id.replace(/-/g, "_")}`,
  r2: (name: string) => `R2_${name.replace(/[^A-Za-z0-9_]/g, "_")}`,
};

export interface RuntimeOptions {
  /** Where KV, D1, R2 and Durable Object data live for this run (a temp dir by default). */
  persistDir?: string;
  /** Lines the Workers print (console.log), for debugging. */
  onLog?: (line: string) => void;
}

export class WorkerRuntime {
  private mf: Miniflare | undefined;
  private applied = -1;
  private running = new Map<string, string>();
  private queue: Promise<unknown> = Promise.resolve();
  private inFlight = 0;
  private drained: (() => void)[] = [];
  private readonly persistDir: string;
  private readonly ownsPersistDir: boolean;
  private closed = false;

  private readonly account: CloudflareAccount;
  private readonly options: RuntimeOptions;

  constructor(account: CloudflareAccount, options: RuntimeOptions = {}) {
    this.account = account;
    this.options = options;
    this.ownsPersistDir = !options.persistDir;
    this.persistDir = options.persistDir ?? mkdtempSync(path.join(tmpdir(), "cf-stand-in-data-"));
  }

  /**
   * Brings workerd in line with the account. When the new configuration does not start (a script that throws
   * at startup, a class that is not exported), the previous one is restored and Cloudflare's upload error is
   * thrown, so the upload is refused as Cloudflare refuses it.
   */
  sync(): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed || this.applied === this.account.generation) return;
      const generation = this.account.generation;
      const workers = this.workers();
      await this.waitIdle();
      try {
        await this.apply(workers);
        this.applied = generation;
      } catch (error) {
        throw new CloudflareError(400, 10021, `Uncaught error while starting the Worker: ${firstLine(error)}`);
      }
    });
  }

  /** Checks that the account with this change still starts; reverts the change (`undo`) when it does not. */
  async accept(undo: () => void): Promise<void> {
    try {
      await this.sync();
    } catch (error) {
      undo();
      this.account.changed();
      await this.sync().catch(() => undefined);
      throw error;
    }
  }

  /** Sends one request to a version. The caller has picked the version. */
  async fetch(script: string, version: VersionRecord, url: string, init: { method: string; headers: [string, string][]; body?: Uint8Array<ArrayBuffer> }): Promise<Response> {
    await this.sync();
    const name = workerName(script, version);
    if (!this.running.has(name) || !this.mf) throw new Error(`version ${version.id} of ${script} is not running`);
    this.inFlight++;
    try {
      const headers = init.headers.filter(([k]) => !/^mf-/i.test(k));
      headers.push(["MF-Route-Override", name]);
      const response = await this.mf.dispatchFetch(url, {
        method: init.method,
        headers,
        redirect: "manual",
        ...(init.body && init.body.length > 0 ? { body: init.body } : {}),
      });
      // Buffer the body so the request counts as finished before workerd may restart.
      const body = new Uint8Array(await response.arrayBuffer());
      return new Response(nullBodyStatus(response.status) ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers as unknown as Headers });
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.drained.splice(0).forEach((resolve) => resolve());
    }
  }

  /** The hidden worker's bindings: the account's KV, D1 and R2 as Workers see them. */
  async storage(): Promise<{ kv(id: string): Promise<KvLike>; d1(id: string): Promise<D1Like>; r2(name: string): Promise<R2Like> }> {
    await this.sync();
    const mf = this.mf!;
    return {
      kv: (id) => mf.getKVNamespace(storageBinding.kv(id), STORAGE_WORKER) as unknown as Promise<KvLike>,
      d1: (id) => mf.getD1Database(storageBinding.d1(id), STORAGE_WORKER) as unknown as Promise<D1Like>,
      r2: (name) => mf.getR2Bucket(storageBinding.r2(name), STORAGE_WORKER) as unknown as Promise<R2Like>,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.catch(() => undefined);
    await this.mf?.dispose().catch(() => undefined);
    this.mf = undefined;
    if (this.ownsPersistDir) rmSync(this.persistDir, { recursive: true, force: true });
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private waitIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  private async apply(workers: Worker[]): Promise<void> {
    const options: MiniflareOptions = {
      workers,
      defaultPersistRoot: this.persistDir,
      kvPersist: path.join(this.persistDir, "kv"),
      d1Persist: path.join(this.persistDir, "d1"),
      r2Persist: path.join(this.persistDir, "r2"),
      durableObjectsPersist: path.join(this.persistDir, "do"),
      host: "127.0.0.1",
      port: 0,
      handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
        const forward = (chunk: Buffer) => this.options.onLog?.(chunk.toString("utf8"));
        stdout.on("data", forward);
        stderr.on("data", forward);
      },
    };
    if (!this.mf) {
      const mf = new Miniflare(options);
      try {
        await mf.ready;
      } catch (error) {
        await mf.dispose().catch(() => undefined);
        throw error;
      }
      this.mf = mf;
    } else {
      await this.mf.setOptions(options);
    }
    this.running = new Map(workers.map((w) => [w.name!, w.name!]));
  }

  private workers(): Worker[] {
    const account = this.account;
    const hostOf = new Map<string, string>();
    const list: Worker[] = [];
    for (const script of account.scripts.values()) {
      const versions = account.runningVersions(script);
      // Durable Objects live in one version of the script (the newest deployed one); the others reach them.
      const active = account.activeDeployment(script);
      const host = versions.filter((v) => active?.versions.some((d) => d.versionId === v.id)).at(-1) ?? versions.at(-1);
      if (host) hostOf.set(script.name, workerName(script.name, host));
      for (const version of versions) list.push(this.workerFor(script, version, hostOf));
    }
    // Resolve cross-script Durable Object references now that every host is known.
    for (const worker of list) {
      for (const value of Object.values(worker.durableObjects ?? {})) {
        const binding = objectBinding(value);
        if (binding?.scriptName?.startsWith("script:")) {
          const target = binding.scriptName.slice("script:".length);
          const host = hostOf.get(target);
          if (host) binding.scriptName = host;
          else delete binding.scriptName;
        }
      }
    }
    list.push(this.storageWorker());
    return list;
  }

  private workerFor(script: ScriptRecord, version: VersionRecord, hostOf: Map<string, string>): Worker {
    const upload = resolveInherited(script, version);
    const name = workerName(script.name, version);
    const host = hostOf.get(script.name);
    const bindings: Record<string, unknown> = {};
    const kvNamespaces: Record<string, string> = {};
    const d1Databases: Record<string, string> = {};
    const r2Buckets: Record<string, string> = {};
    const durableObjects: NonNullable<Worker["durableObjects"]> = {};
    const queueProducers: Record<string, { queueName: string }> = {};
    const serviceBindings: Record<string, string> = {};
    for (const binding of upload.bindings) {
      switch (binding.type) {
        case "plain_text":
        case "secret_text":
          bindings[binding.name] = binding.text;
          break;
        case "json":
          bindings[binding.name] = binding.json;
          break;
        case "kv_namespace":
          kvNamespaces[binding.name] = binding.namespace_id;
          break;
        case "d1":
          d1Databases[binding.name] = binding.id;
          break;
        case "r2_bucket":
          r2Buckets[binding.name] = binding.bucket_name;
          break;
        case "durable_object_namespace": {
          const own = !binding.script_name || binding.script_name === script.name;
          const ownerScript = own ? script : this.account.scripts.get(binding.script_name!);
          const sqlite = ownerScript?.durableObjectClasses.get(binding.class_name)?.sqlite ?? false;
          durableObjects[binding.name] = {
            className: binding.class_name,
            useSQLite: sqlite,
            unsafeUniqueKey: `${own ? script.name : binding.script_name}-${binding.class_name}`,
            ...(own ? (host && host !== name ? { scriptName: host } : {}) : { scriptName: `script:${binding.script_name}` }),
          };
          break;
        }
        case "queue":
          queueProducers[binding.name] = { queueName: binding.queue_name };
          break;
        case "service": {
          const target = this.account.scripts.get(binding.service);
          const targetVersion = target ? this.account.runningVersions(target).at(-1) : undefined;
          if (target && targetVersion) serviceBindings[binding.name] = workerName(target.name, targetVersion);
          break;
        }
        case "version_metadata":
          bindings[binding.name] = { id: version.id, tag: upload.annotations["workers/tag"] ?? "", timestamp: version.createdOn };
          break;
        case "inherit":
          break;
      }
    }
    const consumers: Record<string, { maxBatchSize?: number; maxBatchTimeout?: number; maxRetries?: number; deadLetterQueue?: string }> = {};
    const isHost = host === name;
    if (isHost) {
      for (const queue of this.account.queues.values()) {
        for (const consumer of queue.consumers) {
          if (consumer.scriptName !== script.name) continue;
          consumers[queue.name] = {
            ...(consumer.settings.batch_size !== undefined ? { maxBatchSize: consumer.settings.batch_size } : {}),
            ...(consumer.settings.max_wait_time_ms !== undefined ? { maxBatchTimeout: Math.ceil(consumer.settings.max_wait_time_ms / 1000) } : {}),
            ...(consumer.settings.max_retries !== undefined ? { maxRetries: consumer.settings.max_retries } : {}),
            ...(consumer.deadLetterQueue ? { deadLetterQueue: consumer.deadLetterQueue } : {}),
          };
        }
      }
    }
    // Durable Objects whose class this version does not bind are still hosted (the class is declared by migrations).
    if (isHost) {
      for (const [className, { sqlite }] of script.durableObjectClasses) {
        if (Object.values(durableObjects).some((b) => objectBinding(b)?.className === className && !objectBinding(b)?.scriptName)) continue;
        durableObjects[`__class_${className}`] = { className, useSQLite: sqlite, unsafeUniqueKey: `${script.name}-${className}` };
      }
    }
    // Versions that are not the host reach their own script's objects in the host version.
    if (!isHost) {
      for (const key of Object.keys(durableObjects)) {
        const binding = objectBinding(durableObjects[key]);
        if (binding && !binding.scriptName) durableObjects[key] = { ...binding, scriptName: host ?? name };
      }
    }
    return {
      name,
      modules: upload.modules.map((m) => ({ type: m.type, path: m.name, contents: m.contents })),
      modulesRoot: "/",
      compatibilityDate: upload.compatibilityDate,
      compatibilityFlags: upload.compatibilityFlags,
      bindings: bindings as Record<string, never>,
      kvNamespaces,
      d1Databases,
      r2Buckets,
      durableObjects,
      queueProducers,
      queueConsumers: consumers,
      serviceBindings,
    };
  }

  private storageWorker(): Worker {
    const kvNamespaces: Record<string, string> = {};
    const d1Databases: Record<string, string> = {};
    const r2Buckets: Record<string, string> = {};
    for (const ns of this.account.kv.values()) kvNamespaces[storageBinding.kv(ns.id)] = ns.id;
    for (const db of this.account.d1.values()) d1Databases[storageBinding.d1(db.uuid)] = db.uuid;
    for (const bucket of this.account.r2.values()) r2Buckets[storageBinding.r2(bucket.name)] = bucket.name;
    return {
      name: STORAGE_WORKER,
      modules: true,
      script: "export default { fetch() { return new Response(null, { status: 404 }); } };",
      compatibilityDate: "2025-01-01",
      kvNamespaces,
      d1Databases,
      r2Buckets,
    };
  }
}

/** `inherit` bindings and `keep_bindings` take their value from the version before. */
function resolveInherited(script: ScriptRecord, version: VersionRecord): ScriptUpload {
  const upload = version.upload;
  const previous = script.versions.filter((v) => v.number < version.number).at(-1);
  if (!previous) return { ...upload, bindings: upload.bindings.filter((b) => b.type !== "inherit") };
  const before = resolveInherited(script, previous).bindings;
  const bindings: Binding[] = [];
  for (const binding of upload.bindings) {
    if (binding.type !== "inherit") {
      bindings.push(binding);
      continue;
    }
    const old = before.find((b) => b.name === (binding.old_name ?? binding.name));
    if (old) bindings.push({ ...old, name: binding.name });
  }
  for (const kept of before) {
    const keep = upload.keepBindings.includes(kept.type) || upload.keepBindings.includes(kept.name);
    if (keep && !bindings.some((b) => b.name === kept.name)) bindings.push(kept);
  }
  return { ...upload, bindings };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n").find((l) => l.trim())?.trim() ?? text;
}

function nullBodyStatus(status: number): boolean {
  return status === 101 || status === 204 || status === 205 || status === 304;
}

export interface KvLike {
  get(key: string, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  getWithMetadata(key: string, type: "arrayBuffer"): Promise<{ value: ArrayBuffer | null; metadata: unknown }>;
  put(key: string, value: ArrayBuffer | string, options?: { expiration?: number; expirationTtl?: number; metadata?: unknown }): Promise<void>;
  delete(key: string): Promise<void>;
  list(options?: { prefix?: string; limit?: number; cursor?: string }): Promise<{ keys: { name: string; expiration?: number; metadata?: unknown }[]; list_complete: boolean; cursor?: string }>;
}

export interface D1Like {
  prepare(sql: string): { bind(...values: unknown[]): { all(): Promise<D1Result>; raw(options?: { columnNames?: boolean }): Promise<unknown[][]> } };
  batch(statements: unknown[]): Promise<D1Result[]>;
  exec(sql: string): Promise<{ count: number; duration: number }>;
}

export interface D1Result {
  results: Record<string, unknown>[];
  success: boolean;
  meta: Record<string, unknown>;
}

export interface R2Like {
  list(options?: { limit?: number }): Promise<{ objects: { key: string }[] }>;
  delete(keys: string | string[]): Promise<void>;
}
