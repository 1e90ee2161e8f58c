// `alchkit openapi generate|validate|diff|docs` through the CLI runner: outputs, exit codes 0/1/2, and bad input
// named with its location and nothing written.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { commands } from "../../../workflows-lib/cli/commands/index.ts";
import { repoRoot } from "../../harness/run-action.ts";
import { alchkitInProcess } from "../../support/cli.ts";

const printer = `${JSON.stringify(process.execPath)} ${JSON.stringify(join(repoRoot, "test/fixtures/openapi/print-consumer-openapi.ts"))}`;

describe("alchkit openapi", () => {
  let dir: string;
  const cli = async (argv: string[], env: NodeJS.ProcessEnv = { PATH: process.env.PATH }) => {
    const { code, stdout, stderr } = await alchkitInProcess(["openapi", ...argv], { cwd: dir, commands, env, outputs: [dir] });
    return { code, stdout, stderr };
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "alchkit-openapi-cli-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("generate writes JSON or YAML by extension, from a module or a command", async () => {
    const fromModule = await cli(["generate", "--module", join(repoRoot, "test/fixtures/consumer-app/src/app.ts"), "--out", "base.json"]);
    assert.equal(fromModule.code, 0, fromModule.stderr);
    assert.equal(JSON.parse(fromModule.stdout).paths, 3);
    const base = JSON.parse(await readFile(join(dir, "base.json"), "utf8"));
    assert.equal(base.info.title, "consumer-app");

    // The command gets the allow-listed environment: a variable of its own is passed by name.
    const fromCommand = await cli(["generate", "--command", printer, "--out", "specs/head.yaml"], { PATH: process.env.PATH, APP_VARIANT: "breaking", ALCHKIT_PASS_ENV: "APP_VARIANT" });
    assert.equal(fromCommand.code, 0, fromCommand.stderr);
    const head = parseYaml(await readFile(join(dir, "specs/head.yaml"), "utf8"));
    assert.equal(head.info.version, "2.0.0");
    assert.equal(head.paths["/orders/{id}/cancel"], undefined);
  });

  it("generate refuses a missing or doubled source and an unknown extension, writing nothing", async () => {
    const none = await cli(["generate", "--out", "x.json"]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--module\/--url\/--file\/--command: expected exactly one source \(none given\)/);
    const two = await cli(["generate", "--file", "a.json", "--command", "true", "--out", "x.json"]);
    assert.match(two.stderr, /got --file and --command/);
    const ext = await cli(["generate", "--file", "base.json", "--out", "x.txt"]);
    assert.equal(ext.code, 2);
    assert.match(ext.stderr, /--out: expected a file name ending in \.json, \.yaml or \.yml/);
    assert.equal(existsSync(join(dir, "x.json")) || existsSync(join(dir, "x.txt")), false);
  });

  it("diff lists the breaking variant's error-level changes with oasdiff ids and exits 1", async () => {
    const run = await cli(["diff", "base.json", "specs/head.yaml"]);
    assert.equal(run.code, 1, run.stderr);
    const result = JSON.parse(run.stdout) as { changes: { id: string; level: string; method?: string; path?: string }[]; counts: Record<string, number> };
    const errors = result.changes.filter((c) => c.level === "error").map((c) => `${c.id} ${c.method} ${c.path}`);
    for (const expected of [
      "api-path-removed-without-deprecation POST /orders/{id}/cancel",
      "new-required-request-property POST /orders",
      "response-required-property-removed GET /orders/{id}",
    ]) {
      assert.ok(errors.includes(expected), `${expected} in ${errors.join("; ")}`);
    }
    assert.equal(result.counts.error, errors.length);
    const never = await cli(["diff", "base.json", "specs/head.yaml", "--fail-on", "never", "--format", "markdown"]);
    assert.equal(never.code, 0);
    assert.match(never.stdout, /Breaking changes/);
    const same = await cli(["diff", "base.json", "base.json", "--format", "text"]);
    assert.equal(same.code, 0);
  });

  it("diff applies an ignore list; every breaking change ignored passes", async () => {
    const all = JSON.parse((await cli(["diff", "base.json", "specs/head.yaml"])).stdout) as { changes: { id: string; method: string; path: string }[] };
    const list = all.changes.map((c) => `- id: ${c.id}\n  operation: ${c.method} ${c.path}\n  reason: version 2 of the API\n`).join("");
    await writeFile(join(dir, "ignore.yaml"), list);
    const run = await cli(["diff", "base.json", "specs/head.yaml", "--ignore", "ignore.yaml"]);
    assert.equal(run.code, 0, run.stdout);
    const result = JSON.parse(run.stdout) as { changes: unknown[]; ignored: { reason: string }[] };
    assert.equal(result.changes.length, 0);
    assert.equal(result.ignored.length, all.changes.length);
    assert.equal(result.ignored[0]?.reason, "version 2 of the API");
    const bad = await cli(["diff", "base.json", "specs/head.yaml", "--ignore", "nope.yaml"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--ignore: expected a readable ignore list file \(nope\.yaml: no such file\)/);
  });

  it("bad input exits 2 with the location: YAML syntax, unresolvable $ref, not a spec, unreadable file", async () => {
    await writeFile(join(dir, "syntax.yaml"), "openapi: 3.1.0\ninfo:\n  title: [x\n");
    await writeFile(join(dir, "ref.json"), JSON.stringify({ openapi: "3.1.0", info: { title: "x", version: "1" }, components: { schemas: { A: { $ref: "#/components/schemas/B" } } } }, null, 2));
    await writeFile(join(dir, "not-a-spec.json"), '{"hello": "world"}');
    const cases: [string[], RegExp][] = [
      [["diff", "syntax.yaml", "base.json"], /syntax\.yaml:\d+:\d+: expected valid YAML/],
      [["validate", "ref.json"], /ref\.json:10:17: expected a \$ref that resolves \(\$ref at \/components\/schemas\/A\/\$ref: "#\/components\/schemas\/B"/],
      [["diff", "base.json", "not-a-spec.json"], /not-a-spec\.json: expected an OpenAPI 3\.0 or 3\.1 description \(no "openapi" version field/],
      [["docs", "missing.json", "--out", "site"], /missing\.json: expected a readable file \(no such file\)/],
    ];
    for (const [argv, pattern] of cases) {
      const run = await cli(argv);
      assert.equal(run.code, 2, `${argv.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, pattern);
      assert.equal(run.stdout, "");
    }
    assert.equal(existsSync(join(dir, "site")), false);
  });

  it("validate exits 0 for a valid description and 1 with pointers and lines for an invalid one", async () => {
    const ok = await cli(["validate", "base.json"]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /base\.json: valid OpenAPI 3\.1\.0 \(3 paths, 4 operations, \d+ schemas\)/);
    await writeFile(join(dir, "invalid.yaml"), "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {}\n      summary: 3\n");
    const bad = await cli(["validate", "invalid.yaml", "--format", "json"]);
    assert.equal(bad.code, 1);
    const report = JSON.parse(bad.stdout) as { valid: boolean; errors: { pointer: string; location?: { line: number } }[] };
    assert.equal(report.valid, false);
    const summary = report.errors.find((e) => e.pointer === "/paths/~1a/get/summary");
    assert.ok(summary, JSON.stringify(report.errors));
    assert.equal(summary.location?.line, 7);
  });

  it("docs writes an offline site and refuses to replace an unrelated folder", async () => {
    const run = await cli(["docs", "base.json", "--out", "site/api"]);
    assert.equal(run.code, 0, run.stderr);
    const files = (await readdir(join(dir, "site/api"), { recursive: true })).sort();
    assert.deepEqual(files, [
      "assets", "assets/LICENSE", "assets/NOTICE", "assets/favicon-16x16.png", "assets/favicon-32x32.png", "assets/swagger-ui-bundle.js",
      "assets/swagger-ui.css", "index.html", "init.js", "openapi.js", "openapi.json",
    ]);
    const html = await readFile(join(dir, "site/api/index.html"), "utf8");
    assert.doesNotMatch(html, /https?:\/\/(?!www\.w3)/, "no remote asset");
    assert.match(html, /<title>consumer-app 1\.0\.0 — API reference<\/title>/);
    assert.equal(JSON.parse(await readFile(join(dir, "site/api/openapi.json"), "utf8")).openapi, "3.1.0");
    const again = await cli(["docs", "base.json", "--out", "site/api", "--title", "Orders"]);
    assert.equal(again.code, 0, "a site written before is replaced");
    await mkdir(join(dir, "src"));
    await writeFile(join(dir, "src/keep.ts"), "export {};\n");
    const refused = await cli(["docs", "base.json", "--out", "src"]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--out: expected an empty or new folder, or one holding an API reference written before \(src holds other files\)/);
    assert.equal(await readFile(join(dir, "src/keep.ts"), "utf8"), "export {};\n");
  });
});
