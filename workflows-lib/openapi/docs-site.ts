import type { OpenAPIDocument } from "./load-spec.ts";

/** One file of the reference site: text we write, or a file copied from the swagger-ui-dist package. */
export type DocsSiteFile = { path: string; text: string } | { path: string; copyOf: string };

/** Files of swagger-ui-dist the page needs (its license travels with it). */
export const SWAGGER_UI_ASSETS = ["swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png", "favicon-16x16.png", "LICENSE", "NOTICE"] as const;

export interface DocsSiteOptions {
  /** Page title; default: the description's `info.title` + " API reference". */
  title?: string;
}

/**
 * Plans a static, offline API reference: Swagger UI from npm (no CDN), the description embedded in a script
 * so the page also works opened from disk (file:// forbids fetching openapi.json), and openapi.json beside it
 * for download. Every path is relative, so the folder can be served from any base path (GitHub Pages).
 */
export function planDocsSite(document: OpenAPIDocument, options: DocsSiteOptions = {}): DocsSiteFile[] {
  const info = (document.info ?? {}) as { title?: unknown; version?: unknown };
  const apiTitle = typeof info.title === "string" && info.title !== "" ? info.title : "API";
  const version = typeof info.version === "string" ? ` ${info.version}` : "";
  const title = options.title ?? `${apiTitle}${version} — API reference`;
  const json = JSON.stringify(document, null, 2);
  return [
    { path: "index.html", text: indexHtml(title) },
    { path: "openapi.json", text: `${json}\n` },
    // Inside a script, "</" could end an inline block and U+2028/9 were line breaks before ES2019: escape them.
    { path: "openapi.js", text: `window.ALCHKIT_OPENAPI = ${escapeForScript(JSON.stringify(document))};\n` },
    { path: "init.js", text: INIT_JS },
    ...SWAGGER_UI_ASSETS.map((name) => ({ path: `assets/${name}`, copyOf: name })),
  ];
}

function indexHtml(title: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
    <link rel="stylesheet" href="assets/swagger-ui.css">
    <link rel="icon" type="image/png" href="assets/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="assets/favicon-16x16.png" sizes="16x16">
    <style>body { margin: 0; } .download { font: 14px sans-serif; padding: 8px 20px; }</style>
  </head>
  <body>
    <noscript>This API reference needs JavaScript. The description itself is in <a href="openapi.json">openapi.json</a>.</noscript>
    <div class="download"><a href="openapi.json" download>Download openapi.json</a></div>
    <div id="swagger-ui"></div>
    <script src="assets/swagger-ui-bundle.js"></script>
    <script src="openapi.js"></script>
    <script src="init.js"></script>
  </body>
</html>
`;
}

const INIT_JS = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    spec: window.ALCHKIT_OPENAPI,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // No call to the public validator badge service: the page stays offline.
    validatorUrl: null,
    docExpansion: "list",
    defaultModelsExpandDepth: 1
  });
});
`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function escapeForScript(json: string): string {
  return json.replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
