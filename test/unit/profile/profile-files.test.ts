import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { cloudflareApiFrom } from "../../../workflows-lib/wiring/rollout-ports.ts";
import { findEnvOverrides, describeOverrides } from "../../../workflows-lib/profile/env-override.ts";
import { parseAlchemyConfig, planProfileFiles, serialize } from "../../../workflows-lib/profile/profile-files.ts";
import { profileInputSchema } from "../../../workflows-lib/profile/profile-input.ts";

const ACCOUNT = "0123456789abcdef0123456789abcdef";

test("a new profile gets Alchemy's config entry and api-token credentials", () => {
  const files = planProfileFiles(undefined, { profile: "ci", apiToken: "tok", accountId: ACCOUNT });
  assert.equal(files.configFile, ".alchemy/config.json");
  assert.equal(files.credentialsFile, ".alchemy/credentials/ci/cloudflare.json");
  assert.deepEqual(files.config, {
    version: 1,
    profiles: { ci: { cloudflare: { method: "api-token", metadata: { id: ACCOUNT, name: ACCOUNT } } } },
  });
  assert.equal(serialize(files.credentials), '{\n  "type": "api-token",\n  "apiToken": "tok"\n}');
});

test("other profiles and other providers of the profile are kept; the input config is not mutated", () => {
  const existing = {
    version: 1 as const,
    profiles: {
      default: { cloudflare: { method: "oauth" as const, metadata: { id: "a", name: "Mine" }, scopes: ["user:read"] } },
      ci: { other: { method: "api-key" as const, metadata: { id: "x" } } },
    },
  };
  const before = structuredClone(existing);
  const files = planProfileFiles(existing, { profile: "ci", apiToken: "t", accountId: ACCOUNT, accountName: "Acme" });
  assert.deepEqual(existing, before);
  assert.deepEqual(files.config.profiles.default, existing.profiles.default);
  assert.deepEqual(files.config.profiles.ci!.other, existing.profiles.ci.other);
  assert.deepEqual(files.config.profiles.ci!.cloudflare!.metadata, { id: ACCOUNT, name: "Acme" });
});

test("config files Alchemy could not read are reported, not overwritten", () => {
  assert.equal(parseAlchemyConfig("{nope"), "is not valid JSON");
  assert.equal(parseAlchemyConfig('{"version":2}'), "is not an Alchemy config (version 1)");
  assert.deepEqual(parseAlchemyConfig('{"version":1,"profiles":{}}'), { version: 1, profiles: {} });
});

test("input: each bad value is one error naming what was expected", () => {
  const issue = (value: Record<string, unknown>) => {
    const result = profileInputSchema.safeParse({ apiToken: "t", accountId: ACCOUNT, ...value });
    return result.success ? undefined : `${result.error.issues[0]!.path.join(".")}: ${result.error.issues[0]!.message}`;
  };
  assert.equal(issue({}), undefined);
  assert.equal(issue({ apiToken: "  " }), "apiToken: a non-empty Cloudflare API token");
  assert.equal(issue({ apiToken: "a b" }), "apiToken: a Cloudflare API token without spaces or line breaks");
  assert.equal(issue({ accountId: "1234" }), "accountId: a Cloudflare account id of 32 hexadecimal characters");
  assert.equal(issue({ accountId: `${ACCOUNT.slice(1)}g` }), "accountId: a Cloudflare account id of 32 hexadecimal characters");
  for (const profile of ["../etc", "a/b", "ci prod", "", "-x"]) assert.match(issue({ profile }) ?? "", /^profile: a profile name of letters/);
  assert.equal(profileInputSchema.parse({ apiToken: "t", accountId: ACCOUNT.toUpperCase() }).accountId, ACCOUNT);
});

test("CLOUDFLARE_* variables that would override the profile are found (alchemy issue #1285)", () => {
  assert.deepEqual(findEnvOverrides({ PATH: "/bin", CLOUDFLARE_API_TOKEN: "" }, "ci"), []);
  const found = findEnvOverrides({ CLOUDFLARE_API_TOKEN: "x", CF_ACCOUNT_ID: "y", ALCHEMY_PROFILE: "ci", CLOUDFLARE_PROFILE: "prod" }, "ci");
  assert.deepEqual(found.map((o) => o.name), ["CLOUDFLARE_API_TOKEN", "CF_ACCOUNT_ID", "CLOUDFLARE_PROFILE"]);
  assert.match(describeOverrides(found, "ci"), /CLOUDFLARE_API_TOKEN replaces the profile's API token;.*over profile "ci" \(alchemy issue #1285\)/);
});

test("the Cloudflare API of a rollout comes from CLOUDFLARE_* when set, else from the profile the setup action wrote", () => {
  const home = mkdtempSync(join(tmpdir(), "alchkit-profile-api-"));
  try {
    const files = planProfileFiles(undefined, { profile: "ci", apiToken: "profile-token", accountId: "a".repeat(32) });
    for (const [file, data] of [[files.configFile, files.config], [files.credentialsFile, files.credentials]] as const) {
      mkdirSync(dirname(join(home, file)), { recursive: true });
      writeFileSync(join(home, file), serialize(data));
    }
    assert.deepEqual(cloudflareApiFrom({ HOME: home }, "ci"), { apiToken: "profile-token", accountId: "a".repeat(32), baseUrl: "https://api.cloudflare.com/client/v4" });
    assert.equal(cloudflareApiFrom({ HOME: home }, "other"), undefined);
    assert.equal(cloudflareApiFrom({ HOME: home, CLOUDFLARE_API_TOKEN: "env-token", CLOUDFLARE_ACCOUNT_ID: "b".repeat(32) }, "ci")?.apiToken, "env-token");
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
