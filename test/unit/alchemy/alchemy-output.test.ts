import assert from "node:assert/strict";
import { test } from "node:test";
import { alchemyArgs, alchemyEnv } from "../../../workflows-lib/alchemy/alchemy-cli.ts";
import { checkNodeVersion, errorOf, explainFailure, redact } from "../../../workflows-lib/alchemy/alchemy-errors.ts";
import { isDevReady, isDevSettled, parseDevOutput, portOfUrl, settledUrls } from "../../../workflows-lib/alchemy/dev-output.ts";
import { parseStateGet, parseStateList, toDeployment } from "../../../workflows-lib/alchemy/state-output.ts";

const E = "\u001b";
const devLog = [
  `${E}[96mAlchemy${E}[0m (v0.94.0)`,
  "App: consumer-app",
  "Stage: pr-1",
  `${E}[35m[creating]  ${E}[0m${E}[90mapi${E}[0m Creating Resource...`,
  `${E}[96m[dev]       ${E}[0m${E}[90mapi${E}[0m Ready at http://localhost:40123/`,
].join("\n");

test("dev output: ready once every started resource finished and a URL was printed", () => {
  const partial = parseDevOutput(devLog);
  assert.deepEqual(partial, { app: "consumer-app", ready: { api: "http://localhost:40123/" }, pending: ["api"], settled: [], failed: false });
  assert.equal(isDevReady(partial), false);
  const done = parseDevOutput(`${devLog}\n${E}[92m[created]   ${E}[0m${E}[90mapi${E}[0m Created Resource\n`);
  assert.equal(isDevReady(done), true);
  assert.equal(isDevReady(parseDevOutput("App: x\n[created] db Created Resource")), false);
  const crashed = parseDevOutput(`${devLog}\n${E}[31mFailed running '/app/alchemy.run.ts --dev'. Waiting for file changes before restarting...${E}[39m`);
  assert.equal(crashed.failed, true);
  assert.equal(isDevReady(crashed), false);
});

// `alchemy dev` of a Worker with a queue consumer (the multi-resource fixture), as Alchemy 0.94 prints it: the
// consumer is a child resource `api > jobs-consumer`, created after the Worker's URL and before the Worker.
const childLog = [
  "App: fx",
  `${E}[35m[creating]  ${E}[0m${E}[90mjobs${E}[0m Creating Resource...`,
  `${E}[92m[created]   ${E}[0m${E}[90mjobs${E}[0m Created Resource`,
  `${E}[35m[creating]  ${E}[0m${E}[90mapi${E}[0m Creating Resource...`,
  `${E}[96m[dev]       ${E}[0m${E}[90mapi${E}[0m Ready at http://localhost:1337/`,
  `${E}[35m[creating]  ${E}[0m${E}[90mapi > jobs-consumer${E}[0m Creating Resource...`,
  `${E}[92m[created]   ${E}[0m${E}[90mapi > jobs-consumer${E}[0m Created Resource`,
];

test("dev output: a child resource `api > jobs-consumer` is not its parent: not ready before `[created] api`", () => {
  const beforeParent = parseDevOutput(childLog.join("\n"));
  assert.deepEqual(beforeParent.pending, ["api"]);
  assert.equal(isDevReady(beforeParent), false);
  const childPending = parseDevOutput(childLog.slice(0, 6).join("\n"));
  assert.deepEqual(childPending.pending.sort(), ["api", "api > jobs-consumer"]);
  const done = parseDevOutput([...childLog, `${E}[92m[created]   ${E}[0m${E}[90mapi${E}[0m Created Resource`].join("\n"));
  assert.equal(isDevReady(done), true);
  assert.deepEqual(done.ready, { api: "http://localhost:1337/" });
  assert.equal(portOfUrl(done.ready.api!), 1337);
  assert.equal(portOfUrl("http://127.0.0.1/"), 80);
  assert.equal(portOfUrl("not a url"), undefined);
});

// `alchemy dev` of Alchemy's vite template (0.94): the Worker runs on workerd inside `vite dev`, whose URL Alchemy
// reads from Vite's output; no `Ready at` line, only the resource's lines (and Vite's own).
const websiteLog = [
  "App: my-app",
  "Stage: pr-1",
  `  ${E}[32m➜${E}[39m  ${E}[1mLocal${E}[22m:   ${E}[36mhttp://localhost:${E}[1m5173${E}[22m/${E}[39m`,
  `${E}[35m[creating]  ${E}[0m${E}[90mwebsite${E}[0m Creating Resource...`,
];

test("dev output: a website served by its framework's dev server is settled, its URL taken from the state of what this run settled", () => {
  const starting = parseDevOutput(websiteLog.join("\n"));
  assert.deepEqual([isDevReady(starting), isDevSettled(starting)], [false, false]);
  const done = parseDevOutput([...websiteLog, `${E}[92m[created]   ${E}[0m${E}[90mwebsite${E}[0m Created Resource`].join("\n"));
  assert.deepEqual([isDevReady(done), isDevSettled(done)], [false, true]);
  const state = [
    { fqn: "my-app/pr-1/website", url: "http://localhost:5173/" },
    // a resource of an earlier run, not started again yet: its URL is not this run's
    { fqn: "my-app/pr-1/api", url: "http://localhost:1337/" },
    { fqn: "my-app/pr-1/kv" },
  ];
  assert.deepEqual(settledUrls(done, state), { website: "http://localhost:5173/" });
  assert.equal(isDevSettled(parseDevOutput("App: x\n[created] db Created Resource\n[creating] api Creating Resource...")), false, "something still pending");
  assert.equal(isDevSettled(parseDevOutput(`App: x\n[created] db Created Resource\nFailed running '/app/alchemy.run.ts --dev'.`)), false, "crashed");
});

test("state list and state get output become resources and urls", () => {
  assert.deepEqual(parseStateList("consumer-app/pr-1/api\nconsumer-app/pr-1/db\n"), ["consumer-app/pr-1/api", "consumer-app/pr-1/db"]);
  assert.deepEqual(parseStateList("(no resources)\n"), []);
  const worker = parseStateGet(
    JSON.stringify({ kind: "cloudflare::Worker", id: "api", fqn: "consumer-app/pr-1/api", output: { name: "consumer-app-api-pr-1", url: "https://x.workers.dev" } }),
    "consumer-app/pr-1/api",
  );
  assert.deepEqual(worker, { fqn: "consumer-app/pr-1/api", kind: "cloudflare::Worker", name: "consumer-app-api-pr-1", url: "https://x.workers.dev" });
  const kv = parseStateGet(JSON.stringify({ kind: "cloudflare::KVNamespace", id: "cache", output: { title: "t" } }), "consumer-app/pr-1/cache");
  assert.deepEqual(toDeployment("pr-1", [worker, kv]), { stage: "pr-1", resources: [worker, { fqn: "consumer-app/pr-1/cache", kind: "cloudflare::KVNamespace", name: "cache" }], urls: { api: "https://x.workers.dev" } });
});

test("failures are explained with the likely cause", () => {
  const noCreds = explainFailure("Error: No credentials found. Please run `alchemy login`, or set either", 1, { command: "deploy", stage: "pr-1" });
  assert.match(noCreds, /alchemy deploy failed for stage pr-1: .*CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID secrets/);
  assert.match(explainFailure("No credentials found. Please run `alchemy login`", 1, { command: "deploy", profile: "ci" }), /profile "ci".*alchkit profile set --profile ci/);
  assert.match(
    explainFailure("You are running Alchemy in a CI environment with the default local state store.", 1, { command: "deploy" }),
    /CloudflareStateStore.*ALCHEMY_STATE_TOKEN/,
  );
  assert.match(explainFailure("boom\nsomething else broke", 3, { command: "destroy" }), /exit 3\):\nboom\nsomething else broke$/);
  assert.equal(checkNodeVersion("v24.1.0"), undefined);
  assert.match(checkNodeVersion("v20.19.0")!, /needs Node 22.6 or later \(found v20.19.0\)/);
});

test("secrets never survive redaction; args and env are what Alchemy expects", () => {
  assert.equal(redact("token=abcd1234 again abcd1234", ["abcd1234", undefined, ""]), "token=*** again ***");
  assert.deepEqual(alchemyArgs("deploy", { stage: "pr-1", profile: "ci", envFile: "e.env", app: "web", adopt: true }), [
    "deploy", "--stage", "pr-1", "--profile", "ci", "--env-file", "e.env", "--app", "web", "--adopt",
  ]);
  assert.deepEqual(alchemyArgs("state get", { stage: "pr-1" }, "a/pr-1/api"), ["state", "get", "a/pr-1/api", "--stage", "pr-1"]);
  const env = alchemyEnv({ PATH: "/usr/bin" }, "/opt/node24/bin/node");
  assert.equal(env.PATH, "/opt/node24/bin:/usr/bin");
  assert.equal(env.DO_NOT_TRACK, "1");
});

// What `alchemy dev` printed for an alchemy.run.ts that threw (Alchemy 0.94, captured from a real run).
const DEV_CRASH = [
  "Alchemy (v0.94.0)",
  "App: fx",
  "Phase: up",
  "Stage: crash1",
  "WARN Development mode is in beta. Please report any issues to https://github.com/alchemy-run/alchemy-async/issues.",
  "file:///app/node_modules/alchemy/lib/secret.js:122",
  '        throw new Error("Secret cannot be undefined");',
  "              ^",
  "",
  "Error: Secret cannot be undefined",
  "    at _alchemy.secret (file:///app/node_modules/alchemy/lib/secret.js:122:15)",
  "    at file:///app/alchemy.run.ts:10:19",
  "    at process.processTicksAndRejections (node:internal/process/task_queues:104:5)",
  "",
  "Node.js v24.21.0",
  "Failed running '/app/alchemy.run.ts --telemetry-session-id 768c6a60 --stage crash1 --watch --dev'. Waiting for file changes before restarting...",
].join("\n");

test("a failure shows Alchemy's stack once: the error and where the app threw it, no '(exit signal)' for a process alchkit stopped", () => {
  const streamed = explainFailure(DEV_CRASH, null, { command: "dev", stage: "crash1", streamed: true });
  assert.equal(streamed, "alchemy dev failed for stage crash1: Error: Secret cannot be undefined (at alchemy.run.ts:10) (Alchemy's output is above)");
  const quiet = explainFailure(DEV_CRASH, null, { command: "dev", stage: "crash1" });
  assert.equal(quiet.split("\n")[0], "alchemy dev failed for stage crash1: Error: Secret cannot be undefined (at alchemy.run.ts:10):");
  assert.equal(quiet.match(/at file:\/\/\/app\/alchemy\.run\.ts:10:19/g)?.length, 1, "the stack once");
  assert.doesNotMatch(quiet, /exit signal|Waiting for file changes|Development mode is in beta/);
  assert.match(explainFailure(DEV_CRASH, 1, { command: "deploy" }), /^alchemy deploy failed \(exit 1\): Error: Secret cannot be undefined/);
  assert.equal(errorOf("TypeError [ERR_INVALID_ARG_TYPE]: bad\n    at run (/srv/app/src/build.ts:3:1)"), "TypeError [ERR_INVALID_ARG_TYPE]: bad (at build.ts:3)");
  assert.equal(errorOf("all fine\nno error here"), undefined);
});

test("a state document is found among Alchemy's log lines, also when a logged error object comes before or after it", () => {
  const doc = { kind: "cloudflare::Worker", id: "api", fqn: "consumer-app/pr-1/api", output: { name: "consumer-app-api-pr-1", note: "a } in a string" } };
  const retried = "Retrying request after error {\n  status: 503,\n  headers: {},\n  body: '<html>'\n}";
  const output = `${retried}\n${JSON.stringify(doc, null, 2)}\nwarning {\n  code: 10013\n}\n`;
  assert.equal(parseStateGet(output, "consumer-app/pr-1/api").name, "consumer-app-api-pr-1");
  assert.throws(() => parseStateGet(`${retried}\n`, "consumer-app/pr-1/api"), /alchemy state get consumer-app\/pr-1\/api printed no state document .*status: 503/s);
});
