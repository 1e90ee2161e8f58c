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
  /**
   * Changes to the template's own files, each inserting the kit's lines into Alchemy's code (see `insertAfter`),
   * so the rest of the file stays exactly as the installed Alchemy ships it.
   */
  edits?: Record<string, (text: string) => string>;
  /**
   * Version ranges written over the template's for dependencies it already has: the releases the template's
   * code (with the edits above) needs, where its own range also admits older ones that cannot run it.
   */
  ranges?: Record<string, string>;
  /** A static asset the template serves (websites), checked after a local preview; absent for an API Worker. */
  assetPath?: string;
  /** Packages installed from the registry (not in the kit): a test can run the app only after a real install. */
  needsInstall: boolean;
  /** Where the health probe and the OpenAPI check look. */
  healthPath: string;
  openapiPath: string;
}

const healthPath = {
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
};

/** One OpenAPI 3.1 description of the starter API: `/health` and the template's own API route, nothing else. */
const openapiModule = (paths: Record<string, unknown>) => `// The API's OpenAPI description, served at /openapi.json: alchkit's OpenAPI check diffs it between
// the main branch and a pull request. Describe each route you add here (or generate it: docs/openapi.md).
export const openapi = ${JSON.stringify({ openapi: "3.1.0", info: { title: "{projectName}", version: "0.1.0" }, paths: { "/health": healthPath, ...paths } }, null, 2)} as const;
`;

const kvPath = {
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
};

/** The vite template's API Worker answers every `/api/` path with the same JSON. */
const viteApiPath = {
  get: {
    operationId: "name",
    summary: "The API Worker's greeting (any path under /api/ answers it)",
    responses: {
      "200": {
        description: "A name",
        content: { "application/json": { schema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] } } },
      },
    },
  },
};

/** The react-router template's page, rendered by the Worker (server-side rendering). */
const homePath = {
  get: {
    operationId: "home",
    summary: "The home page, rendered on the server",
    responses: { "200": { description: "The page", content: { "text/html": { schema: { type: "string" } } } } },
  },
};

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

/**
 * Inserts `lines` after the first occurrence of `anchor` in one of the template's files. A template whose file
 * no longer has the anchor (a new Alchemy release changed it) is a defect of the kit, said with the file and the
 * text it looked for, never a half-edited app.
 */
export function insertAfter(file: string, anchor: string, lines: string): (text: string) => string {
  return replaceOnce(file, anchor, `${anchor}${lines}`);
}

/** Replaces the first occurrence of `anchor` in one of the template's files; absent, the same defect as above. */
export function replaceOnce(file: string, anchor: string, replacement: string): (text: string) => string {
  return (text) => {
    const at = text.indexOf(anchor);
    if (at < 0) throw new Error(`Alchemy's template changed: ${file} has no ${JSON.stringify(anchor)} for alchkit create to edit; this alchkit release does not support the installed alchemy's template.`);
    return `${text.slice(0, at)}${replacement}${text.slice(at + anchor.length)}`;
  };
}

const prepend = (lines: string) => (text: string) => `${lines}${text}`;
const both = (...edits: Array<(text: string) => string>) => (text: string) => edits.reduce((t, edit) => edit(t), text);

/**
 * Vite (the vite and react-router templates run `vite dev`, the Worker on workerd inside it) listens on the port
 * alchkit's local runs pick for the stage, and fails rather than take another one.
 */
const viteDevPort = insertAfter(
  "vite.config.ts",
  "export default defineConfig({\n",
  `  // alchkit's local runs pass the port they picked for the stage (stable across re-runs); elsewhere it is unset.
  ...(Number(process.env.ALCHKIT_DEV_PORT) > 0 ? { server: { port: Number(process.env.ALCHKIT_DEV_PORT), strictPort: true } } : {}),
`,
);

/** The kit's two routes, answered before the template's own: `url` is a URL of the request. */
const kitRoutes = (indent: string) => `${indent}// Probed by alchkit after every deploy (preview, staging, production): 200 means the Worker serves.
${indent}if (url.pathname === "/health") return Response.json({ ok: true });
${indent}if (url.pathname === "/openapi.json") return Response.json(openapi);
`;

export const STARTERS: Record<string, Starter> = {
  hono: {
    template: "hono",
    description: "an API Worker with KV, on Hono",
    overlay: { "src/index.ts": honoWorker, "src/openapi.ts": openapiModule({ "/kv": kvPath }), "alchemy.run.ts": honoEntry },
    healthPath: "/health",
    openapiPath: "/openapi.json",
    needsInstall: false,
  },
  vite: {
    template: "vite",
    description: "a Vite + React website with static assets and an API Worker",
    overlay: { "src/openapi.ts": openapiModule({ "/api/": viteApiPath }) },
    edits: {
      "vite.config.ts": viteDevPort,
      "src/worker.ts": both(prepend(`import { openapi } from "./openapi.ts";\n\n`), insertAfter("src/worker.ts", "const url = new URL(request.url);\n", `\n${kitRoutes("    ")}`)),
    },
    assetPath: "/vite.svg",
    healthPath: "/health",
    openapiPath: "/openapi.json",
    needsInstall: true,
  },
  "react-router": {
    template: "react-router",
    description: "a React Router website rendered on a Worker, with static assets",
    overlay: { "workers/openapi.ts": openapiModule({ "/": homePath }) },
    edits: {
      "vite.config.ts": viteDevPort,
      // Alchemy 0.94's template names the flag React Router 7.10 stabilized and now refuses by its old name
      // ("The `future.unstable_viteEnvironmentApi` flag has been stabilized as `future.v8_viteEnvironmentApi`").
      "react-router.config.ts": replaceOnce("react-router.config.ts", "unstable_viteEnvironmentApi: true", "v8_viteEnvironmentApi: true"),
      "workers/app.ts": both(
        prepend(`import { openapi } from "./openapi.ts";\n`),
        insertAfter("workers/app.ts", "async fetch(request: Request, env: Env, ctx: ExecutionContext) {\n", `    const url = new URL(request.url);\n${kitRoutes("    ")}`),
      ),
    },
    ranges: { "react-router": "^7.10.0", "@react-router/dev": "^7.10.0" },
    assetPath: "/favicon.ico",
    healthPath: "/health",
    openapiPath: "/openapi.json",
    needsInstall: true,
  },
};

export const STARTER_NAMES = Object.keys(STARTERS);
