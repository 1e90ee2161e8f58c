// actions/openapi through the runner harness and the GitHub stand-in: the example app's breaking variant makes
// error-level changes that fail the check with one sticky comment (breaking changes first); the override label
// passes; re-runs edit the same comment; the preview flow reads /openapi.json from the running app.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { parse as parseYaml } from "yaml";
import { assertNoViolations, startGitHubStandIn, type GitHubStandIn } from "../../github/index.ts";
import { repoRoot, runActionDist } from "../../harness/run-action.ts";
import { pullRequestEvent } from "../../support/pr-event.ts";

const consumerApp = join(repoRoot, "test/fixtures/consumer-app");
const EXPECTED_ERRORS = [
  "api-path-removed-without-deprecation",
  "new-required-request-property",
  "response-required-property-removed",
];

/**
 * A workspace as the reusable workflow lays it out: the PR's checkout at the root and the base commit's
 * checkout in `base/`. The PR ships the app's breaking variant as its default export.
 */
async function workspace(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "alchkit-openapi-action-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  for (const side of [dir, join(dir, "base")]) {
    await cp(join(consumerApp, "src"), join(side, "src"), { recursive: true });
    await cp(join(consumerApp, "package.json"), join(side, "package.json"));
    await symlink(join(repoRoot, "node_modules"), join(side, "node_modules"), "dir");
  }
  const app = join(dir, "src/app.ts");
  const source = await readFile(app, "utf8");
  assert.match(source, /export const app = createApp\("standard"\);/);
  await writeFile(app, source.replace('export const app = createApp("standard");', 'export const app = createApp("breaking");'));
  return dir;
}

async function standIn(t: { after(fn: () => Promise<void>): void }): Promise<GitHubStandIn> {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  return gh;
}

const comments = (gh: GitHubStandIn) => [...gh.state.repo("octo/app")!.comments.values()] as Array<{ id: number; body: string }>;

test("the breaking variant fails the check with the breaking changes first in one sticky comment; the label passes it", async (t) => {
  const [gh, ws] = await Promise.all([standIn(t), workspace(t)]);
  const inputs = { module: "src/app.ts", "base-dir": "base", "spec-output": "out/openapi.yaml", "docs-dir": "out/api-docs" };
  const run = (labels: string[] = []) =>
    runActionDist({ action: "openapi", inputs, workspace: ws, event: pullRequestEvent(gh, { labels }), github: { url: gh.url, token: gh.token } });

  const first = await run();
  assert.equal(first.exitCode, 1, first.log);
  assert.equal(first.outputs.gate, "failed");
  assert.equal(first.outputs.valid, "true");
  const errors = Number(first.outputs.errors);
  assert.ok(errors >= EXPECTED_ERRORS.length, first.outputs.errors);
  assert.equal(first.outputs.breaking, String(errors));
  assert.ok(first.annotations.some((a) => a.level === "error" && /OpenAPI check failed: \d+ changes at or above error level; add the label "api-breaking-ok"/.test(a.message)));
  for (const id of EXPECTED_ERRORS) {
    assert.ok(first.annotations.some((a) => a.level === "error" && a.properties.title?.startsWith(id)), `annotation for ${id}`);
  }

  const [comment] = comments(gh);
  assert.equal(comments(gh).length, 1);
  assert.match(comment!.body, /^<!-- alchkit:sticky:openapi -->/);
  assert.match(comment!.body, /❌ \*\*\d+ breaking changes\*\* at or above `error` level\. If they are intended, add the label `api-breaking-ok`/);
  const breakingAt = comment!.body.indexOf("Breaking changes (");
  assert.ok(breakingAt > 0, comment!.body);
  for (const id of EXPECTED_ERRORS) {
    const at = comment!.body.indexOf(`\`${id}\``);
    assert.ok(at > breakingAt, `${id} is listed under the breaking changes`);
  }
  assert.match(comment!.body, /POST `\/orders\/\{id\}\/cancel`/);
  assert.match(comment!.body, /OpenAPI 3\.1\.0 · 2 paths, 3 operations/);
  assert.equal(first.summary.trim(), comment!.body.replace(/^<!-- alchkit:sticky:openapi -->\n/, "").trim());

  // The artifacts the workflow uploads: both normalized descriptions and the docs site.
  const head = parseYaml(await readFile(join(ws, "out/openapi.yaml"), "utf8"));
  const base = parseYaml(await readFile(join(ws, "out/base.openapi.yaml"), "utf8"));
  assert.equal(head.paths["/orders/{id}/cancel"], undefined);
  assert.ok(base.paths["/orders/{id}/cancel"]);
  assert.equal(first.outputs.spec, join(ws, "out/openapi.yaml"));
  assert.match(await readFile(join(ws, "out/api-docs/index.html"), "utf8"), /assets\/swagger-ui-bundle\.js/);
  assert.ok((await readFile(join(ws, "out/api-docs/assets/swagger-ui-bundle.js"))).length > 100_000, "Swagger UI travels with the action");

  // A re-run converges on the same comment.
  const again = await run();
  assert.equal(again.exitCode, 1);
  assert.equal(again.outputs["comment-url"], first.outputs["comment-url"]);
  assert.equal(comments(gh).length, 1);

  // The label accepts the changes: the check passes and the same comment says so.
  const labelled = await run(["api-breaking-ok"]);
  assert.equal(labelled.exitCode, 0, labelled.log);
  assert.equal(labelled.outputs.gate, "overridden");
  assert.equal(labelled.outputs.errors, String(errors));
  assert.equal(comments(gh).length, 1);
  assert.match(comments(gh)[0]!.body, /⚠️ \*\*\d+ breaking changes accepted\*\* with the label `api-breaking-ok`/);
  assert.equal(gh.calls.count("issues/create-comment"), 1);
  assert.ok(gh.calls.count("issues/update-comment") >= 1);
  assertNoViolations(gh);
});

test("a custom override label and an ignore list with reasons", async (t) => {
  const [gh, ws] = await Promise.all([standIn(t), workspace(t)]);
  await writeFile(
    join(ws, "openapi-ignore.yaml"),
    EXPECTED_ERRORS.map((id) => `- id: ${id}\n  reason: orders API v2, clients migrated\n`).join(""),
  );
  const run = await runActionDist({
    action: "openapi",
    inputs: { module: "src/app.ts", "base-dir": "base", ignore: "openapi-ignore.yaml", "override-label": "breaking-approved", "spec-output": "out/openapi.json" },
    workspace: ws,
    event: pullRequestEvent(gh, { labels: ["api-breaking-ok"] }),
    github: { url: gh.url, token: gh.token },
  });
  assert.equal(run.exitCode, 0, run.log);
  assert.equal(run.outputs.errors, "0");
  assert.equal(run.outputs.gate, "passed");
  const body = comments(gh)[0]!.body;
  assert.match(body, /✅ \*\*No breaking API changes\.\*\*/);
  assert.match(body, /Ignored by the ignore list \(\d+\)/);
  assert.match(body, /orders API v2, clients migrated/);
  assertNoViolations(gh);
});

test("the preview flow: /openapi.json of the running app with APP_VARIANT=breaking against the base deployment", async (t) => {
  const gh = await standIn(t);
  const ws = await mkdtemp(join(tmpdir(), "alchkit-openapi-action-url-"));
  t.after(() => rm(ws, { recursive: true, force: true }));
  // The Worker's own fetch handler, given the APP_VARIANT binding each deployment has.
  const worker = (await import(pathToFileURL(join(consumerApp, "src/worker.ts")).href)) as {
    default: { fetch(request: Request, env: Record<string, string>, ctx: unknown): Promise<Response> | Response };
  };
  const serve = async (variant: string) => {
    const server = createServer(async (req, res) => {
      const response = await worker.default.fetch(new Request(`http://127.0.0.1${req.url}`), { APP_VARIANT: variant, BUILD_ID: "test" }, { waitUntil() {}, passThroughOnException() {} });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    t.after(() => new Promise<void>((r) => server.close(() => r())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/openapi.json`;
  };
  const [preview, production] = await Promise.all([serve("breaking"), serve("standard")]);
  const run = (inputs: Record<string, string>, labels: string[] = []) =>
    runActionDist({
      action: "openapi",
      inputs: { url: preview, "base-url": production, "spec-output": "openapi.json", ...inputs },
      workspace: ws,
      event: pullRequestEvent(gh, { labels }),
      github: { url: gh.url, token: gh.token },
    });
  const first = await run({});
  assert.equal(first.exitCode, 1, first.log);
  const body = comments(gh)[0]!.body;
  const breakingAt = body.indexOf("Breaking changes (");
  for (const id of EXPECTED_ERRORS) assert.ok(body.indexOf(`\`${id}\``) > breakingAt && breakingAt > 0, id);
  assert.equal(JSON.parse(await readFile(join(ws, "openapi.json"), "utf8")).info.version, "2.0.0");

  // comment: false leaves the comment alone (the summary still has the report).
  const quiet = await run({ comment: "false" }, ["api-breaking-ok"]);
  assert.equal(quiet.exitCode, 0, quiet.log);
  assert.match(quiet.summary, /accepted\*\* with the label `api-breaking-ok`/);
  assert.equal(comments(gh).length, 1);
  assert.equal(comments(gh)[0]!.body, body);
  assertNoViolations(gh);
});

test("bad input is one error naming the input; an invalid description fails with its pointers", async (t) => {
  const gh = await standIn(t);
  const ws = await mkdtemp(join(tmpdir(), "alchkit-openapi-action-bad-"));
  t.after(() => rm(ws, { recursive: true, force: true }));
  const both = await runActionDist({ action: "openapi", inputs: { file: "a.yaml", command: "true" }, workspace: ws, event: pullRequestEvent(gh), github: { url: gh.url, token: gh.token } });
  assert.equal(both.exitCode, 1);
  assert.deepEqual(both.annotations.filter((a) => a.level === "error").map((a) => a.message), ["Input module: expected exactly one of module, url, file or command (got file and command)"]);

  await mkdir(join(ws, "api"));
  await writeFile(join(ws, "api/broken.yaml"), "openapi: 3.1.0\ninfo:\n  title: x\n  version: '1'\npaths:\n  /a:\n    get:\n      responses:\n        '200': {}\n");
  const invalid = await runActionDist({
    action: "openapi",
    inputs: { file: "broken.yaml", "working-directory": "api", "spec-output": "o.json" },
    workspace: ws,
    event: pullRequestEvent(gh),
    github: { url: gh.url, token: gh.token },
  });
  assert.equal(invalid.exitCode, 1);
  assert.equal(invalid.outputs.valid, "false");
  assert.ok(invalid.annotations.some((a) => a.level === "error" && a.properties.file === "api/broken.yaml" && a.properties.line === "9" && /description/.test(a.message)), JSON.stringify(invalid.annotations));
  assert.match(comments(gh)[0]!.body, /The OpenAPI description of this pull request is invalid/);
  assert.match(comments(gh)[0]!.body, /`\/paths\/~1a\/get\/responses\/200` \(line 9\)/);

  await writeFile(join(ws, "ref.yaml"), "openapi: 3.1.0\ninfo: {title: x, version: '1'}\ncomponents:\n  schemas:\n    A: { $ref: '#/components/schemas/B' }\n");
  const ref = await runActionDist({ action: "openapi", inputs: { file: "ref.yaml" }, workspace: ws, event: pullRequestEvent(gh), github: { url: gh.url, token: gh.token } });
  assert.equal(ref.exitCode, 1);
  assert.match(ref.annotations.find((a) => a.level === "error")!.message, /ref\.yaml:5:16: expected a \$ref that resolves/);
  // The earlier report is replaced: a stale verdict must not stand beside a failed run.
  assert.equal(comments(gh).length, 1);
  assert.match(comments(gh)[0]!.body, /The OpenAPI check could not run\*\*: the description could not be generated or read\.\n\n```\nref\.yaml:5:16: expected a \$ref that resolves/);
  assertNoViolations(gh);
});
