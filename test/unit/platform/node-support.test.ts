import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { checkNodeVersion } from "../../../workflows-lib/alchemy/alchemy-errors.ts";
import { MIN_NODE_SHORT, MIN_NODE_VERSION, nodeSupported } from "../../../workflows-lib/platform/node-support.ts";
import { REPO_ROOT } from "../../support/app-fixtures.ts";

test("one truth for the supported Node.js versions: package.json's engines (which the CLI's executable reads) is MIN_NODE_VERSION", () => {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { engines: { node: string } };
  assert.equal(manifest.engines.node, `>=${MIN_NODE_VERSION}`);
  const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { engines?: { node?: string } }> };
  assert.equal(lock.packages[""]!.engines?.node, manifest.engines.node, "package-lock.json records the same engines");
});

test("the minimum is where it is: 22.6.0 and later are supported, 22.5 and 20 are not", () => {
  for (const ok of ["22.6.0", "v22.6.0", "22.23.5", "23.0.0", "v24.21.0", "30.1.2"]) assert.equal(nodeSupported(ok), true, ok);
  for (const old of ["22.5.1", "v20.20.2", "18.19.0", "21.99.0"]) assert.equal(nodeSupported(old), false, old);
  assert.match(checkNodeVersion("v20.19.0")!, /^Alchemy needs Node 22\.6 or later \(found v20\.19\.0\)/);
  assert.equal(checkNodeVersion("v22.6.0"), undefined);
});

test("README, docs and action manifests state the same minimum Node.js version", () => {
  const files = ["README.md", "action.yml", ...readdirSync(path.join(REPO_ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  for (const dir of readdirSync(path.join(REPO_ROOT, "actions"))) files.push(`actions/${dir}/action.yml`, `actions/${dir}/README.md`);
  const statements: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(path.join(REPO_ROOT, file), "utf8");
    } catch {
      continue;
    }
    // "Node.js 22.6 or later", "Node ≥ 22.6", "Alchemy needs 22.6 or later", "needs Node 22 or later"
    for (const m of text.matchAll(/(?:Node(?:\.js)?\s*(?:≥|>=)\s*|(?:Node(?:\.js)?|needs)\s+)(\d+(?:\.\d+)*)\s*(?:or later|or newer|\+)?/g)) {
      const stated = m[0]!;
      if (!/≥|>=|or later|or newer|needs/.test(stated)) continue;
      statements.push(`${file}: ${stated.trim()}`);
      assert.equal(m[1], MIN_NODE_SHORT, `${file} says "${stated.trim()}": the minimum is ${MIN_NODE_SHORT} (package.json engines)`);
    }
  }
  assert.ok(statements.length >= 4, `the docs state the minimum: ${statements.join("; ")}`);
});
