// The API reference page renders its operations in a real browser (headless Chromium), offline: Swagger UI
// from the site folder, the description embedded, no network (Chromium's background networking is off).
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { commands } from "../../../workflows-lib/cli/commands/index.ts";
import { runCli } from "../../../workflows-lib/cli/run-cli.ts";
import { repoRoot } from "../../harness/run-action.ts";
import { chromium, dumpDom } from "../../support/chromium.ts";

test("the docs page renders every operation in headless Chromium", { skip: chromium.skip }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "alchkit-openapi-docs-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  let stderr = "";
  const code = await runCli(
    commands,
    ["openapi", "docs", join(repoRoot, "test/fixtures/openapi/orders.yaml"), "--out", "site"],
    { cwd: dir, env: {}, isTTY: false, stdout: () => {}, stderr: (s) => void (stderr += s) },
    "test",
  );
  assert.equal(code, 0, stderr);

  const dom = await dumpDom(pathToFileURL(join(dir, "site/index.html")).href);
  const operations = [...dom.matchAll(/class="opblock opblock-(\w+)[^"]*"/g)].map((m) => m[1]);
  const paths = [...dom.matchAll(/data-path="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(paths, ["/orders", "/orders", "/orders/{id}", "/orders/{id}/cancel"], "every operation is listed, in the description's order");
  assert.deepEqual(operations, ["get", "post", "get", "post"]);
  assert.match(dom, /Orders API/, "the title is shown");
  assert.match(dom, /Cancel an order/, "summaries are shown");
  assert.match(dom, /class="models/, "the schemas section is rendered");
});
