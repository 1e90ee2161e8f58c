// A website on the local runtime without Vite's packages: Alchemy's `Website` with a dev command of its own (a
// small Node server standing in for `vite dev`, which Alchemy starts and whose URL it reads from its output).
// Alchemy prints no `Ready at` line for it: `up` is ready from the state of what this run created. A dev server
// that exits before it serves fails `up` at once with its output, instead of Alchemy waiting for a URL forever.
// The app lives under test/fixtures/apps/.built, so Node resolves the kit's installed alchemy (no install).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { createLocalRuntime } from "../../../workflows-lib/alchemy/local-runtime.ts";
import { isListening } from "../../../workflows-lib/alchemy/process-group.ts";
import { FIXTURES_DIR } from "../../support/app-fixtures.ts";

const entry = `import { readFileSync } from "node:fs";
import alchemy from "alchemy";
import { Website } from "alchemy/cloudflare";

const app = await alchemy("site");
export const site = await Website("site", { dev: { command: readFileSync("dev-command.txt", "utf8").trim() } });
await app.finalize();
`;

// Prints its URL as Vite does ("  ➜  Local:   http://…/"), on the port alchkit picked for the stage.
const server = `import http from "node:http";
const port = Number(process.env.ALCHKIT_DEV_PORT);
http
  .createServer((req, res) => {
    if (req.url === "/health") return void res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>site</title>");
  })
  .listen(port, "127.0.0.1", () => console.log(\`  ➜  Local:   http://127.0.0.1:\${port}/\`));
`;

test("a website served by its own dev server: ready from its state on the stage's port, down leaves nothing; a dev server that exits fails up at once with its output", async (t) => {
  const dir = path.join(FIXTURES_DIR, ".built", `website-${process.pid}-${randomBytes(3).toString("hex")}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: "site", private: true, type: "module" })}\n`);
  writeFileSync(path.join(dir, "alchemy.run.ts"), entry);
  writeFileSync(path.join(dir, "server.mjs"), server);
  writeFileSync(path.join(dir, "dev-command.txt"), "node server.mjs\n");
  const runtime = createLocalRuntime({ cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME }, healthPath: "/health", startTimeoutMs: 60_000 });
  const stage = "pr-7";

  // One hook, in this order: a stage still up (a failed assertion) is stopped while its folder exists.
  let down = false;
  t.after(async () => {
    if (!down) await runtime.down({ stage }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  const up = await runtime.start({ stage });
  assert.deepEqual(up.deployment.urls, { site: `http://127.0.0.1:${up.port}/` });
  assert.equal(up.record.port, up.port, "the port it listens on is the one alchkit passed");
  assert.deepEqual(await (await fetch(new URL("/health", up.deployment.urls.site))).json(), { ok: true });
  await runtime.down({ stage });
  down = true;
  assert.equal(await isListening(up.port), false, "the dev server is stopped with the stage");
  assert.equal(existsSync(path.join(dir, ".alchemy")), false, "no Alchemy folder left (state, the website's wrangler file)");

  writeFileSync(path.join(dir, "dev-command.txt"), `node -e "console.error('vite.config.ts: the flag has been renamed'); process.exit(3)"\n`);
  const started = performance.now();
  await assert.rejects(runtime.start({ stage }), (error: Error) => {
    assert.match(error.message, /the dev server of site-site-pr-7 exited before it served a URL/);
    assert.match(error.message, /vite\.config\.ts: the flag has been renamed/, "with what it printed");
    return true;
  });
  // (Without the dev server's record read, this start would end at the start timeout with "did not report a ready URL".)
  const seconds = (performance.now() - started) / 1000;
  assert.equal(existsSync(path.join(dir, ".alchkit", "stages", stage)), false, "the failed start left no stage data");
  t.diagnostic(`failed start reported in ${seconds.toFixed(1)} s`);
});
