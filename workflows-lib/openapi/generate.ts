import { dirname, join } from "node:path";
import { InputError } from "../errors.ts";
import { loadSpecFile, loadSpecText, loadSpecValue } from "./load-spec.ts";
import type { ExternalRefBundler, LoadedSpec, OpenAPIDocument, SpecReader } from "./load-spec.ts";
import { normalizeSpec } from "./normalize.ts";
import type { SpecFormat } from "./parse-spec.ts";

/** Where a description comes from. */
export type SpecSource =
  | { kind: "module"; path: string; exportName?: string }
  | { kind: "url"; url: string }
  | { kind: "file"; path: string }
  | { kind: "command"; command: string };

export interface GenerateOptions {
  /** `info.title` / `info.version` for apps that do not set them (Hono) or to override them. */
  title?: string;
  version?: string;
  /** Which OpenAPI version to ask an app for; default 3.1 where the app can produce it. */
  openapi?: "3.0" | "3.1";
}

export interface FetchedText {
  text: string;
  contentType?: string;
}

/** The outside world `generateSpec` reaches, one member per kind of source. */
export interface GeneratePorts {
  importModule(path: string): Promise<Record<string, unknown>>;
  fetchText(url: string): Promise<FetchedText>;
  runCommand(command: string): Promise<string>;
  reader: SpecReader;
  bundle: ExternalRefBundler;
}

export interface GeneratedSpec {
  /** Normalized: stable key order, ready to write. */
  document: OpenAPIDocument;
  spec: LoadedSpec;
  /** How the description was obtained, for logs: "module src/app.ts (export default, OpenAPIHono)". */
  origin: string;
}

export async function generateSpec(source: SpecSource, options: GenerateOptions, ports: GeneratePorts): Promise<GeneratedSpec> {
  let spec: LoadedSpec;
  let origin: string;
  switch (source.kind) {
    case "module": {
      const found = await documentFromModule(source, options, await packageInfo(source.path, ports.reader), ports);
      spec = loadSpecValue(found.document, source.path);
      origin = `module ${source.path} (export ${found.exportName}, ${found.kind})`;
      break;
    }
    case "url": {
      const fetched = await ports.fetchText(source.url);
      spec = loadSpecText(fetched.text, source.url, formatFromContentType(fetched.contentType));
      origin = `URL ${source.url}`;
      break;
    }
    case "file":
      spec = await loadSpecFile(source.path, ports.reader, ports.bundle);
      origin = `file ${source.path}`;
      break;
    case "command": {
      const stdout = await ports.runCommand(source.command);
      spec = loadSpecText(stdout, `stdout of ${JSON.stringify(source.command)}`);
      origin = `command ${JSON.stringify(source.command)}`;
      break;
    }
  }
  const document = normalizeSpec(withInfo(spec.document, options, source.kind !== "module"));
  return { document, spec: { ...spec, document }, origin };
}

/** Overrides `info` fields the user gave explicitly (for a module, the app already received them). */
function withInfo(document: OpenAPIDocument, options: GenerateOptions, override: boolean): OpenAPIDocument {
  if (!override || (options.title === undefined && options.version === undefined)) return document;
  const info = { ...(document.info as Record<string, unknown> | undefined) };
  if (options.title !== undefined) info.title = options.title;
  if (options.version !== undefined) info.version = options.version;
  return { ...document, info };
}

/**
 * `info.title` / `info.version` defaults for an app module: the name and version of the nearest package.json
 * above it (an OpenAPIHono app is given its info by the caller).
 */
async function packageInfo(modulePath: string, reader: SpecReader): Promise<GenerateOptions> {
  let dir = dirname(modulePath);
  for (let depth = 0; depth < 8; depth++) {
    const text = await reader.readText(join(dir, "package.json")).catch(() => undefined);
    if (text !== undefined) {
      try {
        const pkg = JSON.parse(text) as { name?: unknown; version?: unknown };
        return {
          ...(typeof pkg.name === "string" && pkg.name !== "" ? { title: pkg.name } : {}),
          ...(typeof pkg.version === "string" && pkg.version !== "" ? { version: pkg.version } : {}),
        };
      } catch {
        return {};
      }
    }
    const parent = join(dir, "..");
    if (parent === dir) break;
    dir = parent;
  }
  return {};
}

function formatFromContentType(contentType: string | undefined): SpecFormat | undefined {
  if (!contentType) return undefined;
  if (/json/i.test(contentType)) return "json";
  if (/yaml|yml/i.test(contentType)) return "yaml";
  return undefined;
}

type Found = { document: unknown; exportName: string; kind: string };

/**
 * Finds the OpenAPI-aware router a module exports and asks it for its description: an `OpenAPIHono` app
 * (`getOpenAPI31Document` / `getOpenAPIDocument`) or a chanfana router (`fromHono(app)` / `fromIttyRouter`,
 * whose `schema` is the generated document). Without `exportName` the default export is tried first, then
 * every named export; exactly one must qualify.
 */
async function documentFromModule(
  source: Extract<SpecSource, { kind: "module" }>,
  options: GenerateOptions,
  defaults: GenerateOptions,
  ports: GeneratePorts,
): Promise<Found> {
  const namespace = await ports.importModule(source.path);
  const expected = "a module exporting an OpenAPIHono app or a chanfana router";
  if (source.exportName !== undefined) {
    if (!Object.hasOwn(namespace, source.exportName)) {
      throw new InputError(source.path, expected, `it has no export named "${source.exportName}" (exports: ${exportList(namespace)})`);
    }
    const found = await describe(namespace[source.exportName], source.exportName, options, defaults);
    if (!found) {
      throw new InputError(`${source.path} export ${source.exportName}`, "an OpenAPIHono app or a chanfana router", describeValue(namespace[source.exportName]));
    }
    return found;
  }
  if ("default" in namespace) {
    const found = await describe(namespace.default, "default", options, defaults);
    if (found) return found;
  }
  const named: Found[] = [];
  for (const [name, value] of Object.entries(namespace)) {
    if (name === "default") continue;
    const found = await describe(value, name, options, defaults);
    if (found) named.push(found);
  }
  if (named.length === 1) return named[0]!;
  if (named.length > 1) {
    throw new InputError(source.path, `${expected}; name the one to use with --export`, `candidates: ${named.map((f) => f.exportName).join(", ")}`);
  }
  throw new InputError(source.path, expected, `exports: ${exportList(namespace)}, none an OpenAPIHono app (@hono/zod-openapi) or a chanfana router (fromHono(app)); export one, or use --url / --command`);
}

/** `options` are the user's explicit choices; `defaults` (package.json) only fill what an app cannot say itself. */
async function describe(value: unknown, exportName: string, options: GenerateOptions, defaults: GenerateOptions): Promise<Found | undefined> {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return undefined;
  const candidate = value as Record<string, unknown>;
  const info = { title: options.title ?? defaults.title ?? "API", version: options.version ?? defaults.version ?? "0.0.0" };
  const wants30 = options.openapi === "3.0";
  if (typeof candidate.getOpenAPI31Document === "function" && !wants30) {
    return { document: await call(() => (candidate.getOpenAPI31Document as Function).call(value, { openapi: "3.1.0", info }), exportName), exportName, kind: "OpenAPIHono" };
  }
  if (typeof candidate.getOpenAPIDocument === "function") {
    return { document: await call(() => (candidate.getOpenAPIDocument as Function).call(value, { openapi: "3.0.3", info }), exportName), exportName, kind: "OpenAPIHono" };
  }
  // A chanfana router is a Proxy that answers `isChanfana` and builds the document on reading `schema`.
  if (candidate.isChanfana === true) {
    const document = await call(() => candidate.schema, exportName);
    const overridden = withInfo(document as OpenAPIDocument, options, true);
    return { document: overridden, exportName, kind: "chanfana router" };
  }
  return undefined;
}

async function call(produce: () => unknown, exportName: string): Promise<unknown> {
  try {
    return await produce();
  } catch (error) {
    throw new InputError(`export ${exportName}`, "an app that can describe itself", `generating its OpenAPI document failed: ${(error as Error).message}`);
  }
}

function exportList(namespace: Record<string, unknown>): string {
  const names = Object.keys(namespace);
  return names.length > 0 ? names.join(", ") : "none";
}

function describeValue(value: unknown): string {
  if (value === null) return "found null";
  if (typeof value === "function") return `found a function${value.name ? ` (${value.name})` : ""}`;
  if (typeof value === "object") return `found an object${value.constructor?.name && value.constructor.name !== "Object" ? ` (${value.constructor.name})` : ""} without getOpenAPI31Document, getOpenAPIDocument or a chanfana schema`;
  return `found ${typeof value}`;
}

/** A description named on the command line: an http(s) URL is fetched, anything else is a file. */
export function sourceOfArgument(argument: string): SpecSource {
  return /^https?:\/\//i.test(argument) ? { kind: "url", url: argument } : { kind: "file", path: argument };
}
