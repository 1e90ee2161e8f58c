import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { checkAlchemyEntry } from "../../../workflows-lib/doctor/check-alchemy-entry.ts";
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

test("a Workflow without workflowName is named after its class in every stage", () => {
  const source = (props: string) =>
    `import alchemy from "alchemy";\nimport { Workflow } from "alchemy/cloudflare";\nconst app = await alchemy("fx");\nconst flow = Workflow("flow", ${props});\nawait app.finalize();\n`;
  const fixed = checkAlchemyEntry("alchemy.run.ts", source(`{ className: "Flow" }`), { protectedStages: ["prod"] }).findings;
  assert.deepEqual(brief(fixed), ["shared-physical-name alchemy.run.ts:4"]);
  assert.match(fixed[0]!.message, /"Flow"/);
  const perStage = checkAlchemyEntry("alchemy.run.ts", source("{ className: \"Flow\", workflowName: `${app.name}-flow-${app.stage}` }"), { protectedStages: ["prod"] }).findings;
  assert.deepEqual(perStage, []);
});

test("two local stages whose state holds one physical name: found from the state, where the source cannot show it", (t) => {
  const dir = hazardRepo(t);
  const stageState = (stage: string, name: string) => {
    const folder = path.join(dir, ".alchkit/stages", stage, ".alchemy/notes", stage);
    mkdirSync(folder, { recursive: true });
    const doc = { kind: "cloudflare::D1Database", fqn: `notes/${stage}/db`, status: "created", output: { name, id: `id-${stage}` } };
    writeFileSync(path.join(folder, "db.json"), JSON.stringify(doc));
  };
  stageState("pr-1", "notes-db");
  assert.deepEqual(run(dir), [], "one stage: nothing to compare");
  stageState("pr-2", "notes-db");
  const findings = run(dir);
  assert.deepEqual(brief(findings), ["shared-physical-name alchemy.run.ts:undefined"]);
  assert.match(findings[0]!.message, /stages pr-1 and pr-2 of notes both hold D1Database "db" as "notes-db"/);
});
