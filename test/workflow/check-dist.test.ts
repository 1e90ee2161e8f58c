// The check-dist idea of actions/typescript-action: the committed bundles are what a fresh build produces.
// A bundle built here before from the same inputs (scripts/bundle-inputs.ts) is compared by digest instead of
// being rebuilt; a fresh clone has no such record and rebuilds every bundle.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { actionNames, bundleAction } from "../../scripts/build.ts";
import { bundleInputDigest, readDist, recordBuild, upToDate } from "../../scripts/bundle-inputs.ts";
import { repoRoot } from "../harness/run-action.ts";

const MB = 1024 * 1024;
/**
 * Bundle budgets: 1.2 MB (wrangler-action ships 1.44 MB); the OpenAPI action carries the 3.0/3.1 validators; the
 * promote action carries the load engine that measures both versions of a rollout.
 */
const BUDGET: Record<string, number> = { openapi: 1.8 * MB, promote: 1.4 * MB };
const DEFAULT_BUDGET = 1.2 * MB;

for (const name of await actionNames()) {
  const budget = BUDGET[name] ?? DEFAULT_BUDGET;
  test(`actions/${name}/dist is a fresh build of main.ts and at most ${(budget / MB).toFixed(1)} MB`, async () => {
    const dist = join(repoRoot, "actions", name, "dist");
    assert.ok(existsSync(join(dist, "index.js")), `actions/${name}/dist/index.js is missing: run \`npm run build\``);
    const inputs = bundleInputDigest(name);
    if (!(await upToDate(name, inputs, readDist(dist)))) {
      const fresh = await bundleAction(name);
      for (const [file, content] of fresh) {
        const committed = join(dist, file);
        assert.ok(existsSync(committed), `actions/${name}/dist/${file} is missing: run \`npm run build\``);
        assert.ok(
          Buffer.from(content).equals(readFileSync(committed)),
          `actions/${name}/dist/${file} differs from a fresh build: run \`npm run build\` and commit dist/`,
        );
      }
      assert.deepEqual([...readDist(dist).keys()].sort(), [...fresh.keys()].sort(), `actions/${name}/dist holds files a fresh build does not: run \`npm run build\``);
      await recordBuild(name, inputs, fresh);
    }
    const size = statSync(join(dist, "index.js")).size;
    assert.ok(size <= budget, `actions/${name}/dist/index.js is ${(size / MB).toFixed(2)} MB`);
  });
}
