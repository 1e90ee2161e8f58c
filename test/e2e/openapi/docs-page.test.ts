// The API reference page renders its operations in a real browser (headless Chromium), offline: Swagger UI
// from the site folder, the description embedded, no network (Chromium's background networking is off).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { commands } from "../../../workflows-lib/cli/commands/index.ts";
import { runCli } from "../../../workflows-lib/cli/run-cli.ts";
import { repoRoot } from "../../harness/run-action.ts";

function findChromium(): string | undefined {
  const names = ["chromium", "chromium-browser", "google-chrome"];
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    for (const name of names) if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Loads the page, lets scripts run (virtual time, so no sleeping), prints the resulting DOM. */
function dumpDom(browser: string, url: string, profile: string): Promise<string> {
  const args = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", `--user-data-dir=${profile}`,
    "--virtual-time-budget=15000", "--dump-dom", url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(browser, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => void (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => void (err = (err + c.toString()).slice(-4000)));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      reject(new Error(`chromium did not finish within 90 s: ${err}`));
    }, 90_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`chromium exited ${code}: ${err}`));
    });
  });
}

const browser = findChromium();

test("the docs page renders every operation in headless Chromium", { skip: browser ? false : "chromium is not installed (Debian: apt-get install -y chromium)" }, async (t) => {
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

  const dom = await dumpDom(browser!, pathToFileURL(join(dir, "site/index.html")).href, join(dir, "profile"));
  const operations = [...dom.matchAll(/class="opblock opblock-(\w+)[^"]*"/g)].map((m) => m[1]);
  const paths = [...dom.matchAll(/data-path="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(paths, ["/orders", "/orders", "/orders/{id}", "/orders/{id}/cancel"], "every operation is listed, in the description's order");
  assert.deepEqual(operations, ["get", "post", "get", "post"]);
  assert.match(dom, /Orders API/, "the title is shown");
  assert.match(dom, /Cancel an order/, "summaries are shown");
  assert.match(dom, /class="models/, "the schemas section is rendered");
});
