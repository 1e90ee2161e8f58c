import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../../workflows-lib/errors.ts";
import { envFileFor, parseStageMap, stageFor } from "../../../workflows-lib/promote/environments.ts";

test("environments: production maps to prod by default, others to themselves, overrides win", () => {
  const defaults = parseStageMap("", "stages");
  assert.equal(stageFor("production", defaults), "prod");
  assert.equal(stageFor("staging", defaults), "staging");
  assert.equal(stageFor("QA Europe", defaults), "qa-europe");
  const custom = parseStageMap("production=live, staging=stg\nqa=qa", "stages");
  assert.equal(stageFor("production", custom), "live");
  assert.equal(stageFor("staging", custom), "stg");
  assert.equal(envFileFor("production", ".env.{environment}"), ".env.production");
  assert.equal(envFileFor("production", ""), undefined);
});

test("environments: a malformed mapping names the input and the bad item", () => {
  assert.throws(() => parseStageMap("production:prod", "stages"), (error: unknown) =>
    error instanceof InputError && error.message.includes("stages") && error.message.includes("production:prod"));
  assert.throws(() => parseStageMap("production=Prod_1", "stages"), /lowercase/);
});
