// The check-dist idea of actions/typescript-action: the committed bundles are what a fresh build produces.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { actionNames, bundleAction } from "../../scripts/build.ts";
import { repoRoot } from "../harness/run-action.ts";

const MAX_BYTES = 1.2 * 1024 * 1024;

for (const name of await actionNames()) {
  test(`actions/${name}/dist is a fresh build of main.ts and at most 1.2 MB`, async () => {
    const dist = join(repoRoot, "actions", name, "dist");
    assert.ok(existsSync(join(dist, "index.js")), `actions/${name}/dist/index.js is missing: run \`npm run build\``);
    const fresh = await bundleAction(name);
    for (const [file, content] of fresh) {
      const committed = join(dist, file);
      assert.ok(existsSync(committed), `actions/${name}/dist/${file} is missing: run \`npm run build\``);
      assert.ok(
        Buffer.from(content).equals(readFileSync(committed)),
        `actions/${name}/dist/${file} differs from a fresh build: run \`npm run build\` and commit dist/`,
      );
    }
    const size = statSync(join(dist, "index.js")).size;
    assert.ok(size <= MAX_BYTES, `actions/${name}/dist/index.js is ${(size / 1024 / 1024).toFixed(2)} MB`);
  });
}
