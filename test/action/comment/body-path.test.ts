// actions/comment's body-path: a file of the workspace (or the runner's temp folder), never a symbolic link,
// never a path leading out. A comment must not become a way to publish a file from elsewhere on the runner.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertNoViolations, startGitHubStandIn } from "../../github/index.ts";
import { runActionDist } from "../../harness/run-action.ts";
import { pullRequestEvent } from "../../support/pr-event.ts";

test("body-path: a workspace file is posted; a link or a path out of the workspace is refused and nothing is posted", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const root = await mkdtemp(join(tmpdir(), "alchkit-body-path-"));
  t.after(() => rm(root, { recursive: true, force: true }));
  const workspace = join(root, "workspace");
  await mkdir(join(workspace, "reports"), { recursive: true });
  await writeFile(join(workspace, "reports", "coverage.md"), "Coverage 91 %\n");
  await writeFile(join(root, "outside.txt"), "private key material\n");
  await symlink(join(root, "outside.txt"), join(workspace, "reports", "link.md"));
  await symlink(root, join(workspace, "linked-dir"));
  const run = (bodyPath: string) =>
    runActionDist({ action: "comment", inputs: { "body-path": bodyPath, header: "coverage" }, event: pullRequestEvent(gh), github: { url: gh.url, token: gh.token }, workspace });

  for (const [bodyPath, why] of [
    ["reports/link.md", /is a symbolic link/],
    ["../outside.txt", /resolves to/],
    [join(root, "outside.txt"), /resolves to/],
    ["linked-dir/outside.txt", /links out of it/],
  ] as const) {
    const refused = await run(bodyPath);
    assert.equal(refused.exitCode, 1, `${bodyPath}: ${refused.log}`);
    const errors = refused.annotations.filter((a) => a.level === "error").map((a) => a.message);
    assert.equal(errors.length, 1, bodyPath);
    assert.match(errors[0]!, /^Input body-path: expected a path inside the workspace or the runner's temp folder/, bodyPath);
    assert.match(errors[0]!, why, bodyPath);
  }
  assert.equal(gh.state.repo("octo/app")!.comments.size, 0, "nothing posted");

  const posted = await run("reports/coverage.md");
  assert.equal(posted.exitCode, 0, posted.log);
  assert.match([...gh.state.repo("octo/app")!.comments.values()][0]!.body, /Coverage 91 %/);
  assertNoViolations(gh);
});
