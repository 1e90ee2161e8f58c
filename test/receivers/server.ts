// Local stand-ins for the services notifications go to: Slack incoming webhooks, Discord webhooks, a Teams
// workflow webhook, a generic signed webhook receiver and Sentry's releases/deploys API. One HTTP server on
// 127.0.0.1 (random port); each service checks requests as its documentation describes them, answers as it
// does, records what it accepted, and can fail on purpose (seeded, so a campaign replays exactly).
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { seededRandom } from "../github/faults.ts";
import { verifySignature } from "../../workflows-lib/notify/signature.ts";
import {
  discordProblems,
  sentryEnvironmentProblem,
  sentryVersionProblem,
  slackProblems,
  teamsProblems,
  webhookProblems,
} from "./validate.ts";

export type Service = "slack" | "discord" | "teams" | "webhook" | "sentry";

export interface FaultPlan {
  /** Share of requests answered with a 5xx before anything is processed. */
  serverErrors?: number;
  /** Share of requests processed and then cut off before the answer (how duplicates arise). */
  resetAfterProcessing?: number;
  /** Only these services fault (default all). */
  services?: Service[];
  seed?: number;
}

export interface WebhookDelivery {
  body: Record<string, unknown>;
  raw: string;
  headers: Record<string, string | undefined>;
}

export interface SentryDeploy {
  id: string;
  environment: string;
  name: string | null;
  url: string | null;
  dateStarted: string | null;
  dateFinished: string;
}

export interface ReceiversStandIn {
  baseUrl: string;
  /** What the kit is configured with: webhook URLs (credentials) and the Sentry base URL. */
  urls: Record<Exclude<Service, "sentry">, string> & { sentry: string };
  webhookSecret: string;
  sentryToken: string;
  sentryOrg: string;
  sentryProjects: string[];
  /** Accepted messages, in order. */
  slack: Record<string, unknown>[];
  discord: Record<string, unknown>[];
  teams: Record<string, unknown>[];
  /** Every signed, valid delivery the webhook receiver processed (repeats of a delivery id are dropped). */
  webhook: WebhookDelivery[];
  /** Repeats the webhook receiver dropped by delivery id. */
  webhookRepeats: number;
  sentry: { releases: Map<string, { version: string; projects: string[] }>; deploys: Map<string, SentryDeploy[]> };
  /** Every request: service, method, path (no query), status answered. */
  requests: Array<{ service: Service | "unknown"; method: string; path: string; status: number | "reset" }>;
  /** Requests a service would reject, described. A test ends with none. */
  violations: string[];
  faults(plan: FaultPlan): void;
  close(): Promise<void>;
}

const token = () => randomBytes(12).toString("hex");

export async function startReceiversStandIn(): Promise<ReceiversStandIn> {
  const slackPath = `/slack/services/T${token().slice(0, 8)}/B${token().slice(0, 8)}/${token()}`;
  const discordPath = `/discord/api/webhooks/${BigInt(`0x${token().slice(0, 12)}`)}/${token()}`;
  const teamsPath = `/teams/workflows/${token()}/triggers/manual/paths/invoke`;
  const teamsSig = token();
  const webhookPath = `/hooks/${token().slice(0, 8)}`;
  let plan: Required<Omit<FaultPlan, "services">> & { services?: Service[] } = { serverErrors: 0, resetAfterProcessing: 0, seed: 1 };
  let random = seededRandom(1);
  let nextId = 1;

  const self: ReceiversStandIn = {
    baseUrl: "",
    urls: { slack: "", discord: "", teams: "", webhook: "", sentry: "" },
    webhookSecret: token(),
    sentryToken: `sntrys_${token()}${token()}`,
    sentryOrg: "acme",
    sentryProjects: ["api", "web"],
    slack: [],
    discord: [],
    teams: [],
    webhook: [],
    webhookRepeats: 0,
    sentry: { releases: new Map(), deploys: new Map() },
    requests: [],
    violations: [],
    faults(next) {
      plan = { serverErrors: next.serverErrors ?? 0, resetAfterProcessing: next.resetAfterProcessing ?? 0, seed: next.seed ?? 1, ...(next.services ? { services: next.services } : {}) };
      random = seededRandom(plan.seed);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const text = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
    res.end(body);
  };

  function serviceOf(path: string): Service | "unknown" {
    if (path.startsWith("/slack/")) return "slack";
    if (path.startsWith("/discord/")) return "discord";
    if (path.startsWith("/teams/")) return "teams";
    if (path.startsWith("/hooks/")) return "webhook";
    if (path.startsWith("/sentry/")) return "sentry";
    return "unknown";
  }

  function parseJson(raw: string, service: Service, res: ServerResponse): Record<string, unknown> | undefined {
    try {
      const value = JSON.parse(raw) as unknown;
      if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // fall through
    }
    self.violations.push(`${service}: body is not a JSON object`);
    if (service === "slack") text(res, 400, "invalid_payload");
    else json(res, 400, { message: "Invalid JSON" });
    return undefined;
  }

  function reject(service: Service, problems: string[], res: ServerResponse): boolean {
    if (problems.length === 0) return false;
    self.violations.push(...problems.map((p) => `${service}: ${p}`));
    if (service === "slack") text(res, 400, "invalid_blocks");
    else if (service === "discord") json(res, 400, { code: 50035, message: "Invalid Form Body", errors: problems });
    else json(res, 400, { error: { code: "InvalidRequestContent", message: problems.join("; ") } });
    return true;
  }

  /** Answers in the service's way; the service's effects happen in `effect`, before the answer. */
  type Handler = (req: IncomingMessage, url: URL, raw: string, res: ServerResponse, effect: (run: () => void) => void) => void;

  const handlers: Record<Service, Handler> = {
    slack(req, url, raw, res, effect) {
      if (url.pathname !== slackPath) return text(res, 404, "no_service");
      if (req.method !== "POST") return text(res, 405, "invalid_method");
      if (!String(req.headers["content-type"]).startsWith("application/json")) self.violations.push("slack: content-type must be application/json");
      const body = parseJson(raw, "slack", res);
      if (!body || reject("slack", slackProblems(body), res)) return;
      effect(() => self.slack.push(body));
      text(res, 200, "ok");
    },
    discord(req, url, raw, res, effect) {
      if (url.pathname !== discordPath) return json(res, 401, { message: "Invalid Webhook Token", code: 50027 });
      if (req.method !== "POST") return json(res, 405, { message: "405: Method Not Allowed", code: 0 });
      const body = parseJson(raw, "discord", res);
      if (!body || reject("discord", discordProblems(body), res)) return;
      const id = String(1_200_000_000_000_000_000n + BigInt(nextId++));
      effect(() => self.discord.push(body));
      if (url.searchParams.get("wait") === "true") json(res, 200, { id, type: 0, channel_id: "1", content: body.content ?? "", embeds: body.embeds ?? [], webhook_id: "1" });
      else {
        res.writeHead(204);
        res.end();
      }
    },
    teams(req, url, raw, res, effect) {
      if (url.pathname !== teamsPath || url.searchParams.get("sig") !== teamsSig) return json(res, 401, { error: { code: "DirectApiAuthorizationRequired", message: "The request must be authenticated" } });
      if (req.method !== "POST") return json(res, 405, { error: { code: "MethodNotAllowed" } });
      const body = parseJson(raw, "teams", res);
      if (!body || reject("teams", teamsProblems(body, raw), res)) return;
      effect(() => self.teams.push(body));
      res.writeHead(202, { "content-length": "0" });
      res.end();
    },
    webhook(req, url, raw, res, effect) {
      if (url.pathname !== webhookPath) return json(res, 404, { error: "unknown hook" });
      if (req.method !== "POST") return json(res, 405, { error: "POST only" });
      const signature = req.headers["x-alchkit-signature"];
      if (!verifySignature(raw, self.webhookSecret, typeof signature === "string" ? signature : undefined)) {
        self.violations.push("webhook: X-Alchkit-Signature does not verify");
        return json(res, 401, { error: "bad signature" });
      }
      const body = parseJson(raw, "webhook", res);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v]));
      if (!body || reject("webhook", webhookProblems(body, headers), res)) return;
      // What the documentation asks receivers to do: process each delivery id once.
      effect(() => {
        if (self.webhook.some((d) => d.body.delivery === body.delivery)) self.webhookRepeats++;
        else self.webhook.push({ body, raw, headers });
      });
      json(res, 202, { received: body.delivery });
    },
    sentry(req, url, raw, res, effect) {
      if (req.headers.authorization !== `Bearer ${self.sentryToken}`) return json(res, 401, { detail: "Invalid token" });
      const m = /^\/sentry\/api\/0\/organizations\/([^/]+)\/releases\/(?:([^/]+)\/deploys\/)?$/.exec(url.pathname);
      if (!m) return json(res, 404, { detail: "The requested resource does not exist" });
      if (decodeURIComponent(m[1]!) !== self.sentryOrg) return json(res, 404, { detail: "The requested resource does not exist" });
      const version = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
      if (version === undefined) {
        if (req.method !== "POST") return json(res, 405, { detail: `Method "${req.method}" not allowed.` });
        const body = parseJson(raw, "sentry", res);
        if (!body) return;
        const problems = [sentryVersionProblem(body.version)].filter((p): p is string => p !== undefined);
        const projects = body.projects;
        if (!Array.isArray(projects) || projects.length === 0) problems.push("projects: required");
        else if (projects.some((p) => !self.sentryProjects.includes(String(p)))) problems.push("projects: Invalid project slugs");
        if (problems.length > 0) {
          self.violations.push(...problems.map((p) => `sentry: ${p}`));
          return json(res, 400, Object.fromEntries(problems.map((p) => [p.split(":")[0], [p.split(": ")[1]]])));
        }
        const existing = self.sentry.releases.get(String(body.version));
        if (existing) return json(res, 208, { version: existing.version, projects: existing.projects.map((slug) => ({ slug })) });
        const release = { version: String(body.version), projects: projects as string[] };
        effect(() => self.sentry.releases.set(release.version, release));
        return json(res, 201, { version: release.version, projects: release.projects.map((slug) => ({ slug })), dateCreated: new Date().toISOString() });
      }
      if (!self.sentry.releases.has(version)) return json(res, 404, { detail: "The requested resource does not exist" });
      const deploys = self.sentry.deploys.get(version) ?? [];
      if (req.method === "GET") return json(res, 200, deploys);
      if (req.method !== "POST") return json(res, 405, { detail: `Method "${req.method}" not allowed.` });
      const body = parseJson(raw, "sentry", res);
      if (!body) return;
      const problem = sentryEnvironmentProblem(body.environment);
      if (problem) {
        self.violations.push(`sentry: ${problem}`);
        return json(res, 400, { environment: [problem] });
      }
      if (body.name !== undefined && (typeof body.name !== "string" || body.name.length > 64)) {
        self.violations.push("sentry: name must be a string of at most 64 characters");
        return json(res, 400, { name: ["Ensure this field has no more than 64 characters."] });
      }
      const deploy: SentryDeploy = {
        id: String(nextId++),
        environment: String(body.environment),
        name: typeof body.name === "string" ? body.name : null,
        url: typeof body.url === "string" ? body.url : null,
        dateStarted: typeof body.dateStarted === "string" ? body.dateStarted : null,
        dateFinished: typeof body.dateFinished === "string" ? body.dateFinished : new Date().toISOString(),
      };
      effect(() => self.sentry.deploys.set(version, [...deploys, deploy]));
      return json(res, 201, deploy);
    },
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", self.baseUrl);
      const service = serviceOf(url.pathname);
      const record = { service, method: req.method ?? "", path: url.pathname };
      if (service === "unknown") {
        self.violations.push(`unknown route ${req.method} ${url.pathname}`);
        self.requests.push({ ...record, status: 404 });
        return json(res, 404, { error: "no such service" });
      }
      const faulty = !plan.services || plan.services.includes(service);
      if (faulty && plan.serverErrors > 0 && random() < plan.serverErrors) {
        const status = [500, 502, 503][Math.floor(random() * 3)]!;
        self.requests.push({ ...record, status });
        return service === "slack" ? text(res, status, "internal_error") : json(res, status, { message: `${status}: Server Error` });
      }
      const cut = faulty && plan.resetAfterProcessing > 0 && random() < plan.resetAfterProcessing;
      let effects: Array<() => void> = [];
      const effect = (run: () => void) => void effects.push(run);
      const realEnd = res.end.bind(res);
      // The service's effects happen before its answer; a cut connection keeps the effects and loses the answer.
      res.end = ((...args: Parameters<typeof res.end>) => {
        for (const run of effects) run();
        effects = [];
        if (cut && res.statusCode >= 200 && res.statusCode < 300) {
          self.requests.push({ ...record, status: "reset" });
          req.socket.destroy();
          return res;
        }
        self.requests.push({ ...record, status: res.statusCode });
        return realEnd(...args);
      }) as typeof res.end;
      handlers[service](req, url, raw, res, effect);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  self.baseUrl = `http://127.0.0.1:${port}`;
  self.urls = {
    slack: `${self.baseUrl}${slackPath}`,
    discord: `${self.baseUrl}${discordPath}`,
    teams: `${self.baseUrl}${teamsPath}?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${teamsSig}`,
    webhook: `${self.baseUrl}${webhookPath}`,
    sentry: `${self.baseUrl}/sentry`,
  };
  return self;
}

/** The environment the kit reads receivers from, pointing at this stand-in. */
export function receiverEnv(stand: ReceiversStandIn): Record<string, string> {
  return {
    SLACK_WEBHOOK_URL: stand.urls.slack,
    DISCORD_WEBHOOK_URL: stand.urls.discord,
    TEAMS_WEBHOOK_URL: stand.urls.teams,
    ALCHKIT_WEBHOOK_URL: stand.urls.webhook,
    ALCHKIT_WEBHOOK_SECRET: stand.webhookSecret,
    SENTRY_AUTH_TOKEN: stand.sentryToken,
    SENTRY_ORG: stand.sentryOrg,
    SENTRY_PROJECT: stand.sentryProjects.join(","),
    SENTRY_URL: stand.urls.sentry,
  };
}
