// The built-in engine against a real HTTP server on 127.0.0.1: what it sends, what it counts, how it
// fills the k6 summary shape.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { runAutocannon } from "../../../workflows-lib/loadgate/engines/autocannon.ts";
import { parseScenario } from "../../../workflows-lib/loadgate/scenario.ts";
import { InputError } from "../../../workflows-lib/errors.ts";
import { parseThresholds } from "../../../workflows-lib/loadgate/thresholds.ts";
import { shouldAbortRun } from "../../../workflows-lib/loadgate/gate.ts";

interface Seen { method: string; url: string; body: string; headers: http.IncomingHttpHeaders }

async function startServer(t: { after: (fn: () => unknown) => void }) {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  let bytesRead = 0;
  let bytesWritten = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", body, headers: req.headers });
      if (req.url === "/app/missing") res.writeHead(404).end("nope");
      else if (req.url?.startsWith("/app/slow")) setTimeout(() => res.end("slow"), 30);
      else res.end(JSON.stringify({ ok: true }));
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => {
      bytesRead += s.bytesRead;
      bytesWritten += s.bytesWritten;
      sockets.delete(s);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  t.after(close);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/app/`,
    seen,
    /** Waits for every socket to close, then returns the byte totals the server saw. */
    async totals() {
      for (let i = 0; i < 100 && sockets.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
      return { bytesRead, bytesWritten };
    },
  };
}

test("sends the scenario's requests, counts every byte and response, fills the k6 summary shape", async (t) => {
  const server = await startServer(t);
  const scenario = parseScenario({
    name: "mixed",
    headers: { "x-run": "gate" },
    requests: [
      { path: "/ok?x=1" },
      { path: "/missing", method: "GET" },
      { path: "/ok", method: "POST", body: { sku: "A", quantity: 2 } },
    ],
    connections: 3,
    amount: 300,
  });
  const { summary, stagesRun, aborted } = await runAutocannon({ url: server.url, scenario });
  assert.equal(stagesRun, 1);
  assert.equal(aborted, false);
  const m = summary.metrics;
  assert.equal(m.http_reqs!.values.count, 300);
  assert.equal(server.seen.length, 300);
  const posts = server.seen.filter((s) => s.method === "POST");
  assert.ok(posts.length > 0);
  assert.deepEqual(JSON.parse(posts[0]!.body), { sku: "A", quantity: 2 });
  assert.equal(posts[0]!.headers["content-type"], "application/json");
  assert.ok(server.seen.every((s) => s.headers["x-run"] === "gate" && s.url.startsWith("/app/")));

  const notFound = server.seen.filter((s) => s.url === "/app/missing").length;
  assert.equal(m["http_reqs{status:404}"]!.values.count, notFound);
  assert.equal(m["http_reqs{status:200}"]!.values.count, 300 - notFound);
  assert.equal(m["http_req_duration{status:404}"]!.values.count, notFound);
  assert.equal(m.http_req_failed!.values.passes, notFound);
  assert.equal(m.http_req_failed!.values.rate, notFound / 300);
  assert.equal(m["http_req_duration{expected_response:true}"]!.values.count, 300 - notFound);
  assert.equal(m.http_req_duration!.type, "trend");
  assert.equal(m.http_req_duration!.contains, "time");
  const d = m.http_req_duration!.values;
  assert.ok(d.min! <= d.med! && d.med! <= d["p(95)"]! && d["p(95)"]! <= d.max!);
  assert.deepEqual(m.vus!.values, { value: 3, min: 3, max: 3 });

  const totals = await server.totals();
  assert.equal(m.data_sent!.values.count, totals.bytesRead, "data_sent = bytes the server read");
  assert.equal(m.data_received!.values.count, totals.bytesWritten, "data_received = bytes the server wrote");
  assert.ok(summary.testRunDurationMs! > 0);
  assert.equal(m.http_reqs!.values.rate, 300 / (summary.testRunDurationMs! / 1000));
});

test("stages run in sequence (ramp), vus reports them, extra percentiles are computed", async (t) => {
  const server = await startServer(t);
  const scenario = parseScenario({ requests: [{ path: "/ok" }], stages: [{ connections: 1, amount: 20 }, { connections: 4, amount: 40 }, { connections: 2, duration: "300ms" }] });
  const { summary, stagesRun } = await runAutocannon({ url: server.url, scenario, percentiles: [99.9, 50] });
  assert.equal(stagesRun, 3);
  assert.ok(summary.metrics.http_reqs!.values.count! > 60);
  assert.deepEqual(summary.metrics.vus!.values, { value: 2, min: 1, max: 4 });
  assert.ok("p(99.9)" in summary.metrics.http_req_duration!.values);
  assert.ok(summary.summaryTrendStats!.includes("p(99.9)"));
});

test("an abortOnFail threshold stops the remaining stages", async (t) => {
  const server = await startServer(t);
  const scenario = parseScenario({ requests: [{ path: "/slow" }], stages: [{ connections: 2, amount: 10 }, { connections: 2, amount: 10 }, { connections: 2, amount: 10 }] });
  const specs = parseThresholds({ http_req_duration: [{ threshold: "p(95)<5", abortOnFail: true }] });
  const { stagesRun, aborted, summary } = await runAutocannon({ url: server.url, scenario, shouldAbort: (s, ms) => shouldAbortRun(specs, s, ms) });
  assert.equal(aborted, true);
  assert.equal(stagesRun, 1);
  assert.equal(summary.metrics.http_reqs!.values.count, 10);
});

test("connection errors count as failed requests with status 0", async (t) => {
  const server = await startServer(t);
  const port = new URL(server.url).port;
  // Reserve a port with nothing listening: start and stop a server.
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const dead = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  assert.notEqual(String(dead), port);
  const scenario = parseScenario({ requests: [{ path: "/" }], connections: 1, duration: "300ms" });
  const { summary } = await runAutocannon({ url: `http://127.0.0.1:${dead}`, scenario });
  assert.ok(summary.metrics["http_reqs{status:0}"]!.values.count! > 0);
  assert.equal(summary.metrics.http_req_failed!.values.rate, 1);
  assert.equal(summary.metrics.http_req_duration!.values.count, 0);
});

test("scenario validation names the field", () => {
  assert.throws(() => parseScenario({ requests: [{ path: "orders" }] }), (e: unknown) => e instanceof InputError && e.message.startsWith("scenario.requests.0.path"));
  assert.throws(() => parseScenario({ connections: 0 }), /scenario\.connections/);
  assert.throws(() => parseScenario({ duration: "soon" }), /scenario\.duration/);
  assert.throws(() => parseScenario({ stages: [] }), /scenario\.stages/);
  assert.throws(() => parseScenario({ requets: [] }), /requets|unrecognized/i);
  assert.deepEqual(parseScenario({}, "s", { durationMs: 1500, connections: 3 }).stages, [{ connections: 3, durationMs: 1500 }]);
  assert.deepEqual(parseScenario({ amount: 5, connections: 10 }).stages, [{ connections: 5, amount: 5 }]);
});
