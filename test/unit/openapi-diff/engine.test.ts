import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { diffSpecs } from "../../../workflows-lib/openapi/diff/index.ts";
import type { DiffResult } from "../../../workflows-lib/openapi/diff/index.ts";
import { InputError } from "../../../workflows-lib/errors.ts";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(fixtures, name), "utf8"));

/** A document with one POST /items whose request body and 200 response use the given schemas. */
function api(version: "3.0.3" | "3.1.0", request: unknown, response: unknown, components: Record<string, unknown> = {}): unknown {
  return {
    openapi: version,
    info: { title: "t", version: "1.0.0" },
    paths: {
      "/items": {
        post: {
          requestBody: { content: { "application/json": { schema: request } } },
          responses: { "200": { description: "ok", content: { "application/json": { schema: response } } } },
        },
      },
    },
    components: { schemas: components },
  };
}

// The versioning rules (info.version not bumped despite breaking changes) are tested on their own.
const ids = (result: DiffResult) => result.changes.map((change) => change.id).filter((id) => !/^api-(major-)?version-/.test(id)).sort();
const levelOf = (result: DiffResult, id: string) => result.changes.find((change) => change.id === id)?.level;
const obj = (properties: Record<string, unknown>, required: string[] = []) => ({ type: "object", required, properties });

test("a narrowed request is breaking, a widened request is not", () => {
  const wide = obj({ name: { type: "string", maxLength: 64 } });
  const narrow = obj({ name: { type: "string", maxLength: 32 } });
  const narrowed = diffSpecs(api("3.0.3", wide, { type: "string" }), api("3.0.3", narrow, { type: "string" }));
  assert.deepEqual(ids(narrowed), ["request-property-max-length-decreased"]);
  assert.equal(narrowed.changes[0]!.level, "error");
  assert.equal(narrowed.changes[0]!.method, "POST");
  assert.equal(narrowed.changes[0]!.path, "/items");
  const widened = diffSpecs(api("3.0.3", narrow, { type: "string" }), api("3.0.3", wide, { type: "string" }));
  assert.deepEqual(ids(widened), ["request-property-max-length-increased"]);
  assert.equal(widened.counts.error, 0);
});

test("a widened response is breaking, a narrowed response is not", () => {
  const wide = obj({ count: { type: "integer", maximum: 100 } });
  const narrow = obj({ count: { type: "integer", maximum: 10 } });
  const widened = diffSpecs(api("3.0.3", { type: "string" }, narrow), api("3.0.3", { type: "string" }, wide));
  assert.deepEqual(ids(widened), ["response-property-max-increased"]);
  assert.equal(widened.counts.error, 1);
  const narrowed = diffSpecs(api("3.0.3", { type: "string" }, wide), api("3.0.3", { type: "string" }, narrow));
  assert.equal(narrowed.counts.error, 0);
  // integer → number: fine for what clients send, breaking for what they receive.
  const intToNumber = (schema: unknown) => api("3.0.3", schema, schema);
  const result = diffSpecs(intToNumber(obj({ n: { type: "integer" } })), intToNumber(obj({ n: { type: "number" } })));
  assert.deepEqual(ids(result), ["request-property-type-generalized", "response-property-type-generalized"]);
  assert.equal(levelOf(result, "request-property-type-generalized"), "info");
  assert.equal(levelOf(result, "response-property-type-generalized"), "error");
});

test("a new required request property and a removed required response property are breaking", () => {
  const base = api("3.0.3", obj({ a: { type: "string" } }), obj({ id: { type: "string" }, x: { type: "string" } }, ["id", "x"]));
  const revision = api("3.0.3", obj({ a: { type: "string" }, b: { type: "string" } }, ["b"]), obj({ id: { type: "string" } }, ["id"]));
  const result = diffSpecs(base, revision);
  assert.deepEqual(ids(result), ["new-required-request-property", "response-required-property-removed"]);
  assert.match(result.changes.find((c) => c.id === "new-required-request-property")!.text, /`b`/);
});

test("3.0 nullable and a 3.1 type array with null mean the same; only the null member changing is nullability", () => {
  const nullable30 = api("3.0.3", obj({ v: { type: "string", nullable: true } }), obj({ v: { type: "string", nullable: true } }));
  const nullable31 = api("3.1.0", obj({ v: { type: ["string", "null"] } }), obj({ v: { type: ["string", "null"] } }));
  // oasdiff reports became-not-nullable here (a deliberate difference: differences.ts).
  assert.deepEqual(diffSpecs(nullable30, nullable31).changes, []);
  const notNull31 = api("3.1.0", obj({ v: { type: "string" } }), obj({ v: { type: "string" } }));
  const dropped = diffSpecs(nullable31, notNull31);
  // No type change is reported for the null member alone.
  assert.deepEqual(ids(dropped), ["request-property-became-not-nullable", "response-property-became-not-nullable"]);
  assert.equal(levelOf(dropped, "request-property-became-not-nullable"), "error");
  assert.equal(levelOf(dropped, "response-property-became-not-nullable"), "info");
  const added = diffSpecs(notNull31, nullable30);
  assert.deepEqual(ids(added), ["request-property-became-nullable", "response-property-became-nullable"]);
  assert.equal(added.changes.find((c) => c.id === "response-property-became-nullable")!.level, "error");
  // Wrapping a referenced schema into oneOf [null, itself] is the same change, not a type change.
  const ref = { $ref: "#/components/schemas/Note" };
  const components = { Note: { type: "string", enum: ["a", "b"] } };
  const wrapped = diffSpecs(api("3.1.0", obj({ v: ref }), obj({ v: ref }), components), api("3.1.0", obj({ v: { oneOf: [{ type: "null" }, ref] } }), obj({ v: { oneOf: [{ type: "null" }, ref] } }), components));
  assert.deepEqual(ids(wrapped), ["request-property-became-nullable", "response-property-became-nullable"]);
});

test("3.1 type lists are type changes; a type turned into a oneOf of types is a list of types", () => {
  const two = api("3.1.0", obj({ v: { type: ["string", "integer"] } }), obj({ v: { type: ["string", "integer"] } }));
  const three = api("3.1.0", obj({ v: { type: ["string", "integer", "boolean"] } }), obj({ v: { type: ["string", "integer", "boolean"] } }));
  const widened = diffSpecs(two, three);
  assert.deepEqual(ids(widened), ["request-property-type-generalized", "response-property-type-generalized"]);
  assert.equal(levelOf(widened, "request-property-type-generalized"), "info");
  assert.equal(levelOf(widened, "response-property-type-generalized"), "error");
  const narrowed = diffSpecs(three, two);
  assert.deepEqual(ids(narrowed), ["request-property-type-changed", "response-property-type-specialized"]);
  assert.equal(levelOf(narrowed, "request-property-type-changed"), "error");
  const single = api("3.1.0", obj({ v: { type: "string" } }), obj({ v: { type: "string" } }));
  const oneOf = api("3.1.0", obj({ v: { oneOf: [{ type: "string" }, { type: "integer" }] } }), obj({ v: { oneOf: [{ type: "string" }, { type: "integer" }] } }));
  const listed = diffSpecs(single, oneOf);
  assert.deepEqual(ids(listed), ["request-property-list-of-types-widened", "response-property-list-of-types-widened"]);
  assert.equal(levelOf(listed, "response-property-list-of-types-widened"), "error");
  assert.deepEqual(ids(diffSpecs(oneOf, single)), ["request-property-list-of-types-narrowed", "response-property-list-of-types-narrowed"]);
});

test("recursive schemas terminate and report a change below the cycle once per place", () => {
  const components = (email: boolean) => ({
    Node: obj({ value: { type: "string", ...(email ? { maxLength: 5 } : {}) }, children: { type: "array", items: { $ref: "#/components/schemas/Node" } } }),
  });
  const ref = { $ref: "#/components/schemas/Node" };
  const result = diffSpecs(api("3.1.0", ref, ref, components(false)), api("3.1.0", ref, ref, components(true)));
  assert.deepEqual(ids(result), ["request-property-max-length-set", "response-property-max-length-set"]);
  assert.equal(result.changes.find((c) => c.id === "request-property-max-length-set")!.source?.revision, "#/components/schemas/Node/properties/value");
  // Mutual recursion (Pet ↔ Owner) in the pet store fixtures.
  const pets = diffSpecs(fixture("petstore-base.json"), fixture("petstore-revision.json"));
  assert.ok(pets.changes.some((c) => c.id === "response-optional-property-added" && c.text.includes("owner/email")));
});

test("refs are compared by content: moving an inline schema into components is no change", () => {
  const inline = obj({ role: { type: "string", enum: ["a", "b"] } });
  const refd = obj({ role: { $ref: "#/components/schemas/Role" } });
  const result = diffSpecs(api("3.0.3", inline, inline), api("3.0.3", refd, refd, { Role: { type: "string", enum: ["a", "b"] } }));
  assert.deepEqual(result.changes, []);
});

test("external file refs resolve relative to the spec's location through the loader", () => {
  const files: Record<string, unknown> = {
    "specs/v1/schemas/item.json": obj({ name: { type: "string" } }),
    "specs/v2/schemas/item.json": obj({ name: { type: "string" }, size: { type: "integer" } }, ["size"]),
  };
  const ref = { $ref: "schemas/item.json" };
  const result = diffSpecs(api("3.0.3", ref, { type: "string" }), api("3.0.3", ref, { type: "string" }), {
    baseLocation: "specs/v1/openapi.json",
    revisionLocation: "specs/v2/openapi.json",
    loadRef: (location) => {
      if (!(location in files)) throw new Error(`no such file ${location}`);
      return files[location];
    },
  });
  assert.deepEqual(ids(result), ["new-required-request-property"]);
  assert.equal(result.changes[0]!.source?.revision, "specs/v2/schemas/item.json#/properties/size");
});

test("bad input: not OpenAPI 3, an unresolvable $ref, a file ref without loader", () => {
  assert.throws(() => diffSpecs({ swagger: "2.0" }, api("3.0.3", {}, {})), (error: unknown) =>
    error instanceof InputError && error.input === "base" && /Swagger 2.0 is not supported/.test(error.message));
  assert.throws(() => diffSpecs(api("3.0.3", {}, {}), "not a spec"), (error: unknown) => error instanceof InputError && error.input === "revision");
  const dangling = api("3.0.3", { $ref: "#/components/schemas/Missing" }, { type: "string" });
  assert.throws(() => diffSpecs(api("3.0.3", { type: "object" }, { type: "string" }), dangling), (error: unknown) =>
    error instanceof InputError && /\/paths\/~1items\/post\/requestBody\/content\/application~1json\/schema/.test(error.message) && /Missing/.test(error.message));
  const external = api("3.0.3", { $ref: "other.yaml#/X" }, { type: "string" });
  assert.throws(() => diffSpecs(api("3.0.3", { type: "object" }, { type: "string" }), external), /no loader/);
});

test("ignore list: by id and operation, with the reason reported", () => {
  const base = fixture("petstore-base.json");
  const revision = fixture("petstore-revision.json");
  const all = diffSpecs(base, revision);
  const result = diffSpecs(base, revision, {
    ignore: [
      { id: "api-removed-without-deprecation", operation: "delete /pets/{petId}", reason: "deletion moved to the admin API" },
      { id: "response-property-became-nullable", operation: "GET /pets/{id}", reason: "clients already handle null" },
    ],
  });
  assert.equal(result.ignored.length, 2);
  assert.deepEqual(result.ignored.map((c) => c.reason).sort(), ["clients already handle null", "deletion moved to the admin API"]);
  assert.equal(result.counts.error, all.counts.error - 2);
  // Same rule on another operation is still reported.
  assert.ok(result.changes.some((c) => c.id === "response-property-became-nullable" && c.path === "/pets"));
  assert.throws(() => diffSpecs(base, revision, { ignore: [{ id: "x", operation: "nonsense", reason: "r" }] }), InputError);
});

test("deprecation policy: sunset required ahead of the policy, removal before sunset is breaking", () => {
  const withOp = (op: Record<string, unknown>) => ({
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: { "/a": { get: { responses: { "200": { description: "ok" } }, ...op } } },
  });
  const today = "2026-01-01";
  // By default (like oasdiff) no grace period is enforced: a sunset date is optional.
  const deprecated = diffSpecs(withOp({}), withOp({ deprecated: true }), { deprecation: { today } });
  assert.deepEqual(ids(deprecated), ["endpoint-deprecated"]);
  const policy = { today, stableDays: 180, betaDays: 31 };
  assert.deepEqual(ids(diffSpecs(withOp({}), withOp({ deprecated: true }), { deprecation: policy })), ["api-deprecated-sunset-missing"]);
  const tooSoon = diffSpecs(withOp({}), withOp({ deprecated: true, "x-sunset": "2026-02-01" }), { deprecation: policy });
  assert.deepEqual(ids(tooSoon), ["api-sunset-date-too-small"]);
  const beta = diffSpecs(withOp({ "x-stability-level": "beta" }), withOp({ deprecated: true, "x-sunset": "2026-02-15", "x-stability-level": "beta" }), { deprecation: policy });
  assert.deepEqual(ids(beta), ["endpoint-deprecated-with-sunset"]);
  // A sunset date already past is too small even without a grace period.
  assert.deepEqual(ids(diffSpecs(withOp({}), withOp({ deprecated: true, "x-sunset": "2025-12-01" }), { deprecation: { today } })), ["api-sunset-date-too-small"]);
  const empty = { openapi: "3.0.3", info: { title: "t", version: "1" }, paths: { "/a": {} } };
  const early = diffSpecs(withOp({ deprecated: true, "x-sunset": "2026-06-01" }), empty, { deprecation: { today } });
  assert.deepEqual(ids(early), ["api-removed-before-sunset"]);
  // From the sunset date on, the removal is what was announced: nothing to report.
  assert.deepEqual(ids(diffSpecs(withOp({ deprecated: true, "x-sunset": "2025-06-01" }), empty, { deprecation: { today } })), []);
  assert.deepEqual(ids(diffSpecs(withOp({ deprecated: true }), empty, { deprecation: { today } })), ["api-removed-with-deprecation"]);
  assert.deepEqual(ids(diffSpecs(withOp({}), empty, { deprecation: { today } })), ["api-removed-without-deprecation"]);
});

test("renamed path parameters match by position; security and response status changes are reported", () => {
  const doc = (param: string, security: unknown[], statuses: string[]) => ({
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: {
      [`/things/{${param}}`]: {
        get: {
          parameters: [{ name: param, in: "path", required: true, schema: { type: "string" } }],
          security,
          responses: Object.fromEntries(statuses.map((s) => [s, { description: s }])),
        },
      },
    },
  });
  const result = diffSpecs(doc("id", [{ oauth: ["read"] }], ["200", "404"]), doc("thingId", [{ oauth: ["read", "write"] }], ["201"]));
  assert.deepEqual(ids(result), ["api-security-scope-added", "response-non-success-status-removed", "response-success-status-added", "response-success-status-removed"]);
  assert.equal(result.changes.find((c) => c.id === "response-success-status-removed")!.level, "error");
});

test("versioning: breaking changes without a major version bump are reported", () => {
  const doc = (version: string, max: number) => ({ ...(api("3.0.3", obj({ a: { type: "string", maxLength: max } }), { type: "string" }) as object), info: { title: "t", version } });
  assert.ok(diffSpecs(doc("1.0.0", 9), doc("1.0.0", 5)).changes.some((c) => c.id === "api-version-not-bumped"));
  assert.ok(diffSpecs(doc("1.0.0", 9), doc("1.1.0", 5)).changes.some((c) => c.id === "api-major-version-not-bumped"));
  assert.ok(!diffSpecs(doc("1.0.0", 9), doc("2.0.0", 5)).changes.some((c) => /version/.test(c.id)));
  assert.ok(diffSpecs(doc("2.0.0", 9), doc("1.0.0", 5)).changes.some((c) => c.id === "api-version-decreased"));
  // Only a breaking change needs a new version; below 1.0.0 a new minor version is enough; dates are not judged.
  assert.ok(!diffSpecs(doc("2.0.0", 5), doc("1.0.0", 5)).changes.some((c) => /version/.test(c.id)));
  assert.ok(!diffSpecs(doc("0.3.0", 9), doc("0.4.0", 5)).changes.some((c) => /version/.test(c.id)));
  assert.ok(!diffSpecs(doc("2024-01-01", 9), doc("2024-01-01", 5)).changes.some((c) => /version/.test(c.id)));
});

test("a change inside a cycle is found from every entry point into the cycle", () => {
  const doc = (max: number) => ({
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: Object.fromEntries(["A", "B"].map((name) => [`/${name.toLowerCase()}`, {
      post: {
        requestBody: { content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } },
        responses: { "204": { description: "ok" } },
      },
    }])),
    components: {
      schemas: {
        A: obj({ v: { type: "string", maxLength: max }, b: { $ref: "#/components/schemas/B" } }),
        B: obj({ a: { $ref: "#/components/schemas/A" } }),
      },
    },
  });
  const result = diffSpecs(doc(10), doc(5));
  const found = result.changes.filter((c) => c.id === "request-property-max-length-decreased").map((c) => `${c.path} ${/`([^`]*)`/.exec(c.text)?.[1]}`);
  assert.deepEqual(found.sort(), ["/a v", "/b a/v"]);
});

test("draft and alpha endpoints change freely; lowering an endpoint's stability is breaking", () => {
  const doc = (stability: string | undefined, required: boolean) => ({
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: {
      "/a": {
        get: {
          ...(stability ? { "x-stability-level": stability } : {}),
          parameters: [{ name: "q", in: "query", required, schema: { type: "string" } }],
          responses: { "200": { description: "ok" } },
        },
      },
    },
  });
  assert.deepEqual(ids(diffSpecs(doc("alpha", false), doc("alpha", true))), []);
  assert.deepEqual(ids(diffSpecs(doc("beta", false), doc("beta", true))), ["request-parameter-became-required"]);
  assert.deepEqual(ids(diffSpecs(doc("stable", false), doc("beta", false))), ["api-stability-decreased"]);
  // Leaving alpha is not judged (alpha is below the beta threshold); no level counts as stable.
  assert.deepEqual(ids(diffSpecs(doc("alpha", false), doc("beta", false))), []);
  assert.deepEqual(ids(diffSpecs(doc("beta", false), doc("stable", false))), ["api-stability-increased"]);
  assert.deepEqual(ids(diffSpecs(doc(undefined, false), doc("beta", false))), ["api-stability-decreased"]);
  assert.deepEqual(ids(diffSpecs(doc("beta", false), doc("experimental", false))), ["api-invalid-stability-level"]);
});

test("a renamed response media type: a +json suffix, parameters, or another type", () => {
  const doc = (mediaType: string) => ({
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: { "/a": { get: { responses: { "200": { description: "ok", content: { [mediaType]: { schema: { type: "string" } } } } } } } },
  });
  assert.deepEqual(ids(diffSpecs(doc("application/json"), doc("application/problem+json"))), ["response-media-type-name-specialized"]);
  assert.deepEqual(ids(diffSpecs(doc("application/problem+json"), doc("application/json"))), ["response-media-type-name-generalized"]);
  assert.deepEqual(ids(diffSpecs(doc("application/json"), doc("application/json; charset=utf-8"))), ["response-media-type-parameter-added"]);
  assert.deepEqual(ids(diffSpecs(doc("text/plain; charset=utf-8"), doc("text/plain; charset=ascii"))), ["response-media-type-parameter-changed"]);
  assert.deepEqual(ids(diffSpecs(doc("text/plain; charset=utf-8"), doc("text/plain; format=flowed"))), ["response-media-type-name-changed"]);
  // A wildcard is another media type, as are unrelated ones.
  assert.deepEqual(ids(diffSpecs(doc("application/json"), doc("application/*"))), ["response-media-type-added", "response-media-type-removed"]);
  assert.deepEqual(ids(diffSpecs(doc("application/json"), doc("application/xml"))), ["response-media-type-added", "response-media-type-removed"]);
});

test("response headers: removal, requiredness and schema changes", () => {
  const doc = (headers: Record<string, unknown>) => ({
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: { "/a": { get: { responses: { "200": { description: "ok", headers } } } } },
  });
  const result = diffSpecs(
    doc({
      "X-Rate-Limit": { required: true, schema: { type: "integer" } },
      "X-Request-Id": { required: true, schema: { type: "string" } },
      "X-Trace": { schema: { type: "string" } },
    }),
    doc({ "x-rate-limit": { required: false, schema: { type: "number" } }, "X-New": { schema: { type: "string" } } }),
  );
  assert.deepEqual(ids(result), [
    "optional-response-header-removed",
    "required-response-header-removed",
    "response-header-added",
    "response-header-became-optional",
    "response-header-type-generalized",
  ]);
  assert.equal(levelOf(result, "response-header-type-generalized"), "error");
});

test("header parameter objects, path removal, request body addition and parameter lifecycle", () => {
  const today = "2026-01-01";
  const base = {
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: {
      "/gone": { get: { deprecated: true, "x-sunset": "2025-01-01", responses: { "200": { description: "ok" } } } },
      "/a": {
        post: {
          parameters: [
            { name: "X-Meta", in: "header", schema: obj({ tenant: { type: "string" } }) },
            { name: "old", in: "query", deprecated: true, "x-sunset": "2026-03-01", schema: { type: "string" } },
            { name: "older", in: "query", deprecated: true, "x-sunset": "2025-03-01", schema: { type: "string" } },
            { name: "moving", in: "query", deprecated: true, "x-sunset": "2026-12-01", schema: { type: "string" } },
          ],
          responses: { "204": { description: "ok" } },
        },
      },
    },
  };
  const revision = {
    ...base,
    paths: {
      "/a": {
        post: {
          parameters: [
            { name: "X-Meta", in: "header", schema: obj({ tenant: { type: "string" }, region: { type: "string" } }, ["region"]) },
            { name: "moving", in: "query", deprecated: true, "x-sunset": "2026-02-01", schema: { type: "string" } },
          ],
          requestBody: { required: true, content: { "application/json": { schema: { type: "object" } } } },
          responses: { "204": { description: "ok" } },
        },
      },
    },
  };
  const result = diffSpecs(base, revision, { deprecation: { today } });
  // Past their sunset, the path and the parameter `older` go without a word; `old` goes before its sunset.
  assert.deepEqual(ids(result), [
    "new-required-request-header-property",
    "request-body-added-required",
    "request-parameter-removed-before-sunset",
    "request-parameter-sunset-date-changed-earlier",
  ]);
  const strict = diffSpecs(base, revision, { deprecation: { today, stableDays: 90 } });
  assert.ok(ids(strict).includes("request-parameter-sunset-date-changed-too-small"));
});

test("flattenAllOf: wrapping a schema into allOf with an extension reports only the extension", () => {
  const components = { Options: { type: "object", nullable: true, required: ["mode"], properties: { mode: { type: "string" }, label: { type: "string" } } } };
  const plain = obj({ options: { $ref: "#/components/schemas/Options" } });
  const wrapped = obj({ options: { allOf: [{ $ref: "#/components/schemas/Options" }, { type: "object", properties: { extra: { type: "boolean" } } }] } });
  const base = api("3.0.3", plain, { type: "string" }, components);
  const revision = api("3.0.3", wrapped, { type: "string" }, components);
  assert.deepEqual(ids(diffSpecs(base, revision, { flattenAllOf: true })), ["new-optional-request-property"]);
  // Without flattening the structure itself changed, as oasdiff reports it by default.
  assert.ok(ids(diffSpecs(base, revision)).includes("request-property-all-of-added"));
  // Recursive allOf terminates.
  const selfRef = { Node: { allOf: [{ $ref: "#/components/schemas/Node" }, obj({ v: { type: "string" } })] } };
  const ref = { $ref: "#/components/schemas/Node" };
  assert.deepEqual(ids(diffSpecs(api("3.1.0", ref, ref, selfRef), api("3.1.0", ref, ref, selfRef), { flattenAllOf: true })), []);
});

test("changes come errors first, then by path, method and id in code-unit order, under any locale", () => {
  const op = (description: string) => ({ get: { responses: { "200": { description } } } });
  const base = { openapi: "3.1.0", info: { title: "t", version: "1.0.0" }, paths: { "/apple": op("a"), "/Zebra": op("z"), "/a-b": op("ab"), "/a_b": op("a_b"), "/ä": op("ae") } };
  const revision = { ...base, info: { title: "t", version: "2.0.0" }, paths: {} };
  const removed = diffSpecs(base, revision).changes.filter((c) => c.id === "api-path-removed-without-deprecation");
  // localeCompare would put /apple before /Zebra and /a_b before /a-b, and depends on the machine's locale.
  assert.deepEqual(removed.map((c) => c.path), ["/Zebra", "/a-b", "/a_b", "/apple", "/ä"]);
  assert.ok(removed.every((c) => c.level === "error"));
});
