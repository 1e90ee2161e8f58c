import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planFloatingTags } from "../../../workflows-lib/release/floating-tags.ts";
import { parseVersion } from "../../../workflows-lib/release/semver.ts";

const plan = (version: string, tags: string[]) =>
  Object.fromEntries(planFloatingTags(parseVersion(version)!, tags).map((p) => [p.tag, p.move]));

describe("floating tags", () => {
  it("move vX and vX.Y to the newest release of their line", () => {
    assert.deepEqual(plan("v1.3.0", ["v1.2.0", "v1", "v1.2"]), { v1: true, "v1.3": true });
  });
  it("never move backwards: a patch of an older line moves only its vX.Y", () => {
    assert.deepEqual(plan("v1.2.4", ["v1.2.3", "v1.3.0", "v1", "v1.2", "v1.3"]), { v1: false, "v1.2": true });
    assert.deepEqual(plan("v1.2.4", ["v1.2.5", "v1.3.0"]), { v1: false, "v1.2": false });
  });
  it("a newer major does not hold back an older major's tags", () => {
    assert.deepEqual(plan("v1.4.0", ["v2.0.0", "v1.3.0"]), { v1: true, "v1.4": true });
  });
  it("pre-releases never move them, and do not count as newer", () => {
    assert.deepEqual(plan("v2.0.0-rc.1", ["v1.9.0"]), { v2: false, "v2.0": false });
    assert.deepEqual(plan("v1.3.0", ["v1.4.0-beta.1"]), { v1: true, "v1.3": true });
  });
  it("explains each decision", () => {
    const [major] = planFloatingTags(parseVersion("v1.2.4")!, ["v1.3.0"]);
    assert.match(major!.reason, /v1\.3\.0 is newer than v1\.2\.4/);
  });
});

describe("a refused tag move", () => {
  it("explains GitHub's 403 for tags across workflow changes; leaves other errors alone", async () => {
    const { refusedTagMove } = await import("../../../workflows-lib/github/release-platform.ts");
    const refused = refusedTagMove(
      { status: 403, response: { headers: { "x-accepted-github-permissions": "contents=write,workflows=write" } } },
      "v1",
    );
    assert.match(refused!.message, /GitHub refused to move tag v1 \(403, accepted permissions: contents=write,workflows=write\)/);
    assert.match(refused!.message, /Workflows permission[\s\S]*`github-token`[\s\S]*release-token/);
    assert.doesNotMatch(refusedTagMove({ status: 403, response: { headers: { "x-accepted-github-permissions": "contents=write" } } }, "v1")!.message, /Workflows/);
    assert.equal(refusedTagMove({ status: 500 }, "v1"), undefined);
  });
});
