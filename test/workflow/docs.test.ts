import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { generatedDocs } from "../../scripts/docs.ts";
import { fillTables } from "../../scripts/doc-tables.ts";
import { repoRoot } from "../harness/run-action.ts";
import { actionNames } from "../../scripts/build.ts";

test("generated docs (action tables, workflow tables, CLI reference) match their sources", async () => {
  const stale: string[] = [];
  for (const [file, content] of await generatedDocs()) {
    const path = join(repoRoot, file);
    if (!existsSync(path) || readFileSync(path, "utf8") !== content) stale.push(file);
  }
  assert.deepEqual(stale, [], "run `npm run docs` and commit the result");
});

test("every action README carries its generated input and output tables", async () => {
  for (const name of await actionNames()) {
    const readme = readFileSync(join(repoRoot, "actions", name, "README.md"), "utf8");
    assert.match(readme, new RegExp(`<!-- alchkit:table inputs actions/${name}/action.yml -->`));
    assert.match(readme, new RegExp(`<!-- alchkit:table outputs actions/${name}/action.yml -->`));
  }
});

test("tables are generated from the YAML between markers", () => {
  const yaml = "inputs:\n  body:\n    description: The | body\n    required: true\n  mode:\n    description: Mode\n    default: upsert\noutputs:\n  url:\n    description: Link\n";
  const md = "x\n<!-- alchkit:table inputs a.yml -->\nold\n<!-- alchkit:table-end -->\ny\n<!-- alchkit:table outputs a.yml -->\n<!-- alchkit:table-end -->\n";
  const out = fillTables(md, () => yaml);
  assert.match(out, /\| `body` \| yes \|  \| The \\\| body \|/);
  assert.match(out, /\| `mode` \| no \| `upsert` \| Mode \|/);
  assert.match(out, /\| `url` \| Link \|/);
  assert.ok(!out.includes("old"));
  assert.equal(fillTables(out, () => yaml), out, "idempotent");
});
