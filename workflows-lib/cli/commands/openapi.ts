import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { z } from "zod";
import { EXIT, InputError } from "../../errors.ts";
import { createNodeGeneratePorts } from "../../openapi/adapters/node-ports.ts";
import { packageFilePath } from "../../local/package-files.ts";
import { writeTextAtomic } from "../../openapi/adapters/spec-file-writer.ts";
import { DIFF_FORMATS, FAIL_ON, diffSpecs, formatDiff, shouldFail } from "../../openapi/diff/index.ts";
import { generateSpec, sourceOfArgument } from "../../openapi/generate.ts";
import type { GeneratePorts, SpecSource } from "../../openapi/generate.ts";
import { parseIgnoreList } from "../../openapi/ignore-list.ts";
import { serializeSpec } from "../../openapi/normalize.ts";
import { formatFromName } from "../../openapi/parse-spec.ts";
import type { CliContext } from "../command.ts";
import { defineCommand } from "../command.ts";

function ports(ctx: CliContext): GeneratePorts {
  return createNodeGeneratePorts({ cwd: ctx.cwd, env: ctx.env, stderr: ctx.stderr });
}

const generateFlags = z.object({
  module: z.string().min(1).optional().describe("TS/JS module exporting an OpenAPIHono app or a chanfana router"),
  export: z.string().min(1).optional().describe("Export of --module to use (default: the default export, else the only OpenAPI-aware one)"),
  url: z.url({ protocol: /^https?$/, error: "an http(s) URL" }).optional().describe("URL serving the description, e.g. a preview's /openapi.json"),
  file: z.string().min(1).optional().describe("JSON or YAML description to normalize (external $refs are bundled in)"),
  command: z.string().min(1).optional().describe("Shell command that prints the description (JSON or YAML) on stdout"),
  out: z.string().min(1).describe("File to write: .json or .yaml/.yml (- for stdout, JSON)"),
  title: z.string().min(1).optional().describe("info.title (apps built with OpenAPIHono get it from here; default API)"),
  apiVersion: z.string().min(1).optional().describe("info.version (default 0.0.0 for OpenAPIHono apps)"),
  openapi: z.enum(["3.1", "3.0"]).default("3.1").describe("OpenAPI version to ask an OpenAPIHono app for"),
});

export const openapiGenerateCommand = defineCommand({
  path: ["openapi", "generate"],
  summary: "Write an app's OpenAPI description, normalized (stable key order)",
  description:
    "Gets the description from exactly one source — a module exporting an OpenAPIHono app or chanfana router, a URL, a " +
    "file or a command's stdout — checks it is OpenAPI 3.0/3.1 with resolvable $refs, puts it in a stable key order and " +
    "writes it as JSON or YAML by the extension of --out. Exit 2 on bad input (nothing is written).",
  flags: generateFlags,
  examples: [
    "alchkit openapi generate --module src/app.ts --title 'Orders API' --api-version 1.4.0 --out openapi.json",
    "alchkit openapi generate --url http://127.0.0.1:8787/openapi.json --out openapi.yaml",
    "alchkit openapi generate --command 'npm run -s print-openapi' --out openapi.json",
  ],
  async run({ flags }, ctx) {
    const given = (["module", "url", "file", "command"] as const).filter((k) => flags[k] !== undefined);
    if (given.length !== 1) {
      throw new InputError("--module/--url/--file/--command", "exactly one source", given.length === 0 ? "none given" : `got ${given.map((k) => `--${k}`).join(" and ")}`);
    }
    if (flags.export !== undefined && flags.module === undefined) throw new InputError("--export", "--module beside it");
    const source: SpecSource =
      flags.module !== undefined
        ? { kind: "module", path: flags.module, ...(flags.export !== undefined ? { exportName: flags.export } : {}) }
        : flags.url !== undefined
          ? { kind: "url", url: flags.url }
          : flags.file !== undefined
            ? { kind: "file", path: flags.file }
            : { kind: "command", command: flags.command! };
    const format = flags.out === "-" ? "json" : formatFromName(flags.out);
    if (!format) throw new InputError("--out", "a file name ending in .json, .yaml or .yml", flags.out);
    const generated = await generateSpec(
      source,
      { openapi: flags.openapi, ...(flags.title !== undefined ? { title: flags.title } : {}), ...(flags.apiVersion !== undefined ? { version: flags.apiVersion } : {}) },
      ports(ctx),
    );
    const text = serializeSpec(generated.document, format);
    if (flags.out === "-") {
      ctx.stdout(text);
      return EXIT.ok;
    }
    await writeTextAtomic(resolve(ctx.cwd, flags.out), text);
    const paths = Object.keys((generated.document.paths as object | undefined) ?? {}).length;
    ctx.stdout(`${JSON.stringify({ out: flags.out, from: generated.origin, openapi: generated.document.openapi, paths }, null, 2)}\n`);
    return EXIT.ok;
  },
});

export const openapiValidateCommand = defineCommand({
  path: ["openapi", "validate"],
  summary: "Validate an OpenAPI 3.0/3.1 description; errors carry JSON pointers and lines",
  description:
    "Checks the description against the OpenAPI 3.0/3.1 JSON Schemas and the rules a schema cannot express (unique " +
    "operationIds, declared and required path parameters, ...). Every error names its JSON pointer and line. " +
    "Exit 0 valid, 1 invalid, 2 unreadable (not JSON/YAML, not OpenAPI, a $ref that does not resolve).",
  positionals: [{ name: "FILE", description: "JSON or YAML description, or an http(s) URL" }],
  flags: z.object({
    format: z.enum(["text", "json", "githubactions"]).default("text").describe("text, json, or githubactions (annotations on the file)"),
  }),
  examples: ["alchkit openapi validate openapi.yaml", "alchkit openapi validate openapi.json --format githubactions"],
  async run({ flags, positionals }, ctx) {
    const generated = await generateSpec(sourceOfArgument(positionals[0]!), {}, ports(ctx));
    // Loaded here: the JSON Schema validators cost more to load than a diff takes.
    const [{ validateSpec }, { formatValidation }] = await Promise.all([import("../../openapi/validate-spec.ts"), import("../../openapi/report-validation.ts")]);
    const report = await validateSpec(generated.spec);
    ctx.stdout(formatValidation(report, flags.format));
    return report.valid ? EXIT.ok : EXIT.gateFailed;
  },
});

export const openapiDiffCommand = defineCommand({
  path: ["openapi", "diff"],
  summary: "Breaking-change diff of two descriptions, with oasdiff's rule ids and levels",
  description:
    "Compares BASE and REVISION (files or URLs) and lists every change with its oasdiff rule id and level. " +
    "--ignore takes a YAML/JSON list of { id, operation?, reason }. Exit 1 when a change is at or above --fail-on, " +
    "2 on bad input.",
  positionals: [
    { name: "BASE", description: "The description before (file or URL)" },
    { name: "REVISION", description: "The description after (file or URL)" },
  ],
  flags: z.object({
    format: z.enum(DIFF_FORMATS as [string, ...string[]]).default("json").describe("json, markdown, text or githubactions"),
    failOn: z.enum(FAIL_ON as [string, ...string[]]).default("error").describe("Lowest level that fails: error, warning, info or never"),
    ignore: z.string().min(1).optional().describe("Ignore list file: YAML/JSON list of { id, operation?: 'METHOD /path', reason }"),
  }),
  examples: [
    "alchkit openapi diff base.json openapi.json --format markdown",
    "alchkit openapi diff https://api.example.com/openapi.json openapi.yaml --fail-on warning --ignore .github/openapi-ignore.yaml",
  ],
  async run({ flags, positionals }, ctx) {
    const ignore = flags.ignore === undefined ? [] : parseIgnoreList(await readIgnore(resolve(ctx.cwd, flags.ignore), flags.ignore), flags.ignore);
    const p = ports(ctx);
    const [base, revision] = await Promise.all([generateSpec(sourceOfArgument(positionals[0]!), {}, p), generateSpec(sourceOfArgument(positionals[1]!), {}, p)]);
    const result = diffSpecs(base.document, revision.document, { ignore });
    ctx.stdout(formatDiff(result, flags.format as Parameters<typeof formatDiff>[1]));
    return shouldFail(result, flags.failOn as Parameters<typeof shouldFail>[1]) ? EXIT.gateFailed : EXIT.ok;
  },
});

export const openapiDocsCommand = defineCommand({
  path: ["openapi", "docs"],
  summary: "Static, offline API reference (Swagger UI) for a description",
  description:
    "Writes index.html, openapi.json and Swagger UI's assets (from npm, no CDN) into --out: a folder to open from disk or " +
    "upload as a GitHub Pages artifact. The folder is replaced whole; an unrelated non-empty folder is refused.",
  positionals: [{ name: "FILE", description: "JSON or YAML description, or an http(s) URL" }],
  flags: z.object({
    out: z.string().min(1).describe("Folder for the site"),
    title: z.string().min(1).optional().describe("Page title (default: info.title and version)"),
  }),
  examples: ["alchkit openapi docs openapi.json --out site/api"],
  async run({ flags, positionals }, ctx) {
    const generated = await generateSpec(sourceOfArgument(positionals[0]!), {}, ports(ctx));
    const [{ planDocsSite }, { writeDocsSite }] = await Promise.all([import("../../openapi/docs-site.ts"), import("../../openapi/adapters/docs-site-writer.ts")]);
    const files = planDocsSite(generated.document, flags.title !== undefined ? { title: flags.title } : {});
    // Swagger UI's files: from the installed swagger-ui-dist in the kit's repository, from dist/assets in the npm package.
    await writeDocsSite(resolve(ctx.cwd, flags.out), files, { name: "--out", given: flags.out }, (name) => packageFilePath(`swagger-ui-dist/${name}`));
    ctx.stdout(`${JSON.stringify({ out: flags.out, files: files.map((f) => f.path) }, null, 2)}\n`);
    return EXIT.ok;
  },
});

async function readIgnore(path: string, name: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new InputError("--ignore", "a readable ignore list file", `${name}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
}

export const openapiCommands = [openapiGenerateCommand, openapiValidateCommand, openapiDiffCommand, openapiDocsCommand];
