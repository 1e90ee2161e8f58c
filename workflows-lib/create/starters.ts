/**
 * What `alchkit create` adds to each of Alchemy's templates it offers, so the new app is one the whole pipeline
 * can run on from its first commit: a `/health` route, an OpenAPI description served at `/openapi.json`, and
 * `alchemy.run.ts` handing the Worker the port alchkit picked (`ALCHKIT_DEV_PORT`, see docs/local.md).
 * The files of the template that are not named here are Alchemy's, as `alchemy create` writes them.
 */
import type { AppFiles } from "../app-templates/instantiate.ts";

export interface Starter {
  /** The folder under the `alchemy` package's templates/. */
  template: string;
  description: string;
  /** Files written over the template's (`{projectName}` is replaced by the app's name). */
  overlay: AppFiles;
  /** Where the health probe and the OpenAPI check look. */
  healthPath: string;
  openapiPath: string;
}

/** One OpenAPI 3.1 description of the starter API: the routes the Worker serves, nothing else. */
const openapiModule = `// The API's OpenAPI description, served at /openapi.json: alchkit's OpenAPI check diffs it between
// the main branch and a pull request. Describe each route you add here (or generate it: docs/openapi.md).
export const openapi = {
  openapi: "3.1.0",
  info: { title: "{projectName}", version: "0.1.0" },
  paths: {
    "/health": {
      get: {
        operationId: "health",
        summary: "Liveness: 200 while the Worker serves",
        responses: {
          "200": {
            description: "Healthy",
            content: { "application/json": { schema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] } } },
          },
        },
      },
    },
    "/kv": {
      get: {
        operationId: "kvRoundTrip",
        summary: "Writes a value to KV and reads it back",
        responses: {
          "200": {
            description: "The value read back",
            content: { "application/json": { schema: { type: "object", properties: { key: { type: "string" }, value: { type: ["string", "null"] } }, required: ["key", "value"] } } },
          },
        },
      },
    },
  },
} as const;
`;

const honoWorker = `import { Hono } from "hono";
import { openapi } from "./openapi.ts";

const app = new Hono<{ Bindings: Env }>();

app.get("/", (c) => {
  return c.text("Hello Hono!");
});

// Probed by alchkit after every deploy (preview, staging, production): 200 means the Worker serves.
app.get("/health", (c) => c.json({ ok: true }));

app.get("/openapi.json", (c) => c.json(openapi));

app.get("/kv", async (c) => {
  const key = "hello";
  const value = \`world@\${Date.now()}\`;
  await c.env.KV.put(key, value);
  const got = await c.env.KV.get(key);
  return c.json({ key, value: got });
});

export default app;
`;

const honoEntry = `import alchemy from "alchemy";
import { KVNamespace, Worker } from "alchemy/cloudflare";

const app = await alchemy("{projectName}");

// No fixed title: Alchemy names it per stage, so a preview never writes to production's namespace.
const kv = await KVNamespace("kv");

// alchkit's local runs pass the port they picked for the stage (stable across re-runs); elsewhere it is unset.
const devPort = Number(process.env.ALCHKIT_DEV_PORT);

export const worker = await Worker("worker", {
  entrypoint: "src/index.ts",
  bindings: {
    KV: kv,
  },
  ...(Number.isInteger(devPort) && devPort > 0 ? { dev: { port: devPort } } : {}),
});

console.log(worker.url);

await app.finalize();
`;

export const STARTERS: Record<string, Starter> = {
  hono: {
    template: "hono",
    description: "an API Worker (Hono) with KV",
    overlay: { "src/index.ts": honoWorker, "src/openapi.ts": openapiModule, "alchemy.run.ts": honoEntry },
    healthPath: "/health",
    openapiPath: "/openapi.json",
  },
};

export const STARTER_NAMES = Object.keys(STARTERS);
