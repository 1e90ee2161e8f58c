// Workers endpoints: scripts (upload, settings, content, subdomain, schedules, rename, delete), versions and
// deployments, the account's workers.dev subdomain, accounts and token verification. Each handler's answer is
// typed with the SDK's response type, so tsc catches a shape Cloudflare does not declare.
import type { Account } from "cloudflare/resources/accounts/accounts";
import type { TokenVerifyResponse } from "cloudflare/resources/user/tokens/tokens";
import type { Script, ScriptSetting, ScriptUpdateResponse } from "cloudflare/resources/workers/scripts/scripts";
import type { ScriptAndVersionSettingGetResponse } from "cloudflare/resources/workers/scripts/script-and-version-settings";
import type { SubdomainGetResponse as ScriptSubdomain } from "cloudflare/resources/workers/scripts/subdomain";
import type { SubdomainGetResponse as AccountSubdomain } from "cloudflare/resources/workers/subdomains";
import type { VersionCreateResponse, VersionGetResponse, VersionListResponse } from "cloudflare/resources/workers/scripts/versions";
import type { Deployment, DeploymentCreateParams, DeploymentListResponse } from "cloudflare/resources/workers/scripts/deployments";
import type { ScheduleGetResponse } from "cloudflare/resources/workers/scripts/schedules";
import { z } from "zod";
import { etagOf, now, uuid, type ScriptRecord, type VersionRecord } from "./account.ts";
import type { Handler, HandlerContext } from "./api-server.ts";
import { CloudflareError, scriptNotFound } from "./envelope.ts";
import { applyMigrations, parseUpload, UploadProblem, type ScriptUpload } from "./upload.ts";

/** Cloudflare's own script name rule (lower case, digits, `-`, `_`; at most 63). */
const SCRIPT_NAME = /^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?$/;

function scriptOf(ctx: HandlerContext): ScriptRecord {
  const script = ctx.account.scripts.get(ctx.params.script_name ?? ctx.params.service_name ?? "");
  if (!script) throw scriptNotFound();
  return script;
}

/** Parses a JSON body with a schema typed against the SDK's params; a mismatch is a violation and a 400. */
function bodyOf<T>(ctx: HandlerContext, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(ctx.body ?? {});
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    ctx.violation(message);
    throw new CloudflareError(400, 10021, `Invalid request body: ${message}`);
  }
  return parsed.data;
}

function handlersOf(version: VersionRecord): string[] {
  const main = version.upload.modules.find((m) => m.name === version.upload.mainModule);
  const source = main ? Buffer.from(main.contents).toString("utf8") : "";
  // Cloudflare learns the handlers by running the script; the exported method names are close enough here.
  return ["fetch", ...["scheduled", "queue"].filter((h) => new RegExp(`\\b(?:async\\s+)?${h}\\s*\\([^)]*\\)\\s*\\{`).test(source))];
}

function scriptShape(script: ScriptRecord): Script {
  const current = deployedVersion(script);
  return {
    id: script.name,
    tag: script.tag,
    etag: script.etag,
    created_on: script.createdOn,
    modified_on: script.modifiedOn,
    handlers: current ? handlersOf(current) : [],
    has_assets: false,
    has_modules: current ? current.upload.modules.length > 1 || current.upload.modules[0]?.type === "ESModule" : false,
    logpush: script.logpush,
    usage_model: current?.upload.usageModel ?? "standard",
    compatibility_date: current?.upload.compatibilityDate ?? "",
    compatibility_flags: current?.upload.compatibilityFlags ?? [],
    tags: script.tags,
    tail_consumers: null,
    ...(script.migrationTag ? { migration_tag: script.migrationTag } : {}),
  };
}

/** The version that serves most of the script's traffic. */
function deployedVersion(script: ScriptRecord): VersionRecord | undefined {
  const deployment = script.deployments.at(-1);
  const top = deployment ? [...deployment.versions].sort((a, b) => b.percentage - a.percentage)[0] : undefined;
  return script.versions.find((v) => v.id === top?.versionId) ?? script.versions.at(-1);
}

function versionShape(version: VersionRecord, script: ScriptRecord): VersionGetResponse & VersionCreateResponse {
  return {
    id: version.id,
    number: version.number,
    metadata: {
      author_email: "ci@example.com",
      author_id: "0123456789abcdef0123456789abcdef",
      created_on: version.createdOn,
      modified_on: version.createdOn,
      source: version.source === "upload" ? "api" : "api",
      hasPreview: script.subdomain.previewsEnabled,
    },
    // Sent by Cloudflare (wrangler reads it), not declared by the SDK.
    ...({
      annotations: {
        ...(version.upload.annotations["workers/tag"] ? { "workers/tag": version.upload.annotations["workers/tag"] } : {}),
        ...(version.upload.annotations["workers/message"] ? { "workers/message": version.upload.annotations["workers/message"] } : {}),
        "workers/triggered_by": version.source === "upload" ? "upload" : "version_upload",
      },
    } as object),
    resources: {
      bindings: version.upload.bindings.map(publicBinding) as never,
      script: { etag: script.etag, handlers: handlersOf(version) },
      script_runtime: {
        compatibility_date: version.upload.compatibilityDate,
        compatibility_flags: version.upload.compatibilityFlags,
        usage_model: version.upload.usageModel,
        ...(script.migrationTag ? { migration_tag: script.migrationTag } : {}),
      },
    },
    startup_time_ms: 1,
  };
}

/** Bindings as Cloudflare shows them back: secret values are never returned. */
function publicBinding(binding: ScriptUpload["bindings"][number]): Record<string, unknown> {
  if (binding.type === "secret_text") return { type: "secret_text", name: binding.name };
  return { ...binding };
}

function deploymentShape(deployment: ScriptRecord["deployments"][number]): Deployment {
  return {
    id: deployment.id,
    created_on: deployment.createdOn,
    source: deployment.source,
    strategy: deployment.strategy,
    versions: deployment.versions.map((v) => ({ version_id: v.versionId, percentage: v.percentage })),
    author_email: "ci@example.com",
    ...(deployment.message ? { annotations: { "workers/message": deployment.message } } : {}),
  };
}

function settingsShape(script: ScriptRecord): ScriptAndVersionSettingGetResponse {
  const current = deployedVersion(script);
  return {
    bindings: (current?.upload.bindings ?? []).map(publicBinding) as never,
    compatibility_date: current?.upload.compatibilityDate ?? "",
    compatibility_flags: current?.upload.compatibilityFlags ?? [],
    logpush: script.logpush,
    tags: script.tags,
    tail_consumers: null,
    usage_model: current?.upload.usageModel ?? "standard",
    observability: { enabled: (current?.upload.raw.observability as { enabled?: boolean } | undefined)?.enabled ?? false },
  };
}

/** Creates a version from an upload; `deploy` also routes 100 % of traffic to it (a script upload). */
async function addVersion(ctx: HandlerContext, name: string, upload: ScriptUpload, source: "upload" | "version"): Promise<{ script: ScriptRecord; version: VersionRecord }> {
  const { account } = ctx;
  let script = account.scripts.get(name);
  const created = !script;
  if (!script) {
    if (source === "version") throw scriptNotFound();
    script = {
      name,
      tag: uuid().replace(/-/g, ""),
      createdOn: now(),
      modifiedOn: now(),
      etag: etagOf(),
      subdomain: { enabled: false, previewsEnabled: false },
      versions: [],
      deployments: [],
      durableObjectClasses: new Map(),
      schedules: [],
      tags: [],
      logpush: false,
    };
  }
  const before = { ...script, versions: [...script.versions], deployments: [...script.deployments], durableObjectClasses: script.durableObjectClasses };
  if (upload.migrations && source === "upload") {
    const expected = upload.migrations.old_tag;
    if ((expected ?? undefined) !== (script.migrationTag ?? undefined) && !(expected === undefined && script.migrationTag === undefined)) {
      throw new CloudflareError(412, 10079, `Migration tag precondition failed; current tag is '${script.migrationTag ?? ""}' when expected tag is '${script.migrationTag ?? ""}'`);
    }
    script.durableObjectClasses = applyMigrations(script.durableObjectClasses, upload.migrations);
    if (upload.migrations.new_tag) script.migrationTag = upload.migrations.new_tag;
  }
  for (const binding of upload.bindings) {
    if (binding.type === "kv_namespace" && !account.kv.has(binding.namespace_id)) throw new CloudflareError(400, 10041, `KV namespace '${binding.namespace_id}' is not valid. [code: 10041]`);
    if (binding.type === "d1" && !account.d1.has(binding.id)) throw new CloudflareError(400, 10021, `D1 binding '${binding.name}' references database '${binding.id}' which was not found`);
    if (binding.type === "r2_bucket" && !account.r2.has(binding.bucket_name)) throw new CloudflareError(400, 10085, `R2 bucket '${binding.bucket_name}' cannot be found. Please check that it exists.`);
    if (binding.type === "queue" && ![...account.queues.values()].some((q) => q.name === binding.queue_name)) throw new CloudflareError(400, 11000, `Queue "${binding.queue_name}" does not exist`);
    if (binding.type === "durable_object_namespace" && (!binding.script_name || binding.script_name === name) && !script.durableObjectClasses.has(binding.class_name)) {
      throw new CloudflareError(400, 10061, `Cannot apply binding ${binding.name}: Durable Object class ${binding.class_name} has no migration that creates it (new_classes or new_sqlite_classes)`);
    }
  }
  const version: VersionRecord = {
    id: uuid(),
    number: (script.versions.at(-1)?.number ?? 0) + 1,
    createdOn: now(),
    source,
    upload,
    requests: 0,
    errors: 0,
  };
  script.versions.push(version);
  if (source === "upload") {
    script.deployments.push({ id: uuid(), createdOn: now(), source: "api", strategy: "percentage", versions: [{ versionId: version.id, percentage: 100 }] });
    script.tags = upload.tags;
    script.logpush = upload.logpush;
  }
  script.modifiedOn = now();
  script.etag = etagOf();
  account.scripts.set(name, script);
  account.changed();
  await ctx.runtime.accept(() => {
    if (created) account.scripts.delete(name);
    else account.scripts.set(name, Object.assign(script, before));
  });
  return { script, version };
}

const subdomainBody = z.object({ enabled: z.boolean(), previews_enabled: z.boolean().optional() }) satisfies z.ZodType<{ enabled: boolean; previews_enabled?: boolean }>;
const accountSubdomainBody = z.object({ subdomain: z.string().regex(/^[a-z0-9-]{1,63}$/) });
const deploymentBody = z.object({
  strategy: z.literal("percentage"),
  versions: z.array(z.object({ version_id: z.string().uuid(), percentage: z.number().min(0).max(100) })).min(1).max(2),
  annotations: z.object({ "workers/message": z.string().max(100).optional() }).optional(),
}) satisfies z.ZodType<Omit<DeploymentCreateParams, "account_id" | "force">>;
const scheduleBody = z.array(z.object({ cron: z.string().min(1) }));
const renameBody = z.object({ id: z.string() });
const settingsPatch = z.object({ settings: z.string() });

export const workersHandlers: Record<string, Handler> = {
  "accounts.list": ((ctx) => ({
    result: [{ id: ctx.account.id, name: "Stand-in account", type: "standard", created_on: "2024-01-01T00:00:00.000000Z", settings: { enforce_twofactor: false } }],
    resultInfo: { page: 1, per_page: 20, count: 1, total_count: 1, total_pages: 1 },
  })) satisfies Handler<Account[]>,
  "accounts.get": ((ctx) => ({ result: { id: ctx.account.id, name: "Stand-in account", type: "standard" } })) satisfies Handler<Account>,
  "user.tokens.verify": (() => ({ result: { id: "0123456789abcdef0123456789abcdef", status: "active" } })) satisfies Handler<TokenVerifyResponse>,
  "accounts.tokens.verify": (() => ({ result: { id: "0123456789abcdef0123456789abcdef", status: "active" } })) satisfies Handler<TokenVerifyResponse>,

  "workers.subdomains.get": ((ctx) => ({ result: { subdomain: ctx.account.subdomain } })) satisfies Handler<AccountSubdomain>,
  "workers.subdomains.update": ((ctx) => {
    const body = bodyOf(ctx, accountSubdomainBody);
    if (body.subdomain !== ctx.account.subdomain) throw new CloudflareError(409, 10036, "The account already has a workers.dev subdomain; the stand-in keeps its own.");
    return { result: { subdomain: ctx.account.subdomain } };
  }) satisfies Handler<AccountSubdomain>,

  "workers.scripts.list": ((ctx) => ({ result: [...ctx.account.scripts.values()].map(scriptShape) })) satisfies Handler<Script[]>,
  "workers.scripts.get": ((ctx) => {
    const version = deployedVersion(scriptOf(ctx));
    const main = version?.upload.modules.find((m) => m.name === version.upload.mainModule);
    return { raw: Buffer.from(main?.contents ?? new Uint8Array()), contentType: "application/javascript" };
  }) satisfies Handler<string>,
  "workers.scripts.update": (async (ctx) => {
    const name = ctx.params.script_name!;
    if (!SCRIPT_NAME.test(name)) throw new CloudflareError(400, 10016, `Invalid Worker name "${name}": use lower case letters, digits, '-' and '_' (at most 63)`);
    const upload = await parseUpload(String(ctx.headers["content-type"] ?? ""), ctx.rawBody, "script");
    const { script, version } = await addVersion(ctx, name, upload, "upload");
    return {
      result: {
        ...scriptShape(script),
        startup_time_ms: 1,
        entry_point: upload.mainModule,
        // Sent by Cloudflare, not declared by the SDK: the deployment this upload created.
        ...({ deployment_id: script.deployments.at(-1)!.id, number: version.number, metadata: { has_preview: script.subdomain.previewsEnabled } } as object),
      },
    };
  }) satisfies Handler<ScriptUpdateResponse>,
  "workers.scripts.delete": (async (ctx) => {
    const script = scriptOf(ctx);
    const force = ctx.query.get("force") === "true";
    const consumers = [...ctx.account.queues.values()].filter((q) => q.consumers.some((c) => c.scriptName === script.name));
    if (consumers.length > 0 && !force) {
      throw new CloudflareError(400, 10064, `Cannot delete this Worker: it is a consumer of queue(s) ${consumers.map((q) => q.name).join(", ")}. Remove the consumers first or delete with force=true.`);
    }
    for (const queue of consumers) queue.consumers = queue.consumers.filter((c) => c.scriptName !== script.name);
    ctx.account.scripts.delete(script.name);
    ctx.account.changed();
    await ctx.runtime.sync();
    return { result: null };
  }) satisfies Handler<null>,
  "workers.scripts.content.get": ((ctx) => {
    const version = deployedVersion(scriptOf(ctx));
    const main = version?.upload.modules.find((m) => m.name === version.upload.mainModule);
    return { raw: Buffer.from(main?.contents ?? new Uint8Array()), contentType: "application/javascript+module" };
  }) satisfies Handler<string>,
  "workers.scripts.scriptAndVersionSettings.get": ((ctx) => ({ result: settingsShape(scriptOf(ctx)) })) satisfies Handler<ScriptAndVersionSettingGetResponse>,
  "workers.scripts.scriptAndVersionSettings.edit": (async (ctx) => {
    const script = scriptOf(ctx);
    if (!String(ctx.headers["content-type"] ?? "").startsWith("multipart/form-data")) {
      ctx.violation("settings must be sent as multipart/form-data with a `settings` part");
      throw new CloudflareError(400, 10021, "Expected multipart/form-data with a `settings` part");
    }
    const form = await new Response(new Uint8Array(ctx.rawBody), { headers: { "content-type": String(ctx.headers["content-type"]) } }).formData();
    const part = form.get("settings");
    const settings = bodyOf({ ...ctx, body: { settings: typeof part === "string" ? part : await part?.text() } }, settingsPatch).settings;
    const parsed = JSON.parse(settings) as { logpush?: boolean; tags?: string[] };
    if (parsed.logpush !== undefined) script.logpush = parsed.logpush;
    if (parsed.tags) script.tags = parsed.tags;
    return { result: settingsShape(script) };
  }) satisfies Handler<ScriptAndVersionSettingGetResponse>,
  "workers.scripts.settings.get": ((ctx) => {
    const script = scriptOf(ctx);
    return { result: { logpush: script.logpush, tags: script.tags, tail_consumers: null, observability: { enabled: false } } };
  }) satisfies Handler<ScriptSetting>,
  "workers.scripts.subdomain.get": ((ctx) => {
    const script = scriptOf(ctx);
    return { result: { enabled: script.subdomain.enabled, previews_enabled: script.subdomain.previewsEnabled } };
  }) satisfies Handler<ScriptSubdomain>,
  "workers.scripts.subdomain.create": (async (ctx) => {
    const script = scriptOf(ctx);
    const body = bodyOf(ctx, subdomainBody);
    const previews = body.previews_enabled ?? body.enabled;
    // Accepted for a Worker that implements Durable Objects too (Alchemy's state store asks for it); such a
    // Worker gets no preview URLs (the edge checks), as Cloudflare documents.
    script.subdomain = { enabled: body.enabled, previewsEnabled: body.enabled ? previews : false };
    return { result: { enabled: script.subdomain.enabled, previews_enabled: script.subdomain.previewsEnabled } };
  }) satisfies Handler<ScriptSubdomain>,
  "workers.scripts.subdomain.delete": ((ctx) => {
    const script = scriptOf(ctx);
    script.subdomain = { enabled: false, previewsEnabled: false };
    return { result: { enabled: false, previews_enabled: false } };
  }) satisfies Handler<ScriptSubdomain>,
  "workers.scripts.schedules.get": ((ctx) => ({ result: { schedules: scriptOf(ctx).schedules } })) satisfies Handler<ScheduleGetResponse>,
  "workers.scripts.schedules.update": ((ctx) => {
    const script = scriptOf(ctx);
    const body = bodyOf(ctx, scheduleBody);
    script.schedules = body.map(({ cron }) => ({ cron, created_on: now(), modified_on: now() }));
    return { result: { schedules: script.schedules } };
  }) satisfies Handler<ScheduleGetResponse>,
  "workers.services.get": ((ctx) => {
    const script = scriptOf(ctx);
    return {
      result: {
        id: script.name,
        default_environment: { environment: "production", created_on: script.createdOn, modified_on: script.modifiedOn, script: scriptShape(script) },
        created_on: script.createdOn,
        modified_on: script.modifiedOn,
      },
    };
  }) satisfies Handler<object>,
  "workers.services.rename": (async (ctx) => {
    const script = scriptOf(ctx);
    const { id } = bodyOf(ctx, renameBody);
    if (!SCRIPT_NAME.test(id)) throw new CloudflareError(400, 10016, `Invalid Worker name "${id}"`);
    if (ctx.account.scripts.has(id)) throw new CloudflareError(409, 10026, `A Worker named ${id} already exists`);
    ctx.account.scripts.delete(script.name);
    script.name = id;
    ctx.account.scripts.set(id, script);
    ctx.account.changed();
    await ctx.runtime.sync();
    return { result: { id } };
  }) satisfies Handler<{ id: string }>,

  "workers.scripts.queueConsumers.list": ((ctx) => {
    const script = scriptOf(ctx);
    const result = [];
    for (const queue of ctx.account.queues.values()) {
      for (const c of queue.consumers) {
        if (c.scriptName !== script.name) continue;
        result.push({ script: script.name, queue_name: queue.name, queue_id: queue.id, consumer_id: c.consumerId, created_on: c.createdOn, type: "worker", settings: c.settings, ...(c.deadLetterQueue ? { dead_letter_queue: c.deadLetterQueue } : {}) });
      }
    }
    return { result };
  }) satisfies Handler<object[]>,
  "workers.scripts.versions.create": (async (ctx) => {
    const upload = await parseUpload(String(ctx.headers["content-type"] ?? ""), ctx.rawBody, "version");
    const { script, version } = await addVersion(ctx, ctx.params.script_name!, upload, "version");
    return { result: versionShape(version, script) };
  }) satisfies Handler<VersionCreateResponse>,
  "workers.scripts.versions.list": ((ctx) => {
    const script = scriptOf(ctx);
    const all = [...script.versions].reverse().map((v) => versionShape(v, script));
    const perPage = Math.min(Number(ctx.query.get("per_page") ?? 10) || 10, 100);
    const page = Math.max(Number(ctx.query.get("page") ?? 1) || 1, 1);
    const items = all.slice((page - 1) * perPage, page * perPage);
    return { result: { items } as never, resultInfo: { page, per_page: perPage, count: items.length, total_count: all.length, total_pages: Math.max(1, Math.ceil(all.length / perPage)) } };
  }) satisfies Handler<VersionListResponse[]>,
  "workers.scripts.versions.get": ((ctx) => {
    const script = scriptOf(ctx);
    const version = ctx.account.findVersion(script, ctx.params.version_id ?? "");
    if (!version) throw new CloudflareError(404, 10237, "Version not found");
    return { result: versionShape(version, script) };
  }) satisfies Handler<VersionGetResponse>,
  "workers.scripts.deployments.create": (async (ctx) => {
    const script = scriptOf(ctx);
    const body = bodyOf(ctx, deploymentBody);
    const total = body.versions.reduce((sum, v) => sum + v.percentage, 0);
    if (Math.abs(total - 100) > 1e-9) throw new CloudflareError(400, 10160, `The percentages of a deployment must add up to 100 (got ${total})`);
    if (new Set(body.versions.map((v) => v.version_id)).size !== body.versions.length) throw new CloudflareError(400, 10160, "A version appears twice in the deployment");
    for (const entry of body.versions) {
      if (!ctx.account.findVersion(script, entry.version_id)) throw new CloudflareError(400, 10237, `Version ${entry.version_id} does not belong to ${script.name}`);
    }
    const before = [...script.deployments];
    const deployment = {
      id: uuid(),
      createdOn: now(),
      source: "api",
      strategy: "percentage" as const,
      versions: body.versions.map((v) => ({ versionId: v.version_id, percentage: v.percentage })),
      ...(body.annotations?.["workers/message"] ? { message: body.annotations["workers/message"] } : {}),
    };
    script.deployments.push(deployment);
    ctx.account.changed();
    await ctx.runtime.accept(() => {
      script.deployments = before;
    });
    return { result: deploymentShape(deployment) };
  }) satisfies Handler<Deployment>,
  "workers.scripts.deployments.list": ((ctx) => ({ result: { deployments: [...scriptOf(ctx).deployments].reverse().map(deploymentShape) } })) satisfies Handler<DeploymentListResponse>,
  "workers.scripts.deployments.get": ((ctx) => {
    const deployment = scriptOf(ctx).deployments.find((d) => d.id === ctx.params.deployment_id);
    if (!deployment) throw new CloudflareError(404, 10238, "Deployment not found");
    return { result: deploymentShape(deployment) };
  }) satisfies Handler<Deployment>,
  "workers.scripts.deployments.delete": ((ctx) => {
    const script = scriptOf(ctx);
    const index = script.deployments.findIndex((d) => d.id === ctx.params.deployment_id);
    if (index < 0) throw new CloudflareError(404, 10238, "Deployment not found");
    if (index === script.deployments.length - 1) throw new CloudflareError(400, 10239, "The active deployment cannot be deleted");
    script.deployments.splice(index, 1);
    return { result: { id: ctx.params.deployment_id! } };
  }) satisfies Handler<{ id: string }>,
};

export { UploadProblem };
