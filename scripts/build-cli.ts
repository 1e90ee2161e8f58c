// `npm run build:cli` (also the `prepack` step): compiles the `alchkit` CLI and the `alchkit/config` module into
// dist/ with esbuild, so that the installed package runs JavaScript only (Node does not strip types under
// node_modules, and no TypeScript loader ships with the package).
//
// - dist/cli/main.js: the CLI's entry; each command module stays a separate chunk (dist/cli/*.js), imported only
//   when one of its commands runs, as from the sources. dist/cli sits as deep as workflows-lib/cli, so a
//   module's `new URL("../../…", import.meta.url)` names the same file in both.
// - dist/config.js + dist/config.d.ts: `defineConfig` for alchkit.config.ts, with its types spelled out (no
//   zod needed to read them).
// - dist/assets/<package>/<file>: the browser files pages inline or copy (BROWSER_FILES: charts, mermaid, Swagger UI).
// - dist/licenses.txt: the licenses of the packages compiled or copied into dist/.
// So the package has no dependencies: nothing else to download, no install scripts to run.
import { build, type Metafile } from "esbuild";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { BROWSER_FILES } from "../workflows-lib/local/package-files.ts";

const root = resolve(import.meta.dirname, "..");
export const DIST = join(root, "dist");

/** The Node.js the compiled code targets: the oldest `engines.node` allows. */
function nodeTarget(): string {
  const range = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
  const match = /^>=\s*(\d+)(?:\.(\d+))?/.exec(range);
  if (!match) throw new Error(`package.json engines.node is ${range}: expected ">=X.Y.Z"`);
  return `node${match[1]}${match[2] ? `.${match[2]}` : ""}`;
}

// CommonJS dependencies compiled into ES modules still call require() for Node's built-ins.
const BANNER = 'import { createRequire as __alchkitRequire } from "node:module"; const require = __alchkitRequire(import.meta.url);';

async function bundleCli(): Promise<Metafile> {
  const result = await build({
    entryPoints: { "cli/main": join(root, "workflows-lib/cli/main.ts"), config: join(root, "workflows-lib/config/define-config.ts") },
    outdir: DIST,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: nodeTarget(),
    chunkNames: "cli/[name]-[hash]",
    minify: true,
    keepNames: true,
    legalComments: "none",
    banner: { js: BANNER },
    metafile: true,
    logLevel: "warning",
  });
  return result.metafile;
}

/** The installed packages the bundle is made of (name → folder), from esbuild's list of inputs. */
function bundledPackages(metafile: Metafile): Map<string, string> {
  const packages = new Map<string, string>();
  for (const input of Object.keys(metafile.inputs)) {
    const at = input.lastIndexOf("node_modules/");
    if (at < 0) continue;
    const rest = input.slice(at + "node_modules/".length).split("/");
    const name = rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
    packages.set(name, join(root, input.slice(0, at), "node_modules", name));
  }
  return new Map([...packages].sort(([a], [b]) => a.localeCompare(b)));
}

async function licenses(packages: Map<string, string>): Promise<string> {
  const parts: string[] = [];
  for (const [name, dir] of packages) {
    const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as { version?: string; license?: string };
    const file = ["LICENSE", "LICENSE.md", "LICENSE.txt", "license", "LICENCE", "license.md"].map((f) => join(dir, f)).find((f) => existsSync(f));
    const text = file ? (await readFile(file, "utf8")).trim() : "";
    parts.push(`${name}@${manifest.version ?? "?"}\n${manifest.license ?? "(no license field)"}${text ? `\n${text}` : ""}`);
  }
  return `${parts.join("\n\n")}\n`;
}

/**
 * The types of `alchkit/config`: `AlchkitUserConfig` printed as a plain object type (zod's input type of the
 * configuration schema, expanded by the compiler), so an editor needs nothing else installed to check it.
 */
export function configDeclarations(): string {
  const file = join(root, "workflows-lib/config/define-config.ts");
  const program = ts.createProgram([file], {
    ...ts.getDefaultCompilerOptions(),
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  let alias: ts.TypeAliasDeclaration | undefined;
  ts.forEachChild(source, (node) => {
    if (ts.isTypeAliasDeclaration(node) && node.name.text === "AlchkitUserConfig") alias = node;
  });
  if (!alias) throw new Error("workflows-lib/config/define-config.ts no longer declares AlchkitUserConfig");
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias | ts.TypeFormatFlags.MultilineObjectLiterals | ts.TypeFormatFlags.UseFullyQualifiedType;
  const text = checker.typeToString(checker.getTypeAtLocation(alias.name), undefined, flags);
  if (/\bimport\(|\bz\.|\$Zod|zod/.test(text)) throw new Error(`AlchkitUserConfig does not expand to a plain type: ${text.slice(0, 200)}…`);
  const declarations = [
    "/** What `alchkit.config.ts` exports: the same shape as `alchkit.config.json` (docs/configuration.md). */",
    `export type AlchkitUserConfig = ${text};`,
    "/** `export default defineConfig({ … })` in alchkit.config.ts: returns its argument, typed; the kit validates it when it loads it. */",
    "export declare function defineConfig(config: AlchkitUserConfig): AlchkitUserConfig;",
  ].join("\n");
  // Printed again by the compiler: one member per line, as a reader of the file expects.
  const parsed = ts.createSourceFile("config.d.ts", declarations, ts.ScriptTarget.ES2023, false, ts.ScriptKind.TS);
  return ts.createPrinter({ newLine: ts.NewLineKind.LineFeed }).printFile(parsed);
}

export async function buildCli(): Promise<{ files: string[]; packages: string[] }> {
  await rm(DIST, { recursive: true, force: true });
  await mkdir(DIST, { recursive: true });
  const metafile = await bundleCli();
  const packages = bundledPackages(metafile);
  const require = createRequire(import.meta.url);
  const assets: string[] = [];
  for (const specifier of BROWSER_FILES) {
    const target = join(DIST, "assets", specifier);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(require.resolve(specifier), target);
    assets.push(`assets/${specifier}`);
    const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
    packages.set(name, join(root, "node_modules", name));
  }
  await writeFile(join(DIST, "licenses.txt"), await licenses(packages));
  await writeFile(join(DIST, "config.d.ts"), configDeclarations());
  const files = [...Object.keys(metafile.outputs).map((out) => relative(DIST, resolve(root, out)).split(sep).join("/")), ...assets, "licenses.txt", "config.d.ts"];
  return { files: files.sort(), packages: [...packages.keys()].sort() };
}

if (import.meta.main) {
  const started = performance.now();
  const { files, packages } = await buildCli();
  const bytes = files.reduce((sum, f) => sum + readFileSync(join(DIST, f)).length, 0);
  console.log(`dist/: ${files.length} files, ${(bytes / 1024).toFixed(0)} kB, ${packages.length} packages compiled in (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
