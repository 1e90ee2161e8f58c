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
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { BROWSER_FILES } from "../workflows-lib/local/package-files.ts";
import { SHIPPED_TEMPLATES_DIR } from "../workflows-lib/alchemy/alchemy-templates.ts";
import { STARTERS } from "../workflows-lib/create/starters.ts";

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
 * The types of `alchkit/config`, in one file that needs nothing else installed (the package has no dependencies,
 * zod included): the declarations of define-config.ts and of the type-only modules it imports (rollout's typed
 * form), with zod's input type of the configuration schema expanded by the compiler into a plain object type,
 * and the declarations that only compare the typed forms with the schemas left out.
 */
export function configDeclarations(): string {
  const entry = join(root, "workflows-lib/config/define-config.ts");
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  };
  const program = ts.createProgram([entry], options);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry)!;
  // Modules whose values are zod schemas: only their types are used, expanded here, never declared.
  const SCHEMA_MODULES = ["zod", "./config-schema.ts", "../rollout/rollout-config.ts", "./rollout-config.ts"];
  const TYPE_MODULES: Record<string, string> = { "../rollout/typed-config.ts": "workflows-lib/rollout/typed-config.ts" };

  // zod's input type of the schema, written as the plain type it is.
  let schemaInput: string | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node) && node.getText(source) === "z.input<typeof alchkitConfigSchema>") {
      const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias | ts.TypeFormatFlags.MultilineObjectLiterals;
      schemaInput = checker.typeToString(checker.getTypeFromTypeNode(node), undefined, flags);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!schemaInput || /\bimport\(|\bz\.|\$Zod|zod/.test(schemaInput)) throw new Error("define-config.ts: z.input<typeof alchkitConfigSchema> did not expand to a plain type");

  /** A module's declarations without its imports and without what refers to the schema modules' names. */
  const declarationsOf = (file: string, replace: Record<string, string>): string => {
    let text = ts.transpileDeclaration(readFileSync(join(root, file), "utf8"), { compilerOptions: options, fileName: file, reportDiagnostics: false }).outputText;
    for (const [from, to] of Object.entries(replace)) {
      if (!text.includes(from)) throw new Error(`${file}: its declarations no longer contain ${from}`);
      text = text.split(from).join(to);
    }
    const parsed = ts.createSourceFile(file, text, ts.ScriptTarget.ES2023, true, ts.ScriptKind.TS);
    const dropped = new Set<string>();
    for (const statement of parsed.statements) {
      if (!ts.isImportDeclaration(statement)) continue;
      const from = (statement.moduleSpecifier as ts.StringLiteral).text;
      if (!SCHEMA_MODULES.includes(from) && !(from in TYPE_MODULES)) throw new Error(`${file} imports ${from}: add it to the declarations of alchkit/config`);
      if (SCHEMA_MODULES.includes(from)) statement.importClause?.namedBindings && ts.forEachChild(statement.importClause.namedBindings, (n) => void dropped.add(n.getText(parsed)));
    }
    const names = (node: ts.Node, found = new Set<string>()): Set<string> => {
      if (ts.isIdentifier(node)) found.add(node.text);
      ts.forEachChild(node, (child) => void names(child, found));
      return found;
    };
    const kept: string[] = [];
    // A declaration that names a dropped one is dropped too (to a fixed point: later ones may name earlier ones).
    let statements = parsed.statements.filter((st) => !ts.isImportDeclaration(st) && !(ts.isExportDeclaration(st) && !st.exportClause));
    for (let changed = true; changed; ) {
      changed = false;
      statements = statements.filter((st) => {
        if (![...names(st)].some((n) => dropped.has(n))) return true;
        const declared = ts.isVariableStatement(st) ? st.declarationList.declarations.map((d) => d.name.getText(parsed)) : "name" in st && st.name ? [(st.name as ts.Identifier).text] : [];
        for (const name of declared) dropped.add(name);
        changed = true;
        return false;
      });
    }
    for (const st of statements) kept.push(st.getFullText(parsed));
    return kept.join("");
  };

  const text = [
    "// alchkit/config: the types of defineConfig for alchkit.config.ts (generated by scripts/build-cli.ts).",
    ...Object.values(TYPE_MODULES).map((file) => declarationsOf(file, {})),
    declarationsOf("workflows-lib/config/define-config.ts", { "z.input<typeof alchkitConfigSchema>": schemaInput }),
  ].join("\n");
  // Printed again by the compiler: one member per line, as a reader of the file expects.
  const parsed = ts.createSourceFile("config.d.ts", text, ts.ScriptTarget.ES2023, false, ts.ScriptKind.TS);
  const printed = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed }).printFile(parsed);
  // The file must stand on its own: checked with nothing else in the program.
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const check = join(DIST, "__check__", "config.d.ts");
  host.readFile = (name) => (name === check ? printed : readFile(name));
  host.fileExists = ((exists) => (name: string) => name === check || exists(name))(host.fileExists.bind(host));
  const standalone = ts.createProgram([check], { ...options, types: [], noLib: false }, host);
  const problems = ts.getPreEmitDiagnostics(standalone).filter((d) => d.file?.fileName === check);
  if (problems.length > 0) throw new Error(`dist/config.d.ts does not check on its own: ${ts.flattenDiagnosticMessageText(problems[0]!.messageText, "\n")}`);
  return printed;
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
  // Alchemy's templates `alchkit create` starts from, as the alchemy package ships them (dist/alchemy/templates/<name>).
  const alchemyDir = join(root, "node_modules", "alchemy");
  const alchemy = JSON.parse(await readFile(join(alchemyDir, "package.json"), "utf8")) as { version: string; license?: string };
  const shipped = join(root, SHIPPED_TEMPLATES_DIR);
  await mkdir(shipped, { recursive: true });
  await writeFile(join(shipped, "package.json"), `${JSON.stringify({ name: "alchemy", version: alchemy.version, license: alchemy.license, description: "The templates of this version of alchemy that alchkit create starts from" }, null, 2)}\n`);
  assets.push(relative(DIST, join(shipped, "package.json")).split(sep).join("/"));
  for (const template of new Set(Object.values(STARTERS).map((s) => s.template))) {
    const from = join(alchemyDir, "templates", template);
    for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = relative(from, join(entry.parentPath, entry.name));
      await mkdir(dirname(join(shipped, "templates", template, file)), { recursive: true });
      await copyFile(join(from, file), join(shipped, "templates", template, file));
      assets.push(relative(DIST, join(shipped, "templates", template, file)).split(sep).join("/"));
    }
  }
  packages.set("alchemy", alchemyDir);
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
