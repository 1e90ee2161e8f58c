import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../../workflows-lib/errors.ts";
import type { GeneratedSpec, SpecSource } from "../../../workflows-lib/openapi/generate.ts";
import { loadSpecValue } from "../../../workflows-lib/openapi/load-spec.ts";
import { checkOpenAPI, renderCheckFailure } from "../../../workflows-lib/openapi/pr-check.ts";
import type { OpenAPICheckOptions } from "../../../workflows-lib/openapi/pr-check.ts";

const op = (description: string) => ({ responses: { "200": { description } } });
const spec = (paths: Record<string, unknown>) => ({ openapi: "3.1.0", info: { title: "Orders", version: "1" }, paths });
const generated = (document: Record<string, unknown>, name: string): GeneratedSpec => {
  const loaded = loadSpecValue(document, name);
  return { document: loaded.document, spec: loaded, origin: name };
};

const base = spec({ "/orders": { get: op("ok") }, "/orders/{id}": { get: { ...op("ok"), parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }] } } });
const removed = spec({ "/orders": { get: op("ok") } });
const added = spec({ ...base.paths, "/health": { get: op("ok") } });

function ports(head: Record<string, unknown>, baseDoc: Record<string, unknown> | Error = base) {
  return {
    generateHead: async (_: SpecSource) => generated(head, "head"),
    generateBase: async (_: SpecSource) => {
      if (baseDoc instanceof Error) throw baseDoc;
      return generated(baseDoc, "base");
    },
  };
}

const options = (extra: Partial<OpenAPICheckOptions> = {}): OpenAPICheckOptions => ({
  head: { kind: "file", path: "head.json" },
  base: { kind: "file", path: "base.json" },
  failOn: "error",
  overrideLabel: "api-breaking-ok",
  labels: [],
  ignore: [],
  headSha: "b".repeat(40),
  baseSha: "a".repeat(40),
  runUrl: "https://github.com/octo/app/actions/runs/1",
  ...extra,
});

test("a removed path fails the gate; the label accepts it; both list the change", async () => {
  const failed = await checkOpenAPI(options(), ports(removed));
  assert.equal(failed.gate, "failed");
  assert.equal(failed.counts.error, 1);
  assert.equal(failed.breaking, 1);
  assert.match(failed.reason, /add the label "api-breaking-ok"/);
  assert.match(failed.markdown, /^❌ \*\*1 breaking change\*\* at or above `error` level/);
  assert.match(failed.markdown, /`api-path-removed-without-deprecation`/);
  assert.match(failed.markdown, /`aaaaaaa` → `bbbbbbb` · OpenAPI 3\.1\.0 · 1 path, 1 operation · \[run\]/);

  const accepted = await checkOpenAPI(options({ labels: ["other", "api-breaking-ok"] }), ports(removed));
  assert.equal(accepted.gate, "overridden");
  assert.match(accepted.markdown, /^⚠️ \*\*1 breaking change accepted\*\* with the label `api-breaking-ok`/);
});

test("additions pass at fail-on error and fail at fail-on info", async () => {
  const passed = await checkOpenAPI(options(), ports(added));
  assert.equal(passed.gate, "passed");
  assert.ok(passed.counts.info > 0);
  assert.equal(passed.breaking, 0);
  assert.match(passed.markdown, /^✅ \*\*No breaking API changes\.\*\*/);
  const strict = await checkOpenAPI(options({ failOn: "info" }), ports(added));
  assert.equal(strict.gate, "failed");
  assert.equal(strict.breaking, strict.counts.info);
  assert.equal((await checkOpenAPI(options({ failOn: "never" }), ports(removed))).gate, "passed");
});

test("an invalid description fails even without API changes, listing pointers", async () => {
  const invalid = spec({ "/orders": { get: { responses: { "200": {} } } }, "/orders/{id}": base.paths["/orders/{id}"] });
  const result = await checkOpenAPI(options(), ports(invalid));
  assert.equal(result.gate, "failed");
  assert.equal(result.validation.valid, false);
  assert.match(result.markdown, /The OpenAPI description of this pull request is invalid/);
  assert.match(result.markdown, /`\/paths\/~1orders\/get\/responses\/200`/);
});

test("a base without a description compares nothing and says why; other failures propagate", async () => {
  const result = await checkOpenAPI(options(), ports(added, new InputError("src/app.ts", "a readable file", "no such file")));
  assert.equal(result.gate, "passed");
  assert.equal(result.diff, undefined);
  assert.match(result.baseProblem ?? "", /src\/app\.ts: expected a readable file/);
  assert.match(result.markdown, /the base has none to compare with/);
  await assert.rejects(checkOpenAPI(options(), ports(added, new Error("disk on fire"))), /disk on fire/);
  const noBase = await checkOpenAPI({ ...options(), base: undefined } as OpenAPICheckOptions, ports(added));
  assert.equal(noBase.reason, "no base to compare with");
});

test("the failure comment replaces an older report with the reason", () => {
  const body = renderCheckFailure("src/app.ts: expected a module (exports: default)", { headSha: "c".repeat(40), runUrl: "https://x/run" });
  assert.match(body, /^❌ \*\*The OpenAPI check could not run\*\*/);
  assert.match(body, /```\nsrc\/app\.ts: expected a module \(exports: default\)\n```/);
  assert.match(body, /`ccccccc` · \[run\]\(https:\/\/x\/run\)/);
});
