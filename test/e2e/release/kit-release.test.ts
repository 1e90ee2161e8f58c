// The kit's own release (scripts/release.ts) on a real git repository: a clone of this repository with a
// local bare repository as its remote. Proves the released tree references only its own version.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { repoRoot } from "../../harness/run-action.ts";
import { isPinnedFile, kitRefs } from "../../../workflows-lib/release/kit-pins.ts";

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: "Release Test",
  GIT_AUTHOR_EMAIL: "release@example.com",
  GIT_COMMITTER_NAME: "Release Test",
  GIT_COMMITTER_EMAIL: "release@example.com",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
};
// A stand-in for `npm run build` (ncc takes half a minute per action): it changes a committed bundle, so the
// test sees that what the build writes goes into the release commit.
const BUILD = `node -e "require('fs').writeFileSync('actions/comment/dist/index.js', 'built for release')"`;

describe("scripts/release.ts on a real repository", () => {
  let temp: string;
  let work: string;
  let remote: string;
  const git = (args: string[], cwd = work) => execFileSync("git", args, { cwd, env: gitEnv, encoding: "utf8" }).trim();
  const release = (...args: string[]) =>
    spawnSync(process.execPath, [join(repoRoot, "scripts/release.ts"), ...args, "--build-command", BUILD, "--cwd", work], {
      env: gitEnv,
      encoding: "utf8",
    });
  const remoteTag = (name: string) => git(["rev-parse", `refs/tags/${name}^{commit}`], remote);
  const filesAt = (ref: string) => git(["ls-tree", "-r", "--name-only", ref], remote).split("\n");
  const showAt = (ref: string, path: string) => git(["show", `${ref}:${path}`], remote);

  before(async () => {
    temp = await mkdtemp(join(tmpdir(), "kit-release-"));
    remote = join(temp, "remote.git");
    work = join(temp, "work");
    git(["init", "-q", "--bare", "-b", "main", remote], temp);
    git(["clone", "-q", repoRoot, work], temp);
    git(["checkout", "-q", "-B", "main"]);
    git(["remote", "set-url", "origin", remote]);
    // References at every kind of ref, as the branch has them between releases.
    await writeFile(
      join(work, "docs/pin-check.md"),
      "Use `alchkit/alchkit/.github/workflows/release.yml@v1`, `alchkit/alchkit/actions/comment@main`,\n" +
        "`alchkit/alchkit@0123456789abcdef0123456789abcdef01234567` or alchkit/alchkit@v0.9.0.\n",
    );
    git(["add", "docs/pin-check.md"]);
    git(["commit", "-q", "-m", "Docs with kit references"]);
    git(["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    git(["tag", "v1"]);
    git(["tag", "v1.0"]);
    git(["push", "-q", "origin", "main", "--tags"]);
  });
  after(() => rm(temp, { recursive: true, force: true }));

  it("releases 1.1.0: immutable tag on a release commit, v1 moved, v1.1 created, v1.0 untouched, pushed", async () => {
    const mainBefore = git(["rev-parse", "main"]);
    const run = release("1.1.0");
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.tag, "v1.1.0");
    assert.equal(git(["cat-file", "-t", "refs/tags/v1.1.0"], remote), "tag", "an annotated tag");
    const commit = remoteTag("v1.1.0");
    assert.equal(result.commit, commit);
    assert.equal(git(["rev-parse", `${commit}^`], remote), mainBefore, "the release commit sits on top of main");
    assert.equal(remoteTag("v1"), commit);
    assert.equal(remoteTag("v1.1"), commit);
    assert.equal(remoteTag("v1.0"), mainBefore);
    assert.equal(git(["rev-parse", "main"], remote), mainBefore, "main keeps its @main references");
    assert.equal(git(["rev-parse", "main"]), mainBefore);
    assert.equal(git(["symbolic-ref", "--short", "HEAD"]), "main", "back on the branch");
    assert.equal(git(["status", "--porcelain"]), "");
    assert.equal(showAt("v1.1.0", "actions/comment/dist/index.js"), "built for release", "the build is in the release");
    assert.equal(JSON.parse(showAt("v1.1.0", "package.json")).version, "1.1.0");
    assert.match(showAt("v1.1.0", "docs/pin-check.md"), /workflows\/release\.yml@v1\.1\.0`, `alchkit\/alchkit\/actions\/comment@v1\.1\.0`/);
    assert.match(showAt("v1.1.0", "docs/pin-check.md"), /alchkit\/alchkit@v1\.1\.0\.$/, "sentence punctuation stays outside the ref");
  });

  it("the released tree references no other version of the kit", () => {
    let references = 0;
    for (const path of filesAt("v1.1.0").filter(isPinnedFile)) {
      for (const ref of kitRefs(showAt("v1.1.0", path))) {
        references++;
        assert.equal(ref.ref, "v1.1.0", `${path} references alchkit/alchkit${ref.path}@${ref.ref}`);
      }
    }
    assert.ok(references >= 4, `found ${references} kit references`);
    assert.ok(kitRefs(showAt("main", "docs/pin-check.md")).some((r) => r.ref === "main"), "the branch is unchanged");
  });

  it("a patch of an older line moves v1.0 only: v1 never goes backwards", () => {
    const v1 = remoteTag("v1");
    git(["checkout", "-q", "-b", "release-1.0", "v1.0.0"]);
    const run = release("1.0.1");
    assert.equal(run.status, 0, run.stderr);
    assert.equal(remoteTag("v1"), v1);
    assert.equal(remoteTag("v1.0"), remoteTag("v1.0.1"));
    assert.equal(git(["symbolic-ref", "--short", "HEAD"]), "release-1.0");
    git(["checkout", "-q", "main"]);
  });

  it("a pre-release gets its tag and moves no floating tag", () => {
    const v1 = remoteTag("v1");
    const run = release("v2.0.0-rc.1");
    assert.equal(run.status, 0, run.stderr);
    assert.ok(remoteTag("v2.0.0-rc.1"));
    assert.equal(spawnSync("git", ["rev-parse", "-q", "--verify", "refs/tags/v2"], { cwd: remote }).status, 1);
    assert.equal(remoteTag("v1"), v1);
  });

  it("--pack-destination packs the npm package from the release commit and names the tarball and its integrity", () => {
    const destination = join(temp, "package");
    // npm's own pack, without the prepack compile (this clone has no node_modules; test/package/ packs with it).
    const run = release("1.2.0", "--no-push", "--pack-destination", destination, "--pack-command", `npm pack --json --ignore-scripts --pack-destination "${destination}"`);
    assert.equal(run.status, 0, run.stderr);
    const { tarball, commit } = JSON.parse(run.stdout) as { commit: string; tarball: { file: string; integrity: string; size: number } };
    assert.equal(tarball.file, join(destination, "alchkit-1.2.0.tgz"));
    assert.match(tarball.integrity, /^sha512-/);
    const manifest = JSON.parse(execFileSync("tar", ["-xOzf", tarball.file, "package/package.json"], { encoding: "utf8" })) as { version: string; repository: { url: string } };
    assert.equal(manifest.version, "1.2.0", "packed from the release commit");
    assert.match(manifest.repository.url, /alchkit\/alchkit/);
    // `npm create alchkit` runs create-alchkit: packed from the same commit, depending on exactly this release.
    const { createTarball } = JSON.parse(run.stdout) as { createTarball: { file: string; integrity: string } };
    assert.equal(createTarball.file, join(destination, "create-alchkit-1.2.0.tgz"));
    const create = JSON.parse(execFileSync("tar", ["-xOzf", createTarball.file, "package/package.json"], { encoding: "utf8" })) as { version: string; dependencies: Record<string, string>; bin: Record<string, string> };
    assert.deepEqual([create.version, create.dependencies, create.bin], ["1.2.0", { alchkit: "1.2.0" }, { "create-alchkit": "bin.js" }]);
    assert.equal(git(["rev-parse", "v1.2.0^{commit}"]), commit);
    git(["tag", "-d", "v1.2.0"]);
    git(["tag", "-f", "v1", remoteTag("v1")]);
    git(["tag", "-d", "v1.2"]);
    assert.equal(git(["status", "--porcelain"]), "", "the tarball is written outside the tree");
  });

  it("refuses a dirty tree, an existing tag and a version that is not semver: exit 2, nothing tagged", async () => {
    const tagsBefore = git(["ls-remote", "--tags", "origin"]);
    await writeFile(join(work, "README.md"), `${await readFile(join(work, "README.md"), "utf8")}\nlocal edit\n`);
    const dirty = release("1.2.0");
    assert.equal(dirty.status, 2);
    assert.match(dirty.stderr, /working tree: expected no uncommitted or untracked changes \(M README\.md\)/);
    git(["checkout", "-q", "--", "README.md"]);

    const existing = release("1.1.0");
    assert.equal(existing.status, 2);
    assert.match(existing.stderr, /version: expected a version that is not released yet \(tag v1\.1\.0 exists\)/);

    for (const bad of ["1.2", "1.2.3.4"]) {
      const run = release(bad);
      assert.equal(run.status, 2, bad);
      assert.match(run.stderr, /version: expected a semantic version/);
    }
    assert.equal(git(["ls-remote", "--tags", "origin"]), tagsBefore);
    assert.equal(git(["tag", "--list", "v1.2*"]), "");
  });

  it("a failed push leaves no local tag and restores the floating tags", async () => {
    const v1 = git(["rev-parse", "v1"]);
    const hook = join(remote, "hooks", "pre-receive");
    await writeFile(hook, "#!/bin/sh\necho 'tags are frozen' >&2\nexit 1\n", { mode: 0o755 });
    try {
      const run = release("1.2.0");
      assert.equal(run.status, 1);
      assert.match(run.stderr, /git push[\s\S]*tags are frozen/);
      assert.equal(git(["tag", "--list", "v1.2*"]), "");
      assert.equal(git(["rev-parse", "v1"]), v1);
      assert.equal(git(["status", "--porcelain"]), "");
      assert.equal(git(["symbolic-ref", "--short", "HEAD"]), "main");
      assert.equal(spawnSync("git", ["rev-parse", "-q", "--verify", "refs/tags/v1.2.0"], { cwd: remote }).status, 1);
    } finally {
      await rm(hook);
    }
  });
});
