import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/*
 * The direction of dependencies inside workflows-lib/: shells (cli/, wiring/) build adapters and call use-cases;
 * adapters (github/, local/, alchemy/, cloudflare/) implement ports; capabilities (every other folder) compute on
 * ports they are given. A capability that imports an adapter, a shell, or a library only adapters may use has
 * wiring inside the core.
 */

const LIB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../workflows-lib");
const ADAPTERS = ["github", "local", "alchemy", "cloudflare"];
const SHELLS = ["cli", "wiring"];
/** Packages that do I/O against GitHub, Alchemy/Cloudflare or the runner: adapters and shells only. */
const ADAPTER_PACKAGES = [/^@actions\//, /^@octokit\//, /^alchemy(\/|$)/, /^miniflare(\/|$)/, /^wrangler(\/|$)/];

/** Every module specifier a source file imports: static, type-only, re-exports, side-effect and dynamic imports. */
export function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|js|mjs)$/.test(name) && !name.endsWith(".d.ts") ? [full] : [];
  });
}

const topFolder = (file: string): string | undefined => {
  const rel = path.relative(LIB, file);
  return rel.startsWith("..") || !rel.includes(path.sep) ? undefined : rel.split(path.sep)[0];
};

/** `file → what it imports` for every import from `folders` that reaches a forbidden folder or package. */
function violations(folders: string[], forbidden: string[], packages: RegExp[]): string[] {
  const found: string[] = [];
  for (const folder of folders) {
    for (const file of sourceFiles(path.join(LIB, folder))) {
      for (const specifier of importsOf(readFileSync(file, "utf8"))) {
        const rel = path.relative(LIB, file);
        if (specifier.startsWith(".")) {
          const target = topFolder(path.resolve(path.dirname(file), specifier));
          if (target && forbidden.includes(target)) found.push(`${rel} imports ${specifier} (${target}/)`);
        } else if (packages.some((pattern) => pattern.test(specifier))) {
          found.push(`${rel} imports the package ${specifier}`);
        }
      }
    }
  }
  return found;
}

const folders = readdirSync(LIB).filter((name) => statSync(path.join(LIB, name)).isDirectory());
const capabilities = folders.filter((name) => !ADAPTERS.includes(name) && !SHELLS.includes(name));

test("the import scan sees every form of import", () => {
  const source = [
    `import { a } from "../github/a.ts";`,
    `import type { B } from "../local/b.ts";`,
    `export { c } from "../alchemy/c.ts";`,
    `import "../cloudflare/d.ts";`,
    `const e = await import("../cli/e.ts");`,
  ].join("\n");
  assert.deepEqual(importsOf(source), ["../github/a.ts", "../local/b.ts", "../alchemy/c.ts", "../cloudflare/d.ts", "../cli/e.ts"]);
});

test("every capability folder is checked", () => {
  for (const known of ["promote", "preview", "matrix", "loadgate", "openapi", "feed", "release"]) {
    assert.ok(capabilities.includes(known), `${known}/ is a capability`);
  }
});

test("no capability imports an adapter, a shell or an adapter's library", () => {
  const found = violations(capabilities, [...ADAPTERS, ...SHELLS], ADAPTER_PACKAGES);
  assert.deepEqual(found, [], `capabilities take ports as arguments; build adapters in a shell or wiring/:\n${found.join("\n")}`);
});

test("adapters never import shells", () => {
  const found = violations(ADAPTERS.filter((name) => folders.includes(name)), SHELLS, []);
  assert.deepEqual(found, [], found.join("\n"));
});
