// The local split in front of two local stages (alchkit demo's canary): real HTTP on 127.0.0.1, two small
// servers standing in for two workerd processes, each answering with its own version.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import test from "node:test";
import { seededRandom } from "../../github/faults.ts";
import { startTrafficSplitter } from "../../../workflows-lib/local/traffic-splitter.ts";
import { OVERRIDE_HEADER, overriddenVersion, overrideValue } from "../../../workflows-lib/rollout/version-override.ts";

async function versionServer(t: import("node:test").TestContext, id: string): Promise<string> {
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ version: id, method: request.method, path: request.url, host: request.headers.host, body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function setUp(t: import("node:test").TestContext, random?: () => number) {
  const [stableUrl, candidateUrl] = await Promise.all([versionServer(t, "stable"), versionServer(t, "candidate")]);
  const splitter = await startTrafficSplitter({ script: "api", stable: { id: "v-stable", url: stableUrl }, ...(random ? { random } : {}) });
  t.after(() => splitter.close());
  splitter.add({ id: "v-candidate", url: candidateUrl });
  return splitter;
}

const get = async (url: string, headers: Record<string, string> = {}) => {
  const response = await fetch(url, { headers });
  return { status: response.status, served: response.headers.get("x-alchkit-version"), body: (await response.json()) as { version: string; path: string; host: string; body: string; method: string } };
};

test("an added version takes no traffic until a deployment gives it a share; 2,000 requests at 10 % give the candidate 10 % ± 3 %", async (t) => {
  const splitter = await setUp(t, seededRandom(42));
  for (let i = 0; i < 20; i++) assert.equal((await get(`${splitter.url}/`)).body.version, "stable", "uploaded is not deployed");

  await splitter.route("api", { versions: [{ versionId: "v-stable", percentage: 90 }, { versionId: "v-candidate", percentage: 10 }] }, "10 %");
  const before = splitter.served()["v-candidate"] ?? 0;
  const answers: string[] = [];
  for (let batch = 0; batch < 40; batch++) {
    answers.push(...(await Promise.all(Array.from({ length: 50 }, () => get(`${splitter.url}/orders?x=1`).then((r) => r.body.version)))));
  }
  const candidate = answers.filter((v) => v === "candidate").length;
  assert.ok(candidate >= 140 && candidate <= 260, `candidate served ${candidate} of 2000 (expected 10 % ± 3 %)`);
  assert.equal((splitter.served()["v-candidate"] ?? 0) - before, candidate, "served() counts what each version answered");
  assert.deepEqual(await splitter.active("api"), { versions: [{ versionId: "v-stable", percentage: 90 }, { versionId: "v-candidate", percentage: 10 }] });
});

test("the override header reaches one version whatever the split; an override naming another script or an unknown version is ignored", async (t) => {
  const splitter = await setUp(t, () => 0.99);
  const header = (script: string, id: string) => ({ [OVERRIDE_HEADER]: overrideValue(script, id) });
  assert.equal((await get(splitter.url, header("api", "v-candidate"))).body.version, "candidate", "0 % but reachable by its id");
  assert.equal((await get(splitter.url, header("api", "v-stable"))).body.version, "stable");
  assert.equal((await get(splitter.url, header("other", "v-candidate"))).body.version, "stable", "another script's override");
  assert.equal((await get(splitter.url, header("api", "v-gone"))).body.version, "stable", "an unknown version");
  const both = { [OVERRIDE_HEADER]: `other="v-stable", api="v-candidate"` };
  assert.equal((await get(splitter.url, both)).served, "v-candidate", "a dictionary of several scripts");
  assert.equal(overriddenVersion(undefined, "api"), undefined);
  assert.equal(overriddenVersion(`api=v-candidate`, "api"), undefined, "a bare token is not a string member");
});

test("requests pass through whole: method, path and query, body; the Host is the version's", async (t) => {
  const splitter = await setUp(t);
  const response = await fetch(`${splitter.url}/orders/7?expand=items`, { method: "POST", body: JSON.stringify({ qty: 2 }), headers: { "content-type": "application/json" } });
  const body = (await response.json()) as { version: string; method: string; path: string; body: string; host: string };
  assert.equal(response.headers.get("x-alchkit-version"), "v-stable");
  assert.deepEqual({ method: body.method, path: body.path, body: body.body }, { method: "POST", path: "/orders/7?expand=items", body: '{"qty":2}' });
  assert.notEqual(body.host, new URL(splitter.url).host, "the stage sees its own host");
});

test("a bad deployment changes nothing: unknown version, shares not adding up to 100, three versions, another script", async (t) => {
  const splitter = await setUp(t);
  const initial = await splitter.active("api");
  await assert.rejects(splitter.route("api", { versions: [{ versionId: "v-nope", percentage: 100 }] }, "x"), /no local version v-nope of api/);
  await assert.rejects(splitter.route("api", { versions: [{ versionId: "v-stable", percentage: 50 }, { versionId: "v-candidate", percentage: 40 }] }, "x"), /add up to 100/);
  await assert.rejects(
    splitter.route("api", { versions: [{ versionId: "v-stable", percentage: 50 }, { versionId: "v-candidate", percentage: 25 }, { versionId: "v-candidate", percentage: 25 }] }, "x"),
    /one or two versions/,
  );
  await assert.rejects(splitter.route("web", { versions: [{ versionId: "v-stable", percentage: 100 }] }, "x"), /serves api, not web/);
  assert.deepEqual(await splitter.active("api"), initial);
});

test("restore gives one version all traffic in one step, and says false for a version it does not have", async (t) => {
  const splitter = await setUp(t, seededRandom(7));
  await splitter.route("api", { versions: [{ versionId: "v-candidate", percentage: 100 }] }, "100 %");
  assert.equal((await get(splitter.url)).body.version, "candidate");
  assert.equal(await splitter.restore("api", "v-gone", "back"), false);
  assert.equal((await get(splitter.url)).body.version, "candidate", "nothing changed");
  assert.equal(await splitter.restore("api", "v-stable", "back"), true);
  for (let i = 0; i < 20; i++) assert.equal((await get(splitter.url)).body.version, "stable");
});

test("a version whose stage is down answers 502 naming it; the split keeps serving the others", async (t) => {
  const splitter = await setUp(t);
  splitter.add({ id: "v-down", url: "http://127.0.0.1:9" });
  const down = await fetch(splitter.url, { headers: { [OVERRIDE_HEADER]: overrideValue("api", "v-down") } });
  assert.equal(down.status, 502);
  assert.match(await down.text(), /version v-down did not answer/);
  assert.equal((await get(splitter.url)).body.version, "stable");
});
