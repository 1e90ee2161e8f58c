import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig, loadFailure } from "../../../workflows-lib/local/config-file.ts";
import { InputError } from "../../../workflows-lib/errors.ts";

async function repo(t: import("node:test").TestContext, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "alchkit-config-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

test("no file: the defaults", async (t) => {
  const loaded = await loadConfig(await repo(t, {}));
  assert.equal(loaded.file, undefined);
  assert.deepEqual(loaded.config.environments, { staging: { stage: "staging" }, production: { stage: "prod" } });
});

test("alchkit.config.json and alchkit.config.ts give the same configuration", async (t) => {
  const settings = { environments: { production: { stage: "live" } } };
  const json = await loadConfig(await repo(t, { "alchkit.config.json": JSON.stringify(settings) }));
  const definer = join(import.meta.dirname, "../../../workflows-lib/config/define-config.ts");
  const ts = await loadConfig(
    await repo(t, {
      "alchkit.config.ts": `import { defineConfig } from ${JSON.stringify(definer)};\nconst stage: string = "live";\nexport default defineConfig({ environments: { production: { stage } } });\n`,
    }),
  );
  assert.equal(json.file, "alchkit.config.json");
  assert.equal(ts.file, "alchkit.config.ts");
  assert.deepEqual(ts.config, json.config);
});

test("a bad value names the file and the key; two files are refused", async (t) => {
  await assert.rejects(
    loadConfig(await repo(t, { "alchkit.config.json": JSON.stringify({ environments: { production: { stage: "Prod!" } } }) })),
    (error: unknown) => error instanceof InputError && /^alchkit\.config\.json\.environments\.production\.stage: expected a stage name/.test(error.message),
  );
  await assert.rejects(
    loadConfig(await repo(t, { "alchkit.config.json": "{", "alchkit.config.mjs": "export default {}" })),
    (error: unknown) => error instanceof InputError && /alchkit\.config\.mjs, alchkit\.config\.json: expected one configuration file/.test(error.message),
  );
  await assert.rejects(loadConfig(await repo(t, { "alchkit.config.mjs": "export const x = 1;" })), /a default export/);
});

test("alchkit.config.ts on a Node.js that does not strip types: the error says what to do", async (t) => {
  // The error such a Node.js gives, taken from a real one: this Node.js with type stripping turned off.
  const dir = await repo(t, { "alchkit.config.ts": "const stage: string = \"live\";\nexport default { environments: { production: { stage } } };\n" });
  const { execFileSync } = await import("node:child_process");
  const thrown = execFileSync(process.execPath, ["--no-experimental-strip-types", "--input-type=module", "-e", `import(${JSON.stringify(join(dir, "alchkit.config.ts"))}).catch((e) => console.log(JSON.stringify({ code: e.code, message: e.message })))`], { encoding: "utf8" });
  const error = JSON.parse(thrown) as { code: string; message: string };
  assert.equal(error.code, "ERR_UNKNOWN_FILE_EXTENSION");
  const why = loadFailure(error, "alchkit.config.ts", "v22.6.0");
  assert.match(why, /Node\.js v22\.6\.0 does not strip TypeScript types by default \(22\.18 and later do\)/);
  assert.match(why, /alchkit\.config\.json/);
  // Any other failure keeps its own message; a JavaScript file never gets the TypeScript advice.
  assert.equal(loadFailure(new SyntaxError("Unexpected token"), "alchkit.config.ts", "v24.0.0"), "Unexpected token");
  assert.equal(loadFailure(error, "alchkit.config.mjs", "v22.6.0"), error.message);
});
