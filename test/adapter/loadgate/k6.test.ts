// The k6 engine without k6: the installer against a local release server (real @actions/tool-cache download,
// extraction and cache), the runner with a stand-in `k6` executable that behaves like k6 at the process level.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import * as toolCache from "@actions/tool-cache";
import { K6_SHA256, checksumFor, installK6, k6Asset, runK6, summaryTrendStats } from "../../../workflows-lib/loadgate/engines/k6.ts";
import { parseThresholds } from "../../../workflows-lib/loadgate/thresholds.ts";
import { decideGate } from "../../../workflows-lib/loadgate/gate.ts";

const VERSION = "1.3.0";

function fakeK6Script(body: string): string {
  return `#!/bin/sh\n${body}\n`;
}

/** A release folder like GitHub's: the archive (k6-vX-linux-amd64/k6 inside) and the checksums file. */
function makeRelease(root: string, tamper = false): { archive: Buffer; sha: string } {
  const stage = path.join(root, "stage", `k6-v${VERSION}-linux-amd64`);
  mkdirSync(stage, { recursive: true });
  writeFileSync(path.join(stage, "k6"), fakeK6Script('echo "k6 v1.3.0 (fake)"'));
  chmodSync(path.join(stage, "k6"), 0o755);
  const archivePath = path.join(root, `k6-v${VERSION}-linux-amd64.tar.gz`);
  execFileSync("tar", ["-czf", archivePath, "-C", path.join(root, "stage"), `k6-v${VERSION}-linux-amd64`]);
  const archive = readFileSync(archivePath);
  const sha = createHash("sha256").update(archive).digest("hex");
  const listed = tamper ? "0".repeat(64) : sha;
  writeFileSync(path.join(root, `k6-v${VERSION}-checksums.txt`), `${"f".repeat(64)}  k6-v${VERSION}-macos-arm64.zip\n${listed}  k6-v${VERSION}-linux-amd64.tar.gz\n`);
  return { archive, sha };
}

async function serve(root: string, t: { after: (fn: () => unknown) => void }): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    const m = /^\/v([^/]+)\/([^/]+)$/.exec(req.url ?? "");
    try {
      if (!m || m[1] !== VERSION) throw new Error("not found");
      const body = readFileSync(path.join(root, m[2]!));
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function runnerDirs(t: { after: (fn: () => unknown) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), "loadgate-k6-"));
  const saved = { cache: process.env.RUNNER_TOOL_CACHE, temp: process.env.RUNNER_TEMP };
  process.env.RUNNER_TOOL_CACHE = path.join(dir, "toolcache");
  process.env.RUNNER_TEMP = path.join(dir, "temp");
  t.after(() => {
    if (saved.cache === undefined) delete process.env.RUNNER_TOOL_CACHE;
    else process.env.RUNNER_TOOL_CACHE = saved.cache;
    if (saved.temp === undefined) delete process.env.RUNNER_TEMP;
    else process.env.RUNNER_TEMP = saved.temp;
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

test("release assets per runner", () => {
  assert.equal(k6Asset("1.3.0", "linux", "x64").name, "k6-v1.3.0-linux-amd64.tar.gz");
  assert.equal(k6Asset("1.3.0", "linux", "arm64").name, "k6-v1.3.0-linux-arm64.tar.gz");
  assert.equal(k6Asset("1.3.0", "darwin", "arm64").name, "k6-v1.3.0-macos-arm64.zip");
  assert.equal(k6Asset("1.3.0", "win32", "x64").exe, "k6.exe");
  assert.throws(() => k6Asset("1.3.0", "linux", "ia32"), /no release archive/);
  assert.equal(checksumFor(`${"a".repeat(64)}  x.tar.gz\n${"B".repeat(64)} *y.zip`, "y.zip"), "b".repeat(64));
});

test("installs from the release archive after verifying the sha256 the kit pins, then uses the tool cache", async (t) => {
  const dir = runnerDirs(t);
  const release = path.join(dir, "release");
  mkdirSync(release);
  const { sha } = makeRelease(release);
  const server = await serve(release, t);
  const pins = { [VERSION]: { [`k6-v${VERSION}-linux-amd64.tar.gz`]: sha } };
  const options = { version: VERSION, platform: "linux" as const, arch: "x64", toolCache, releasesUrl: server.url, pins };

  const first = await installK6(options);
  assert.equal(first.fromCache, false);
  assert.equal(first.sha256, sha);
  assert.ok(first.path.startsWith(process.env.RUNNER_TOOL_CACHE!));
  assert.match(execFileSync(first.path).toString(), /k6 v1\.3\.0/);
  assert.deepEqual(server.requests, [`/v${VERSION}/k6-v${VERSION}-linux-amd64.tar.gz`], "the digest comes from the kit, never from the release page");

  const second = await installK6(options);
  assert.equal(second.fromCache, true);
  assert.equal(second.path, first.path);
  assert.equal(server.requests.length, 1, "a cache hit downloads nothing: the cached archive is checked against the pin");

  // A cached k6 that is not the one in the verified archive (a previous job on a self-hosted runner) is replaced.
  writeFileSync(first.path, fakeK6Script('echo "k6 v1.3.0 (tampered)"'));
  const third = await installK6(options);
  assert.equal(third.fromCache, false);
  assert.match(execFileSync(third.path).toString(), /k6 v1\.3\.0 \(fake\)/);
});

test("refuses an archive that does not match its pin, and a version or platform the kit pins nothing for", async (t) => {
  const dir = runnerDirs(t);
  const release = path.join(dir, "release");
  mkdirSync(release);
  makeRelease(release);
  const server = await serve(release, t);
  const options = { version: VERSION, platform: "linux" as const, arch: "x64", toolCache, releasesUrl: server.url, pins: { [VERSION]: { [`k6-v${VERSION}-linux-amd64.tar.gz`]: "0".repeat(64) } } };
  await assert.rejects(installK6(options), /checksum mismatch for k6-v1\.3\.0-linux-amd64\.tar\.gz.*refusing to install/);
  await assert.rejects(installK6({ ...options, sha256: "1".repeat(64) }), /expected sha256 1{64}/);
  assert.equal(toolCache.find("k6", VERSION, "x64"), "", "nothing cached");
  const before = server.requests.length;
  await assert.rejects(installK6({ ...options, pins: {} }), /alchkit pins no sha256 for k6-v1\.3\.0-linux-amd64\.tar\.gz: give k6-sha256/);
  await assert.rejects(installK6({ ...options, arch: "arm64", pins: K6_SHA256 }), /pins no sha256 for k6-v1\.3\.0-linux-arm64\.tar\.gz/);
  assert.equal(server.requests.length, before, "nothing downloaded without a trusted digest");
  await assert.rejects(installK6({ ...options, version: "latest" }), /not an exact version/);
  assert.match(K6_SHA256["1.3.0"]!["k6-v1.3.0-linux-amd64.tar.gz"]!, /^[0-9a-f]{64}$/, "the default runner's archive is pinned");
});

test("runner: target in the environment, summary exported, exit 99 = thresholds failed, then judged by the gate", async (t) => {
  const dir = runnerDirs(t);
  const exe = path.join(dir, "k6");
  // Records its arguments and environment, writes a legacy summary export where --summary-export says, exits 99.
  writeFileSync(exe, fakeK6Script(`
printf '%s\\n' "$@" > "${dir}/args.txt"
printf '%s|%s|%s\\n' "$K6_TARGET_URL" "$BASE_URL" "$K6_NO_USAGE_REPORT" > "${dir}/env.txt"
while [ $# -gt 0 ]; do
  if [ "$1" = "--summary-export" ]; then out="$2"; fi
  shift
done
cat > "$out" <<'JSON'
{"metrics":{"http_req_duration":{"avg":250,"min":10,"med":240,"max":900,"p(90)":400,"p(95)":480,"p(99)":800,"p(99.9)":890,"thresholds":{"p(95)<200":true}},
"http_req_failed":{"value":0,"passes":0,"fails":100,"thresholds":{"rate<0.01":false}},
"http_reqs":{"count":100,"rate":50}}}
JSON
echo "some k6 output"
echo "level=error msg=\\"thresholds on metrics 'http_req_duration' have been crossed\\"" >&2
exit 99`));
  chmodSync(exe, 0o755);
  const raw = { http_req_duration: ["p(95)<200", "p(99.9)<1000"], http_req_failed: ["rate<0.01"] };
  const specs = parseThresholds(raw);
  const output: string[] = [];
  const result = await runK6({
    k6Path: exe, script: "script.js", url: "http://127.0.0.1:9/", thresholds: specs, thresholdsRaw: raw,
    workDir: path.join(dir, "out"), env: { PATH: process.env.PATH }, onOutput: (c) => output.push(c),
  });
  assert.equal(result.exitCode, 99);
  assert.equal(result.thresholdsFailed, true);
  assert.equal(readFileSync(path.join(dir, "env.txt"), "utf8").trim(), "http://127.0.0.1:9/|http://127.0.0.1:9/|true");
  const args = readFileSync(path.join(dir, "args.txt"), "utf8").trim().split("\n");
  assert.equal(args[0], "run");
  assert.equal(args.at(-1), "script.js");
  assert.equal(args[args.indexOf("--summary-trend-stats") + 1], "avg,min,med,max,p(90),p(95),p(99),count,p(99.9)");
  assert.deepEqual(JSON.parse(readFileSync(args[args.indexOf("--config") + 1]!, "utf8")), { thresholds: raw });
  assert.match(output.join(""), /some k6 output/);

  const gate = decideGate({ thresholds: specs, summary: result.summary });
  assert.deepEqual(gate.thresholds.map((r) => [r.expression, r.ok, r.k6Verdict]), [
    ["p(95)<200", false, false], // legacy `true` = failed
    ["p(99.9)<1000", true, undefined],
    ["rate<0.01", true, true],
  ]);
  assert.deepEqual(summaryTrendStats(specs).slice(-1), ["p(99.9)"]);
});

test("runner: any other exit code is an error carrying k6's message", async (t) => {
  const dir = runnerDirs(t);
  const exe = path.join(dir, "k6");
  writeFileSync(exe, fakeK6Script(`echo 'level=error msg="GoError: The moduleSpecifier \\"./missing.js\\" could not be found"' >&2\nexit 107`));
  chmodSync(exe, 0o755);
  const specs = parseThresholds({ http_reqs: ["count>0"] });
  await assert.rejects(
    runK6({ k6Path: exe, script: "s.js", url: "http://127.0.0.1:9", thresholds: specs, thresholdsRaw: {}, workDir: path.join(dir, "out"), env: {}, onOutput: () => {} }),
    /k6 exited with code 107:\n.*could not be found/,
  );
});

test("runner: a missing k6 executable is a clear error", async (t) => {
  const dir = runnerDirs(t);
  const specs = parseThresholds({ http_reqs: ["count>0"] });
  await assert.rejects(
    runK6({ k6Path: path.join(dir, "no-k6-here"), script: "s.js", url: "http://127.0.0.1:9", thresholds: specs, thresholdsRaw: {}, workDir: path.join(dir, "out"), env: {}, onOutput: () => {} }),
    /cannot run k6: ".*no-k6-here" was not found/,
  );
});
