import assert from "node:assert/strict";
import { test } from "node:test";
import { instantiateTemplate } from "../../../workflows-lib/app-templates/instantiate.ts";
import { readAlchemyTemplate } from "../../../workflows-lib/alchemy/alchemy-templates.ts";
import { REPO_ROOT } from "../../support/app-fixtures.ts";

test("an app from Alchemy's own typescript template: dot-files, name, pinned alchemy, standard scripts, overlay", () => {
  const { files, alchemyVersion } = readAlchemyTemplate("typescript", REPO_ROOT);
  assert.match(alchemyVersion, /^0\.94\./);
  assert.ok(files._gitignore, "the template ships _gitignore");
  const app = instantiateTemplate({
    template: files,
    name: "shop",
    alchemyVersion,
    packageManager: { name: "pnpm", version: "10.12.1" },
    overlay: { "src/extra.ts": "export {};\n", "README.md": null },
  });
  assert.ok(app[".gitignore"] && !app._gitignore && app[".env"] && !app._env);
  assert.match(String(app["alchemy.run.ts"]), /alchemy\("shop"\)/);
  assert.doesNotMatch(String(app["alchemy.run.ts"]), /\{projectName\}/);
  const manifest = JSON.parse(String(app["package.json"])) as Record<string, any>;
  assert.equal(manifest.name, "shop");
  assert.equal(manifest.devDependencies.alchemy, alchemyVersion, "workspace:* became the installed version");
  assert.deepEqual({ dev: manifest.scripts.dev, deploy: manifest.scripts.deploy, destroy: manifest.scripts.destroy }, { dev: "alchemy dev", deploy: "alchemy deploy", destroy: "alchemy destroy" });
  assert.equal(manifest.packageManager, "pnpm@10.12.1");
  assert.deepEqual(manifest.pnpm.onlyBuiltDependencies, ["esbuild", "sharp", "workerd"]);
  assert.equal(app["src/extra.ts"], "export {};\n");
  assert.equal(app["README.md"], undefined);
});

test("an unknown template names the ones the installed alchemy ships", () => {
  assert.throws(() => readAlchemyTemplate("no-such", REPO_ROOT), /ships no template "no-such" \(it has: .*hono.*typescript/);
});
