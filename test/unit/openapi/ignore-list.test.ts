import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../../workflows-lib/errors.ts";
import { parseIgnoreList } from "../../../workflows-lib/openapi/ignore-list.ts";

test("an ignore list is rule ids with an optional operation and a reason", () => {
  const text = `# accepted breaking changes
- id: api-path-removed-without-deprecation
  operation: POST /orders/{id}/cancel
  reason: cancel moved to PATCH /orders/{id}, clients notified
- id: response-property-enum-value-added
  reason: clients ignore unknown statuses
`;
  assert.deepEqual(parseIgnoreList(text, "ignore.yaml"), [
    { id: "api-path-removed-without-deprecation", operation: "POST /orders/{id}/cancel", reason: "cancel moved to PATCH /orders/{id}, clients notified" },
    { id: "response-property-enum-value-added", reason: "clients ignore unknown statuses" },
  ]);
  assert.deepEqual(parseIgnoreList('{"ignore": [{"id": "a-b", "reason": "r"}]}', "i.json"), [{ id: "a-b", reason: "r" }]);
  assert.deepEqual(parseIgnoreList("", "empty.yaml"), []);
});

test("an entry without a reason or with a malformed operation is refused with its line", () => {
  const missing = "- id: api-path-removed-without-deprecation\n  operation: GET /a\n- id: x-y\n  reason: ''\n";
  assert.throws(() => parseIgnoreList(missing, "ignore.yaml"), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /^ignore\.yaml:1:3: expected an ignore list .*0\.reason/);
    return true;
  });
  assert.throws(() => parseIgnoreList("- id: a\n  operation: orders\n  reason: r\n", "ignore.yaml"), /ignore\.yaml:2:14: .*METHOD \/path/);
  assert.throws(() => parseIgnoreList("- id: a\n  reason: r\n  because: x\n", "ignore.yaml"), /because/);
});
