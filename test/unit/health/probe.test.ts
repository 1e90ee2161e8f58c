import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { healthUrl, probeHealth, systemHealthPorts, type HealthProbePorts } from "../../../workflows-lib/health/probe.ts";

/** A fetch that answers from a script, with a fake clock that advances by each sleep. */
function scripted(answers: (number | Error)[]): HealthProbePorts & { sleeps: number[]; calls: string[] } {
  let clock = 0;
  const sleeps: number[] = [];
  const calls: string[] = [];
  return {
    sleeps,
    calls,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    fetch: async (url) => {
      calls.push(url);
      const next = answers.shift() ?? 500;
      if (next instanceof Error) throw next;
      return { status: next, text: async () => `status ${next}` };
    },
  };
}

test("healthUrl joins base and path without losing a base path or doubling slashes", () => {
  assert.equal(healthUrl("http://localhost:1337/", "/health"), "http://localhost:1337/health");
  assert.equal(healthUrl("https://x.dev/api/", "health"), "https://x.dev/api/health");
  assert.equal(healthUrl("https://x.dev/api", "/health?deep=1"), "https://x.dev/api/health?deep=1");
});

test("retries with doubling backoff until the expected status arrives", async () => {
  const ports = scripted([new Error("ECONNREFUSED"), 503, 200]);
  const result = await probeHealth({ url: "http://app/", retries: 5, backoffMs: 100 }, ports);
  assert.equal(result.healthy, true);
  assert.equal(result.status, 200);
  assert.deepEqual(ports.sleeps, [100, 200]);
  assert.equal(result.attempts.length, 3);
  assert.equal(result.attempts[0]!.error, "ECONNREFUSED");
});

test("gives up after the retries and says why", async () => {
  const ports = scripted([503, 503, 503]);
  const result = await probeHealth({ url: "http://app/", retries: 2, backoffMs: 10 }, ports);
  assert.equal(result.healthy, false);
  assert.equal(result.attempts.length, 3);
  assert.match(result.reason!, /http:\/\/app\/health unhealthy after 3 attempt\(s\): expected status 200, got 503/);
});

test("the deadline stops retries early and caps the last wait", async () => {
  const ports = scripted([503, 503, 503, 503, 503]);
  const result = await probeHealth({ url: "http://app/", retries: 10, backoffMs: 400, deadlineMs: 1000 }, ports);
  assert.equal(result.healthy, false);
  assert.deepEqual(ports.sleeps, [400, 600]);
  assert.match(result.reason!, /deadline of 1000 ms passed/);
});

test("honours a custom path and expected status; 'any' accepts whatever answers", async () => {
  const ports = scripted([204]);
  const result = await probeHealth({ url: "http://app", path: "/ready", expectedStatus: 204, retries: 0 }, ports);
  assert.equal(result.healthy, true);
  assert.deepEqual(ports.calls, ["http://app/ready"]);
  const any = await probeHealth({ url: "http://app", expectedStatus: "any", retries: 0 }, scripted([404]));
  assert.equal(any.healthy, true);
});

test("a server that never answers times out per attempt (real HTTP on 127.0.0.1)", async (t) => {
  let hits = 0;
  const server = http.createServer((req) => {
    hits++;
    // never answer the first request; answer the second
    if (hits === 1) return;
    req.socket.end("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  const result = await probeHealth(
    { url: `http://127.0.0.1:${port}/`, timeoutMs: 200, retries: 2, backoffMs: 10 },
    systemHealthPorts,
  );
  assert.equal(result.healthy, true);
  assert.match(result.attempts[0]!.error!, /no answer within 200 ms/);
  assert.equal(result.body, "ok");
});

test("a 404 from the app fails at once, naming the missing route and the fix (retrying a deterministic 404 cannot help)", async (t) => {
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests++;
    res.writeHead(404, { "content-type": "text/plain" }).end("404 Not Found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const result = await probeHealth({ url, path: "/health", retries: 5, backoffMs: 1000, notFoundFix: "change the workflow's `health-path` input" }, systemHealthPorts);
  assert.equal(result.healthy, false);
  assert.equal(requests, 1, "one request, no retries");
  assert.equal(result.attempts.length, 1);
  assert.match(result.reason ?? "", /answered 404 Not Found: the app has no route at \/health/);
  assert.match(result.reason ?? "", /app\.get\("\/health"/);
  assert.match(result.reason ?? "", /change the workflow's `health-path` input/);
});

test("Cloudflare's own 404 for a workers.dev name not routed yet is retried", async () => {
  let clock = 0;
  const answers = [
    { status: 404, body: "<html><title>There is nothing here yet</title></html>" },
    { status: 200, body: "ok" },
  ];
  const result = await probeHealth(
    { url: "https://app.example.workers.dev/", retries: 3, backoffMs: 100 },
    {
      now: () => clock,
      sleep: async (ms) => void (clock += ms),
      fetch: async () => {
        const next = answers.shift()!;
        return { status: next.status, text: async () => next.body };
      },
    },
  );
  assert.equal(result.healthy, true);
  assert.equal(result.attempts.length, 2);
});
