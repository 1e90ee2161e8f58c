import assert from "node:assert/strict";
import { test } from "node:test";
import { loadSpecText } from "../../../workflows-lib/openapi/load-spec.ts";
import { formatValidation } from "../../../workflows-lib/openapi/report-validation.ts";
import { validateSpec } from "../../../workflows-lib/openapi/validate-spec.ts";

const valid31 = `openapi: 3.1.0
info:
  title: Orders
  version: "1"
paths:
  /orders/{id}:
    get:
      operationId: getOrder
      parameters:
        - name: id
          in: path
          required: true
          schema: { type: string }
      responses:
        "200":
          description: The order
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Order" }
components:
  schemas:
    Order:
      type: [object, "null"]
      properties:
        id: { type: string }
`;

test("a valid 3.1 description passes, with its size", async () => {
  const report = await validateSpec(loadSpecText(valid31, "openapi.yaml"));
  assert.equal(report.valid, true, JSON.stringify(report.errors));
  assert.deepEqual(report.stats, { paths: 1, operations: 1, schemas: 1 });
  assert.equal(formatValidation(report, "text"), "openapi.yaml: valid OpenAPI 3.1.0 (1 paths, 1 operations, 1 schemas)\n");
});

test("schema errors carry the JSON pointer and the line in the file (3.0)", async () => {
  const text = `openapi: 3.0.3
info:
  title: Orders
paths:
  /orders:
    get:
      responses:
        "200":
          description: ok
      bogus: 1
`;
  const report = await validateSpec(loadSpecText(text, "openapi.yaml"));
  assert.equal(report.valid, false);
  const byPointer = new Map(report.errors.map((e) => [e.pointer, e]));
  assert.equal(byPointer.get("/info")?.message, 'missing required member "version"');
  assert.deepEqual(byPointer.get("/info")?.location, { line: 3, column: 3 });
  assert.equal(byPointer.get("/paths/~1orders/get/bogus")?.message, 'unknown member "bogus"');
  assert.deepEqual(byPointer.get("/paths/~1orders/get/bogus")?.location, { line: 10, column: 14 });
  const lines = formatValidation(report, "text");
  assert.match(lines, /^error {3}openapi\.yaml:10:14 \/paths\/~1orders\/get\/bogus: unknown member "bogus"$/m);
  assert.match(formatValidation(report, "githubactions"), /^::error file=openapi\.yaml,line=10,col=14,title=OpenAPI \/paths\/~1orders\/get\/bogus::unknown member "bogus"$/m);
});

test("schema errors in 3.1 descriptions carry pointers too", async () => {
  const text = valid31.replace("          description: The order\n", "");
  const report = await validateSpec(loadSpecText(text, "openapi.yaml"));
  assert.equal(report.valid, false);
  assert.deepEqual(
    report.errors.map((e) => [e.pointer, e.message]),
    [["/paths/~1orders~1{id}/get/responses/200", 'missing required member "description"']],
  );
});

test("rules beyond the schema (path parameters, unique operationIds) point at the operation", async () => {
  const text = `openapi: 3.0.3
info: { title: Orders, version: "1" }
paths:
  /orders/{id}:
    get:
      operationId: same
      responses: { "200": { description: ok } }
  /orders:
    get:
      operationId: same
      responses: { "200": { description: ok } }
`;
  const report = await validateSpec(loadSpecText(text, "openapi.yaml"));
  assert.equal(report.valid, false);
  const pointers = report.errors.map((e) => e.pointer);
  assert.ok(pointers.includes("/paths/~1orders~1{id}/get"), pointers.join());
  const duplicate = report.errors.find((e) => /duplicated/.test(e.message));
  assert.ok(duplicate);
  assert.equal(duplicate.pointer, "/paths/~1orders/get/operationId");
  assert.equal(duplicate.location?.line, 10);
});

test("annotations name the file and line only for a file, not for a URL", async () => {
  const text = "openapi: 3.0.3\ninfo: {title: x}\npaths: {}\n";
  const fromUrl = await validateSpec(loadSpecText(text, "http://127.0.0.1:8787/openapi.yaml"));
  assert.equal(formatValidation(fromUrl, "githubactions"), '::error title=OpenAPI /info::missing required member "version"\n');
  const fromFile = await validateSpec(loadSpecText(text, "api/openapi.yaml"));
  assert.equal(formatValidation(fromFile, "githubactions"), '::error file=api/openapi.yaml,line=2,col=7,title=OpenAPI /info::missing required member "version"\n');
});
