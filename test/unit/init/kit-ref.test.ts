import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { initCommand } from "../../../workflows-lib/cli/commands/init.ts";
import { documentedKitRef } from "../../../workflows-lib/init/kit-ref.ts";
import { kitRefs, pinKitRefs } from "../../../workflows-lib/release/kit-pins.ts";
import { REPO_ROOT } from "../../support/app-fixtures.ts";

test("one truth for the kit's release in callers: init's default --kit-ref is the release README and every doc tell users to pin", () => {
  const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const documented = documentedKitRef(readme);
  assert.ok(documented, "README names the release to pin");
  assert.equal(initCommand.flags.shape.kitRef.parse(undefined), documented);
  const files = ["README.md", ...readdirSync(path.join(REPO_ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  const others = files.flatMap((file) =>
    kitRefs(readFileSync(path.join(REPO_ROOT, file), "utf8"))
      .filter((r) => r.ref !== "main" && r.ref !== documented)
      .map((r) => `${file}: alchkit/alchkit${r.path}@${r.ref}`),
  );
  assert.deepEqual(others, [], `the docs pin ${documented}`);
});

test("a release's README (every kit reference pinned to its tag) makes that tag init's default", () => {
  const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  assert.equal(documentedKitRef(pinKitRefs(readme, "v1.4.0")), "v1.4.0");
  assert.equal(documentedKitRef("no kit reference here"), undefined);
});
