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

/** What an app module's exports are asked for. */
export interface DescribeRequest {
  /** The `info` an OpenAPIHono app is given. */
  info: { title: string; version: string };
  openapi: "3.0" | "3.1";
  exportName?: string;
}

/** One export of an app module, as `GeneratePorts.describeModule` found it. */
export interface ModuleExport {
  name: string;
  /** Set for an OpenAPI-aware export; absent for anything else. */
  kind?: "OpenAPIHono" | "chanfana router";
  /** The description it gave (an OpenAPI-aware export that was asked). */
  document?: unknown;
  /** Why producing its description failed. */
  failure?: string;
  /** What the value is, for messages ("found an object (Array) without …"). */
  found: string;
}

export interface FetchedText {
  text: string;
  contentType?: string;
}

/** The outside world `generateSpec` reaches, one member per kind of source. */
export interface GeneratePorts {
  /**
   * Imports the module (running its code) and describes its exports: what each is and, for an OpenAPI-aware
   * one, the document it gives for `request`. With `request.exportName`, only that export is asked.
   */
  describeModule(path: string, request: DescribeRequest): Promise<ModuleExport[]>;
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
 * Finds the OpenAPI-aware router a module exports and takes its description: an `OpenAPIHono` app or a
 * chanfana router (`fromHono(app)` / `fromIttyRouter`). Without `exportName` the default export is tried
 * first, then every named export; exactly one must qualify.
 */
async function documentFromModule(
  source: Extract<SpecSource, { kind: "module" }>,
  options: GenerateOptions,
  defaults: GenerateOptions,
  ports: GeneratePorts,
): Promise<Found> {
  const info = { title: options.title ?? defaults.title ?? "API", version: options.version ?? defaults.version ?? "0.0.0" };
  const exports = await ports.describeModule(source.path, {
    info,
    openapi: options.openapi ?? "3.1",
    ...(source.exportName !== undefined ? { exportName: source.exportName } : {}),
  });
  const expected = "a module exporting an OpenAPIHono app or a chanfana router";
  const names = exports.map((entry) => entry.name);
  if (source.exportName !== undefined) {
    const chosen = exports.find((entry) => entry.name === source.exportName);
    if (!chosen) throw new InputError(source.path, expected, `it has no export named "${source.exportName}" (exports: ${exportList(names)})`);
    const found = take(chosen, options);
    if (!found) throw new InputError(`${source.path} export ${source.exportName}`, "an OpenAPIHono app or a chanfana router", chosen.found);
    return found;
  }
  const fallback = exports.find((entry) => entry.name === "default");
  const first = fallback && take(fallback, options);
  if (first) return first;
  const named: Found[] = [];
  for (const entry of exports) {
    if (entry.name === "default") continue;
    const found = take(entry, options);
    if (found) named.push(found);
  }
  if (named.length === 1) return named[0]!;
  if (named.length > 1) {
    throw new InputError(source.path, `${expected}; name the one to use with --export`, `candidates: ${named.map((f) => f.exportName).join(", ")}`);
  }
  throw new InputError(source.path, expected, `exports: ${exportList(names)}, none an OpenAPIHono app (@hono/zod-openapi) or a chanfana router (fromHono(app)); export one, or use --url / --command`);
}

/** An OpenAPI-aware export's description; `options` are the user's explicit choices (a chanfana router's info yields to them). */
function take(entry: ModuleExport, options: GenerateOptions): Found | undefined {
  if (!entry.kind) return undefined;
  if (entry.failure !== undefined) {
    throw new InputError(`export ${entry.name}`, "an app that can describe itself", `generating its OpenAPI document failed: ${entry.failure}`);
  }
  const document = entry.kind === "chanfana router" ? withInfo(entry.document as OpenAPIDocument, options, true) : entry.document;
  return { document, exportName: entry.name, kind: entry.kind };
}

function exportList(names: readonly string[]): string {
  return names.length > 0 ? names.join(", ") : "none";
}

/** A description named on the command line: an http(s) URL is fetched, anything else is a file. */
export function sourceOfArgument(argument: string): SpecSource {
  return /^https?:\/\//i.test(argument) ? { kind: "url", url: argument } : { kind: "file", path: argument };
}
