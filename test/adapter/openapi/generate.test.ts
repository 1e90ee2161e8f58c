import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { InputError } from "../../../workflows-lib/errors.ts";
import { createNodeGeneratePorts } from "../../../workflows-lib/openapi/adapters/node-ports.ts";
import { generateSpec } from "../../../workflows-lib/openapi/generate.ts";
import type { SpecSource } from "../../../workflows-lib/openapi/generate.ts";
import { validateSpec } from "../../../workflows-lib/openapi/validate-spec.ts";

const repoRoot = resolve(import.meta.dirname, "../../..");
const consumerApp = join(repoRoot, "test/fixtures/consumer-app");
const ports = (cwd = repoRoot) => createNodeGeneratePorts({ cwd, env: process.env, fetchBackoffMs: 10, fetchTimeoutMs: 2000 });

function inputError(pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  };
}

test("an OpenAPIHono app module gives its 3.1 description, info from package.json, normalized", async () => {
  const generated = await generateSpec({ kind: "module", path: "src/app.ts" }, {}, ports(consumerApp));
  assert.equal(generated.origin, "module src/app.ts (export default, OpenAPIHono)");
  const doc = generated.document as Record<string, any>;
  assert.equal(doc.openapi, "3.1.0");
  assert.deepEqual(doc.info, { title: "consumer-app", version: "1.0.0" });
  assert.deepEqual(Object.keys(doc.paths), ["/orders", "/orders/{id}", "/orders/{id}/cancel"]);
  assert.deepEqual(Object.keys(doc.paths["/orders"]), ["get", "post"]);
  assert.ok(doc.components.schemas.Order.properties.total);
  assert.equal((await validateSpec(generated.spec)).valid, true);
});

test("the 3.0 document and explicit info can be asked for", async () => {
  const generated = await generateSpec({ kind: "module", path: "src/app.ts", exportName: "app" }, { openapi: "3.0", title: "Orders", version: "9.9.9" }, ports(consumerApp));
  assert.equal(generated.document.openapi, "3.0.3");
  assert.deepEqual(generated.document.info, { title: "Orders", version: "9.9.9" });
});

test("a chanfana router export gives its generated schema", async () => {
  const generated = await generateSpec({ kind: "module", path: "test/fixtures/openapi/chanfana-router.ts" }, {}, ports());
  assert.equal(generated.origin, "module test/fixtures/openapi/chanfana-router.ts (export openapi, chanfana router)");
  const doc = generated.document as Record<string, any>;
  assert.deepEqual(doc.info, { title: "Tasks", version: "2.1.0" }, "the router's own info wins over package.json");
  assert.deepEqual(Object.keys(doc.paths), ["/tasks", "/tasks/{taskId}"]);
  assert.equal(doc.paths["/tasks/{taskId}"].get.parameters[0].name, "taskId");
  assert.equal((await validateSpec(generated.spec)).valid, true);
});

test("modules without an OpenAPI-aware export are refused, naming what they export", async () => {
  await assert.rejects(
    generateSpec({ kind: "module", path: "src/worker.ts" }, {}, ports(consumerApp)),
    inputError(/^src\/worker\.ts: expected a module exporting an OpenAPIHono app or a chanfana router \(exports: default, none/),
  );
  await assert.rejects(generateSpec({ kind: "module", path: "src/app.ts", exportName: "nope" }, {}, ports(consumerApp)), inputError(/no export named "nope" \(exports: .*createApp/));
  await assert.rejects(generateSpec({ kind: "module", path: "src/app.ts", exportName: "APP_VARIANTS" }, {}, ports(consumerApp)), inputError(/export APP_VARIANTS: expected an OpenAPIHono app or a chanfana router \(found an object \(Array\)/));
  await assert.rejects(generateSpec({ kind: "module", path: "src/missing.ts" }, {}, ports(consumerApp)), inputError(/src\/missing\.ts: .*no such file/));
});

test("extensionless relative imports of a TypeScript app resolve like a bundler would", async (t) => {
  const dir = await mkdtemp(join(repoRoot, "test/fixtures/openapi/.tmp-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, "routes.ts"), 'export { app } from "../../consumer-app/src/app";\n');
  await writeFile(join(dir, "entry.ts"), 'export { app as default } from "./routes.js";\n');
  const generated = await generateSpec({ kind: "module", path: join(dir, "entry.ts") }, {}, ports());
  assert.ok((generated.document.paths as object)["/orders" as keyof object]);
});

test("a URL is fetched with retries while it answers 5xx, and refused on 404", async (t) => {
  let calls = 0;
  const body = JSON.stringify({ openapi: "3.1.0", info: { title: "Remote", version: "1" }, paths: { "/b": {}, "/a": {} } });
  const server = createServer((req, res) => {
    calls++;
    if (req.url === "/openapi.json" && calls < 3) return void res.writeHead(503).end("starting");
    if (req.url === "/openapi.json") return void res.writeHead(200, { "content-type": "application/json" }).end(body);
    if (req.url === "/openapi.yaml") return void res.writeHead(200, { "content-type": "application/yaml" }).end("openapi: 3.0.3\ninfo: {title: Y, version: '1'}\npaths: {}\n");
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const generated = await generateSpec({ kind: "url", url: `${base}/openapi.json` }, {}, ports());
  assert.equal(calls, 3);
  assert.deepEqual(Object.keys(generated.document.paths as object), ["/a", "/b"]);
  assert.equal((await generateSpec({ kind: "url", url: `${base}/openapi.yaml` }, {}, ports())).document.openapi, "3.0.3");
  const before = calls;
  await assert.rejects(generateSpec({ kind: "url", url: `${base}/missing` }, {}, ports()), inputError(/\/missing: expected a URL answering 200 with an OpenAPI description \(HTTP 404\)/));
  assert.equal(calls - before, 1, "a 404 is not retried");
});

test("a command's stdout is the description; a failing command is bad input with its stderr", async () => {
  const command = `node -e 'console.log(JSON.stringify({openapi:"3.1.0",info:{title:"Cmd",version:"1"},paths:{}}))'`;
  const generated = await generateSpec({ kind: "command", command }, { title: "Renamed" }, ports());
  assert.equal((generated.document.info as { title: string }).title, "Renamed");
  const failing: SpecSource = { kind: "command", command: "echo broken >&2; exit 3" };
  await assert.rejects(generateSpec(failing, {}, ports()), inputError(/^command: expected a command that prints an OpenAPI description and exits 0 \(.*exited 3: broken\)/));
  await assert.rejects(generateSpec({ kind: "command", command: "echo 'not: [yaml'" }, {}, ports()), inputError(/^stdout of "echo 'not: \[yaml'":\d+:\d+: expected valid YAML/));
});

test("a file is read, checked and normalized", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "alchkit-openapi-gen-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, "spec.yaml"), "paths: {}\ninfo: {version: '1', title: F}\nopenapi: 3.0.3\n");
  const generated = await generateSpec({ kind: "file", path: "spec.yaml" }, {}, ports(dir));
  assert.deepEqual(Object.keys(generated.document), ["openapi", "info", "paths"]);
});

test("an app module runs in a process of its own with the allow-listed environment: never the action's inputs or the runner's tokens", async (t) => {
  const dir = await mkdtemp(join(repoRoot, "test/fixtures/openapi/.tmp-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // What the module could reach at import time: process.env and, on Linux, the process's own initial environment.
  await writeFile(
    join(dir, "snoop.ts"),
    [
      'import { existsSync, readFileSync } from "node:fs";',
      'const initial = existsSync("/proc/self/environ") ? readFileSync("/proc/self/environ", "utf8") : "";',
      'const seen = ["INPUT_GITHUB-TOKEN", "ACTIONS_RUNTIME_TOKEN", "GITHUB_ENV", "APP_SETTING"].filter((name) => process.env[name] !== undefined || initial.includes(`${name}=`));',
      'console.log("importing the app");',
      "export const app = {",
      '  getOpenAPI31Document: (config: { info: object }) => ({ openapi: "3.1.0", info: config.info, paths: {}, "x-seen": seen.join(",") || "nothing", "x-pid": process.pid }),',
      "};",
      "",
    ].join("\n"),
  );
  const env = { ...process.env, "INPUT_GITHUB-TOKEN": "ghs_inputtoken", ACTIONS_RUNTIME_TOKEN: "runtime-token", GITHUB_ENV: "/tmp/github-env", APP_SETTING: "on" };
  let output = "";
  const described = (extra: NodeJS.ProcessEnv) =>
    generateSpec({ kind: "module", path: join(dir, "snoop.ts") }, {}, createNodeGeneratePorts({ cwd: dir, env: { ...env, ...extra }, stderr: (text) => void (output += text) }));
  const plain = await described({});
  assert.equal(plain.document["x-seen" as keyof object], "nothing");
  assert.notEqual(plain.document["x-pid" as keyof object], process.pid, "imported by another process");
  assert.match(output, /importing the app/, "the module's own output is shown as progress");
  // A name the user passes on purpose reaches it.
  const passed = await described({ ALCHKIT_PASS_ENV: "APP_SETTING" });
  assert.equal(passed.document["x-seen" as keyof object], "APP_SETTING");
});

test("an app module that never finishes importing is stopped after the timeout, naming it", async (t) => {
  const dir = await mkdtemp(join(repoRoot, "test/fixtures/openapi/.tmp-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, "hang.ts"), "setInterval(() => {}, 1000);\nawait new Promise(() => {});\nexport const app = {};\n");
  const ports = createNodeGeneratePorts({ cwd: dir, env: process.env, commandTimeoutMs: 1500 });
  await assert.rejects(generateSpec({ kind: "module", path: "hang.ts" }, {}, ports), inputError(/^hang\.ts: expected .*within 2 s \(it was still running\)/));
});
