import type { ModuleExport } from "../generate.ts";

/**
 * The program that imports an app module and asks its OpenAPI-aware exports for their descriptions, run by a
 * Node process of its own. Importing a module runs its code, and the app's code gets what any code the kit
 * starts gets: the allow-listed environment (child-env/allowed-env.ts), never the action's own (its inputs,
 * the runner's tokens, the file commands), which a module imported in-process could read from `process.env`
 * or `/proc/self/environ`. Arguments: the module's path, the request (JSON), the file the answer goes to (the
 * module may print to stdout).
 *
 * Exports are told apart so: an `OpenAPIHono` app (`getOpenAPI31Document` / `getOpenAPIDocument`) or a
 * chanfana router (`fromHono(app)` / `fromIttyRouter`: a Proxy that answers `isChanfana` and builds the
 * document on reading `schema`). Relative imports written for a bundler (`./routes`, `./routes.js` for a
 * `.ts` file) are tried as TypeScript, which Node strips natively.
 */
export const MODULE_DESCRIBER = `// Run by alchkit: describes an app module's OpenAPI exports.
import { registerHooks } from "node:module";
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [modulePath, requestText, answerPath] = process.argv.slice(1);
const request = JSON.parse(requestText);
const answer = (value) => writeFileSync(answerPath, JSON.stringify(value));
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      const relative = /^\\.{1,2}\\//.test(specifier);
      const fromNodeModules = context.parentURL?.includes("/node_modules/") ?? true;
      if (error?.code !== "ERR_MODULE_NOT_FOUND" || !relative || fromNodeModules) throw error;
      const stem = specifier.replace(/\\.(js|mjs)$/, "");
      for (const candidate of [stem + ".ts", stem + ".mts", stem + "/index.ts"]) {
        try {
          return nextResolve(candidate, context);
        } catch {}
      }
      throw error;
    }
  },
});
let namespace;
try {
  namespace = await import(pathToFileURL(modulePath).href);
} catch (error) {
  answer({ importError: { code: error?.code ?? null, message: String(error?.message ?? error) } });
  process.exit(0);
}
const found = (value) => {
  if (value === null) return "found null";
  if (typeof value === "function") return "found a function" + (value.name ? " (" + value.name + ")" : "");
  if (typeof value === "object") {
    const name = value.constructor?.name;
    return "found an object" + (name && name !== "Object" ? " (" + name + ")" : "") + " without getOpenAPI31Document, getOpenAPIDocument or a chanfana schema";
  }
  return "found " + typeof value;
};
const describe = async (name, value) => {
  const entry = { name, found: found(value) };
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return entry;
  let produce;
  if (typeof value.getOpenAPI31Document === "function" && request.openapi !== "3.0") {
    entry.kind = "OpenAPIHono";
    produce = () => value.getOpenAPI31Document({ openapi: "3.1.0", info: request.info });
  } else if (typeof value.getOpenAPIDocument === "function") {
    entry.kind = "OpenAPIHono";
    produce = () => value.getOpenAPIDocument({ openapi: "3.0.3", info: request.info });
  } else if (value.isChanfana === true) {
    entry.kind = "chanfana router";
    produce = () => value.schema;
  } else {
    return entry;
  }
  try {
    entry.document = JSON.parse(JSON.stringify(await produce()));
  } catch (error) {
    entry.failure = String(error?.message ?? error);
  }
  return entry;
};
const names = Object.keys(namespace);
const exports = [];
for (const name of names) {
  exports.push(request.exportName === undefined || request.exportName === name ? await describe(name, namespace[name]) : { name, found: "" });
}
answer({ exports });
process.exit(0);
`;

/** What the program writes to its answer file. */
export type DescriberAnswer = { exports: ModuleExport[] } | { importError: { code: string | null; message: string } };
