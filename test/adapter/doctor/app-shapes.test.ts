import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultConfig } from "../../../workflows-lib/config/parse-config.ts";
import { diagnose } from "../../../workflows-lib/doctor/diagnose.ts";
import { doctorPorts } from "../../../workflows-lib/local/doctor-repository.ts";
import { fixtureApp, fixtureSpec, MONOREPO_APPS, monorepoApp, type Shape } from "../../support/app-fixtures.ts";

// The app shapes the kit's own tests run (Alchemy's templates as installed by npm, pnpm, yarn and bun, and a program
// run with tsx), read from their instantiated folders: node_modules, lockfiles and all.
function doctorOn(shape: Shape) {
  const config = defaultConfig();
  config.preview.healthPath = fixtureSpec(shape).healthPath;
  return diagnose(doctorPorts(fixtureApp(shape)), { config });
}

for (const shape of ["multi-resource", "bun", "yarn", "direct"] as const) {
  test(`the ${shape} app has no hazard`, () => {
    const report = doctorOn(shape);
    assert.deepEqual(report.read.entries, ["alchemy.run.ts"]);
    assert.deepEqual(report.findings, []);
  });
}

test("the pnpm app, Alchemy's hono template as it is, fixes its KV namespace's title: the one hazard found", () => {
  const report = doctorOn("pnpm");
  assert.deepEqual(
    report.findings.map((f) => `${f.id} ${f.file}:${f.line}`),
    ["shared-physical-name alchemy.run.ts:7"],
  );
  assert.match(report.findings[0]!.message, /KVNamespace "kv" is named "kv" in every stage/);
});

test("the monorepo has no hazard, and doctor reads both of its apps", () => {
  const report = diagnose(doctorPorts(monorepoApp()), { config: defaultConfig() });
  assert.deepEqual(report.read.entries.sort(), Object.values(MONOREPO_APPS).map((dir) => `${dir}/alchemy.run.ts`).sort());
  assert.deepEqual(report.findings, []);
});
