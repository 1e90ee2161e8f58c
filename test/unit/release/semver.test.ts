import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareVersions, parseVersion, previousVersion, versionsOf } from "../../../workflows-lib/release/semver.ts";

const v = (text: string) => parseVersion(text)!;

describe("semver", () => {
  it("parses release tags and rejects others", () => {
    assert.deepEqual(v("v1.2.3"), { major: 1, minor: 2, patch: 3, prerelease: [], raw: "v1.2.3" });
    assert.deepEqual(v("2.0.0-rc.1+build.5").prerelease, ["rc", "1"]);
    for (const bad of ["v1", "v1.2", "1.2.3.4", "v01.2.3", "latest", "v1.2.3-", "1.2.3-01"]) assert.equal(parseVersion(bad), undefined, bad);
  });
  it("orders by semver precedence, including pre-release identifiers", () => {
    const order = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"];
    for (let i = 1; i < order.length; i++) assert.ok(compareVersions(v(order[i - 1]!), v(order[i]!)) < 0, `${order[i - 1]} < ${order[i]}`);
    assert.equal(compareVersions(v("v1.0.0"), v("1.0.0")), 0);
    assert.deepEqual(versionsOf(["v1.10.0", "v1.9.0", "v1", "main", "v1.9.1"]).map((x) => x.raw), ["v1.10.0", "v1.9.1", "v1.9.0"]);
  });
  it("finds the previous release: stable skips pre-releases, a pre-release counts them", () => {
    const tags = ["v1.0.0", "v1.1.0", "v1.2.0-rc.1", "v1.2.0-rc.2", "v2.0.0", "v1"];
    assert.equal(previousVersion(v("v1.2.0"), tags)?.raw, "v1.1.0");
    assert.equal(previousVersion(v("v1.2.0-rc.3"), tags)?.raw, "v1.2.0-rc.2");
    assert.equal(previousVersion(v("v1.0.1"), tags)?.raw, "v1.0.0");
    assert.equal(previousVersion(v("v0.9.0"), tags), undefined);
  });
});
