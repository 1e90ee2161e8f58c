import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../../../workflows-lib/errors.ts";
import { bundleExternalRefs, nodeSpecReader } from "../../../workflows-lib/openapi/adapters/node-ports.ts";
import { loadSpecFile, loadSpecText, loadSpecValue } from "../../../workflows-lib/openapi/load-spec.ts";

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "alchkit-openapi-load-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function inputError(pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  };
}

const load = (path: string) => loadSpecFile(path, nodeSpecReader, bundleExternalRefs);

test("a YAML syntax error names file, line and column", async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, "openapi.yaml");
  await writeFile(file, "openapi: 3.1.0\ninfo:\n  title: [x,\n  version: 1\npaths: {}\n");
  await assert.rejects(load(file), inputError(new RegExp(`^${file}:\\d+:\\d+: expected valid YAML`)));
});

test("a JSON syntax error names file, line and column", async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, "openapi.json");
  await writeFile(file, '{\n  "openapi": "3.1.0",\n  "info": {,\n}');
  await assert.rejects(load(file), inputError(new RegExp(`^${file}:3:12: expected valid JSON`)));
});

test("documents that are not OpenAPI 3.0/3.1 are refused with what was found", () => {
  assert.throws(() => loadSpecText("[1, 2]", "list.json"), inputError(/list\.json: expected an OpenAPI 3\.0 or 3\.1 description \(found an array\)/));
  assert.throws(() => loadSpecText('{"swagger": "2.0"}', "old.json"), inputError(/found Swagger 2\.0/));
  assert.throws(() => loadSpecText("title: hello\n", "x.yaml"), inputError(/no "openapi" version field/));
  assert.throws(() => loadSpecText('{"openapi": "4.0.0"}', "x.json"), inputError(/"openapi" is "4\.0\.0"/));
});

test("an unreadable file is an InputError naming it", async (t) => {
  const dir = await tempDir(t);
  await assert.rejects(load(join(dir, "missing.yaml")), inputError(/missing\.yaml: expected a readable file \(no such file\)/));
  await assert.rejects(load(dir), inputError(/expected a readable file \(a directory\)/));
});

test("an unresolvable $ref reports the JSON pointer and line of the $ref", async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, "openapi.yaml");
  await writeFile(
    file,
    [
      "openapi: 3.0.3",
      "info: { title: Orders, version: '1' }",
      "paths:",
      "  /orders:",
      "    get:",
      "      responses:",
      "        default:",
      "          $ref: '#/components/responses/Oops'",
      "components:",
      "  responses: {}",
      "",
    ].join("\n"),
  );
  await assert.rejects(
    load(file),
    inputError(
      new RegExp(`^${file}:8:17: expected a \\$ref that resolves \\(\\$ref at /paths/~1orders/get/responses/default/\\$ref: "#/components/responses/Oops": /components/responses has no member "Oops"\\)`),
    ),
  );
});

test("$refs inside examples, defaults and extensions are data, not references", () => {
  const spec = loadSpecText(
    JSON.stringify({
      openapi: "3.1.0",
      info: { title: "x", version: "1" },
      paths: {},
      components: {
        schemas: {
          Doc: { type: "object", example: { $ref: "#/nowhere" }, default: { $ref: "#/nowhere" }, "x-note": { $ref: "#/nowhere" } },
          // A property called `default` is a schema, so its $ref is checked.
          Holder: { properties: { default: { $ref: "#/components/schemas/Doc" } } },
        },
        examples: { One: { value: { $ref: "#/nowhere" } } },
      },
    }),
    "spec.json",
  );
  assert.equal(spec.version, "3.1.0");
  assert.throws(
    () => loadSpecText(JSON.stringify({ openapi: "3.1.0", info: {}, components: { schemas: { H: { properties: { default: { $ref: "#/nowhere" } } } } } }), "s.json"),
    inputError(/\$ref at \/components\/schemas\/H\/properties\/default\/\$ref/),
  );
});

test("external file $refs are checked and bundled into one document", async (t) => {
  const dir = await tempDir(t);
  await writeFile(
    join(dir, "openapi.yaml"),
    [
      "openapi: 3.1.0",
      "info: { title: Orders, version: '1' }",
      "paths:",
      "  /orders:",
      "    get:",
      "      responses:",
      "        '200':",
      "          description: ok",
      "          content:",
      "            application/json:",
      "              schema: { $ref: 'schemas/order.yaml#/Order' }",
      "",
    ].join("\n"),
  );
  const { mkdir } = await import("node:fs/promises");
  await mkdir(join(dir, "schemas"));
  await writeFile(join(dir, "schemas", "order.yaml"), "Order:\n  type: object\n  properties:\n    id: { type: string }\n");
  const spec = await load(join(dir, "openapi.yaml"));
  const text = JSON.stringify(spec.document);
  assert.doesNotMatch(text, /order\.yaml/, "no external reference is left");
  assert.match(text, /"id":\{"type":"string"\}/);

  await writeFile(join(dir, "schemas", "order.yaml"), "Other: {}\n");
  await assert.rejects(load(join(dir, "openapi.yaml")), inputError(/openapi\.yaml:11:31: expected a \$ref that resolves .*"schemas\/order\.yaml#\/Order": \/ has no member "Order"/));
  await writeFile(join(dir, "openapi.yaml"), "openapi: 3.1.0\ninfo: {title: x, version: '1'}\ncomponents:\n  schemas:\n    A: { $ref: 'gone.yaml#/A' }\n");
  await assert.rejects(load(join(dir, "openapi.yaml")), inputError(/openapi\.yaml:5:16: expected a \$ref to a readable file/));
});

test("each $ref is checked where it stands, however many point at the same target", () => {
  const pet = { $ref: "#/components/schemas/Pet" };
  const spec = (extra: Record<string, unknown>) => JSON.stringify({
    openapi: "3.1.0",
    info: { title: "x", version: "1" },
    paths: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`/p${i}`, { get: { responses: { 200: { description: "ok", content: { "application/json": { schema: pet } } } } } }])),
    components: { schemas: { Pet: { $anchor: "pet", type: "object" }, ...extra } },
  });
  assert.equal(loadSpecText(spec({ ByAnchor: { $ref: "#pet" }, Again: { $ref: "#pet" } }), "s.json").version, "3.1.0");
  // A target resolved for fifty $refs does not excuse a neighbour that misses, nor one document the next.
  assert.throws(() => loadSpecText(spec({ Typo: { $ref: "#/components/schemas/Pets" } }), "s.json"), inputError(/\$ref at \/components\/schemas\/Typo\/\$ref: "#\/components\/schemas\/Pets": \/components\/schemas has no member "Pets"/));
  assert.throws(() => loadSpecText(spec({ Lost: { $ref: "#pets" } }), "s.json"), inputError(/\$ref at \/components\/schemas\/Lost\/\$ref: "#pets": no schema has \$anchor "pets"/));
  assert.throws(
    () => loadSpecText(JSON.stringify({ openapi: "3.1.0", info: {}, paths: { "/a": { get: { responses: { 200: pet } } } }, components: { schemas: {} } }), "t.json"),
    inputError(/^t\.json:1:\d+: expected a \$ref that resolves .*has no member "Pet"/),
  );
});

test("a description that did not come from a file may not use external $refs", () => {
  assert.throws(
    () => loadSpecText('{"openapi":"3.1.0","info":{},"components":{"schemas":{"A":{"$ref":"other.json#/A"}}}}', "http://127.0.0.1/openapi.json"),
    inputError(/only internal \$refs/),
  );
  assert.throws(() => loadSpecValue({ openapi: "3.1.0", components: { schemas: { A: { $ref: "#/components/schemas/B" } } } }, "app"), inputError(/app: expected a \$ref that resolves/));
});
