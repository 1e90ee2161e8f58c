// A Worker upload (`PUT …/workers/scripts/{name}` or `POST …/versions`): the multipart body Alchemy and
// wrangler send — one `metadata` part (JSON) and one part per module — checked against the shape
// Cloudflare's SDK declares and turned into what the runtime needs.
import type { ScriptUpdateParams } from "cloudflare/resources/workers/scripts/scripts";
import type { VersionCreateParams } from "cloudflare/resources/workers/scripts/versions";
import { CloudflareError } from "./envelope.ts";

type Metadata = ScriptUpdateParams.Metadata;
type SdkBinding = NonNullable<Metadata["bindings"]>[number];
export type BindingType = SdkBinding["type"];

/** Every key of the upload metadata Cloudflare declares; `satisfies` makes tsc fail when the SDK changes. */
const METADATA_KEYS = {
  annotations: true,
  assets: true,
  bindings: true,
  body_part: true,
  cache_options: true,
  compatibility_date: true,
  compatibility_flags: true,
  exports: true,
  keep_assets: true,
  keep_bindings: true,
  limits: true,
  logpush: true,
  main_module: true,
  migrations: true,
  observability: true,
  package_dependencies: true,
  placement: true,
  tags: true,
  tail_consumers: true,
  usage_model: true,
} as const satisfies Record<keyof Metadata, true>;

/**
 * A version upload declares a subset. Keys a script upload declares but a version upload does not (tags,
 * logpush, observability …, which Alchemy sends with versions too) are ignored by Cloudflare, as here;
 * `migrations` is refused (10211).
 */
const VERSION_METADATA_KEYS = new Set<string>(
  Object.keys({
    annotations: true,
    bindings: true,
    cache_options: true,
    compatibility_date: true,
    compatibility_flags: true,
    exports: true,
    keep_bindings: true,
    main_module: true,
    package_dependencies: true,
    usage_model: true,
  } as const satisfies Record<keyof VersionCreateParams.Metadata, true>),
);

/** Binding types Cloudflare declares, and whether the stand-in runs them. */
const BINDING_TYPES = {
  ai: false,
  ai_search: false,
  ai_search_namespace: false,
  analytics_engine: false,
  artifacts: false,
  assets: false,
  browser: false,
  d1: true,
  data_blob: false,
  dispatch_namespace: false,
  durable_object_namespace: true,
  flagship: false,
  hyperdrive: false,
  images: false,
  inherit: true,
  json: true,
  kv_namespace: true,
  media: false,
  messaging: false,
  mtls_certificate: false,
  pipelines: false,
  plain_text: true,
  queue: true,
  r2_bucket: true,
  ratelimit: false,
  secret_key: false,
  secret_text: true,
  secrets_store_secret: false,
  send_email: false,
  service: true,
  text_blob: false,
  vectorize: false,
  version_metadata: true,
  vpc_network: false,
  vpc_service: false,
  wasm_module: false,
  workflow: false,
  k2: false,
} as const satisfies Record<BindingType, boolean>;

export type Binding =
  | { type: "plain_text" | "secret_text"; name: string; text: string }
  | { type: "json"; name: string; json: unknown }
  | { type: "kv_namespace"; name: string; namespace_id: string }
  | { type: "d1"; name: string; id: string }
  | { type: "r2_bucket"; name: string; bucket_name: string; jurisdiction?: string }
  | { type: "durable_object_namespace"; name: string; class_name: string; script_name?: string; environment?: string; namespace_id?: string }
  | { type: "queue"; name: string; queue_name: string }
  | { type: "service"; name: string; service: string; environment?: string; entrypoint?: string }
  | { type: "version_metadata"; name: string }
  | { type: "inherit"; name: string; old_name?: string; version_id?: string };

export interface Migrations {
  old_tag?: string;
  new_tag?: string;
  new_classes?: string[];
  new_sqlite_classes?: string[];
  deleted_classes?: string[];
  renamed_classes?: { from: string; to: string }[];
  transferred_classes?: { from: string; from_script: string; to: string }[];
  steps?: Migrations[];
}

export interface Module {
  name: string;
  type: "ESModule" | "CommonJS" | "Text" | "Data" | "CompiledWasm";
  contents: Uint8Array<ArrayBuffer>;
}

export interface ScriptUpload {
  mainModule: string;
  modules: Module[];
  compatibilityDate: string;
  compatibilityFlags: string[];
  bindings: Binding[];
  keepBindings: string[];
  migrations?: Migrations;
  tags: string[];
  annotations: { "workers/tag"?: string; "workers/message"?: string };
  logpush: boolean;
  usageModel: "standard" | "bundled" | "unbound";
  /** The metadata as sent (kept for settings answers). */
  raw: Record<string, unknown>;
}

/** A problem Cloudflare would refuse the upload for; `violation` when the client sent what Cloudflare does not declare. */
export class UploadProblem extends CloudflareError {
  readonly violation: boolean;
  constructor(status: number, code: number, message: string, violation: boolean) {
    super(status, code, message);
    this.violation = violation;
  }
}

const MODULE_TYPES: Record<string, Module["type"] | "skip"> = {
  "application/javascript+module": "ESModule",
  "text/javascript+module": "ESModule",
  "application/javascript": "CommonJS",
  "text/javascript": "CommonJS",
  "application/wasm": "CompiledWasm",
  "text/plain": "Text",
  "application/octet-stream": "Data",
  "application/source-map": "skip",
};

/** Reads a multipart upload. `kind` decides which metadata keys Cloudflare accepts. */
export async function parseUpload(contentType: string | undefined, body: Buffer, kind: "script" | "version"): Promise<ScriptUpload> {
  if (!contentType?.startsWith("multipart/form-data")) {
    throw new UploadProblem(400, 10021, "Expected a multipart/form-data upload with a `metadata` part", true);
  }
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
  } catch (error) {
    throw new UploadProblem(400, 10021, `Malformed multipart body: ${(error as Error).message}`, true);
  }
  const metadataPart = form.get("metadata");
  if (metadataPart === null) throw new UploadProblem(400, 10021, "No `metadata` part in the upload", true);
  let metadata: Record<string, unknown>;
  try {
    metadata = JSON.parse(typeof metadataPart === "string" ? metadataPart : await metadataPart.text()) as Record<string, unknown>;
  } catch {
    throw new UploadProblem(400, 10021, "The `metadata` part is not JSON", true);
  }
  if (!metadata || typeof metadata !== "object" || Array.isArray(metadata)) throw new UploadProblem(400, 10021, "`metadata` must be an object", true);
  const scriptKeys = new Set<string>(Object.keys(METADATA_KEYS));
  for (const key of Object.keys(metadata)) {
    if (metadata[key] === undefined || metadata[key] === null) continue;
    if (key === "migrations" && kind === "version") {
      throw new UploadProblem(400, 10211, "Version uploads are not supported for Durable Object migrations. Deploy the migration with a script upload first.", false);
    }
    if (!scriptKeys.has(key) && !VERSION_METADATA_KEYS.has(key)) throw new UploadProblem(400, 10021, `Unknown ${kind} upload metadata field "${key}"`, true);
  }

  const modules: Module[] = [];
  for (const [name, part] of form.entries()) {
    if (name === "metadata" || typeof part === "string") continue;
    const type = MODULE_TYPES[(part.type || "").split(";")[0]!.trim()];
    if (type === undefined) throw new UploadProblem(400, 10021, `Part "${name}" has a content type Workers do not accept: ${part.type || "(none)"}`, true);
    if (type === "skip") continue;
    modules.push({ name: part instanceof File && part.name ? part.name : name, type, contents: new Uint8Array(await part.arrayBuffer()) });
  }
  const mainModule = str(metadata.main_module) ?? str(metadata.body_part);
  if (!mainModule) throw new UploadProblem(400, 10021, "metadata needs `main_module` (ES modules) or `body_part` (service worker)", true);
  const main = modules.find((m) => m.name === mainModule);
  if (!main) throw new UploadProblem(400, 10021, `No such module "${mainModule}": the main module must be one of the uploaded parts`, false);
  if (metadata.main_module) main.type = "ESModule";

  const bindings = arrayOf(metadata.bindings, "bindings").map(checkBinding);
  const names = new Set<string>();
  for (const binding of bindings) {
    if (names.has(binding.name)) throw new UploadProblem(400, 10021, `Binding name "${binding.name}" is used more than once`, false);
    names.add(binding.name);
  }
  const compatibilityDate = str(metadata.compatibility_date) ?? "2021-11-02";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(compatibilityDate)) throw new UploadProblem(400, 10021, `Invalid compatibility_date "${compatibilityDate}"`, true);
  const usage = str(metadata.usage_model) ?? "standard";
  if (!["standard", "bundled", "unbound"].includes(usage)) throw new UploadProblem(400, 10021, `Invalid usage_model "${usage}"`, true);
  const annotations = (metadata.annotations ?? {}) as ScriptUpload["annotations"];
  return {
    mainModule,
    modules,
    compatibilityDate,
    compatibilityFlags: arrayOf(metadata.compatibility_flags, "compatibility_flags").map(String),
    bindings,
    keepBindings: arrayOf(metadata.keep_bindings, "keep_bindings").map(String),
    ...(metadata.migrations ? { migrations: metadata.migrations as Migrations } : {}),
    tags: arrayOf(metadata.tags, "tags").map(String),
    annotations,
    logpush: metadata.logpush === true,
    usageModel: usage as ScriptUpload["usageModel"],
    raw: metadata,
  };
}

function checkBinding(value: unknown): Binding {
  const binding = value as { type?: unknown; name?: unknown } & Record<string, unknown>;
  if (!binding || typeof binding !== "object" || typeof binding.type !== "string" || typeof binding.name !== "string" || !binding.name) {
    throw new UploadProblem(400, 10021, "Each binding needs a `type` and a `name`", true);
  }
  const supported = (BINDING_TYPES as Record<string, boolean>)[binding.type];
  if (supported === undefined) throw new UploadProblem(400, 10021, `Unknown binding type "${binding.type}" (binding ${binding.name})`, true);
  if (!supported) throw new UploadProblem(400, 10021, `The stand-in does not run bindings of type "${binding.type}" (binding ${binding.name})`, true);
  const need = (field: string) => {
    if (typeof binding[field] !== "string" || !binding[field]) {
      throw new UploadProblem(400, 10021, `Binding ${binding.name} of type ${binding.type} needs \`${field}\``, true);
    }
  };
  switch (binding.type) {
    case "plain_text":
    case "secret_text":
      if (typeof binding.text !== "string") throw new UploadProblem(400, 10021, `Binding ${binding.name} needs \`text\``, true);
      break;
    case "kv_namespace":
      need("namespace_id");
      break;
    case "d1":
      need("id");
      break;
    case "r2_bucket":
      need("bucket_name");
      break;
    case "durable_object_namespace":
      need("class_name");
      break;
    case "queue":
      need("queue_name");
      break;
    case "service":
      need("service");
      break;
  }
  return binding as unknown as Binding;
}

function arrayOf(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new UploadProblem(400, 10021, `\`${field}\` must be an array`, true);
  return value;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value ? value : undefined;
}

/** The Durable Object classes a script's migrations declared so far: `sqlite` true for SQLite-backed ones. */
export function applyMigrations(classes: Map<string, { sqlite: boolean }>, migrations: Migrations | undefined): Map<string, { sqlite: boolean }> {
  const next = new Map(classes);
  const steps = migrations?.steps ?? (migrations ? [migrations] : []);
  for (const step of steps) {
    for (const name of step.new_classes ?? []) next.set(name, { sqlite: false });
    for (const name of step.new_sqlite_classes ?? []) next.set(name, { sqlite: true });
    for (const name of step.deleted_classes ?? []) next.delete(name);
    for (const { from, to } of step.renamed_classes ?? []) {
      const old = next.get(from);
      next.delete(from);
      next.set(to, old ?? { sqlite: false });
    }
    for (const { to } of step.transferred_classes ?? []) if (!next.has(to)) next.set(to, { sqlite: false });
  }
  return next;
}
