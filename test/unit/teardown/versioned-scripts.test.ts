import assert from "node:assert/strict";
import { test } from "node:test";
import { workerScriptsOf } from "../../../workflows-lib/alchemy/state-scripts.ts";
import { scriptsLeftByDestroy, type StateScript } from "../../../workflows-lib/teardown/versioned-scripts.ts";

const worker = (name: string, props: Record<string, unknown>, output: Record<string, unknown> = {}) => ({
  fqn: `app/prod/${name}`,
  state: { kind: "cloudflare::Worker", props, output: { name: `app-${name}-prod`, dev: { hasRemote: true }, ...output } },
});

test("state scripts: Workers only, versioned when their props carry version, kept with delete: false, never-uploaded ones left out", () => {
  const scripts = workerScriptsOf([
    worker("api", { version: "abc123" }),
    worker("web", {}),
    worker("cron", { version: "abc123", delete: false }),
    worker("dev", { version: "abc123" }, { dev: { hasRemote: false } }),
    { fqn: "app/prod/kv", state: { kind: "cloudflare::KVNamespace", props: { version: "x" }, output: { name: "app-kv-prod" } } },
  ]);
  assert.deepEqual(scripts, [
    { name: "app-api-prod", versioned: true, keep: false },
    { name: "app-web-prod", versioned: false, keep: false },
    { name: "app-cron-prod", versioned: true, keep: true },
  ]);
});

test("after the destroy: only versioned, not kept scripts of the state that the account still has are deleted", () => {
  const inState: StateScript[] = [
    { name: "app-api-prod", versioned: true, keep: false },
    { name: "app-gone-prod", versioned: true, keep: false },
    { name: "app-web-prod", versioned: false, keep: false },
    { name: "app-cron-prod", versioned: true, keep: true },
  ];
  const inAccount = ["app-api-prod", "app-web-prod", "app-cron-prod", "app-api-staging", "other-prod"];
  assert.deepEqual(scriptsLeftByDestroy(inState, inAccount), ["app-api-prod"]);
  assert.deepEqual(scriptsLeftByDestroy([], inAccount), [], "nothing the state did not hold, even when its name matches the stage");
});
