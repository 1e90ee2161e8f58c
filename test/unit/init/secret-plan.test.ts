import { test } from "node:test";
import assert from "node:assert/strict";
import { assertNoProductionCredentialInRepository, planSecrets, type PlannedSecret } from "../../../workflows-lib/init/secret-plan.ts";
import { environmentNames } from "../../../workflows-lib/init/environment-names.ts";
import { InputError } from "../../../workflows-lib/errors.ts";

const where = (planned: PlannedSecret[]) =>
  planned.filter((s) => s.value !== undefined).map((s) => `${s.scope.kind === "repository" ? "repository" : s.scope.name}:${s.name}<-${s.source}`);

test("the environments are the configuration's own: production reads the plain names, the other its own prefix", () => {
  const names = environmentNames({ environments: { qa: { stage: "qa" }, live: { stage: "live" } } } as never);
  assert.deepEqual(names, { staging: "qa", production: "live" });
  const planned = planSecrets({ ALCHEMY_PASSWORD: "pw-live", QA_ALCHEMY_PASSWORD: "pw-qa", CLOUDFLARE_API_TOKEN: "cf-live", PREVIEW_ALCHEMY_PASSWORD: "pw-preview" }, names);
  assert.deepEqual(where(planned), [
    "qa:CLOUDFLARE_API_TOKEN<-CLOUDFLARE_API_TOKEN",
    "qa:ALCHEMY_PASSWORD<-QA_ALCHEMY_PASSWORD",
    "live:CLOUDFLARE_API_TOKEN<-CLOUDFLARE_API_TOKEN",
    "live:ALCHEMY_PASSWORD<-ALCHEMY_PASSWORD",
    "repository:PREVIEW_ALCHEMY_PASSWORD<-PREVIEW_ALCHEMY_PASSWORD",
  ]);
  assert.ok(!planned.some((s) => s.scope.kind === "environment" && (s.scope.name === "staging" || s.scope.name === "production")), "no environment the configuration does not name");
});

test("one environment in both roles is planned once, as production", () => {
  const names = environmentNames({ environments: { production: { stage: "prod" } } } as never);
  const planned = planSecrets({ ALCHEMY_PASSWORD: "pw" }, names);
  assert.deepEqual(where(planned), ["production:ALCHEMY_PASSWORD<-ALCHEMY_PASSWORD"]);
});

test("an environment-only credential is never planned as a repository secret, by name or by value", () => {
  const byName: PlannedSecret[] = [{ scope: { kind: "repository" }, name: "ALCHEMY_PASSWORD", source: "ALCHEMY_PASSWORD", value: "x" }];
  assert.throws(() => assertNoProductionCredentialInRepository(byName), (error: unknown) => error instanceof InputError && /ALCHEMY_PASSWORD: expected an environment secret/.test(error.message));
  assert.throws(
    () => planSecrets({ CLOUDFLARE_API_TOKEN: "same", PREVIEW_CLOUDFLARE_API_TOKEN: "same" }, environmentNames({ environments: {} } as never)),
    (error: unknown) => error instanceof InputError && /PREVIEW_CLOUDFLARE_API_TOKEN: expected a preview-only credential, not the value of CLOUDFLARE_API_TOKEN/.test(error.message),
  );
});
