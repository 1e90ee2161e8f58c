/**
 * The built-in engine: runs a scenario with autocannon (in process, HTTP/1.1, one request in flight per
 * connection) and records every response's time itself, from the moment the request is written to the last
 * byte parsed, in fractional milliseconds (process.hrtime). Percentiles are then exact over all samples
 * (k6's interpolation), not read from autocannon's integer-millisecond histogram.
 *
 * What it cannot measure like k6: DNS/connect/TLS phases (http_req_blocked, _connecting, _tls_handshaking,
 * _sending, _waiting, _receiving), iterations and checks; with `rate`, a closed loop that falls behind does
 * not add the waiting time of requests it never sent (coordinated omission).
 */
import { EventEmitter } from "node:events";
import type autocannon from "autocannon";
import defaultOptions from "autocannon/lib/defaultOptions.js";
import runAutocannonStage from "autocannon/lib/run.js";
import { InputError } from "../../errors.ts";
import type { Scenario, Stage } from "../scenario.ts";
import { buildHttpSummary, type HttpRecording } from "../http-summary.ts";
import type { Summary } from "../summary.ts";

export interface AutocannonRunOptions {
  /** Base URL of the app under test; request paths are appended. */
  url: string;
  scenario: Scenario;
  /**
   * Called after each stage with the summary so far and the elapsed time; returning true skips the
   * remaining stages (abortOnFail thresholds).
   */
  shouldAbort?: (summarySoFar: Summary, elapsedMs: number) => boolean;
  /** Percentiles to compute beyond p(90), p(95), p(99) (those the thresholds read). */
  percentiles?: readonly number[];
  /** Monotonic clock in ms (injected for tests of the abort logic). */
  now?: () => number;
}

export interface AutocannonRunResult {
  summary: Summary;
  /** Stages run; fewer than the scenario's when a threshold aborted the run. */
  stagesRun: number;
  aborted: boolean;
}

interface ClientLike {
  getRequestBuffer: () => Buffer;
}

function targetUrl(base: string): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new InputError("url", "an absolute http(s) URL", base);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new InputError("url", "an http or https URL", base);
  return url;
}

function joinPath(base: URL, path: string): string {
  const prefix = base.pathname.replace(/\/+$/, "");
  return `${prefix}${path}`;
}

function runStage(url: URL, scenario: Scenario, stage: Stage, rec: HttpRecording): Promise<void> {
  return new Promise((resolve, reject) => {
    const opts: autocannon.Options = {
      url: url.origin,
      connections: stage.connections,
      // autocannon notices the end of a timed run on its sampling tick; a short tick keeps the wall time honest.
      sampleInt: 100,
      timeout: Math.max(1, Math.ceil(scenario.timeoutMs / 1000)),
      requests: scenario.requests.map((r) => {
        const req: autocannon.Request = { method: r.method as autocannon.Request["method"], path: joinPath(url, r.path), headers: r.headers };
        if (r.body !== undefined) req.body = r.body;
        return req;
      }),
      // Count the bytes of every request written (k6's data_sent).
      setupClient: (client: unknown) => {
        const c = client as ClientLike;
        const build = c.getRequestBuffer.bind(c);
        c.getRequestBuffer = () => {
          const buf = build();
          rec.bytesSent += buf.length;
          return buf;
        };
      },
    };
    if (stage.amount !== undefined) opts.amount = stage.amount;
    else opts.duration = (stage.durationMs ?? 10_000) / 1000;
    if (stage.rate !== undefined) opts.overallRate = stage.rate;

    // What autocannon's option validation would produce; the scenario schema has already checked the values.
    const validated = { ...defaultOptions, ...opts, harRequests: new Map() };
    const instance = new EventEmitter();
    instance.on("response", (_client: unknown, statusCode: number, resBytes: number, responseTime: number) => {
      let list = rec.durationsByStatus.get(statusCode);
      if (!list) rec.durationsByStatus.set(statusCode, (list = []));
      list.push(responseTime);
      rec.bytesReceived += resBytes;
    });
    instance.on("reqError", () => {
      rec.errors += 1;
    });
    runAutocannonStage(validated, instance, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

export async function runAutocannon(options: AutocannonRunOptions): Promise<AutocannonRunResult> {
  const url = targetUrl(options.url);
  const now = options.now ?? (() => performance.now());
  const rec: HttpRecording = { durationsByStatus: new Map(), errors: 0, bytesSent: 0, bytesReceived: 0, connections: [], durationMs: 0 };
  const started = now();
  let stagesRun = 0;
  let aborted = false;
  for (const stage of options.scenario.stages) {
    rec.connections.push(stage.connections);
    await runStage(url, options.scenario, stage, rec);
    stagesRun += 1;
    rec.durationMs = now() - started;
    if (stagesRun < options.scenario.stages.length && options.shouldAbort?.(buildHttpSummary(rec, options.percentiles), rec.durationMs)) {
      aborted = true;
      break;
    }
  }
  rec.durationMs = now() - started;
  return { summary: buildHttpSummary(rec, options.percentiles), stagesRun, aborted };
}
