import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "yaml";
import { normalizeSpec, serializeSpec } from "../../../workflows-lib/openapi/normalize.ts";
import type { OpenAPIDocument } from "../../../workflows-lib/openapi/load-spec.ts";

const messy = {
  "x-generator": "hand",
  components: { schemas: { Zebra: { type: "object", properties: { z: {}, a: {} } }, Apple: { type: "string" } } },
  paths: {
    "/orders/{id}": {
      delete: { responses: { "204": { description: "gone" } } },
      parameters: [{ name: "id", in: "path", required: true }],
      get: { responses: { default: { description: "error" }, "404": { description: "no" }, "200": { description: "ok" } }, summary: "Get", operationId: "get" },
    },
    "/a": { post: { responses: { "201": { description: "made" } } } },
  },
  info: { version: "1", title: "T" },
  openapi: "3.1.0",
} as unknown as OpenAPIDocument;

test("normalized descriptions follow the specification's order and sort names", () => {
  const doc = normalizeSpec(messy);
  assert.deepEqual(Object.keys(doc), ["openapi", "info", "paths", "components", "x-generator"]);
  assert.deepEqual(Object.keys(doc.info as object), ["title", "version"]);
  const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
  assert.deepEqual(Object.keys(paths), ["/a", "/orders/{id}"]);
  assert.deepEqual(Object.keys(paths["/orders/{id}"]!), ["parameters", "get", "delete"]);
  assert.deepEqual(Object.keys(paths["/orders/{id}"]!.get!), ["summary", "operationId", "responses"]);
  assert.deepEqual(Object.keys(paths["/orders/{id}"]!.get!.responses as object), ["200", "404", "default"]);
  const schemas = (doc.components as { schemas: Record<string, { properties?: object }> }).schemas;
  assert.deepEqual(Object.keys(schemas), ["Apple", "Zebra"]);
  assert.deepEqual(Object.keys(schemas.Zebra!.properties!), ["z", "a"], "property order is the author's");
});

test("normalizing is stable: the same API gives the same bytes whatever order paths, operations and names come in", () => {
  // Schemas are left alone: their member order is the generator's and stays as it is.
  const reverse = (value: unknown, key = ""): unknown =>
    value && typeof value === "object" && !Array.isArray(value) && key !== "schemas"
      ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverse(v, k)]))
      : value;
  const reordered = reverse(messy) as OpenAPIDocument;
  assert.notDeepEqual(Object.keys(reordered), Object.keys(messy));
  const once = serializeSpec(normalizeSpec(messy), "json");
  assert.equal(serializeSpec(normalizeSpec(reordered), "json"), once);
  assert.equal(serializeSpec(normalizeSpec(JSON.parse(once) as OpenAPIDocument), "json"), once);
});

test("YAML output writes shared objects out in full (no anchors)", () => {
  const shared = { type: "string" };
  const doc = { openapi: "3.1.0", info: { title: "T", version: "1" }, components: { schemas: { A: shared, B: shared } } } as unknown as OpenAPIDocument;
  const text = serializeSpec(doc, "yaml");
  assert.doesNotMatch(text, /[&*]a\d/);
  assert.deepEqual(parse(text), doc);
});
