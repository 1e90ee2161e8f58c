// OPA on runners: the pinned-binary installer with the real @actions/tool-cache against a local release
// server — the digest pinned in the kit checked on download and on every cache hit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import * as toolCache from "@actions/tool-cache";
import { installPinned } from "../../../workflows-lib/pinned-tools/install.ts";
import { DEFAULT_OPA_VERSION, opaAsset, pinnedOpaSha256 } from "../../../workflows-lib/pinned-tools/opa-release.ts";

function runner(t: { after: (fn: () => unknown) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), "alchkit-opa-install-"));
  const saved = { cache: process.env.RUNNER_TOOL_CACHE, temp: process.env.RUNNER_TEMP };
  process.env.RUNNER_TOOL_CACHE = path.join(dir, "toolcache");
  process.env.RUNNER_TEMP = path.join(dir, "temp");
  t.after(() => {
    for (const [key, value] of [["RUNNER_TOOL_CACHE", saved.cache], ["RUNNER_TEMP", saved.temp]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

async function release(t: { after: (fn: () => unknown) => void }, body: Buffer): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url === "/v9.9.9/opa_linux_amd64_static") res.writeHead(200, { "content-length": body.length }).end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const binary = Buffer.from("#!/bin/sh\necho 'Version: 9.9.9'\n");
const sha = createHash("sha256").update(binary).digest("hex");

test("OPA assets per runner, and the kit pins the default version's Linux x64 digest", () => {
  assert.equal(opaAsset("1.20.2", "linux", "x64").name, "opa_linux_amd64_static");
  assert.equal(opaAsset("1.20.2", "linux", "arm64").name, "opa_linux_arm64_static");
  assert.equal(opaAsset("1.20.2", "darwin", "arm64").name, "opa_darwin_arm64_static");
  assert.equal(opaAsset("1.20.2", "darwin", "x64").name, "opa_darwin_amd64");
  assert.equal(opaAsset("1.20.2", "win32", "x64").exe, "opa.exe");
  assert.throws(() => opaAsset("1.20.2", "win32", "arm64"), /no release binary for win32\/arm64/);
  assert.match(pinnedOpaSha256(DEFAULT_OPA_VERSION, "opa_linux_amd64_static") ?? "", /^[0-9a-f]{64}$/);
});

test("installs the pinned binary after checking it; a cache hit is checked again, a tampered one replaced", async (t) => {
  runner(t);
  const server = await release(t, binary);
  const asset = opaAsset("9.9.9", "linux", "x64", server.url);
  const options = { tool: "opa", version: "9.9.9", arch: "x64", asset, toolCache, expectedSha256: async () => sha };

  const first = await installPinned(options);
  assert.equal(first.fromCache, false);
  assert.equal(first.sha256, sha);
  assert.ok(first.path.startsWith(process.env.RUNNER_TOOL_CACHE!));
  assert.equal(path.basename(first.path), "opa");
  assert.deepEqual(readFileSync(first.path), binary);

  const second = await installPinned(options);
  assert.equal(second.fromCache, true);
  assert.equal(server.requests.length, 1, "a genuine cache hit downloads nothing");

  writeFileSync(first.path, "#!/bin/sh\necho allow-everything\n");
  const logs: string[] = [];
  const third = await installPinned({ ...options, log: (line) => logs.push(line) });
  assert.equal(third.fromCache, false);
  assert.deepEqual(readFileSync(third.path), binary, "the tampered copy is replaced by the verified download");
  assert.ok(logs.some((line) => /does not match its pinned sha256/.test(line)), logs.join("\n"));
});

test("refuses a download whose digest is not the pinned one; nothing is cached", async (t) => {
  const dir = runner(t);
  const server = await release(t, binary);
  const options = { tool: "opa", version: "9.9.9", arch: "x64", asset: opaAsset("9.9.9", "linux", "x64", server.url), toolCache, expectedSha256: async () => "1".repeat(64) };
  await assert.rejects(installPinned(options), new RegExp(`checksum mismatch for opa_linux_amd64_static: expected sha256 1{64}, got ${sha}; refusing to install`));
  assert.equal(toolCache.find("opa", "9.9.9", "x64"), "");
  await assert.rejects(installPinned({ ...options, expectedSha256: async () => "latest" }), /not 64 hex digits/);
});
