// alchkit.config.ts with defineConfig: the editor (tsc) marks bad rollout values where they are written, and a
// good configuration compiles and loads to the same settings as its JSON form.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { loadConfig } from "../../../workflows-lib/local/config-file.ts";

const repo = path.resolve(import.meta.dirname, "../../..");
const definer = path.join(repo, "workflows-lib/config/define-config.ts");

const GOOD = `export const good = defineConfig({
  environments: { production: { stage: "prod" } },
  rollout: {
    production: { strategy: "progressive", stages: [{ traffic: 10, duration: "30m" }, { traffic: 50, duration: "1h" }, { traffic: 100 }], thresholds: { http_req_failed: ["rate<0.01"], http_req_duration: ["p(95) < 500"] } },
    staging: { strategy: "canary", traffic: { canary: 10, stable: 90 }, duration: "5m", metrics: ["error_rate", "latency"] },
    preview: "blue-green",
  },
});`;

const BAD: Record<string, string> = {
  "stages that do not go up": `defineConfig({ rollout: { production: { strategy: "progressive", stages: [{ traffic: 50 }, { traffic: 20 }] } } });`,
  "a step above 100": `defineConfig({ rollout: { production: { strategy: "progressive", stages: [{ traffic: 10 }, { traffic: 150 }] } } });`,
  "a threshold in a wrong grammar": `defineConfig({ rollout: { production: { strategy: "canary", thresholds: { http_req_failed: ["rate<>0.01"] } } } });`,
  "a duration that is none": `defineConfig({ rollout: { production: { strategy: "canary", duration: "half an hour" } } });`,
  "an unknown strategy": `defineConfig({ rollout: { production: { strategy: "rainbow" } } });`,
};

test("defineConfig: the editor flags bad rollout values on their line; a good configuration compiles", async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), "alchkit-typed-config-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const lines = [`import { defineConfig } from ${JSON.stringify(definer)};`, GOOD, ...Object.values(BAD).map((source, i) => `export const bad${i} = ${source}`)];
  await writeFile(path.join(dir, "check.ts"), `${lines.join("\n")}\n`);
  await writeFile(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { target: "es2023", module: "nodenext", moduleResolution: "nodenext", strict: true, noEmit: true, allowImportingTsExtensions: true, skipLibCheck: true, types: [], typeRoots: [path.join(repo, "node_modules/@types")] },
      files: ["check.ts"],
    }),
  );
  const run = await promisify(execFile)(process.execPath, [path.join(repo, "node_modules/typescript/bin/tsc"), "-p", dir], { cwd: dir }).then(
    () => ({ stdout: "" }),
    (error: { stdout: string }) => ({ stdout: error.stdout }),
  );
  const errorLines = new Set([...run.stdout.matchAll(/check\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1])));
  const goodLines = GOOD.split("\n").length;
  Object.keys(BAD).forEach((what, i) => assert.ok(errorLines.has(2 + goodLines + i), `${what} is flagged:\n${run.stdout}`));
  for (let line = 1; line <= 1 + goodLines; line++) assert.ok(!errorLines.has(line), `the good configuration compiles:\n${run.stdout}`);
  assert.equal(errorLines.size, Object.keys(BAD).length, run.stdout);
});

test("alchkit.config.ts with a rollout loads to the same configuration as its JSON form", async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), "alchkit-typed-config-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, "alchkit.config.ts"), `import { defineConfig } from ${JSON.stringify(definer)};\n${GOOD.replace("export const good =", "export default")}\n`);
  const ts = await loadConfig(dir);
  await rm(path.join(dir, "alchkit.config.ts"));
  const json = {
    environments: { production: { stage: "prod" } },
    rollout: {
      production: { strategy: "progressive", stages: [{ traffic: 10, duration: "30m" }, { traffic: 50, duration: "1h" }, { traffic: 100 }], thresholds: { http_req_failed: ["rate<0.01"], http_req_duration: ["p(95) < 500"] } },
      staging: { strategy: "canary", traffic: { canary: 10, stable: 90 }, duration: "5m", metrics: ["error_rate", "latency"] },
      preview: "blue-green",
    },
  };
  await writeFile(path.join(dir, "alchkit.config.json"), JSON.stringify(json));
  assert.deepEqual(ts.config, (await loadConfig(dir)).config);
  assert.equal(ts.config.rollout?.preview?.strategy, "blue-green");
});
