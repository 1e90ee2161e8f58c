// Storage endpoints: KV namespaces and values, D1 databases and queries, R2 buckets (and their managed
// r2.dev domain), Queues and their consumers. Data (KV values, D1 rows) lives in the runtime, so what the API
// writes the Workers read, and the other way round.
import type { Namespace } from "cloudflare/resources/kv/namespaces/namespaces";
import type { D1 } from "cloudflare/resources/d1/d1";
import type { QueryResult, DatabaseRawResponse, DatabaseListResponse } from "cloudflare/resources/d1/database/database";
import type { Bucket } from "cloudflare/resources/r2/buckets/buckets";
import type { ManagedListResponse } from "cloudflare/resources/r2/buckets/domains/managed";
import type { Queue } from "cloudflare/resources/queues/queues";
import type { Consumer } from "cloudflare/resources/queues/consumers";
import { z } from "zod";
import { hexId, now, uuid, type D1DatabaseRecord, type QueueRecord, type R2BucketRecord } from "./account.ts";
import type { Handler, HandlerContext } from "./api-server.ts";
import { CloudflareError } from "./envelope.ts";

function bodyOf<T>(ctx: HandlerContext, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(ctx.body ?? {});
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    ctx.violation(message);
    throw new CloudflareError(400, 10021, `Invalid request body: ${message}`);
  }
  return parsed.data;
}

function page<T>(ctx: HandlerContext, all: T[], defaultPerPage = 20): { result: T[]; resultInfo: { page: number; per_page: number; count: number; total_count: number; total_pages: number } } {
  const perPage = Math.min(Math.max(Number(ctx.query.get("per_page") ?? defaultPerPage) || defaultPerPage, 1), 1000);
  const pageNumber = Math.max(Number(ctx.query.get("page") ?? 1) || 1, 1);
  const result = all.slice((pageNumber - 1) * perPage, pageNumber * perPage);
  return { result, resultInfo: { page: pageNumber, per_page: perPage, count: result.length, total_count: all.length, total_pages: Math.max(1, Math.ceil(all.length / perPage)) } };
}

const namespaceOf = (ctx: HandlerContext) => {
  const ns = ctx.account.kv.get(ctx.params.namespace_id ?? "");
  if (!ns) throw new CloudflareError(404, 10013, "get namespace: 'namespace not found'");
  return ns;
};
const databaseOf = (ctx: HandlerContext): D1DatabaseRecord => {
  const db = ctx.account.d1.get(ctx.params.database_id ?? "");
  if (!db) throw new CloudflareError(404, 7404, `The database ${ctx.params.database_id} could not be found`);
  return db;
};
const bucketOf = (ctx: HandlerContext): R2BucketRecord => {
  const bucket = ctx.account.r2.get(ctx.params.bucket_name ?? "");
  if (!bucket) throw new CloudflareError(404, 10006, "The specified bucket does not exist.");
  return bucket;
};
const queueOf = (ctx: HandlerContext): QueueRecord => {
  const queue = ctx.account.queues.get(ctx.params.queue_id ?? "");
  if (!queue) throw new CloudflareError(404, 11000, "Queue does not exist");
  return queue;
};

const nsShape = (ns: { id: string; title: string; supportsUrlEncoding: boolean }): Namespace => ({ id: ns.id, title: ns.title, supports_url_encoding: ns.supportsUrlEncoding });
const dbShape = (db: D1DatabaseRecord): D1 & DatabaseListResponse => ({
  uuid: db.uuid,
  name: db.name,
  created_at: db.createdAt,
  version: "production",
  num_tables: 0,
  file_size: 0,
  read_replication: { mode: db.readReplication },
});
const bucketShape = (b: R2BucketRecord): Bucket => ({ name: b.name, creation_date: b.creationDate, location: b.location as Bucket["location"], storage_class: b.storageClass, jurisdiction: b.jurisdiction });
const consumerShape = (queue: QueueRecord, c: QueueRecord["consumers"][number]): Consumer => ({
  consumer_id: c.consumerId,
  created_on: c.createdOn,
  queue_name: queue.name,
  script_name: c.scriptName,
  settings: c.settings as never,
  type: "worker",
  ...(c.deadLetterQueue ? { dead_letter_queue: c.deadLetterQueue } : {}),
});
const queueShape = (q: QueueRecord): Queue => ({
  queue_id: q.id,
  queue_name: q.name,
  created_on: q.createdOn,
  modified_on: q.modifiedOn,
  settings: q.settings,
  consumers: q.consumers.map((c) => consumerShape(q, c)),
  consumers_total_count: q.consumers.length,
  producers: [...producersOf(q)].map((script) => ({ script, type: "worker" as const })),
  producers_total_count: producersOf(q).size,
});

function producersOf(queue: QueueRecord): Set<string> {
  return (queue as QueueRecord & { producers?: Set<string> }).producers ?? new Set();
}

const TITLE = z.string().min(1).max(512);
const kvCreate = z.object({ title: TITLE });
const d1Create = z.object({ name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/i), primary_location_hint: z.enum(["wnam", "enam", "weur", "eeur", "apac", "oc"]).optional(), jurisdiction: z.enum(["eu", "fedramp"]).optional() });
const d1Edit = z.object({ read_replication: z.object({ mode: z.enum(["auto", "disabled"]) }).optional() });
const d1Query = z.union([z.object({ sql: z.string().min(1), params: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).optional() }), z.object({ batch: z.array(z.object({ sql: z.string().min(1), params: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).optional() })) })]);
const r2Create = z.object({ name: z.string().regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/), locationHint: z.enum(["apac", "eeur", "enam", "weur", "wnam", "oc"]).optional(), storageClass: z.enum(["Standard", "InfrequentAccess"]).optional() });
const managedUpdate = z.object({ enabled: z.boolean() });
const queueCreate = z.object({ queue_name: z.string().regex(/^[a-zA-Z0-9_-]{1,63}$/) });
const queueSettings = z.object({ delivery_delay: z.number().int().min(0).max(43200).optional(), delivery_paused: z.boolean().optional(), message_retention_period: z.number().int().min(60).max(1209600).optional() });
const queueUpdate = z.object({ queue_name: z.string().optional(), settings: queueSettings.optional() });
const consumerBody = z.object({
  type: z.literal("worker").optional(),
  script_name: z.string().min(1),
  dead_letter_queue: z.string().optional(),
  settings: z.object({ batch_size: z.number().int().min(1).max(100).optional(), max_concurrency: z.number().int().min(1).max(250).nullable().optional(), max_retries: z.number().int().min(0).max(100).optional(), max_wait_time_ms: z.number().int().min(0).max(60000).optional(), retry_delay: z.number().int().min(0).optional() }).optional(),
});

export const storageHandlers: Record<string, Handler> = {
  "kv.namespaces.list": ((ctx) => page(ctx, [...ctx.account.kv.values()].map(nsShape))) satisfies Handler<Namespace[]>,
  "kv.namespaces.create": (async (ctx) => {
    const { title } = bodyOf(ctx, kvCreate);
    if ([...ctx.account.kv.values()].some((n) => n.title === title)) throw new CloudflareError(400, 10014, "A namespace with this account ID and title already exists.");
    const ns = { id: hexId(), title, supportsUrlEncoding: true };
    ctx.account.kv.set(ns.id, ns);
    ctx.account.changed();
    await ctx.runtime.sync();
    return { result: nsShape(ns) };
  }) satisfies Handler<Namespace>,
  "kv.namespaces.get": ((ctx) => ({ result: nsShape(namespaceOf(ctx)) })) satisfies Handler<Namespace>,
  "kv.namespaces.update": ((ctx) => {
    const ns = namespaceOf(ctx);
    ns.title = bodyOf(ctx, kvCreate).title;
    return { result: nsShape(ns) };
  }) satisfies Handler<Namespace>,
  "kv.namespaces.delete": (async (ctx) => {
    const ns = namespaceOf(ctx);
    const users = [...ctx.account.scripts.values()].filter((s) => s.versions.some((v) => v.upload.bindings.some((b) => b.type === "kv_namespace" && b.namespace_id === ns.id)) && ctx.account.runningVersions(s).length > 0);
    ctx.account.kv.delete(ns.id);
    ctx.account.changed();
    await ctx.runtime.accept(() => ctx.account.kv.set(ns.id, ns)).catch(() => {
      throw new CloudflareError(400, 10017, `Namespace is still bound by ${users.map((s) => s.name).join(", ")}`);
    });
    return { result: {} };
  }) satisfies Handler<object>,
  "kv.namespaces.values.update": (async (ctx) => {
    const ns = namespaceOf(ctx);
    const storage = await ctx.runtime.storage();
    const kv = await storage.kv(ns.id);
    const contentType = String(ctx.headers["content-type"] ?? "");
    let value: ArrayBuffer | string;
    let metadata: unknown;
    if (contentType.startsWith("multipart/form-data")) {
      const form = await new Response(new Uint8Array(ctx.rawBody), { headers: { "content-type": contentType } }).formData();
      const part = form.get("value");
      value = typeof part === "string" ? part : part ? await part.arrayBuffer() : "";
      const meta = form.get("metadata");
      if (typeof meta === "string" && meta) metadata = JSON.parse(meta);
    } else value = new Uint8Array(ctx.rawBody).buffer as ArrayBuffer;
    const expiration = ctx.query.get("expiration");
    const ttl = ctx.query.get("expiration_ttl");
    await kv.put(ctx.params.key_name!, value, {
      ...(expiration ? { expiration: Number(expiration) } : {}),
      ...(ttl ? { expirationTtl: Number(ttl) } : {}),
      ...(metadata !== undefined ? { metadata } : {}),
    });
    return { result: {} };
  }) satisfies Handler<object>,
  "kv.namespaces.values.get": (async (ctx) => {
    const ns = namespaceOf(ctx);
    const kv = await (await ctx.runtime.storage()).kv(ns.id);
    const value = await kv.get(ctx.params.key_name!, "arrayBuffer");
    if (value === null) throw new CloudflareError(404, 10009, "get: 'key not found'");
    return { raw: Buffer.from(value), contentType: "application/octet-stream" };
  }) satisfies Handler<string>,
  "kv.namespaces.values.delete": (async (ctx) => {
    const ns = namespaceOf(ctx);
    await (await (await ctx.runtime.storage()).kv(ns.id)).delete(ctx.params.key_name!);
    return { result: {} };
  }) satisfies Handler<object>,
  "kv.namespaces.keys.list": (async (ctx) => {
    const ns = namespaceOf(ctx);
    const kv = await (await ctx.runtime.storage()).kv(ns.id);
    const prefix = ctx.query.get("prefix");
    const cursor = ctx.query.get("cursor");
    const listed = await kv.list({ ...(prefix ? { prefix } : {}), ...(cursor ? { cursor } : {}), limit: Number(ctx.query.get("limit") ?? 1000) || 1000 });
    return { result: listed.keys, resultInfo: { page: 1, per_page: listed.keys.length, count: listed.keys.length, total_count: listed.keys.length, ...(listed.cursor ? { cursor: listed.cursor } : {}) } as never };
  }) satisfies Handler<{ name: string }[]>,
  "kv.namespaces.keys.bulkUpdate": (async (ctx) => {
    const ns = namespaceOf(ctx);
    const items = bodyOf(ctx, z.array(z.object({ key: z.string().min(1), value: z.string(), base64: z.boolean().optional(), expiration: z.number().optional(), expiration_ttl: z.number().optional(), metadata: z.unknown().optional() })).max(10000));
    const kv = await (await ctx.runtime.storage()).kv(ns.id);
    for (const item of items) {
      const value = item.base64 ? (new Uint8Array(Buffer.from(item.value, "base64")).buffer as ArrayBuffer) : item.value;
      await kv.put(item.key, value, {
        ...(item.expiration ? { expiration: item.expiration } : {}),
        ...(item.expiration_ttl ? { expirationTtl: item.expiration_ttl } : {}),
        ...(item.metadata !== undefined ? { metadata: item.metadata } : {}),
      });
    }
    return { result: { successful_key_count: items.length, unsuccessful_keys: [] } };
  }) satisfies Handler<{ successful_key_count: number; unsuccessful_keys: string[] }>,
  "kv.namespaces.keys.bulkDelete": (async (ctx) => {
    const ns = namespaceOf(ctx);
    const keys = bodyOf(ctx, z.array(z.string()));
    const kv = await (await ctx.runtime.storage()).kv(ns.id);
    for (const key of keys) await kv.delete(key);
    return { result: { successful_key_count: keys.length, unsuccessful_keys: [] } };
  }) satisfies Handler<{ successful_key_count: number; unsuccessful_keys: string[] }>,

  "d1.database.list": ((ctx) => {
    const name = ctx.query.get("name");
    return page(ctx, [...ctx.account.d1.values()].filter((d) => !name || d.name === name).map(dbShape), 100);
  }) satisfies Handler<DatabaseListResponse[]>,
  "d1.database.create": (async (ctx) => {
    const body = bodyOf(ctx, d1Create);
    if ([...ctx.account.d1.values()].some((d) => d.name === body.name)) throw new CloudflareError(400, 7502, "A database with that name already exists");
    const db: D1DatabaseRecord = { uuid: uuid(), name: body.name, createdAt: now(), readReplication: "disabled", ...(body.primary_location_hint ? { primaryLocationHint: body.primary_location_hint } : {}) };
    ctx.account.d1.set(db.uuid, db);
    ctx.account.changed();
    await ctx.runtime.sync();
    return { result: dbShape(db) };
  }) satisfies Handler<D1>,
  "d1.database.get": ((ctx) => ({ result: dbShape(databaseOf(ctx)) })) satisfies Handler<D1>,
  "d1.database.edit": ((ctx) => {
    const db = databaseOf(ctx);
    const body = bodyOf(ctx, d1Edit);
    if (body.read_replication) db.readReplication = body.read_replication.mode;
    return { result: dbShape(db) };
  }) satisfies Handler<D1>,
  "d1.database.delete": (async (ctx) => {
    const db = databaseOf(ctx);
    ctx.account.d1.delete(db.uuid);
    ctx.account.changed();
    await ctx.runtime.accept(() => ctx.account.d1.set(db.uuid, db)).catch(() => {
      throw new CloudflareError(400, 7500, "The database is still bound by a Worker");
    });
    return { result: null };
  }) satisfies Handler<null>,
  "d1.database.query": (async (ctx) => {
    const db = databaseOf(ctx);
    const body = bodyOf(ctx, d1Query);
    const d1 = await (await ctx.runtime.storage()).d1(db.uuid);
    const statements = "batch" in body ? body.batch : [body];
    try {
      const results: QueryResult[] = [];
      for (const s of statements) {
        const single = s.sql.split(";").map((x) => x.trim()).filter(Boolean).length > 1 && !(s.params?.length);
        if (single) {
          await d1.exec(s.sql.replace(/\n/g, " "));
          results.push({ results: [], success: true, meta: { changes: 0, duration: 0, rows_read: 0, rows_written: 0 } });
        } else {
          const r = await d1.prepare(s.sql).bind(...(s.params ?? [])).all();
          results.push({ results: r.results, success: r.success, meta: r.meta as QueryResult["meta"] });
        }
      }
      return { result: results };
    } catch (error) {
      throw new CloudflareError(400, 7500, `${(error as Error).message}: SQLITE_ERROR`);
    }
  }) satisfies Handler<QueryResult[]>,
  "d1.database.raw": (async (ctx) => {
    const db = databaseOf(ctx);
    const body = bodyOf(ctx, d1Query);
    const d1 = await (await ctx.runtime.storage()).d1(db.uuid);
    const statements = "batch" in body ? body.batch : [body];
    try {
      const out: DatabaseRawResponse[] = [];
      for (const s of statements) {
        const [columns = [], ...rows] = (await d1.prepare(s.sql).bind(...(s.params ?? [])).raw({ columnNames: true })) as unknown[][];
        out.push({ results: { columns: columns as string[], rows: rows as never }, success: true, meta: { changes: 0, duration: 0 } });
      }
      return { result: out };
    } catch (error) {
      throw new CloudflareError(400, 7500, `${(error as Error).message}: SQLITE_ERROR`);
    }
  }) satisfies Handler<DatabaseRawResponse[]>,

  "r2.buckets.list": ((ctx) => {
    const buckets = [...ctx.account.r2.values()].map(bucketShape);
    return { result: { buckets } };
  }) satisfies Handler<{ buckets: Bucket[] }>,
  "r2.buckets.create": (async (ctx) => {
    const body = bodyOf(ctx, r2Create);
    if (ctx.account.r2.has(body.name)) throw new CloudflareError(409, 10004, "The bucket you tried to create already exists, and you own it.");
    const bucket: R2BucketRecord = { name: body.name, creationDate: now(), location: body.locationHint ?? "wnam", storageClass: body.storageClass ?? "Standard", jurisdiction: "default", managedDomain: false };
    ctx.account.r2.set(bucket.name, bucket);
    ctx.account.changed();
    await ctx.runtime.sync();
    return { result: bucketShape(bucket) };
  }) satisfies Handler<Bucket>,
  "r2.buckets.get": ((ctx) => ({ result: bucketShape(bucketOf(ctx)) })) satisfies Handler<Bucket>,
  "r2.buckets.delete": (async (ctx) => {
    const bucket = bucketOf(ctx);
    const r2 = await (await ctx.runtime.storage()).r2(bucket.name);
    if ((await r2.list({ limit: 1 })).objects.length > 0) throw new CloudflareError(409, 10008, "The bucket you tried to delete is not empty.");
    ctx.account.r2.delete(bucket.name);
    ctx.account.changed();
    await ctx.runtime.accept(() => ctx.account.r2.set(bucket.name, bucket)).catch(() => {
      throw new CloudflareError(400, 10008, "The bucket is still bound by a Worker");
    });
    return { result: {} };
  }) satisfies Handler<object>,
  "r2.buckets.domains.managed.list": ((ctx) => {
    const bucket = bucketOf(ctx);
    return { result: { bucketId: bucket.name, domain: `pub-${Buffer.from(bucket.name).toString("hex").slice(0, 32).padEnd(32, "0")}.r2.dev`, enabled: bucket.managedDomain } };
  }) satisfies Handler<ManagedListResponse>,
  "r2.buckets.domains.managed.update": ((ctx) => {
    const bucket = bucketOf(ctx);
    bucket.managedDomain = bodyOf(ctx, managedUpdate).enabled;
    return { result: { bucketId: bucket.name, domain: `pub-${Buffer.from(bucket.name).toString("hex").slice(0, 32).padEnd(32, "0")}.r2.dev`, enabled: bucket.managedDomain } };
  }) satisfies Handler<ManagedListResponse>,

  "queues.list": ((ctx) => page(ctx, [...ctx.account.queues.values()].map(queueShape), 100)) satisfies Handler<Queue[]>,
  "queues.create": (async (ctx) => {
    const { queue_name } = bodyOf(ctx, queueCreate);
    if ([...ctx.account.queues.values()].some((q) => q.name === queue_name)) throw new CloudflareError(409, 11009, "A queue with this name already exists");
    const queue: QueueRecord = { id: hexId(), name: queue_name, createdOn: now(), modifiedOn: now(), settings: { delivery_delay: 0, delivery_paused: false, message_retention_period: 345600 }, consumers: [] };
    ctx.account.queues.set(queue.id, queue);
    ctx.account.changed();
    await ctx.runtime.sync();
    return { result: queueShape(queue) };
  }) satisfies Handler<Queue>,
  "queues.get": ((ctx) => ({ result: queueShape(queueOf(ctx)) })) satisfies Handler<Queue>,
  "queues.edit": ((ctx) => {
    const queue = queueOf(ctx);
    const body = bodyOf(ctx, queueUpdate);
    if (body.settings) queue.settings = { ...queue.settings, ...body.settings };
    queue.modifiedOn = now();
    return { result: queueShape(queue) };
  }) satisfies Handler<Queue>,
  "queues.update": ((ctx) => {
    const queue = queueOf(ctx);
    const body = bodyOf(ctx, queueUpdate);
    if (body.queue_name) queue.name = body.queue_name;
    if (body.settings) queue.settings = { ...queue.settings, ...body.settings };
    queue.modifiedOn = now();
    return { result: queueShape(queue) };
  }) satisfies Handler<Queue>,
  "queues.delete": (async (ctx) => {
    const queue = queueOf(ctx);
    ctx.account.queues.delete(queue.id);
    ctx.account.changed();
    await ctx.runtime.accept(() => ctx.account.queues.set(queue.id, queue)).catch(() => {
      throw new CloudflareError(400, 11005, "The queue is still bound by a Worker");
    });
    return { result: {} };
  }) satisfies Handler<object>,
  "queues.consumers.list": ((ctx) => {
    const queue = queueOf(ctx);
    return { result: queue.consumers.map((c) => consumerShape(queue, c)) };
  }) satisfies Handler<Consumer[]>,
  "queues.consumers.create": (async (ctx) => {
    const queue = queueOf(ctx);
    const body = bodyOf(ctx, consumerBody);
    if (!ctx.account.scripts.has(body.script_name)) throw new CloudflareError(400, 11003, `Worker ${body.script_name} does not exist`);
    if (queue.consumers.some((c) => c.scriptName === body.script_name)) throw new CloudflareError(409, 11004, "This Worker already consumes this queue");
    const consumer = { consumerId: hexId(), scriptName: body.script_name, createdOn: now(), settings: body.settings ?? {}, ...(body.dead_letter_queue ? { deadLetterQueue: body.dead_letter_queue } : {}) };
    queue.consumers.push(consumer);
    ctx.account.changed();
    await ctx.runtime.sync();
    return { result: consumerShape(queue, consumer) };
  }) satisfies Handler<Consumer>,
  "queues.consumers.get": ((ctx) => {
    const queue = queueOf(ctx);
    const consumer = queue.consumers.find((c) => c.consumerId === ctx.params.consumer_id);
    if (!consumer) throw new CloudflareError(404, 11006, "Consumer does not exist");
    return { result: consumerShape(queue, consumer) };
  }) satisfies Handler<Consumer>,
  "queues.consumers.update": (async (ctx) => {
    const queue = queueOf(ctx);
    const consumer = queue.consumers.find((c) => c.consumerId === ctx.params.consumer_id);
    if (!consumer) throw new CloudflareError(404, 11006, "Consumer does not exist");
    const body = bodyOf(ctx, consumerBody);
    consumer.scriptName = body.script_name;
    consumer.settings = body.settings ?? {};
    ctx.account.changed();
    await ctx.runtime.sync();
    return { result: consumerShape(queue, consumer) };
  }) satisfies Handler<Consumer>,
  "queues.consumers.delete": (async (ctx) => {
    const queue = queueOf(ctx);
    const before = queue.consumers.length;
    queue.consumers = queue.consumers.filter((c) => c.consumerId !== ctx.params.consumer_id);
    if (queue.consumers.length === before) throw new CloudflareError(404, 11006, "Consumer does not exist");
    ctx.account.changed();
    await ctx.runtime.sync();
    return { result: {} };
  }) satisfies Handler<object>,
};
