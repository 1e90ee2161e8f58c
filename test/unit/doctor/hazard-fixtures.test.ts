import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { CHECKS } from "../../../workflows-lib/doctor/checks.ts";
import { KIT_WORKFLOWS } from "../../../workflows-lib/doctor/check-workflows.ts";
import { diagnose } from "../../../workflows-lib/doctor/diagnose.ts";
import { defaultConfig } from "../../../workflows-lib/config/parse-config.ts";
import { doctorPorts } from "../../../workflows-lib/local/doctor-repository.ts";
import { REPO_ROOT } from "../../support/app-fixtures.ts";
import { hazardNames, hazardRepo, hazardSpec } from "../../support/doctor-fixtures.ts";

const run = (dir: string) => diagnose(doctorPorts(dir), { config: defaultConfig() }).findings;
const brief = (findings: Array<{ id: string; file?: string; line?: number }>) => findings.map((f) => `${f.id} ${f.file}:${f.line}`).sort();

test("the clean base repository has no finding", (t) => {
  assert.deepEqual(run(hazardRepo(t)), []);
});

for (const name of hazardNames()) {
  test(`hazard fixture ${name}: exactly its finding, at its file and line`, (t) => {
    const findings = run(hazardRepo(t, name));
    assert.deepEqual(brief(findings), brief(hazardSpec(name).expect));
    for (const f of findings) {
      assert.ok(f.message.length > 40 && f.fix.length > 20, `${f.id} explains itself: ${JSON.stringify(f)}`);
      assert.equal(f.level, CHECKS.find((c) => c.id === f.id)!.level);
    }
  });
}

test("every check has a fixture that shows it", () => {
  const shown = new Set(hazardNames().flatMap((name) => hazardSpec(name).expect.map((e) => e.id)));
  assert.deepEqual(CHECKS.map((c) => c.id).filter((id) => !shown.has(id)), []);
});

test("the concurrency groups doctor assumes for the kit's reusable workflows are the ones they hold", () => {
  for (const [file, kit] of Object.entries(KIT_WORKFLOWS)) {
    const text = readFileSync(path.join(REPO_ROOT, ".github/workflows", file), "utf8");
    const inputs = { environment: "staging", to: "staging" };
    const expected = kit.group(inputs).replace("<PR>", "${{ github.event.pull_request.number }}").replace(/-staging$/, file === "promote.yml" ? "-${{ inputs.to }}" : "-${{ inputs.environment }}");
    assert.ok(text.includes(`group: ${expected}`), `${file} holds ${expected}`);
  }
});
